//! The queue's settings: the `integration-queue` section of `.github/guardians.yml` on the
//! default branch, overridden by the action's inputs.

use crate::config::{IntegrationQueueConfig, Landing};
use guardians_core::runner::RunError;
use guardians_core::toolkit::{Toolkit, escape_data};
use jiff::SignedDuration;

use crate::state::QueueConfig;

/// Speculative lanes at most: each is a CI run at the same time.
pub(super) const MAX_LANES: usize = 8;

/// Everything the run needs to know about how it is set up.
#[derive(Debug, Clone)]
pub struct Settings {
    pub queue: QueueConfig,
    /// Checks the config adds to those the rules and protection require.
    pub extra_required: Vec<String>,
    pub landing: Landing,
    /// A Slack incoming webhook (a secret): one message per outcome.
    pub slack_webhook: Option<String>,
}

/// Reads the section, then the inputs over it. A bad value names the input and what it takes.
pub fn settings(section: &IntegrationQueueConfig, toolkit: &Toolkit) -> Result<Settings, RunError> {
    let input = |name: &str| toolkit.input(name).filter(|v| !v.trim().is_empty());
    let bad = |name: &str, value: &str, wanted: &str| {
        RunError::Other(format!(
            "input `{name}`: `{}` is not {wanted}",
            escape_data(value)
        ))
    };
    let mut cfg = section.clone();
    if let Some(label) = input("queue-label") {
        cfg.label = label.trim().to_string();
    }
    if let Some(v) = input("batch-size") {
        cfg.batch_size = v
            .trim()
            .parse()
            .ok()
            .filter(|n| (1..=100).contains(n))
            .ok_or_else(|| {
                bad(
                    "batch-size",
                    &v,
                    "a number from 1 to 100 (1 = a serial queue)",
                )
            })?;
    }
    if let Some(v) = input("lanes") {
        cfg.lanes = v
            .trim()
            .parse()
            .ok()
            .filter(|n| (1..=MAX_LANES).contains(n))
            .ok_or_else(|| {
                bad(
                    "lanes",
                    &v,
                    "a number from 1 to 8 (batches tested at once, each on the one below; 1 = one at a time)",
                )
            })?;
    }
    if let Some(v) = input("branch-prefix") {
        cfg.branch_prefix = v.trim().to_string();
    }
    if let Some(v) = input("retry-failed") {
        cfg.retry_failed = v
            .trim()
            .parse()
            .ok()
            .filter(|n| *n <= 5)
            .ok_or_else(|| bad("retry-failed", &v, "a number from 0 to 5"))?;
    }
    if let Some(v) = input("landing") {
        cfg.landing = match v.trim() {
            "fast-forward" => Landing::FastForward,
            "merge-api" => Landing::MergeApi,
            _ => return Err(bad("landing", &v, "`fast-forward` or `merge-api`")),
        };
    }
    if let Some(v) = input("ci-workflows") {
        cfg.ci_workflows = list(&v);
    }
    if let Some(v) = input("bases") {
        cfg.bases = list(&v);
    }
    if cfg.batch_size == 0 {
        return Err(RunError::Other(
            "integration-queue: `batch-size` is 0 in .github/guardians.yml; it takes a number \
             from 1 to 100 (1 = a serial queue)"
                .into(),
        ));
    }
    if !(1..=MAX_LANES).contains(&cfg.lanes) {
        return Err(RunError::Other(format!(
            "integration-queue: `lanes` is {} in .github/guardians.yml; it takes a number from 1 \
             to {MAX_LANES} (batches tested at once, each on top of the one below; 1 = one at a time)",
            cfg.lanes
        )));
    }
    if cfg.label.trim().is_empty() || cfg.bases.is_empty() {
        return Err(RunError::Other(
            "integration-queue: `label` and `bases` must not be empty".into(),
        ));
    }
    if !cfg.branch_prefix.ends_with('/') || cfg.branch_prefix.len() < 2 {
        return Err(bad(
            "branch-prefix",
            &cfg.branch_prefix,
            "a branch prefix ending in `/` (e.g. `integration/`)",
        ));
    }
    let slack_webhook = input("slack-webhook-url").map(|u| u.trim().to_string());
    if let Some(url) = &slack_webhook {
        toolkit.mask(url);
        if !url.starts_with("https://") && !url.starts_with("http://") {
            return Err(RunError::Other(
                "input `slack-webhook-url`: not a URL; pass the incoming webhook's \
                 `https://hooks.slack.com/...` address from a secret"
                    .into(),
            ));
        }
    }
    Ok(Settings {
        queue: QueueConfig {
            label: cfg.label,
            priority_labels: cfg.priority_labels,
            batch_size: cfg.batch_size,
            lanes: cfg.lanes,
            retry_failed: cfg.retry_failed,
            bases: cfg.bases,
            integration_prefix: cfg.branch_prefix,
            failed_prefix: cfg.failed_prefix,
            dispatch_workflows: cfg.ci_workflows,
            stuck_after: SignedDuration::from_mins(
                i64::try_from(cfg.stuck_after_minutes).unwrap_or(i64::MAX / 60),
            ),
        },
        extra_required: cfg.required_checks,
        landing: cfg.landing,
        slack_webhook,
    })
}

/// A list input: comma- or newline-separated, blanks dropped.
fn list(value: &str) -> Vec<String> {
    value
        .split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}
