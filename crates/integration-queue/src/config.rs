//! The `integration-queue:` section of `.github/guardians.yml`, read by this guardian only.
//!
//! The `///` comments become the JSON Schema descriptions that editors show. Action inputs
//! (`queue-label`, `batch-size`, `lanes`, `branch-prefix`, `landing`, `retry-failed`,
//! `ci-workflows`) override these.

use guardians_core::config::ConfigSection;
use guardians_core::config::queue_defaults::{INTEGRATION_BRANCH_PREFIX, QUEUE_LABEL};
use serde::{Deserialize, Serialize};

/// A merge queue with no server: labelled PRs are merged in batches onto the base in an
/// integration branch, CI runs there, and the base is fast-forwarded to exactly the commit that
/// passed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct IntegrationQueueConfig {
    /// The label a maintainer adds to queue a PR.
    pub label: String,
    /// Priority labels, highest first: a PR carrying one goes ahead of every PR without.
    pub priority_labels: Vec<String>,
    /// PRs tested together at most (1 = a serial queue).
    pub batch_size: usize,
    /// Batches tested at once, each on top of the one below (speculative lanes, 1 to 8): lane 1
    /// is `integration/<base>` on the base, lane k is `integration/<base>.lane-k` on lane k-1's
    /// head. A lane lands once every lane below it landed; a failed lane discards those above
    /// it. 1 = one batch at a time.
    pub lanes: usize,
    /// Re-run failed jobs this many times before a batch counts as failed (flaky tests).
    pub retry_failed: u32,
    /// The base branches the queue serves.
    pub bases: Vec<String>,
    /// Prefix of the integration branch: `integration/` gives `integration/main`.
    pub branch_prefix: String,
    /// Prefix of the branches kept for a failed PR: `integration-failed/pr-12-abcdef0`.
    pub failed_prefix: String,
    /// Workflows (file names or ids) dispatched on the integration branch after each build,
    /// needed when the token is `GITHUB_TOKEN` (its pushes start no workflow). Leave empty when a
    /// GitHub App token's push to `integration/**` starts CI.
    pub ci_workflows: Vec<String>,
    /// Checks required on the integration head in addition to those the repository's rules and
    /// branch protection require.
    pub required_checks: Vec<String>,
    /// Minutes a required check may stay silent before the queue calls it stuck.
    pub stuck_after_minutes: u64,
    /// How the base moves: `fast-forward` (the tested commit itself) or `merge-api` (each PR
    /// merged with `PUT /pulls/{n}/merge`, pinned to its tested head, for branches whose
    /// protection requires pull requests).
    pub landing: Landing,
}

/// How the base branch is moved to a tested batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Landing {
    FastForward,
    MergeApi,
}

impl ConfigSection for IntegrationQueueConfig {
    const NAME: &'static str = "integration-queue";
}

impl Default for IntegrationQueueConfig {
    fn default() -> Self {
        Self {
            label: QUEUE_LABEL.into(),
            priority_labels: vec!["queue:high".into()],
            batch_size: 4,
            lanes: 1,
            retry_failed: 0,
            bases: vec!["main".into()],
            branch_prefix: INTEGRATION_BRANCH_PREFIX.into(),
            failed_prefix: "integration-failed/".into(),
            ci_workflows: Vec::new(),
            required_checks: Vec::new(),
            stuck_after_minutes: 60,
            landing: Landing::FastForward,
        }
    }
}
