//! The pure half: facts and policy in, the verdict and everything to show out. No I/O.

use serde::Serialize;

use crate::body::{Body, BodyExtent};
use crate::config::PrCriticMode;
use crate::facts::Facts;
use crate::finding::{Finding, RuleId, Status};
use crate::policy::Policy;
use crate::rules::{self, Inputs};
use crate::sections::{self, Role};
use crate::template::{MAX_TEMPLATE_CHARS, Template};
use crate::text::{code, code_list};

/// Errors and warnings, and whether the check fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Verdict {
    pub mode: PrCriticMode,
    pub errors: usize,
    pub warnings: usize,
    /// No rule reported an error.
    pub passed: bool,
    /// Nothing was there to check the description against (no template found, no sections
    /// configured) and no rule failed: neither a pass nor a failure.
    pub neutral: bool,
    /// The run should fail: errors in `enforce` mode.
    pub fails_check: bool,
}

/// The step's outputs, as strings for `$GITHUB_OUTPUT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outputs {
    pub passed: bool,
    /// `passed`, `failed` or `neutral` (nothing to check the description against).
    pub result: &'static str,
    pub errors: usize,
    pub warnings: usize,
    /// JSON array of the findings.
    pub findings: String,
}

impl Outputs {
    /// `(name, value)` pairs in a stable order.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("passed", self.passed.to_string()),
            ("errors", self.errors.to_string()),
            ("warnings", self.warnings.to_string()),
            ("findings", self.findings.clone()),
            ("result", self.result.to_owned()),
        ]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnnotationLevel {
    Error,
    Warning,
    Notice,
}

/// An `::error` / `::warning` annotation to emit (escaped by the toolkit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Annotation {
    pub level: AnnotationLevel,
    pub title: String,
    pub message: String,
}

/// Everything decided for one PR. Serialized, it is the JSON document `--json` prints (the
/// verdict's fields, the template, the changed-file count, the notes and the findings); the
/// Markdown report is rendered from it by [`crate::report::markdown`], never stored in it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Plan {
    #[serde(flatten)]
    pub verdict: Verdict,
    /// Where the template came from, if one was used.
    #[serde(rename = "template")]
    pub template_path: Option<String>,
    pub changed_files: usize,
    /// The changed files were not given, so `changed_files` counts nothing.
    #[serde(skip)]
    pub changed_files_unknown: bool,
    /// Things the reader should know about the inputs (a cut description, no template).
    pub notes: Vec<String>,
    pub findings: Vec<Finding>,
    #[serde(skip)]
    pub outputs: Outputs,
    #[serde(skip)]
    pub annotations: Vec<Annotation>,
}

