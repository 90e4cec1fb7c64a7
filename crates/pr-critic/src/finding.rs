//! What a rule found: one line of the report's checklist.

use serde::Serialize;

/// Which rule a finding comes from. Stable names: they appear in the JSON output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleId {
    /// A section is filled in.
    Section,
    /// A Yes/No section has exactly one answer.
    YesNo,
    /// The contracts answer agrees with the diff.
    Contracts,
    /// The endpoints section, when route or handler code changed.
    Endpoints,
    /// The screenshots section, when UI code changed.
    Screenshots,
    /// Tests changed along with source code, or the tests section says why not.
    Tests,
    /// The agent-metadata section, when the PR is AI-assisted.
    AgentMetadata,
    /// An approval label for sensitive paths.
    Approval,
    /// Every item of a checklist section is ticked.
    Checklist,
    /// The description links an issue.
    IssueLink,
    /// The PR touches only allowed paths.
    AllowedPaths,
    /// Line coverage meets the threshold.
    Coverage,
}

/// How a rule came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Passed,
    /// Nothing to check here for this PR (e.g. no UI change, so no screenshots needed).
    NotApplicable,
    /// The rule needs data the run was not given (the changed files, in the local check without
    /// `--changed-files`): neither passed nor failed, and said so.
    NotChecked,
    Warning,
    Error,
}

/// One checked rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: RuleId,
    pub status: Status,
    /// What was checked: a section's heading, a label. Plain text; escape it to render it.
    pub subject: String,
    /// What was found, as Markdown built only from trusted text (never the description).
    pub message: String,
    /// How to fix it, as Markdown; present on every warning and error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// The changed files that triggered the rule, as they are named in the PR.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
}

impl Finding {
    pub fn passed(rule: RuleId, subject: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            rule,
            status: Status::Passed,
            subject: subject.into(),
            message: message.into(),
            fix: None,
            files: Vec::new(),
        }
    }

    pub fn not_applicable(
        rule: RuleId,
        subject: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            status: Status::NotApplicable,
            ..Self::passed(rule, subject, message)
        }
    }

    pub fn not_checked(
        rule: RuleId,
        subject: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            status: Status::NotChecked,
            ..Self::passed(rule, subject, message)
        }
    }

    pub fn error(
        rule: RuleId,
        subject: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self {
            status: Status::Error,
            fix: Some(fix.into()),
            ..Self::passed(rule, subject, message)
        }
    }

    pub fn warning(
        rule: RuleId,
        subject: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self {
            status: Status::Warning,
            fix: Some(fix.into()),
            ..Self::passed(rule, subject, message)
        }
    }

    pub fn with_files(mut self, files: Vec<String>) -> Self {
        self.files = files;
        self
    }
}
