//! The few fields of GitHub webhook payloads this guardian reads.
//!
//! Temporary: `guardians_core::event` will own the shared payload structs; until it lands these
//! small tolerant structs (unknown fields ignored, missing ones defaulted) parse the raw event.

use jiff::Timestamp;
use serde::Deserialize;

use crate::error::EmitError;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct User {
    pub login: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Repository {
    pub full_name: String,
    pub private: bool,
    pub default_branch: String,
    /// Old payloads (and the examples GitHub documents for `push`) carry this instead.
    pub master_branch: String,
}

impl Repository {
    pub fn default_branch(&self) -> &str {
        if self.default_branch.is_empty() {
            &self.master_branch
        } else {
            &self.default_branch
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct GitRef {
    #[serde(rename = "ref")]
    pub ref_name: String,
    pub sha: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PullRequest {
    pub number: u64,
    pub created_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    pub head: GitRef,
    pub base: GitRef,
    pub user: User,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Label {
    pub name: String,
}

/// A pull request as listed inside a `workflow_run` (no timestamps, no user).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RunPullRequest {
    pub number: u64,
    pub head: GitRef,
    pub base: GitRef,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct WorkflowRun {
    pub id: u64,
    pub name: String,
    pub event: String,
    pub status: String,
    pub conclusion: Option<String>,
    pub head_branch: Option<String>,
    pub head_sha: String,
    pub run_attempt: u32,
    pub run_started_at: Option<Timestamp>,
    pub created_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    pub pull_requests: Vec<RunPullRequest>,
    pub actor: Option<User>,
    pub triggering_actor: Option<User>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Workflow {
    pub name: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct HeadCommit {
    pub id: String,
    pub timestamp: Option<Timestamp>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MergeGroup {
    pub head_sha: String,
    pub head_ref: String,
    pub base_ref: String,
    pub head_commit: Option<HeadCommit>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Deployment {
    pub id: u64,
    pub sha: String,
    #[serde(rename = "ref")]
    pub ref_name: String,
    pub environment: String,
    pub production_environment: Option<bool>,
    pub created_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DeploymentStatus {
    pub id: u64,
    pub state: String,
    pub environment: String,
    pub created_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    pub creator: Option<User>,
}

/// Every field any supported event may carry; which ones are present depends on the event.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct EventPayload {
    pub action: Option<String>,
    pub sender: Option<User>,
    pub repository: Repository,
    pub pull_request: Option<PullRequest>,
    pub label: Option<Label>,
    pub workflow_run: Option<WorkflowRun>,
    pub workflow: Option<Workflow>,
    pub merge_group: Option<MergeGroup>,
    pub deployment: Option<Deployment>,
    pub deployment_status: Option<DeploymentStatus>,
    // push
    #[serde(rename = "ref")]
    pub ref_name: Option<String>,
    pub after: Option<String>,
    pub deleted: bool,
    pub head_commit: Option<HeadCommit>,
    pub pusher: Option<Pusher>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Pusher {
    pub name: String,
}

impl EventPayload {
    /// Parses an event payload; the error names the JSON path that did not fit.
    pub fn parse(json: &str) -> Result<Self, EmitError> {
        let de = &mut serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize(de).map_err(|e| EmitError::Payload {
            path: e.path().to_string(),
            message: e.inner().to_string(),
        })
    }

    pub fn sender_login(&self) -> Option<&str> {
        self.sender
            .as_ref()
            .map(|u| u.login.as_str())
            .filter(|l| !l.is_empty())
    }
}
