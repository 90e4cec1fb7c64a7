//! REST response shapes the helpers read: only the fields used, unknown ones ignored.

use serde::Deserialize;

use crate::event::{Label, User};

/// One entry of `GET /repos/{o}/{r}/pulls/{n}/files`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PullFile {
    pub filename: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub additions: u64,
    #[serde(default)]
    pub deletions: u64,
    #[serde(default)]
    pub changes: u64,
    #[serde(default)]
    pub previous_filename: Option<String>,
}

/// One issue or PR conversation comment.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct IssueComment {
    pub id: u64,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub user: Option<User>,
    #[serde(default)]
    pub html_url: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
}

impl IssueComment {
    pub fn author(&self) -> Option<&str> {
        self.user.as_ref().map(|u| u.login.as_str())
    }

    pub fn body_text(&self) -> &str {
        self.body.as_deref().unwrap_or("")
    }
}

/// `GET /repos/{o}/{r}/contents/{path}` for a file.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ContentFile {
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub encoding: Option<String>,
    #[serde(default)]
    pub content: Option<String>,
    #[serde(default)]
    pub size: u64,
}

pub type IssueLabel = Label;
