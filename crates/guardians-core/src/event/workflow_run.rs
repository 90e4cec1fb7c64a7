//! `workflow_run` payloads; [`WorkflowRun`] also appears in `deployment_status`.

use serde::{Deserialize, Serialize};

use super::common::{BranchRef, Repository, User};
use super::null_default::null_default;

/// The payload of `workflow_run`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkflowRunEvent {
    /// `requested`, `in_progress` or `completed`.
    pub action: String,
    pub workflow_run: WorkflowRun,
    #[serde(default)]
    pub workflow: Option<Workflow>,
    pub repository: Repository,
    #[serde(default)]
    pub sender: Option<User>,
}

/// One run of a workflow.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkflowRun {
    pub id: u64,
    #[serde(default)]
    pub name: Option<String>,
    /// The event that triggered the run (`pull_request`, `push`, ...).
    #[serde(default, deserialize_with = "null_default")]
    pub event: String,
    /// `queued`, `in_progress`, `completed`, ...
    #[serde(default)]
    pub status: Option<String>,
    /// `success`, `failure`, `cancelled`, ...; `null` until the run completes.
    #[serde(default)]
    pub conclusion: Option<String>,
    #[serde(default)]
    pub head_branch: Option<String>,
    pub head_sha: String,
    /// The repository the run's commit came from: a fork's, for runs of fork PRs. `None` when
    /// the payload omits it (then the run's origin is unknown and treated as a fork).
    #[serde(default)]
    pub head_repository: Option<Repository>,
    #[serde(default)]
    pub run_number: Option<u64>,
    #[serde(default)]
    pub run_attempt: Option<u32>,
    #[serde(default)]
    pub run_started_at: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub html_url: Option<String>,
    /// Pull requests whose head is this run's head; empty for runs from forks.
    #[serde(default, deserialize_with = "null_default")]
    pub pull_requests: Vec<WorkflowRunPullRequest>,
    /// The workflow file, e.g. `.github/workflows/ci.yml`.
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub workflow_id: Option<u64>,
}

/// A pull request as `workflow_run.pull_requests[]` lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkflowRunPullRequest {
    pub number: u64,
    pub head: BranchRef,
    pub base: BranchRef,
}

/// The workflow a run belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workflow {
    #[serde(default)]
    pub id: Option<u64>,
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
}