pub fn plan(facts: &Facts, policy: &Policy) -> Plan {
    let template = facts
        .template
        .as_ref()
        .map(|file| Template::parse(Some(&file.path), &file.text));
    let body = match &template {
        Some(template) => Body::parse_with(facts.body.as_deref(), &template.cues),
        None => Body::parse(facts.body.as_deref()),
    };
    let specs = sections::resolve(template.as_ref(), policy);
    let inputs = Inputs::new(facts, policy, &body, template.as_ref(), &specs);

    let mut findings = Vec::new();
    for spec in specs.iter().filter(|spec| spec.choice.is_none()) {
        findings.push(match spec.role {
            Role::Generic => rules::sections::check(&inputs, spec),
            Role::YesNo => rules::yes_no::check(&inputs, spec),
            Role::Contracts => rules::contracts::check(&inputs, spec),
            Role::Endpoints => rules::endpoints::check(&inputs, spec),
            Role::Screenshots => rules::screenshots::check(&inputs, spec),
            Role::AgentMetadata => rules::agent_metadata::check(&inputs, spec),
            Role::Checklist => rules::checklists::check(&inputs, spec),
        });
    }
    findings.extend(rules::choice::check(&inputs, &specs));
    // When no section was required and answered (all optional, for reviewers, or kept as they
    // are), the description must still hold something of the author's own.
    let answered = findings.iter().any(|finding| {
        finding.status == Status::Passed
            && finding.message != rules::sections::KEPT
            && matches!(
                finding.rule,
                RuleId::Section
                    | RuleId::YesNo
                    | RuleId::Contracts
                    | RuleId::Endpoints
                    | RuleId::Screenshots
                    | RuleId::AgentMetadata
                    | RuleId::Checklist
            )
    });
    if !answered
        && !findings
            .iter()
            .any(|finding| finding.status == Status::Error)
    {
        findings.extend(rules::description::check(&inputs));
    }
    findings.extend(sectionless_triggers(&inputs, &specs));
    findings.extend(rules::tests::check(&inputs, &specs));
    findings.extend(rules::approvals::check(&inputs));
    findings.extend(rules::issue_link::check(&inputs));
    findings.extend(rules::allowed_paths::check(&inputs));
    findings.extend(rules::coverage::check(&inputs));
    if facts.changed_files_unknown {
        findings = findings.into_iter().map(without_diff).collect();
    }

    let notes = notes(facts, policy, &body, template.as_ref(), specs.is_empty());
    let errors = findings
        .iter()
        .filter(|f| f.status == Status::Error)
        .count();
    let warnings = findings
        .iter()
        .filter(|f| f.status == Status::Warning)
        .count();
    let verdict = Verdict {
        mode: policy.mode,
        errors,
        warnings,
        passed: errors == 0,
        neutral: errors == 0 && specs.is_empty(),
        fails_check: errors > 0 && policy.mode == PrCriticMode::Enforce,
    };
    let neutral_notice = verdict.neutral.then(|| Annotation {
        level: AnnotationLevel::Notice,
        title: "pr-critic: nothing to check".to_owned(),
        message: "No PR template was found and no section is configured, so the description was not checked (the report lists where the template was looked for).".to_owned(),
    });
    let annotations = neutral_notice
        .into_iter()
        .chain(findings.iter().filter_map(|finding| {
            let level = match finding.status {
                Status::Error => AnnotationLevel::Error,
                Status::Warning => AnnotationLevel::Warning,
                Status::Passed | Status::NotApplicable | Status::NotChecked => return None,
            };
            Some(Annotation {
                level,
                title: format!("pr-critic: {}", finding.subject),
                message: match &finding.fix {
                    Some(fix) => format!("{} {}", finding.message, fix),
                    None => finding.message.clone(),
                },
            })
        }))
        .collect();
    Plan {
        outputs: Outputs {
            passed: verdict.passed,
            result: if verdict.neutral {
                "neutral"
            } else if verdict.passed {
                "passed"
            } else {
                "failed"
            },
            errors,
            warnings,
            findings: serde_json::to_string(&findings).unwrap_or_else(|_| "[]".to_owned()),
        },
        findings,
        notes,
        verdict,
        template_path: template.as_ref().and_then(|t| t.path.clone()),
        changed_files: facts.changed_files.len(),
        changed_files_unknown: facts.changed_files_unknown,
        annotations,
    }
}

/// What a finding says when the changed files were not given.
const NO_DIFF: &str = "the changed files were not given (pass `--changed-files`, e.g. from `git diff --name-only origin/main...`)";

/// Without the list of changed files a rule that reads the diff has nothing to read, and its
/// "no such file changed" would be a pass on no data: such findings say "not checked". What
/// the description itself gets wrong (a question left unanswered) stays an error.
fn without_diff(finding: Finding) -> Finding {
    let Finding {
        rule,
        status,
        subject,
        ..
    } = &finding;
    let message = match (rule, status) {
        (_, Status::Error) => return finding,
        (RuleId::Approval | RuleId::Tests, _) => format!("not checked: {NO_DIFF}."),
        // Not applicable here means the PR lacks the rule's label: that is known.
        (RuleId::AllowedPaths, Status::NotApplicable) => return finding,
        (RuleId::AllowedPaths, _) => format!("not checked: {NO_DIFF}."),
        (RuleId::Contracts, Status::Passed | Status::Warning) => {
            format!("answered; whether the answer agrees with the diff was not checked: {NO_DIFF}.")
        }
        (RuleId::Endpoints | RuleId::Screenshots, Status::NotApplicable) => format!(
            "not checked: whether this section is needed depends on the diff, and {NO_DIFF}."
        ),
        _ => return finding,
    };
    Finding::not_checked(*rule, subject.clone(), message)
}

