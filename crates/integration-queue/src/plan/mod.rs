//! The queue's decision: pure, from a [`QueueState`] to the writes that move GitHub one step
//! towards "every good PR landed, main only fast-forwarded to tested commits". Idempotent: on
//! the state its own writes produce, it plans no writes.

mod base;
mod build;
mod ci;
mod entry;
mod lanes;
mod order;
mod render;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::state::{QueueState, Sha};

pub use ci::{CiVerdict, verdict};
pub use entry::{Entry, entry};
pub use lanes::{Slot, slots as lane_slots, tested_stack};
pub use order::in_queue_order;

/// One intended write, in the order `apply` must perform them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "write", rename_all = "kebab-case")]
pub enum Write {
    /// `POST /git/refs`; 422 when it exists is the lock that stops a second build.
    CreateRef {
        branch: String,
        sha: Sha,
    },
    /// `PATCH /git/refs/heads/{branch}`. The base is only ever moved with `force: false`.
    UpdateRef {
        branch: String,
        sha: Sha,
        force: bool,
    },
    DeleteRef {
        branch: String,
    },
    /// `POST /merges` of a PR's pinned head into the integration branch, with a merge commit
    /// whose message carries the manifest. On 409 (conflict with the batch) `apply` removes
    /// the PR's label, posts `conflict_comment` and stops: the next plan rebuilds without it.
    Merge {
        into: String,
        pr: u64,
        head: Sha,
        message: String,
        conflict_comment: String,
    },
    /// `POST /actions/workflows/{workflow}/dispatches` on the integration branch.
    Dispatch {
        workflow: String,
        branch: String,
    },
    /// Re-run the failed jobs of the workflow runs on this commit (`retry-failed`).
    RerunFailed {
        sha: Sha,
    },
    RemoveLabel {
        pr: u64,
        label: String,
    },
    /// The PR's one queue comment, created or updated in place.
    Comment {
        pr: u64,
        body: String,
    },
    /// The `integration-queue` check run on the PR's head.
    SetStatus {
        pr: u64,
        sha: Sha,
        status: QueueStatus,
    },
}

/// What the `integration-queue` check run on a PR head says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum QueueStatus {
    Waiting { checks: Vec<String> },
    Stuck { check: String, branch: String },
    Queued { position: usize },
    Testing { batch: String, round: u32 },
    Merged { sha: Sha },
    Failed { reason: String },
}

/// Delivery events for telemetry-emitter (the seed's names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event")]
pub enum Event {
    #[serde(rename = "dev_integration_queue_entered")]
    Entered { pr: u64 },
    #[serde(rename = "dev_integration_ci_passed")]
    CiPassed {
        base: String,
        sha: Sha,
        prs: Vec<u64>,
    },
    #[serde(rename = "dev_integration_ci_failed")]
    CiFailed {
        base: String,
        sha: Sha,
        prs: Vec<u64>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Landed {
    pub pr: u64,
    pub base: String,
    pub sha: Sha,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stuck {
    pub check: String,
    pub branch: String,
    pub prs: Vec<u64>,
    /// On the integration branch (the whole queue waits) rather than on one PR's head.
    pub integration: bool,
    pub message: String,
}

/// The plan: writes in order, what they mean, and the verdict.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePlan {
    pub writes: Vec<Write>,
    pub landed: Vec<Landed>,
    /// PRs that left the queue for a reason (failed CI, conflicts, ineligible).
    pub ejected: Vec<u64>,
    /// Per base, the PRs of the batch under test after this plan.
    pub testing: BTreeMap<String, Vec<u64>>,
    /// Per base, PRs waiting their turn, in order.
    pub queue: BTreeMap<String, Vec<u64>>,
    /// Required checks that never reported: which check, on which branch it must run.
    pub stuck: Vec<Stuck>,
    /// What stops the queue from working at all (fails the run).
    pub problems: Vec<String>,
    pub events: Vec<Event>,
}

impl QueuePlan {
    /// The queue's own check fails when it is stuck or cannot work: someone must look.
    pub fn failed(&self) -> bool {
        !self.problems.is_empty() || self.stuck.iter().any(|s| s.integration)
    }
}

/// What the shared runner needs from a plan: the verdict, the Markdown, the outputs.
impl guardians_core::runner::Plan for QueuePlan {
    fn failed(&self) -> bool {
        QueuePlan::failed(self)
    }

    fn markdown(&self) -> String {
        QueuePlan::markdown(self)
    }

    fn outputs(&self) -> Vec<(&'static str, String)> {
        QueuePlan::outputs(self)
    }
}

/// The whole decision.
pub fn plan(state: &QueueState) -> QueuePlan {
    let mut out = QueuePlan::default();
    base::finish_closed(state, &mut out);
    base::reject_unserved(state, &mut out);
    for base in &state.config.bases {
        base::plan_base(state, base, &mut out);
    }
    out
}

#[cfg(test)]
mod tests;
