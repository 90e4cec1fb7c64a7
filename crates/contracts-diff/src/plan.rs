//! The pure decision: changed contract files (base and head contents) + config -> a plan
//! with every change, the verdict and the step outputs. No I/O, and no rendering: the
//! Markdown is [`crate::report::markdown`] of the plan, so the plan never depends on how it is
//! shown.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::change::{Change, Direction, Severity};
use crate::config::{ContractsDiffConfig, fail_on_met};
use crate::detect::{ContractKind, kind_of};
use crate::limits::Limits;
use crate::openapi::{self, DocKind};
use crate::resolve::Spec;
use crate::rules::Rule;
use crate::text_diff::{self, TextChange};
use crate::{graphql, proto};

/// How a file changed between base and head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "status", content = "from")]
pub enum FileStatus {
    Added,
    Removed,
    Modified,
    /// Renamed from the given path (contents may also differ).
    Renamed(String),
}

impl FileStatus {
    pub fn label(&self) -> String {
        match self {
            FileStatus::Added => "added".to_owned(),
            FileStatus::Removed => "removed".to_owned(),
            FileStatus::Modified => "modified".to_owned(),
            FileStatus::Renamed(from) => format!("renamed from {from}"),
        }
    }
}

/// One version of a contract file with the repository files it references (by path).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Version {
    pub content: Vec<u8>,
    pub related: BTreeMap<String, Vec<u8>>,
}

/// A changed contract file: its path at head (at base when removed) and both versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractFile {
    pub path: String,
    pub status: FileStatus,
    pub base: Option<Version>,
    pub head: Option<Version>,
}

/// A changed contract file whose contents could not be read at all (too large for the
/// contents API, not text). It gates like any other unreadable contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadableFile {
    pub path: String,
    pub status: FileStatus,
    pub reason: String,
    /// What identifies the unread contents (blob or commit SHAs): the approval is tied to it.
    pub version: String,
}

/// What the plan is decided from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub contracts: Vec<ContractFile>,
    /// Changed files matching the endpoint (route/handler) globs.
    pub endpoint_files: Vec<String>,
    pub unreadable: Vec<UnreadableFile>,
    /// Why the list of changed files may be incomplete (GitHub's 3,000-file cap, and the
    /// trees that would replace it truncated or unavailable). A contract change may hide
    /// there, so it gates.
    pub incomplete_listing: Option<String>,
}

/// The path under which a listing that could not be completed is reported.
pub const UNLISTED_PATH: &str = "(changed files)";

/// What was found in one file.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    pub path: String,
    #[serde(flatten)]
    pub status: FileStatus,
    /// `openapi`, `json-schema`, `graphql`, `proto` or `text`.
    pub kind: &'static str,
    pub changes: Vec<Change>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_diff: Option<TextChange>,
    /// Why a semantic diff was not possible, if it was not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For a contract that could not be read or compared: a digest of its path and contents,
    /// which the `contract-unreadable` finding is fingerprinted by (an approval holds while
    /// the contents stay the same).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unreadable_digest: Option<String>,
}

/// The action's outputs.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Outputs {
    pub contracts_touched: bool,
    pub endpoints_touched: bool,
    /// Operations with at least one change, like `GET /users/{id}`.
    pub endpoints: Vec<String>,
    pub breaking: bool,
    /// Every change, as JSON.
    pub changes: Vec<Value>,
}

impl Outputs {
    /// The outputs as `name -> value` strings, as written to `$GITHUB_OUTPUT`.
    pub fn as_pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("contracts-touched", self.contracts_touched.to_string()),
            ("endpoints-touched", self.endpoints_touched.to_string()),
            ("endpoints", Value::from(self.endpoints.clone()).to_string()),
            ("breaking", self.breaking.to_string()),
            ("changes", Value::from(self.changes.clone()).to_string()),
        ]
    }
}

