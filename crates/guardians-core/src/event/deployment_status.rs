//! `deployment_status` payloads.

use serde::{Deserialize, Serialize};

use super::common::{Repository, User};
use super::null_default::null_default;
use super::workflow_run::WorkflowRun;

/// The payload of `deployment_status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeploymentStatusEvent {
    /// `created`.
    #[serde(default, deserialize_with = "null_default")]
    pub action: String,
    pub deployment_status: DeploymentStatus,
    pub deployment: Deployment,
    /// The run that created the deployment, when a workflow did.
    #[serde(default)]
    pub workflow_run: Option<WorkflowRun>,
    pub repository: Repository,
    #[serde(default)]
    pub sender: Option<User>,
}

/// The new status of a deployment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeploymentStatus {
    #[serde(default)]
    pub id: Option<u64>,
    /// `pending`, `queued`, `in_progress`, `success`, `failure`, `error`, `inactive`.
    pub state: String,
    #[serde(default)]
    pub environment: Option<String>,
    /// The deployed site, e.g. a preview URL.
    #[serde(default)]
    pub environment_url: Option<String>,
    #[serde(default)]
    pub log_url: Option<String>,
    #[serde(default)]
    pub target_url: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
}

/// The deployment a status belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deployment {
    pub id: u64,
    pub sha: String,
    #[serde(rename = "ref", default, deserialize_with = "null_default")]
    pub ref_: String,
    #[serde(default, deserialize_with = "null_default")]
    pub environment: String,
    #[serde(default)]
    pub production_environment: Option<bool>,
    #[serde(default)]
    pub transient_environment: Option<bool>,
    #[serde(default)]
    pub created_at: Option<String>,
}
