//! The pure decision: changed contract files (base and head contents) + config -> a plan
//! with every change, the verdict, the Markdown report and the step outputs. No I/O.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};

use crate::change::{Change, Direction, Severity};
use crate::config::{ContractsDiffConfig, fail_on_met};
use crate::detect::{ContractKind, kind_of};
use crate::limits::Limits;
use crate::openapi::{self, DocKind};
use crate::resolve::Spec;
use crate::rules::Rule;
use crate::text_diff::{self, TextChange};
use crate::{graphql, proto, report};

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

/// What the plan is decided from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub contracts: Vec<ContractFile>,
    /// Changed files matching the endpoint (route/handler) globs.
    pub endpoint_files: Vec<String>,
}

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
    #[serde(skip)]
    pub markdown: String,
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
    let files: Vec<FileReport> = facts
        .contracts
        .iter()
        .map(|file| diff_file(file, config, limits))
        .collect();
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
    let contracts_touched = !facts.contracts.is_empty();
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
    let mut plan = Plan {
        verdict,
        counts,
        files,
        outputs,
        fail,
        approval_required,
        markdown: String::new(),
    };
    plan.markdown = report::markdown(&plan, &facts.endpoint_files, config);
    plan
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
    let text_diff = || {
        Some(text_diff::unified(
            &format!("a/{base_path}"),
            &format!("b/{}", file.path),
            &base_text,
            &head_text,
            config.max_diff_lines,
        ))
    };
    let mut report = FileReport {
        path: file.path.clone(),
        status: file.status.clone(),
        kind: "text",
        changes: Vec::new(),
        text_diff: None,
        note: None,
    };
    let kind = kind_of(&file.path);
    if kind == ContractKind::Structured {
        match semantic(file, base_path, limits) {
            Ok(Some((doc_kind, changes))) => {
                report.kind = if doc_kind == DocKind::JsonSchema {
                    "json-schema"
                } else {
                    "openapi"
                };
                report.changes = changes;
                return report;
            }
            Ok(None) => {
                report.note =
                    Some("not an OpenAPI 3.x document or JSON Schema: text diff only".to_owned());
            }
            Err(message) => {
                report.changes.push(Change::new(
                    Rule::ContractUnreadable,
                    Severity::PotentiallyBreaking,
                    Direction::None,
                    "",
                    message.clone(),
                ));
                report.note = Some(message);
            }
        }
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
    report.text_diff = text_diff();
    report
}

/// The semantic diff of a YAML/JSON contract; Ok(None) when it is neither OpenAPI 3 nor JSON Schema.
fn semantic(
    file: &ContractFile,
    base_path: &str,
    limits: &Limits,
) -> Result<Option<(DocKind, Vec<Change>)>, String> {
    let base = file
        .base
        .as_ref()
        .map(|v| load_version(base_path, v, limits))
        .transpose()?;
    let head = file
        .head
        .as_ref()
        .map(|v| load_version(&file.path, v, limits))
        .transpose()?;
    let kind_of_spec = |s: &Spec| DocKind::of(s.root().value);
    let doc_kind = match (&base, &head) {
        (_, Some(h)) if kind_of_spec(h).is_semantic() => kind_of_spec(h),
        (Some(b), _) if kind_of_spec(b).is_semantic() => kind_of_spec(b),
        _ => return Ok(None),
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
        (None, None) => return Ok(None),
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
    Ok(Some((doc_kind, changes)))
}
