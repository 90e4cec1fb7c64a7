//! Flags shared by every guardian, so that each runs from a terminal as it does in Actions.

use std::path::PathBuf;

use crate::context::ContextOverrides;

/// Flags common to all guardians. In Actions they are all optional: the runner's environment
/// (`GITHUB_EVENT_PATH`, `GITHUB_REPOSITORY`, `GITHUB_API_URL`, `INPUT_*`) provides the rest.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CommonArgs {
    /// Webhook payload to act on (default: $GITHUB_EVENT_PATH).
    #[arg(long, value_name = "FILE")]
    pub event: Option<PathBuf>,
    /// Name of the event in --event (default: $GITHUB_EVENT_NAME, else inferred from the
    /// payload's shape).
    #[arg(long, value_name = "NAME")]
    pub event_name: Option<String>,
    /// Repository as OWNER/NAME (default: $GITHUB_REPOSITORY, or the payload's repository).
    #[arg(long, value_name = "OWNER/NAME")]
    pub repo: Option<String>,
    /// REST API root, for GitHub Enterprise Server `https://HOST/api/v3`
    /// (default: $GITHUB_API_URL, or https://api.github.com).
    #[arg(long, value_name = "URL")]
    pub api_url: Option<String>,
    /// Read settings from this local file instead of `.github/guardians.yml` on the base branch.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The pull request to act on when the event does not name it (`workflow_run`,
    /// `workflow_dispatch`, ...); also the input `pr-number`.
    #[arg(long, value_name = "N")]
    pub pr: Option<u64>,
    /// Print the plan and write nothing (also the input `dry-run: true`).
    #[arg(long)]
    pub dry_run: bool,
    /// Print the plan as JSON for machines: instead of the Markdown on a dry run, and before
    /// acting on a real run.
    #[arg(long)]
    pub json: bool,
}

impl CommonArgs {
    /// Whether there is an event to act on: `--event`, or the runner's `GITHUB_EVENT_PATH`
    /// (blank counts as unset, as when the context is loaded). Guardians with a local mode use
    /// it to choose that mode, or to say what to pass, before opening a session.
    pub fn has_event(&self) -> bool {
        self.event.is_some()
            || std::env::var_os("GITHUB_EVENT_PATH").is_some_and(|path| !path.is_empty())
    }

    pub fn context_overrides(&self) -> ContextOverrides {
        ContextOverrides {
            event_path: self.event.clone(),
            // Left unset when not given: the context then takes GITHUB_EVENT_NAME, else infers
            // the event from the payload (a `workflow_run` file is not a pull request).
            event_name: self.event_name.clone(),
            repository: self.repo.clone(),
            api_url: self.api_url.clone(),
        }
    }
}
