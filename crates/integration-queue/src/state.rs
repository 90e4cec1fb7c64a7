//! The queue's world as one run reads it from GitHub. `gather` fills it; `plan` decides on it
//! alone, so every rule can be tested (and simulated) without a network.

use std::collections::{BTreeMap, BTreeSet};

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// A commit SHA, 40 lowercase hex digits.
pub type Sha = String;

/// The queue's settings (the `integration-queue` section of `.github/guardians.yml`, inputs
/// override).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueConfig {
    /// The label that asks for a PR to be queued.
    pub label: String,
    /// Priority labels, highest first; a PR with one goes ahead of every PR without.
    pub priority_labels: Vec<String>,
    /// How many PRs one batch holds at most (1 = a serial queue).
    pub batch_size: usize,
    /// How many batches are tested at once, each on top of the one below (speculative lanes):
    /// lane 1 is `integration/<base>` on the base, lane k+1 is built on lane k's head. 1 = one
    /// batch at a time.
    #[serde(default = "one_lane")]
    pub lanes: usize,
    /// How many times failed jobs are re-run on the same commit before the batch counts as
    /// failed (flaky tests).
    pub retry_failed: u32,
    /// The base branches the queue serves.
    pub bases: Vec<String>,
    /// `integration/` gives `integration/main`.
    pub integration_prefix: String,
    /// `integration-failed/` gives `integration-failed/pr-12-abcdef0`.
    pub failed_prefix: String,
    /// Workflows dispatched on the integration branch after each build (`workflow_dispatch`
    /// starts even with `GITHUB_TOKEN`). Empty when a GitHub App token's push starts CI.
    pub dispatch_workflows: Vec<String>,
    /// How long a required check may stay silent before the queue calls it stuck.
    pub stuck_after: SignedDuration,
}

impl Default for QueueConfig {
    fn default() -> Self {
        QueueConfig {
            label: "ready-to-queue".into(),
            priority_labels: vec!["queue:high".into()],
            batch_size: 4,
            lanes: 1,
            retry_failed: 0,
            bases: vec!["main".into()],
            integration_prefix: "integration/".into(),
            failed_prefix: "integration-failed/".into(),
            dispatch_workflows: vec!["ci.yml".into()],
            stuck_after: SignedDuration::from_mins(60),
        }
    }
}

fn one_lane() -> usize {
    1
}

impl QueueConfig {
    pub fn integration_branch(&self, base: &str) -> String {
        format!("{}{base}", self.integration_prefix)
    }

    /// The branch of lane `lane` (1-based): `integration/main` for lane 1,
    /// `integration/main.lane-2` above it; all under the prefix, so `integration/**` matches.
    pub fn lane_branch(&self, base: &str, lane: usize) -> String {
        if lane <= 1 {
            self.integration_branch(base)
        } else {
            format!("{}{base}.lane-{lane}", self.integration_prefix)
        }
    }

    /// Which lane of `base` this branch is, if it is one.
    pub fn lane_number(&self, base: &str, branch: &str) -> Option<usize> {
        if branch == self.integration_branch(base) {
            return Some(1);
        }
        let n: usize = branch
            .strip_prefix(&self.integration_prefix)?
            .strip_prefix(base)?
            .strip_prefix(".lane-")?
            .parse()
            .ok()?;
        (n >= 2 && branch == self.lane_branch(base, n)).then_some(n)
    }

    pub fn failed_branch(&self, pr: u64, sha: &str) -> String {
        let short = sha.get(..7).unwrap_or(sha);
        format!("{}pr-{pr}-{short}", self.failed_prefix)
    }
}