/// Everything decided.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// The worst severity found; None when no contract changed semantically.
    pub verdict: Option<Severity>,
    pub counts: BTreeMap<&'static str, usize>,
    pub files: Vec<FileReport>,
    pub outputs: Outputs,
    /// Whether `fail-on` is met.
    pub fail: bool,
    /// Whether the approval label is needed (`require-approval-on`).
    pub approval_required: bool,
    /// The label that approves the changes (named in the report).
    #[serde(skip)]
    pub approval_label: String,
    /// Changed files matching the endpoint (route/handler) globs, named in the report.
    #[serde(skip)]
    pub endpoint_files: Vec<String>,
}

impl Plan {
    /// The plan as JSON for machines (`--format json`).
    pub fn to_json(&self) -> Value {
        let mut value = serde_json::to_value(self).unwrap_or(Value::Null);
        if let Some(map) = value.as_object_mut() {
            map.insert(
                "verdict".to_owned(),
                json!(self.verdict.map_or("none", Severity::as_str)),
            );
        }
        value
    }
}

/// Decides the plan from the facts.
pub fn plan(facts: &Facts, config: &ContractsDiffConfig, limits: &Limits) -> Plan {
    let mut files: Vec<FileReport> = facts
        .contracts
        .iter()
        .map(|file| diff_file(file, config, limits))
        .collect();
    files.extend(facts.unreadable.iter().map(unread_file));
    if let Some(why) = &facts.incomplete_listing {
        files.push(unlisted(why));
    }
    // The config's severities replace the rules' own before anything is counted, so the
    // verdict, `fail-on` and the approval gate all see the effective severity.
    for change in files.iter_mut().flat_map(|f| f.changes.iter_mut()) {
        if let Some(severity) = crate::config::severity_override(config, change.rule)
            && severity != change.severity
        {
            change.default_severity = Some(change.severity);
            change.severity = severity;
        }
    }
    let all: Vec<&Change> = files.iter().flat_map(|f| f.changes.iter()).collect();
    let verdict = all.iter().map(|c| c.severity).max();
    let mut counts = BTreeMap::new();
    for severity in [
        Severity::Breaking,
        Severity::PotentiallyBreaking,
        Severity::NonBreaking,
    ] {
        counts.insert(
            severity.as_str(),
            all.iter().filter(|c| c.severity == severity).count(),
        );
    }
    let mut endpoints: Vec<String> = all
        .iter()
        .flat_map(|c| c.operations.iter().cloned())
        .collect();
    endpoints.sort();
    endpoints.dedup();
    let contracts_touched = !files.is_empty();
    let outputs = Outputs {
        contracts_touched,
        endpoints_touched: !endpoints.is_empty() || !facts.endpoint_files.is_empty(),
        endpoints,
        breaking: verdict == Some(Severity::Breaking),
        changes: all
            .iter()
            .map(|c| serde_json::to_value(c).unwrap_or(Value::Null))
            .collect(),
    };
    let fail = fail_on_met(config.fail_on, verdict, contracts_touched);
    let approval_required = match config.require_approval_on {
        crate::config::RequireApprovalOn::Any => contracts_touched,
        crate::config::RequireApprovalOn::Breaking => verdict == Some(Severity::Breaking),
    };
    Plan {
        verdict,
        counts,
        files,
        outputs,
        fail,
        approval_required,
        approval_label: config.approval_label.clone(),
        endpoint_files: facts.endpoint_files.clone(),
    }
}

