//! The run's context: what the runner provides in `GITHUB_*` / `RUNNER_*` variables, and the
//! event payload parsed into [`crate::event::Event`].
//!
//! Outside Actions the same values come from flags ([`ContextOverrides`]: `--event FILE`,
//! `--event-name`, `--repo OWNER/NAME`, `--api-url`), which win over the environment.
//! Missing or malformed values are [`ContextError`]s that name the variable, flag, file or
//! field to fix; nothing here panics on bad input.

mod env;
mod error;
mod load;
mod repo_name;

use std::path::PathBuf;

pub use env::{EnvSource, ProcessEnv};
pub use error::ContextError;
pub use load::{ContextOverrides, MAX_EVENT_FILE_BYTES};
pub use repo_name::{RepoName, RepoNameError};

use crate::event::Event;

/// Everything a guardian knows about the run before it asks GitHub anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// `pull_request`, `push`, ... (`GITHUB_EVENT_NAME` or `--event-name`).
    pub event_name: String,
    pub event: Event,
    pub repository: RepoName,
    /// `GITHUB_API_URL` or `--api-url`, default `https://api.github.com`, no trailing slash.
    pub api_url: String,
    /// `GITHUB_SERVER_URL`, or derived from the API URL (`https://github.com` by default).
    pub server_url: String,
    /// `GITHUB_GRAPHQL_URL`, or derived from the API URL.
    pub graphql_url: String,
    pub sha: Option<String>,
    /// `GITHUB_REF`, e.g. `refs/pull/7/merge`.
    pub git_ref: Option<String>,
    pub actor: Option<String>,
    pub workflow: Option<String>,
    pub job: Option<String>,
    pub run_id: Option<u64>,
    pub run_attempt: Option<u32>,
    pub run_number: Option<u64>,
    /// `Linux`, `macOS` or `Windows`.
    pub runner_os: Option<String>,
    /// `X64`, `ARM64`, ...
    pub runner_arch: Option<String>,
    pub runner_temp: Option<PathBuf>,
    /// `RUNNER_TOOL_CACHE`.
    pub tool_cache: Option<PathBuf>,
    /// `GITHUB_ACTIONS == "true"`: workflow commands are understood by whoever reads stdout.
    pub in_actions: bool,
}

impl Context {
    /// The web page of this workflow run (of this attempt, past the first), when the run is known.
    pub fn run_url(&self) -> Option<String> {
        let run_id = self.run_id?;
        let base = format!(
            "{}/{}/actions/runs/{run_id}",
            self.server_url, self.repository
        );
        Some(match self.run_attempt {
            Some(attempt) if attempt > 1 => format!("{base}/attempts/{attempt}"),
            _ => base,
        })
    }
}
