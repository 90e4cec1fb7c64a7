//! Everything `plan` reads, gathered beforehand: from files by the CLI, from the GitHub API by
//! the action.

/// A file's text and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path as the user knows it (for the report).
    pub path: String,
    pub text: String,
}

/// The coverage report named in the configuration, as read (or not) from the workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageInput {
    pub path: String,
    /// The report's text, or why it could not be read.
    pub contents: Result<String, String>,
}

/// The inputs of one evaluation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// The PR description; `None` when the PR has none (`"body": null`).
    pub body: Option<String>,
    /// The PR template from the base branch, if the repository has one.
    pub template: Option<SourceFile>,
    /// Paths of the changed files (for a rename, the new path).
    pub changed_files: Vec<String>,
    /// Nobody said which files changed (the local check without `--changed-files`, a dry run
    /// without a token): the rules that read the diff say "not checked" instead of passing on
    /// an empty list.
    pub changed_files_unknown: bool,
    /// Labels on the PR.
    pub labels: Vec<String>,
    /// Full messages of the PR's commits, for AI-assistance trailers.
    pub commit_messages: Vec<String>,
    /// The coverage report, when one is configured.
    pub coverage: Option<CoverageInput>,
}

impl Facts {
    pub fn has_label(&self, label: &str) -> bool {
        self.labels
            .iter()
            .any(|present| present.eq_ignore_ascii_case(label))
    }
}
