//! Objects that appear in several payloads: repositories, users, labels, refs and commits.

use serde::{Deserialize, Serialize};

use super::null_default::null_default;

/// A repository as webhook payloads describe it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repository {
    /// `owner/name`: the one field every guardian needs, so it is required.
    pub full_name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub owner: User,
    #[serde(default, deserialize_with = "null_default")]
    pub private: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub fork: bool,
    #[serde(default)]
    pub default_branch: Option<String>,
}

/// A user, bot or organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Push payloads describe the owner with `name` and `email` beside `login`; a missing login
    /// (never seen from GitHub, but possible in hand-written payloads) reads as empty.
    #[serde(default, deserialize_with = "null_default")]
    pub login: String,
    #[serde(default)]
    pub id: Option<u64>,
    /// `User`, `Bot` or `Organization`.
    #[serde(default)]
    pub r#type: Option<String>,
}

impl User {
    /// Whether GitHub marks this account as a bot (`dependabot[bot]`, `github-actions[bot]`).
    pub fn is_bot(&self) -> bool {
        self.r#type.as_deref() == Some("Bot")
    }
}

/// A label on an issue or pull request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub name: String,
    #[serde(default)]
    pub color: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// The head or base of a pull request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GitRef {
    /// The branch name, without `refs/heads/`.
    #[serde(rename = "ref")]
    pub ref_: String,
    pub sha: String,
    /// `null` when the fork the pull request came from was deleted.
    #[serde(default)]
    pub repo: Option<Repository>,
}

/// A branch and commit, as `workflow_run.pull_requests[]` lists them (their `repo` carries no
/// `full_name`, so it is left out).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchRef {
    #[serde(rename = "ref")]
    pub ref_: String,
    pub sha: String,
}

/// A commit as push and merge-group payloads describe it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commit {
    /// The commit SHA.
    pub id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub message: String,
    /// ISO 8601 with offset, e.g. `2019-05-15T15:20:30-05:00`.
    #[serde(default)]
    pub timestamp: Option<String>,
    #[serde(default)]
    pub author: Option<CommitAuthor>,
}

/// The git author of a commit (not necessarily a GitHub account).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitAuthor {
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    /// The GitHub login, when GitHub could match the email to an account.
    #[serde(default)]
    pub username: Option<String>,
}