/// Something in the PR calls for a section the template does not have: shown among the
/// not-applicable rules, so a maintainer can see why nothing was required.
fn sectionless_triggers(inputs: &Inputs<'_>, specs: &[sections::SectionSpec<'_>]) -> Vec<Finding> {
    let policy = inputs.policy;
    let candidates = [
        (
            policy.endpoints.enabled && !inputs.changes.routes.is_empty(),
            Role::Endpoints,
            RuleId::Endpoints,
            "Endpoints",
            &policy.endpoints.headings,
        ),
        (
            policy.screenshots.enabled && !inputs.changes.ui.is_empty(),
            Role::Screenshots,
            RuleId::Screenshots,
            "Screenshots",
            &policy.screenshots.headings,
        ),
        (
            policy.agent_metadata.enabled && inputs.ai.is_assisted(),
            Role::AgentMetadata,
            RuleId::AgentMetadata,
            "Agent metadata",
            &policy.agent_metadata.headings,
        ),
    ];
    candidates
        .into_iter()
        .filter(|(triggered, role, ..)| *triggered && !specs.iter().any(|spec| spec.role == *role))
        .map(|(_, _, rule, subject, headings)| {
            Finding::not_applicable(
                rule,
                subject,
                format!(
                    "the template has no such section (headings looked for: {}).",
                    code_list(headings, 4)
                ),
            )
        })
        .collect()
}

fn notes(
    facts: &Facts,
    policy: &Policy,
    body: &Body,
    template: Option<&Template>,
    no_sections: bool,
) -> Vec<String> {
    let mut notes = Vec::new();
    match body.extent {
        BodyExtent::Null => notes.push("The PR has no description.".to_owned()),
        BodyExtent::Truncated { chars, kept } => notes.push(format!(
            "The description has {} characters; only the first {} were checked.",
            thousands(chars),
            thousands(kept)
        )),
        BodyExtent::Complete { .. } => {}
    }
    if template.is_some_and(|t| t.truncated) {
        notes.push(format!(
            "The template is longer than {} characters; only its start was read.",
            thousands(MAX_TEMPLATE_CHARS)
        ));
    }
    if facts.template.is_none() && policy.use_template {
        notes.push(format!(
            "No PR template was found, so the description was not checked against one (looked for {}, and where GitHub looks: `pull_request_template` with any extension or none, and a `PULL_REQUEST_TEMPLATE/` folder, in the root, `docs/` and `.github/`, in any case).",
            code_list(&policy.template_paths, 6)
        ));
    }
    if facts.changed_files_unknown {
        notes.push(format!(
            "The checks that read the diff (approval labels, tests, allowed paths, whether answers agree with the changes) were not checked: {NO_DIFF}."
        ));
    }
    if let (Some(file), true) = (&facts.template, no_sections) {
        notes.push(format!(
            "The template {} has nothing to fill in (it is empty, or holds no section), so the description was not checked against it.",
            code(&file.path)
        ));
    }
    if no_sections {
        notes.push(format!(
            "No section is required: add a PR template or list sections under {} in {}.",
            code("pr-critic.sections"),
            code(".github/guardians.yml")
        ));
    }
    notes
}

/// `65,536`: core's one digit grouping.
fn thousands(n: usize) -> String {
    guardians_core::markdown::thousands(u64::try_from(n).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(65_536), "65,536");
        assert_eq!(thousands(1_048_576), "1,048,576");
        assert_eq!(thousands(999), "999");
    }
}
