//! What the plan is decided from. Gathered by `gather` (API), `git_mode` (a local checkout) or
//! straight from a payload (offline).

use guardians_core::change_size::{FileListing, Totals};
use guardians_core::github::labels::KnownLabels;
use guardians_core::github::models::IssueComment;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Facts {
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