/// Whether GitHub can merge the PR into its base without conflicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mergeable {
    Clean,
    Conflicting,
    /// GitHub has not computed it yet; the PR waits.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullRequest {
    pub number: u64,
    /// Untrusted: only ever embedded escaped.
    pub title: String,
    pub head_sha: Sha,
    pub base: String,
    pub open: bool,
    pub merged: bool,
    pub draft: bool,
    pub mergeable: Mergeable,
    pub labels: Vec<String>,
    /// When the queue label was last added (the latest `labeled` event for it).
    pub labeled_at: Option<Timestamp>,
    /// When the head last changed (`synchronize`): a push sends the PR to the back.
    pub head_pushed_at: Option<Timestamp>,
}

impl PullRequest {
    pub fn has_label(&self, label: &str) -> bool {
        self.labels.iter().any(|l| l == label)
    }

    /// The time the PR took its place in the queue: labelled, or pushed to since.
    pub fn enqueued_at(&self) -> Option<Timestamp> {
        match (self.labeled_at, self.head_pushed_at) {
            (Some(l), Some(p)) => Some(l.max(p)),
            (l, _) => l,
        }
    }
}

/// A check's latest result, folded from check runs and commit statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckOutcome {
    /// Queued or in progress.
    Pending,
    /// success, neutral or skipped.
    Passed,
    /// failure, timed_out, action_required, startup_failure, error.
    Failed,
    /// Cancelled is not a failure: the commit was not judged.
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckResult {
    pub name: String,
    pub outcome: CheckOutcome,
    /// Where a person reads the result (the check run's or status's `html_url`/`target_url`).
    pub url: String,
    /// The workflow run's attempt (1 first, 2 after one re-run).
    pub attempt: u32,
}

/// The integration branch of one base, as read: its head commit and what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationBranch {
    pub head_sha: Sha,
    /// The head commit's full message (where the manifest lives).
    pub head_message: String,
    /// Whether the head commit was made by the queue's own identity. A manifest in anyone
    /// else's commit is never trusted, whatever it says.
    pub head_by_queue: bool,
    /// The head commit's committer date (how long CI has had to report).
    pub head_committed_at: Timestamp,
    /// The second parents of the first-parent chain from the head back to the manifest's
    /// base, oldest first: which PR heads the branch really merged. `None` when the chain
    /// does not reach that base (the branch was rewritten by hand).
    pub merged_heads: Option<Vec<Sha>>,
    /// Whether any workflow run exists for the head commit (CI was started).
    pub ci_started: bool,
}

/// The queue's own check run on a PR head, as last written (for "write only what changed").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusSeen {
    pub sha: Sha,
    pub status: crate::plan::QueueStatus,
}

/// Everything `plan` reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueState {
    /// Injected, so that plans are reproducible.
    pub now: Timestamp,
    pub config: QueueConfig,
    /// Open PRs carrying the label, and closed ones still carrying it (to finish them).
    pub prs: Vec<PullRequest>,
    /// Each served base's head SHA.
    pub bases: BTreeMap<String, Sha>,
    /// Required checks per base (rulesets, classic protection, config), by name.
    pub required_checks: BTreeMap<String, Vec<String>>,
    /// Latest result per check name, per SHA that matters (PR heads, integration heads).
    pub checks: BTreeMap<Sha, Vec<CheckResult>>,
    /// `integration/<base>` (lane 1) per base, where it exists.
    pub integration: BTreeMap<String, IntegrationBranch>,
    /// The lanes above lane 1 (`integration/<base>.lane-<k>`) by branch name, where they exist.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub lanes: BTreeMap<String, IntegrationBranch>,
    /// Kept `integration-failed/…` branch names.
    pub failed_branches: BTreeSet<String>,
    /// The queue's check run per PR number.
    pub statuses: BTreeMap<u64, StatusSeen>,
}

impl QueueState {
    pub fn pr(&self, number: u64) -> Option<&PullRequest> {
        self.prs.iter().find(|p| p.number == number)
    }

    pub fn check(&self, sha: &str, name: &str) -> Option<&CheckResult> {
        self.checks.get(sha)?.iter().find(|c| c.name == name)
    }
}
