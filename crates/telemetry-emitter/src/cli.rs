//! Command line: `emit` (the default, what the action runs) and `report`.
//!
//! In Actions every option comes from the action's inputs (`INPUT_*`) and the runner's
//! `GITHUB_*` variables; the flags are for running from a terminal and win over the inputs.

use std::collections::HashSet;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};
use guardians_core::runner::CommonArgs;
use jiff::Timestamp;

use crate::history::History;
use crate::report::{self, Format};

/// Send delivery events to PostHog or a JSON Lines file, and report delivery metrics.
#[derive(Debug, Parser)]
#[command(
    name = "telemetry-emitter",
    version,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub emit: EmitArgs,
}

impl Cli {
    /// The `emit` flags, whether given after `emit` or with no subcommand.
    pub fn emit_args(&self) -> &EmitArgs {
        match &self.command {
            Some(Command::Emit(args)) => args,
            Some(Command::Report(_)) | None => &self.emit,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Send the delivery event of the triggering GitHub event (the default).
    Emit(EmitArgs),
    /// Print delivery metrics from a JSON Lines file written by `emit`.
    Report(ReportArgs),
}

#[derive(Debug, Clone, Args)]
pub struct EmitArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Send this event instead of deriving one, e.g. `dev_ci_started` from a CI job's first
    /// step (input `event`).
    #[arg(long = "name", value_name = "EVENT")]
    pub explicit_event: Option<String>,
    /// Where events go (input `sink`; default: posthog when a key is given, else jsonl).
    #[arg(long, value_enum)]
    pub sink: Option<SinkArg>,
    /// PostHog project API key, `phc_...` (input `posthog-api-key`); never printed.
    #[arg(long)]
    pub posthog_api_key: Option<String>,
    /// PostHog host: US, EU or self-hosted URL (input `posthog-host`).
    #[arg(long)]
    pub posthog_host: Option<String>,
    /// File the jsonl sink appends to (input `jsonl-path`).
    #[arg(long, value_name = "FILE")]
    pub jsonl_path: Option<PathBuf>,
    /// Saved pages of the jobs API for the run, instead of asking GitHub (repeat per page).
    #[arg(long = "jobs", value_name = "FILE")]
    pub jobs: Vec<PathBuf>,
    /// Fail the step when the event cannot be sent, also in Actions (input `strict`): exit 2
    /// for a refused or misconfigured sink, 3 for one that cannot be reached.
    #[arg(long)]
    pub strict: bool,
    /// Jobs per API page (GitHub's maximum, 100, by default); smaller pages exercise
    /// pagination against a fake GitHub.
    #[arg(long, hide = true, default_value_t = 100)]
    pub jobs_per_page: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SinkArg {
    Posthog,
    Jsonl,
    Stdout,
}

#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// The JSON Lines file `emit` appended to.
    #[arg(long, value_name = "FILE", required_unless_present = "github")]
    pub from: Option<PathBuf>,
    /// Read the delivery history of this repository from GitHub (token from GITHUB_TOKEN):
    /// PRs, deployments and their statuses, workflow runs and their jobs. With --from too,
    /// both are merged and every event counts once.
    #[arg(long, value_name = "OWNER/NAME")]
    pub github: Option<String>,
    /// GitHub's API (GitHub Enterprise Server: https://HOST/api/v3); default GITHUB_API_URL,
    /// else https://api.github.com.
    #[arg(long, value_name = "URL")]
    pub api_url: Option<String>,
    /// Settings from this file instead of `.github/guardians.yml` on the default branch.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Keep what was read from GitHub that cannot change (jobs of finished runs, merged PRs'
    /// commits, comparisons, final deployment statuses) in this directory, so that the next
    /// report over the same window asks for little more than the listings.
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
    /// Also write the events read from GitHub to this file as JSON Lines, as `emit` writes them.
    #[arg(long, value_name = "FILE")]
    pub save_events: Option<PathBuf>,
    /// Keep the Markdown report in one comment on this issue (or PR), updated in place: found
    /// by its hidden marker and the token's identity, as every guardian's comment. Needs
    /// --github and a token that may comment (`issues: write`).
    #[arg(long, value_name = "NUMBER", requires = "github")]
    pub issue: Option<u64>,
    /// Post the report to this Slack incoming webhook (a secret: never printed). Also from
    /// the environment variable SLACK_WEBHOOK_URL.
    #[arg(
        long,
        value_name = "URL",
        env = "SLACK_WEBHOOK_URL",
        hide_env_values = true
    )]
    pub slack_webhook_url: Option<String>,
    /// Only events this recent: 90m, 12h, 30d, 8w (with --github: default 90d).
    #[arg(long)]
    pub since: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Report as of this time instead of now (RFC 3339), for reproducible reports.
    #[arg(long, hide = true)]
    pub now: Option<Timestamp>,
}

