//! The few `GITHUB_*` values this guardian needs about the run it executes in.
//!
//! Temporary: `guardians_core::context` will own the run's context; until it lands this reads
//! the variables itself through a lookup function, so tests never touch the process environment.

/// What the runner says about the run this step executes in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunContext {
    /// `GITHUB_EVENT_NAME`: `pull_request`, `workflow_run`, `merge_group`, ...
    pub event_name: String,
    /// `GITHUB_REPOSITORY` (`owner/name`).
    pub repository: String,
    /// `GITHUB_RUN_ID` of this run (not of the run a `workflow_run` event reports on).
    pub run_id: Option<u64>,
    /// `GITHUB_RUN_ATTEMPT` of this run.
    pub run_attempt: Option<u32>,
    /// `GITHUB_WORKFLOW`: the name of the running workflow.
    pub workflow: String,
    /// `GITHUB_ACTOR`.
    pub actor: String,
    /// `GITHUB_SHA`.
    pub sha: String,
    /// `GITHUB_REF_NAME`.
    pub ref_name: String,
}

impl RunContext {
    /// Reads the context through `var` (e.g. `|k| std::env::var(k).ok()`); missing values stay
    /// empty, since each one only enriches an event.
    pub fn from_lookup(var: impl Fn(&str) -> Option<String>) -> Self {
        let text = |k: &str| var(k).map(|v| v.trim().to_owned()).unwrap_or_default();
        Self {
            event_name: text("GITHUB_EVENT_NAME"),
            repository: text("GITHUB_REPOSITORY"),
            run_id: var("GITHUB_RUN_ID").and_then(|v| v.trim().parse().ok()),
            run_attempt: var("GITHUB_RUN_ATTEMPT").and_then(|v| v.trim().parse().ok()),
            workflow: text("GITHUB_WORKFLOW"),
            actor: text("GITHUB_ACTOR"),
            sha: text("GITHUB_SHA"),
            ref_name: text("GITHUB_REF_NAME"),
        }
    }
}
