//! `push` payloads.

use serde::{Deserialize, Serialize};

use super::common::{Commit, Repository, User};
use super::null_default::null_default;

/// The payload of `push`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushEvent {
    /// The full ref pushed, `refs/heads/main` or `refs/tags/v1.0.0`.
    #[serde(rename = "ref")]
    pub ref_: String,
    /// The SHA before the push; all zeros when the ref was created.
    #[serde(default, deserialize_with = "null_default")]
    pub before: String,
    /// The SHA after the push; all zeros when the ref was deleted.
    pub after: String,
    #[serde(default, deserialize_with = "null_default")]
    pub created: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub deleted: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub forced: bool,
    #[serde(default)]
    pub base_ref: Option<String>,
    #[serde(default)]
    pub compare: Option<String>,
    /// `null` when the push deleted the ref.
    #[serde(default)]
    pub head_commit: Option<Commit>,
    /// Up to 20 commits of the push, oldest first.
    #[serde(default, deserialize_with = "null_default")]
    pub commits: Vec<Commit>,
    pub repository: Repository,
    #[serde(default)]
    pub pusher: Option<Pusher>,
    #[serde(default)]
    pub sender: Option<User>,
}

/// Who pushed, as git identity (not a GitHub account object).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pusher {
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
}

impl PushEvent {
    /// The branch name when a branch was pushed (`refs/heads/` stripped).
    pub fn branch(&self) -> Option<&str> {
        self.ref_.strip_prefix("refs/heads/")
    }

    /// The tag name when a tag was pushed (`refs/tags/` stripped).
    pub fn tag(&self) -> Option<&str> {
        self.ref_.strip_prefix("refs/tags/")
    }
}
