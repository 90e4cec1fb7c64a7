//! `issue_comment` payloads (comments on issues and on pull requests alike).

use serde::{Deserialize, Serialize};

use super::common::{Label, Repository, User};
use super::null_default::null_default;

/// The payload of `issue_comment`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueCommentEvent {
    /// `created`, `edited` or `deleted`.
    pub action: String,
    pub issue: Issue,
    pub comment: Comment,
    pub repository: Repository,
    #[serde(default)]
    pub sender: Option<User>,
}

impl IssueCommentEvent {
    /// Whether the comment was made on a pull request rather than an issue.
    pub fn is_on_pull_request(&self) -> bool {
        self.issue.pull_request.is_some()
    }
}

/// The issue or pull request commented on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    pub number: u64,
    #[serde(default, deserialize_with = "null_default")]
    pub title: String,
    #[serde(default, deserialize_with = "null_default")]
    pub state: String,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub user: User,
    #[serde(default, deserialize_with = "null_default")]
    pub labels: Vec<Label>,
    /// Present only when the "issue" is a pull request.
    #[serde(default)]
    pub pull_request: Option<IssuePullRequestLink>,
}

/// The links GitHub adds to an issue that is a pull request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuePullRequestLink {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub html_url: Option<String>,
    #[serde(default)]
    pub merged_at: Option<String>,
}

/// A comment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub id: u64,
    #[serde(default, deserialize_with = "null_default")]
    pub body: String,
    #[serde(default, deserialize_with = "null_default")]
    pub user: User,
    #[serde(default)]
    pub html_url: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub author_association: Option<String>,
}
