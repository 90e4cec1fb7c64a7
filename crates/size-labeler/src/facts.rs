//! What the plan is decided from. Gathered by `gather` (API), `git_mode` (a local checkout) or
//! straight from a payload (offline).

use guardians_core::github::labels::KnownLabels;
use guardians_core::github::models::{IssueComment, PullFile};

/// The PR's own totals, as GitHub counts them (every file).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Totals {
    pub additions: u64,
    pub deletions: u64,
    pub changed_files: u64,
}

/// The changed files, when they were listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileListing {
    /// Every changed file.
    Complete(Vec<PullFile>),
    /// GitHub's 3,000-file cap cut the list: these are the first files only.
    Truncated(Vec<PullFile>),
    /// Not listed: nothing can be ignored, so the totals are exact.
    NotNeeded,
    /// Not listed: no API access (offline dry run).
    Unavailable,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub number: u64,
    pub head_sha: String,
    pub totals: Totals,
    pub files: FileListing,
    /// The PR's labels as GitHub has them now (never the payload's, which may be stale).
    pub current_labels: Vec<String>,
    /// Our sticky comments, looked up only when a size comment is configured.
    pub sticky_comments: Option<Vec<IssueComment>>,
    /// The repository's labels, so that an existing size label is added without first trying
    /// to create it (one round trip fewer). `None` offline.
    pub known_labels: Option<KnownLabels>,
}
