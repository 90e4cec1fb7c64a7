//! `merge_group` payloads (the merge queue asks for checks).

use serde::{Deserialize, Serialize};

use super::common::{Commit, Repository, User};

/// The payload of `merge_group`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeGroupEvent {
    /// `checks_requested` or `destroyed`.
    pub action: String,
    pub merge_group: MergeGroup,
    pub repository: Repository,
    #[serde(default)]
    pub sender: Option<User>,
    /// `merged`, `invalidated` or `dequeued`, for `destroyed`.
    #[serde(default)]
    pub reason: Option<String>,
}

/// The temporary branch the merge queue tests.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeGroup {
    pub head_sha: String,
    /// `refs/heads/gh-readonly-queue/<base>/pr-<number>-<sha>`.
    pub head_ref: String,
    pub base_sha: String,
    /// `refs/heads/<base>`.
    pub base_ref: String,
    #[serde(default)]
    pub head_commit: Option<Commit>,
}

impl MergeGroup {
    /// The pull request number encoded in the queue branch name, when it has the usual form.
    pub fn pull_request_number(&self) -> Option<u64> {
        let branch = self.head_ref.rsplit('/').next()?;
        let rest = branch.strip_prefix("pr-")?;
        rest.split('-').next()?.parse().ok()
    }
}
