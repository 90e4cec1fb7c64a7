//! What a size is measured from: the PR's own totals and its changed files, when listed.

use crate::github::models::PullFile;

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