/// The report as text (table, Markdown or JSON), from a file only (no GitHub).
pub fn report_command(args: &ReportArgs) -> anyhow::Result<String> {
    let window = window(args)?;
    let events = match &args.from {
        Some(path) => Some(load_file(path, window.since)?),
        None => None,
    };
    Ok(render_report(args, &window, events, None))
}

/// `--since` and `--now` resolved.
pub struct ReportWindow {
    pub now: Timestamp,
    pub since: Option<Timestamp>,
    pub days: Option<f64>,
}

pub fn window(args: &ReportArgs) -> anyhow::Result<ReportWindow> {
    let now = args.now.unwrap_or_else(Timestamp::now);
    let since_text = args
        .since
        .as_deref()
        .or(args.github.as_ref().map(|_| "90d"));
    let since = since_text.map(report::parse_since).transpose()?;
    let since_at = match since {
        Some(d) => Some(
            now.checked_sub(jiff::SignedDuration::try_from(d)?)
                .context("--since reaches before year -9999")?,
        ),
        None => None,
    };
    Ok(ReportWindow {
        now,
        since: since_at,
        days: since.map(|d| d.as_secs_f64() / 86_400.0),
    })
}

pub fn load_file(path: &Path, since: Option<Timestamp>) -> anyhow::Result<report::Loaded> {
    let file = std::fs::File::open(path).with_context(|| {
        format!(
            "could not open {}; point --from at the file the jsonl sink writes (jsonl-path)",
            path.display()
        )
    })?;
    report::load(BufReader::new(file), since)
        .with_context(|| format!("could not read {}", path.display()))
}

/// The report of the file's events (already loaded) and the history's, merged by UUID.
pub fn render_report(
    args: &ReportArgs,
    window: &ReportWindow,
    loaded: Option<report::Loaded>,
    history: Option<&History>,
) -> String {
    let mut loaded = loaded.unwrap_or_default();
    if let Some(h) = history {
        // Every event counts once, as PostHog counts it: the file's first, then the history's
        // (which repeats a UUID itself where `emit` would have, e.g. a redeploy of a commit).
        let mut seen: HashSet<uuid::Uuid> = loaded.events.iter().map(|e| e.uuid).collect();
        let since = window.since;
        for e in &h.events {
            if since.is_none_or(|s| e.timestamp >= s) && seen.insert(e.uuid) {
                loaded.events.push(e.clone());
            } else if seen.contains(&e.uuid) {
                loaded.duplicates += 1;
            }
        }
        loaded.events.sort_by_key(|e| (e.timestamp, e.uuid));
    }
    let span = window.since.map(|s| (s, window.now));
    let mut metrics = match span {
        Some(span) => {
            report::compute_with(&loaded.events, Some(span), history.map(|h| &h.delivery))
        }
        None => {
            let mut m = report::compute(&loaded.events, window.days);
            if let Some(h) = history {
                m = report::compute_with(&loaded.events, None, Some(&h.delivery));
            }
            m
        }
    };
    if let Some(h) = history {
        metrics.missing.clone_from(&h.missing);
    }
    let mut text = report::render(&metrics, args.format);
    if loaded.malformed > 0 && args.format != Format::Json {
        text.push_str(&format!(
            "\n{} line(s) were not events and were skipped (first at line(s) {:?})\n",
            loaded.malformed, loaded.first_malformed_lines
        ));
    }
    text
}
