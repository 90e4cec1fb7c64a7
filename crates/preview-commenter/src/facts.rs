//! What a run knows about its pull request before it decides anything.
//!
//! The GitHub-facing half fills this from the event payload and, where the event does not say
//! (`workflow_run`, `deployment_status`), from the API. `plan` reads nothing else.

use jiff::Timestamp;
use serde::Serialize;

/// Everything `plan` needs to know about the run and its pull request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunFacts {
    /// Repository owner (user or organisation).
    pub owner: String,
    /// Repository name.
    pub repo: String,
    /// The pull request whose previews this run describes.
    pub pull_request: PullRequestFacts,
    /// The commit this run describes: the event's head SHA (`pull_request.head.sha`,
    /// `workflow_run.head_sha`, `deployment.sha`).
    pub sha: String,
    /// Which run this is, as recorded in the comment's hidden metadata.
    pub run: RunIdentity,
    /// When the run decided; recorded in the metadata and shown in the comment.
    pub now: Timestamp,
    /// This guardian's existing sticky comment on the PR, if any.
    pub existing_comment: Option<ExistingComment>,
}

/// The pull request as the run last saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PullRequestFacts {
    pub number: u64,
    /// The head branch's name (`head.ref`); untrusted text from the PR's author.
    pub head_ref: String,
    /// The PR's head SHA as the run knows it.
    pub head_sha: String,
    /// Whether `head_sha` was read from the API during this run (current), rather than taken
    /// from the event payload (possibly outdated when the run was queued).
    pub head_sha_is_current: bool,
    pub state: PullRequestState,
}

/// Open, or closed with or without merging.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PullRequestState {
    Open,
    Closed { merged: bool },
}

/// A workflow run and its attempt: run ids grow with creation time across a repository's
/// workflows, and a re-run keeps its id with a higher attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunIdentity {
    pub id: u64,
    pub attempt: u32,
    /// The run's page, used as the deployments' `log_url` and linked from the comment.
    pub url: String,
}

/// The sticky comment found on the PR (by the core helper's marker and the token's identity).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExistingComment {
    pub id: u64,
    pub body: String,
}

impl RunFacts {
    /// The first seven characters of the described commit.
    pub fn short_sha(&self) -> &str {
        short_sha(&self.sha)
    }
}

/// The first seven characters of a SHA (all of it if shorter).
pub(crate) fn short_sha(sha: &str) -> &str {
    sha.get(..7).unwrap_or(sha)
}
