//! Command line: `emit` (the default, what the action runs) and `report`.
//!
//! In Actions every option comes from the action's inputs (`INPUT_*`) and the runner's
//! `GITHUB_*` variables; the flags are for running from a terminal and win over the inputs.

use std::io::BufReader;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};
use guardians_core::runner::CommonArgs;
use jiff::Timestamp;

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
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,
    /// Only events this recent: 90m, 12h, 30d, 8w.
    #[arg(long)]
    pub since: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Report as of this time instead of now (RFC 3339), for reproducible reports.
    #[arg(long, hide = true)]
    pub now: Option<Timestamp>,
}

/// The report as text (table, Markdown or JSON).
pub fn report_command(args: &ReportArgs) -> anyhow::Result<String> {
    let now = args.now.unwrap_or_else(Timestamp::now);
    let since = args.since.as_deref().map(report::parse_since).transpose()?;
    let since_at = match since {
        Some(d) => Some(
            now.checked_sub(jiff::SignedDuration::try_from(d)?)
                .context("--since reaches before year -9999")?,
        ),
        None => None,
    };
    let file = std::fs::File::open(&args.from).with_context(|| {
        format!(
            "could not open {}; point --from at the file the jsonl sink writes (jsonl-path)",
            args.from.display()
        )
    })?;
    let loaded = report::load(BufReader::new(file), since_at)
        .with_context(|| format!("could not read {}", args.from.display()))?;
    let window_days = since.map(|d| d.as_secs_f64() / 86_400.0);
    let metrics = report::compute(&loaded.events, window_days);
    let mut text = report::render(&metrics, args.format);
    if loaded.malformed > 0 && args.format != Format::Json {
        text.push_str(&format!(
            "\n{} line(s) were not events and were skipped (first at line(s) {:?})\n",
            loaded.malformed, loaded.first_malformed_lines
        ));
    }
    Ok(text)
}
