//! `pull_request` and `pull_request_target` payloads.

use serde::{Deserialize, Serialize};

use super::common::{GitRef, Label, Repository, User};
use super::null_default::null_default;

/// The payload of `pull_request` and `pull_request_target`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullRequestEvent {
    /// `opened`, `synchronize`, `labeled`, `closed`, ...
    pub action: String,
    /// Falls back to `pull_request.number` when absent (see [`super::Event::parse`]).
    #[serde(default)]
    pub number: u64,
    pub pull_request: PullRequest,
    pub repository: Repository,
    #[serde(default)]
    pub sender: Option<User>,
    /// The label added or removed, for `labeled` and `unlabeled`.
    #[serde(default)]
    pub label: Option<Label>,
}

/// A pull request as webhook payloads describe it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullRequest {
    pub number: u64,
    /// `open` or `closed`.
    #[serde(default, deserialize_with = "null_default")]
    pub state: String,
    #[serde(default, deserialize_with = "null_default")]
    pub title: String,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub draft: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub merged: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub user: User,
    pub head: GitRef,
    pub base: GitRef,
    #[serde(default, deserialize_with = "null_default")]
    pub labels: Vec<Label>,
    #[serde(default)]
    pub additions: Option<u64>,
    #[serde(default)]
    pub deletions: Option<u64>,
    #[serde(default)]
    pub changed_files: Option<u64>,
    #[serde(default)]
    pub commits: Option<u64>,
    /// Conversation (issue) comments: lets a sticky comment's pages be fetched concurrently.
    #[serde(default)]
    pub comments: Option<u64>,
    #[serde(default)]
    pub html_url: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub merged_at: Option<String>,
    #[serde(default)]
    pub closed_at: Option<String>,
    #[serde(default)]
    pub merge_commit_sha: Option<String>,
    /// `OWNER`, `MEMBER`, `COLLABORATOR`, `CONTRIBUTOR`, `FIRST_TIME_CONTRIBUTOR`, `NONE`, ...
    #[serde(default)]
    pub author_association: Option<String>,
}

impl PullRequest {
    /// Whether the head branch lives in another repository than the base.
    ///
    /// A head repository of `null` (the fork was deleted) counts as a fork: treating an
    /// unknown origin as untrusted is the safe side.
    pub fn is_from_fork(&self) -> bool {
        match (&self.head.repo, &self.base.repo) {
            (None, _) => true,
            (Some(head), Some(base)) => !head.full_name.eq_ignore_ascii_case(&base.full_name),
            (Some(head), None) => head.fork,
        }
    }

    /// Whether the pull request carries a label of this name (GitHub compares names without case).
    pub fn has_label(&self, name: &str) -> bool {
        self.labels
            .iter()
            .any(|label| label.name.eq_ignore_ascii_case(name))
    }
}
