//! The `telemetry-emitter` section of `.github/guardians.yml`, read by this guardian only (it
//! also reads size-labeler's and contracts-diff's sections, shared types in guardians-core).
//!
//! Secrets (the PostHog project API key) are never read from this file: they come from the
//! action's `posthog-api-key` input, so that a config file in the repository never holds one.

use std::collections::BTreeMap;

use guardians_core::config::queue_defaults::{INTEGRATION_BRANCH_PREFIX, QUEUE_LABEL};
use guardians_core::config::{ConfigSection, repo_path};
use serde::{Deserialize, Serialize};

/// Where delivery events go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TelemetrySink {
    /// PostHog's batch endpoint at `posthog-host` (needs the `posthog-api-key` input).
    Posthog,
    /// One JSON object per line appended to `jsonl-path`; what `telemetry-emitter report` reads.
    Jsonl,
    /// One JSON object per line on standard output.
    Stdout,
}

/// Settings of the `telemetry-emitter` guardian.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TelemetryEmitterConfig {
    /// Where events go. When unset: PostHog if a `posthog-api-key` is given, otherwise the JSON
    /// Lines file at `jsonl-path`.
    #[serde(default)]
    pub sink: Option<TelemetrySink>,
    /// PostHog host: `https://us.i.posthog.com` (US cloud), `https://eu.i.posthog.com` (EU cloud)
    /// or the URL of a self-hosted instance. Events are sent to `{posthog-host}/batch/`.
    #[serde(default = "default_posthog_host")]
    pub posthog_host: String,
    /// File the JSON Lines sink appends to, relative to the working directory.
    #[serde(default = "default_jsonl_path")]
    #[serde(deserialize_with = "repo_path::repo_path")]
    pub jsonl_path: String,
    /// Label whose addition to a pull request means "entered the integration queue"
    /// (`dev_integration_queue_entered`), for teams without GitHub's merge queue.
    #[serde(default = "default_queue_label")]
    pub queue_label: String,
    /// Glob patterns of branch names whose CI runs are integration runs
    /// (`dev_integration_ci_*`). Runs triggered by `merge_group` always are.
    #[serde(default = "default_integration_branches")]
    pub integration_branches: Vec<String>,
    /// Glob patterns of deployment environment names that count as production
    /// (`dev_deploy_*`). A deployment GitHub marks `production_environment: true` always counts.
    #[serde(default = "default_production_environments")]
    pub production_environments: Vec<String>,
    /// Treat a push to the default branch as a successful production deploy (for teams that
    /// deploy on merge without GitHub deployments).
    #[serde(default)]
    pub push_is_deploy: bool,
    /// Send a SHA-256 of the actor's login as PostHog's `distinct_id` instead of the login.
    #[serde(default)]
    pub hash_actor: bool,
    /// Fail the step when telemetry cannot be delivered. Off by default: telemetry never fails
    /// the user's CI.
    #[serde(default)]
    pub strict: bool,
    /// Per-minute price in USD charged for self-hosted runner minutes in private repositories
    /// (GitHub's announced, then postponed, platform charge was 0.002). 0 by default.
    #[serde(default)]
    pub self_hosted_per_minute_usd: f64,
    /// Per-minute prices in USD that replace the built-in price table, keyed by a runner label
    /// (e.g. `my-gpu-runner: 0.05`) or a GitHub billing SKU (e.g. `linux_4_core: 0.012`).
    #[serde(default)]
    pub price_overrides: BTreeMap<String, f64>,
    /// Attempts for one delivery to PostHog, first try included.
    #[serde(default = "default_max_attempts")]
    pub max_attempts: u32,
    /// Longest wait between two attempts, in seconds, whatever `Retry-After` asks for.
    #[serde(default = "default_max_retry_wait_s")]
    pub max_retry_wait_s: u64,
}

impl ConfigSection for TelemetryEmitterConfig {
    const NAME: &'static str = "telemetry-emitter";
}

impl Default for TelemetryEmitterConfig {
    fn default() -> Self {
        Self {
            sink: None,
            posthog_host: default_posthog_host(),
            jsonl_path: default_jsonl_path(),
            queue_label: default_queue_label(),
            integration_branches: default_integration_branches(),
            production_environments: default_production_environments(),
            push_is_deploy: false,
            hash_actor: false,
            strict: false,
            self_hosted_per_minute_usd: 0.0,
            price_overrides: BTreeMap::new(),
            max_attempts: default_max_attempts(),
            max_retry_wait_s: default_max_retry_wait_s(),
        }
    }
}

fn default_posthog_host() -> String {
    "https://us.i.posthog.com".to_owned()
}

fn default_jsonl_path() -> String {
    "telemetry-events.jsonl".to_owned()
}

/// integration-queue's default `label`, so that the two guardians agree without configuration.
fn default_queue_label() -> String {
    QUEUE_LABEL.to_owned()
}

/// GitHub's merge queue and ours (every branch under integration-queue's default
/// `branch-prefix`, `integration/`), so that the two guardians agree without configuration.
fn default_integration_branches() -> Vec<String> {
    vec![
        "gh-readonly-queue/**".to_owned(),
        format!("{INTEGRATION_BRANCH_PREFIX}**"),
    ]
}

fn default_production_environments() -> Vec<String> {
    vec!["production".to_owned()]
}

fn default_max_attempts() -> u32 {
    5
}

fn default_max_retry_wait_s() -> u64 {
    30
}