/// Hex digest of the parts, each followed by a NUL so that ("ab", "c") and ("a", "bc") differ.
fn digest(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
        hasher.update([0u8]);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What a person must do about a contract that could not be checked.
const UNREADABLE_ADVICE: &str = "its changes cannot be checked, so it needs an architect's review and approval like a breaking change. \
Fix the file so that it parses, or, if it is not an API contract, exclude it with `contracts-diff.ignore`";

fn content_of(version: &Option<Version>) -> &[u8] {
    version.as_ref().map_or(&[], |v| v.content.as_slice())
}

fn unreadable_change(why: &str) -> Change {
    Change::new(
        Rule::ContractUnreadable,
        Severity::Breaking,
        Direction::None,
        "",
        format!("{why}; {UNREADABLE_ADVICE}."),
    )
}

fn unread_file(file: &UnreadableFile) -> FileReport {
    FileReport {
        path: file.path.clone(),
        status: file.status.clone(),
        kind: "text",
        changes: vec![unreadable_change(&file.reason)],
        text_diff: None,
        note: Some(file.reason.clone()),
        unreadable_digest: Some(digest(&[
            file.path.as_bytes(),
            b"unread",
            file.version.as_bytes(),
        ])),
    }
}

fn unlisted(why: &str) -> FileReport {
    let message = format!(
        "{why}; a changed contract may be among the files not seen, so an architect must review the pull request and approve it"
    );
    FileReport {
        path: UNLISTED_PATH.to_owned(),
        status: FileStatus::Modified,
        kind: "text",
        changes: vec![Change::new(
            Rule::ChangesUnlisted,
            Severity::Breaking,
            Direction::None,
            "",
            message,
        )],
        text_diff: None,
        note: Some(why.to_owned()),
        unreadable_digest: Some(digest(&[why.as_bytes()])),
    }
}

fn load_version(path: &str, version: &Version, limits: &Limits) -> Result<Spec, String> {
    let mut fetch = |p: &str| version.related.get(p).cloned();
    Spec::load(path, &version.content, &mut fetch, limits).map_err(|e| e.to_string())
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn diff_file(file: &ContractFile, config: &ContractsDiffConfig, limits: &Limits) -> FileReport {
    let base_path = match &file.status {
        FileStatus::Renamed(from) => from.as_str(),
        _ => file.path.as_str(),
    };
    let mut report = FileReport {
        path: file.path.clone(),
        status: file.status.clone(),
        kind: "text",
        changes: Vec::new(),
        text_diff: None,
        note: None,
        unreadable_digest: None,
    };
    // Every kind is bounded, not only the parsed ones, and before any text is built from the
    // contents: a huge GraphQL or text file would cost the text diff and the structural reader
    // just as much.
    let too_large: Vec<String> = [(base_path, &file.base), (file.path.as_str(), &file.head)]
        .into_iter()
        .filter_map(|(name, version)| {
            let size = version.as_ref()?.content.len() as u64;
            limits.too_large(size).then(|| {
                crate::limits::too_large_message(&format!("`{name}`"), size, limits.max_bytes)
            })
        })
        .collect();
    if !too_large.is_empty() {
        mark_unreadable(&mut report, file, base_path, too_large.join("; "));
        return report;
    }
    let base_text = file
        .base
        .as_ref()
        .map(|v| text(&v.content))
        .unwrap_or_default();
    let head_text = file
        .head
        .as_ref()
        .map(|v| text(&v.content))
        .unwrap_or_default();
    let kind = kind_of(&file.path);
    if kind == ContractKind::Structured {
        let why = match semantic(file, base_path, limits) {
            Ok(Ok((doc_kind, changes))) => {
                report.kind = if doc_kind == DocKind::JsonSchema {
                    "json-schema"
                } else {
                    "openapi"
                };
                report.changes = changes;
                return report;
            }
            Ok(Err(why)) | Err(why) => why,
        };
        mark_unreadable(&mut report, file, base_path, why);
    }
    match kind {
        ContractKind::Graphql => {
            report.kind = "graphql";
            report.changes = graphql::diff(&file.path, &base_text, &head_text);
        }
        ContractKind::Proto => {
            report.kind = "proto";
            report.changes = proto::removals(&file.path, &base_text, &head_text);
        }
        _ => {}
    }
    if file.status == FileStatus::Removed {
        report.changes.push(Change::new(
            Rule::ContractRemoved,
            Severity::Breaking,
            Direction::None,
            "",
            format!("contract file `{}` was removed", file.path),
        ));
    }
    report.text_diff = Some(text_diff::unified(
        &format!("a/{base_path}"),
        &format!("b/{}", file.path),
        &base_text,
        &head_text,
        config.max_diff_lines,
    ));
    report
}

/// Gates fail closed: a contract that cannot be read or compared is a breaking
/// `contract-unreadable` finding, fingerprinted by its paths and both contents (an approval
/// holds until they change).
fn mark_unreadable(report: &mut FileReport, file: &ContractFile, base_path: &str, why: String) {
    report.changes.push(unreadable_change(&why));
    report.note = Some(why);
    report.unreadable_digest = Some(digest(&[
        file.path.as_bytes(),
        base_path.as_bytes(),
        content_of(&file.base),
        content_of(&file.head),
    ]));
}

/// Why a readable document still cannot be compared.
type NotComparable = String;

/// The semantic diff of a YAML/JSON contract. Err: a version could not be read; Ok(Err): both
/// were read but cannot be compared (neither OpenAPI 3 nor JSON Schema, or the format changed).
fn semantic(
    file: &ContractFile,
    base_path: &str,
    limits: &Limits,
) -> Result<Result<(DocKind, Vec<Change>), NotComparable>, String> {
    let base = file
        .base
        .as_ref()
        .map(|v| {
            load_version(base_path, v, limits)
                .map_err(|e| format!("the base version cannot be read: {e}"))
        })
        .transpose()?;
    let head = file
        .head
        .as_ref()
        .map(|v| {
            load_version(&file.path, v, limits)
                .map_err(|e| format!("the head version cannot be read: {e}"))
        })
        .transpose()?;
    let kind_of_spec = |s: &Spec| DocKind::of(s.root().value);
    let family = |k: DocKind| match k {
        DocKind::OpenApi30 | DocKind::OpenApi31 => "an OpenAPI 3 document",
        DocKind::Swagger2 => "a Swagger 2.0 document",
        DocKind::JsonSchema => "a JSON Schema",
        DocKind::Unknown => "neither OpenAPI 3 nor JSON Schema",
    };
    if let (Some(b), Some(h)) = (&base, &head) {
        let (b, h) = (kind_of_spec(b), kind_of_spec(h));
        // Comparing an OpenAPI base as a JSON Schema (or the reverse) would find nothing, and
        // comparing it with an empty document would report every operation removed.
        if family(b) != family(h) {
            let openapi = |k: DocKind| matches!(k, DocKind::OpenApi30 | DocKind::OpenApi31);
            let (side, kind, other_side, other) = if openapi(b) {
                ("head", h, "base", b)
            } else if openapi(h) {
                ("base", b, "head", h)
            } else {
                return Ok(Err(format!(
                    "`{}` changed format: the base is {} and the head is {}",
                    file.path,
                    family(b),
                    family(h)
                )));
            };
            return Ok(Err(format!(
                "`{}` changed format: its {side} version is not an OpenAPI document ({}), while its {other_side} version is {}; the two cannot be compared",
                file.path,
                family(kind).replace(
                    "neither OpenAPI 3 nor JSON Schema",
                    "not a JSON Schema either"
                ),
                family(other)
            )));
        }
    }
    let doc_kind = match (&base, &head) {
        (_, Some(h)) if kind_of_spec(h).is_semantic() => kind_of_spec(h),
        (Some(b), _) if kind_of_spec(b).is_semantic() => kind_of_spec(b),
        (_, Some(s)) | (Some(s), None) => {
            return Ok(Err(format!(
                "`{}` is {}, a format contracts-diff cannot compare",
                file.path,
                family(kind_of_spec(s))
            )));
        }
        (None, None) => {
            return Ok(Err(format!(
                "`{}` could not be read at either commit",
                file.path
            )));
        }
    };
    // An added or removed document is compared with an empty one of the same kind, so every
    // operation shows as added or removed.
    let empty = |s: &Spec| {
        let version = s
            .root()
            .value
            .get("openapi")
            .cloned()
            .unwrap_or(Value::Null);
        let value = if doc_kind == DocKind::JsonSchema {
            json!({})
        } else {
            json!({"openapi": version, "paths": {}})
        };
        Spec::single(&s.main, value)
    };
    let (base, head) = match (base, head) {
        (Some(b), Some(h)) => (b, h),
        (None, Some(h)) => (empty(&h), h),
        (Some(b), None) => {
            let e = empty(&b);
            (b, e)
        }
        (None, None) => {
            return Ok(Err(format!(
                "`{}` could not be read at either commit",
                file.path
            )));
        }
    };
    let mut result = openapi::diff(&base, &head, limits);
    for problem in base.problems.iter().chain(head.problems.iter()) {
        result.changes.push(Change::new(
            Rule::UnresolvedReference,
            Severity::PotentiallyBreaking,
            Direction::None,
            "",
            format!("referenced file not loaded: {problem}"),
        ));
    }
    let mut changes = crate::change::merge_duplicates(result.changes);
    if file.status == FileStatus::Removed && doc_kind == DocKind::JsonSchema {
        changes.push(Change::new(
            Rule::ContractRemoved,
            Severity::Breaking,
            Direction::Both,
            "",
            format!("JSON Schema `{}` was removed", file.path),
        ));
    }
    Ok(Ok((doc_kind, changes)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::approval::{self, GateInput, GateStatus, Recorded};

    const SPEC: &str = "api/openapi.yaml";
    const BASE: &str = "openapi: 3.0.3\ninfo: {title: admin, version: '1'}\npaths:\n  /admin:\n    get: {responses: {'200': {description: ok}}}\n    delete: {responses: {'204': {description: gone}}}\n";

    /// A valid OpenAPI head that removes `DELETE /admin` and carries a YAML alias fan-out
    /// (ten-fold per level) that the parser refuses.
    fn alias_fan_out_head() -> String {
        let mut head = String::from(
            "openapi: 3.0.3\ninfo: {title: admin, version: '1'}\npaths:\n  /admin:\n    get: {responses: {'200': {description: ok}}}\nx0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
        );
        for level in 1..8 {
            let prev = format!("*a{}", level - 1);
            head.push_str(&format!(
                "x{level}: &a{level} [{}]\n",
                [prev.as_str(); 10].join(",")
            ));
        }
        head
    }

    /// The same removal under 129 levels of nesting.
    fn deeply_nested_head() -> String {
        format!(
            "openapi: 3.0.3\ninfo: {{title: admin, version: '1'}}\npaths:\n  /admin:\n    get: {{responses: {{'200': {{description: ok}}}}}}\nx-deep: {}{}\n",
            "[".repeat(129),
            "]".repeat(129)
        )
    }

    fn syntax_error_head() -> String {
        "openapi: 3.0.3\ninfo: {title: admin, version: '1'}\npaths:\n  /admin: [\n".to_owned()
    }

    fn version(text: &str) -> Version {
        Version {
            content: text.as_bytes().to_vec(),
            related: BTreeMap::new(),
        }
    }

    fn plan_of(head: &str) -> Plan {
        let facts = Facts {
            contracts: vec![ContractFile {
                path: SPEC.into(),
                status: FileStatus::Modified,
                base: Some(version(BASE)),
                head: Some(version(head)),
            }],
            ..Facts::default()
        };
        plan(&facts, &ContractsDiffConfig::default(), &Limits::default())
    }

    fn gate(
        plan: &Plan,
        label_present: bool,
        just_added: bool,
        recorded: &Recorded,
    ) -> approval::Gate {
        let breaking = approval::breaking_changes(plan);
        approval::decide(&GateInput {
            label: "architect-approved",
            label_present,
            label_just_added: Some(just_added),
            approval_required: plan.approval_required,
            fail_on_met: plan.fail,
            breaking: &breaking,
            recorded,
        })
    }

    #[test]
    fn the_fan_out_head_is_small_and_refused() {
        let head = alias_fan_out_head();
        assert!(head.len() < 600, "{} bytes", head.len());
        let plan = plan_of(&head);
        let note = plan.files[0].note.clone().unwrap_or_default();
        assert!(note.contains("the head version cannot be read"), "{note}");
        // The loader's own wording may change; that it refused the fan-out is what matters.
        assert!(
            ["repetition", "alias", "values"]
                .iter()
                .any(|w| note.contains(w)),
            "{note}"
        );
        let note = plan_of(&deeply_nested_head()).files[0].note.clone();
        assert!(
            note.as_deref()
                .is_some_and(|n| n.contains("the head version cannot be read")
                    && (n.contains("recursion") || n.contains("nest"))),
            "{note:?}"
        );
    }

    #[test]
    fn an_unreadable_contract_is_breaking_needs_approval_and_fails() {
        for head in [
            alias_fan_out_head(),
            deeply_nested_head(),
            syntax_error_head(),
        ] {
            let plan = plan_of(&head);
            assert_eq!(plan.verdict, Some(Severity::Breaking), "{head}");
            assert!(plan.approval_required && plan.fail && plan.outputs.breaking);
            let change = &plan.files[0].changes[0];
            assert_eq!(change.rule, Rule::ContractUnreadable);
            assert!(
                change
                    .message
                    .contains("needs an architect's review and approval"),
                "{}",
                change.message
            );
            let markdown = crate::report::markdown(&plan);
            assert!(markdown.contains("contract-unreadable"), "{markdown}");
            // No label: the gate fails. The label added now approves it.
            let missing = gate(&plan, false, false, &Recorded::Nothing);
            assert_eq!(missing.status, GateStatus::Missing);
            assert!(missing.fail);
            let approved = gate(&plan, true, true, &Recorded::Nothing);
            assert!(!approved.fail, "{:?}", approved.status);
            // A later run on the same contents keeps the approval.
            let recorded = Recorded::Approved(approved.record.clone().unwrap_or_default());
            assert!(!gate(&plan, true, false, &recorded).fail);
        }
    }

    #[test]
    fn an_unreadable_contract_is_fingerprinted_by_path_and_contents() {
        let first = plan_of(&syntax_error_head());
        let same = plan_of(&syntax_error_head());
        let other = plan_of(&(syntax_error_head() + "# another push\n"));
        let fp = |p: &Plan| approval::breaking_changes(p)[0].fingerprint.clone();
        assert_eq!(fp(&first), fp(&same));
        assert_ne!(fp(&first), fp(&other), "new contents need a new approval");
        let approved = gate(&first, true, true, &Recorded::Nothing);
        let recorded = Recorded::Approved(approved.record.unwrap_or_default());
        let stale = gate(&other, true, false, &recorded);
        assert!(stale.fail && stale.remove_label);
    }

    #[test]
    fn a_severity_override_decides_the_gate_but_never_lowers_a_gate() {
        let removed = "openapi: 3.0.3\ninfo: {title: admin, version: '1'}\npaths:\n  /admin:\n    get: {responses: {'200': {description: ok}}}\n";
        let facts = |head: &str| Facts {
            contracts: vec![ContractFile {
                path: SPEC.into(),
                status: FileStatus::Modified,
                base: Some(version(BASE)),
                head: Some(version(head)),
            }],
            ..Facts::default()
        };
        let mut config = ContractsDiffConfig::default();
        assert!(plan(&facts(removed), &config, &Limits::default()).approval_required);
        config.severity.insert(
            "operation-removed".into(),
            crate::config::RuleSeverity::PotentiallyBreaking,
        );
        let lowered = plan(&facts(removed), &config, &Limits::default());
        assert_eq!(lowered.verdict, Some(Severity::PotentiallyBreaking));
        assert!(!lowered.approval_required && !lowered.fail && !lowered.outputs.breaking);
        let change = &lowered.files[0].changes[0];
        assert_eq!(
            (change.rule, change.severity, change.default_severity),
            (
                Rule::OperationRemoved,
                Severity::PotentiallyBreaking,
                Some(Severity::Breaking)
            )
        );
        // A config that was not checked still cannot wave an unreadable contract through.
        config.severity.insert(
            "contract-unreadable".into(),
            crate::config::RuleSeverity::NonBreaking,
        );
        let unreadable = plan(&facts(&syntax_error_head()), &config, &Limits::default());
        assert!(unreadable.approval_required && unreadable.fail);
    }

    #[test]
    fn a_version_over_max_file_bytes_gates_whatever_its_kind() {
        for path in ["api/schema.graphql", SPEC, "api/types.ts"] {
            let facts = Facts {
                contracts: vec![ContractFile {
                    path: path.into(),
                    status: FileStatus::Modified,
                    base: Some(version(BASE)),
                    head: Some(version(&BASE.repeat(3))),
                }],
                ..Facts::default()
            };
            let limits = Limits {
                max_bytes: BASE.len() * 2,
                ..Limits::default()
            };
            let plan = plan(&facts, &ContractsDiffConfig::default(), &limits);
            let changes = &plan.files[0].changes;
            assert_eq!(changes.len(), 1, "{changes:?}");
            assert_eq!(changes[0].rule, Rule::ContractUnreadable);
            assert!(
                changes[0].message.starts_with(&format!(
                    "`{path}` is {} bytes, over the limit of {} bytes (`contracts-diff.max-file-bytes`)",
                    BASE.len() * 3,
                    BASE.len() * 2
                )),
                "{}",
                changes[0].message
            );
            assert!(plan.fail && plan.approval_required && plan.files[0].text_diff.is_none());
        }
    }

    #[test]
    fn unknown_or_changed_formats_and_unread_files_gate() {
        let changed_format = plan_of("type: object\nproperties: {id: {type: string}}\n");
        assert_eq!(changed_format.verdict, Some(Severity::Breaking));
        assert!(
            changed_format.files[0]
                .note
                .as_deref()
                .is_some_and(|n| n.contains("changed format")),
            "{:?}",
            changed_format.files[0].note
        );
        let unknown = plan(
            &Facts {
                contracts: vec![ContractFile {
                    path: "api/openapi.json".into(),
                    status: FileStatus::Modified,
                    base: Some(version("{\"name\": 1}")),
                    head: Some(version("{\"name\": 2}")),
                }],
                ..Facts::default()
            },
            &ContractsDiffConfig::default(),
            &Limits::default(),
        );
        assert_eq!(unknown.verdict, Some(Severity::Breaking));
        let unread = plan(
            &Facts {
                unreadable: vec![UnreadableFile {
                    path: SPEC.into(),
                    status: FileStatus::Modified,
                    reason: "too large for the contents API".into(),
                    version: "b..h".into(),
                }],
                ..Facts::default()
            },
            &ContractsDiffConfig::default(),
            &Limits::default(),
        );
        assert!(unread.fail && unread.outputs.contracts_touched);
        let unlisted = plan(
            &Facts {
                incomplete_listing: Some("GitHub listed only 3,000 files".into()),
                ..Facts::default()
            },
            &ContractsDiffConfig::default(),
            &Limits::default(),
        );
        assert!(unlisted.fail && unlisted.approval_required);
        assert_eq!(unlisted.files[0].changes[0].rule, Rule::ChangesUnlisted);
        assert!(unlisted.outputs.contracts_touched);
    }
}
