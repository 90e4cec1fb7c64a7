//! Command line: `emit` (the default, what the action runs) and `report`.

use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::builder::BoolishValueParser;
use clap::{Args, Parser, Subcommand};
use jiff::Timestamp;

use crate::apply::{Sink, apply};
use crate::config::{TelemetryEmitterConfig, TelemetrySink};
use crate::context::RunContext;
use crate::event_name::EventName;
use crate::jobs::{Job, JobsPage};
use crate::payload::EventPayload;
use crate::plan::{Facts, Plan, Request, plan};
use crate::report::{self, Format};
use crate::sink::api_key::ApiKey;
use crate::sink::batch::BatchBody;
use crate::sink::posthog::PosthogSink;
use crate::sink::retry::RetryPolicy;

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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Send the delivery event of the triggering GitHub event (the default).
    Emit(EmitArgs),
    /// Print delivery metrics from a JSON Lines file written by `emit`.
    Report(ReportArgs),
}

#[derive(Debug, Clone, Args)]
pub struct EmitArgs {
    /// The event payload GitHub wrote.
    #[arg(long = "event", value_name = "FILE", env = "GITHUB_EVENT_PATH")]
    pub event_path: Option<PathBuf>,
    /// The triggering event's name (`pull_request`, `workflow_run`, ...).
    #[arg(long, env = "GITHUB_EVENT_NAME")]
    pub event_name: Option<String>,
    /// Send this event instead of deriving one, e.g. `dev_ci_started` from a CI job's first step.
    #[arg(long = "name", value_name = "EVENT", env = "INPUT_EVENT")]
    pub explicit_event: Option<String>,
    /// A guardians.yml whose `telemetry-emitter` section configures this run.
    #[arg(long, value_name = "FILE", env = "INPUT_CONFIG")]
    pub config: Option<PathBuf>,
    /// Where events go (default: posthog when a key is given, else jsonl).
    #[arg(long, value_enum, env = "INPUT_SINK")]
    pub sink: Option<SinkArg>,
    /// PostHog project API key (`phc_...`); never printed.
    #[arg(long, env = "INPUT_POSTHOG-API-KEY", hide_env_values = true)]
    pub posthog_api_key: Option<String>,
    /// PostHog host (US, EU or self-hosted URL).
    #[arg(long, env = "INPUT_POSTHOG-HOST")]
    pub posthog_host: Option<String>,
    /// File the jsonl sink appends to.
    #[arg(long, value_name = "FILE", env = "INPUT_JSONL-PATH")]
    pub jsonl_path: Option<PathBuf>,
    /// Saved pages of the jobs API for the run (repeat for each page).
    #[arg(long = "jobs", value_name = "FILE")]
    pub jobs: Vec<PathBuf>,
    /// The PR's size label (XS..XL).
    #[arg(long, env = "INPUT_SIZE")]
    pub size: Option<String>,
    /// Whether the change touches API contracts.
    #[arg(long, env = "INPUT_CONTRACTS-TOUCHED", value_parser = BoolishValueParser::new())]
    pub contracts_touched: Option<bool>,
    /// Endpoints the change touches, comma-separated.
    #[arg(long, env = "INPUT_ENDPOINTS-TOUCHED", value_delimiter = ',')]
    pub endpoints_touched: Vec<String>,
    /// Fail (exit 1) when the event cannot be sent.
    #[arg(long, env = "INPUT_STRICT", value_parser = BoolishValueParser::new(),
          num_args = 0..=1, default_missing_value = "true")]
    pub strict: Option<bool>,
    /// Print the exact JSON that would be sent (API key masked) and send nothing.
    #[arg(long, env = "INPUT_DRY-RUN", value_parser = BoolishValueParser::new(),
          num_args = 0..=1, default_missing_value = "true")]
    pub dry_run: Option<bool>,
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

/// Runs the command; returns the process exit code.
pub fn run(
    cli: Cli,
    env: &dyn Fn(&str) -> Option<String>,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<u8> {
    match cli.command {
        Some(Command::Report(args)) => {
            report_command(&args, out)?;
            Ok(0)
        }
        Some(Command::Emit(args)) => Ok(emit_command(&args, env, out)),
        None => Ok(emit_command(&cli.emit, env, out)),
    }
}

/// Escapes text for a workflow-command message, so that it cannot start a command of its own.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn emit_command(
    args: &EmitArgs,
    env: &dyn Fn(&str) -> Option<String>,
    out: &mut (dyn Write + Send),
) -> u8 {
    let strict = args.strict.unwrap_or(false);
    let result = emit(args, env, out);
    match result {
        Ok(()) => 0,
        Err(error) => {
            let strict = strict || error.strict;
            let message = format!("{:#}", error.inner);
            let level = if strict { "error" } else { "warning" };
            let _ = writeln!(
                out,
                "::{level} title=telemetry-emitter::{}",
                escape_data(&message)
            );
            if strict {
                1
            } else {
                let _ = writeln!(
                    out,
                    "telemetry-emitter: the event was not sent; CI goes on (set strict: true to fail instead)"
                );
                0
            }
        }
    }
}

struct EmitFailure {
    inner: anyhow::Error,
    /// `strict` as the config file says (known only once it is read).
    strict: bool,
}

impl<E: Into<anyhow::Error>> From<E> for EmitFailure {
    fn from(e: E) -> Self {
        Self {
            inner: e.into(),
            strict: false,
        }
    }
}

fn read_config(path: Option<&Path>) -> anyhow::Result<TelemetryEmitterConfig> {
    let Some(path) = path else {
        return Ok(TelemetryEmitterConfig::default());
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("could not read the config file {}", path.display()))?;
    let doc: yaml_serde::Value = yaml_serde::from_str(&text)
        .with_context(|| format!("{} is not valid YAML", path.display()))?;
    match doc.get("telemetry-emitter") {
        None => Ok(TelemetryEmitterConfig::default()),
        Some(section) => yaml_serde::from_value(section.clone()).with_context(|| {
            format!(
                "the `telemetry-emitter` section of {} is invalid (see the README for its keys)",
                path.display()
            )
        }),
    }
}

fn read_jobs(paths: &[PathBuf]) -> anyhow::Result<Vec<Job>> {
    let mut jobs = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("could not read jobs page {}", path.display()))?;
        let page: JobsPage = serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not a page of the jobs API (`{{\"total_count\":..,\"jobs\":[..]}}`)",
                path.display()
            )
        })?;
        jobs.extend(page.jobs);
    }
    Ok(jobs)
}

fn emit(
    args: &EmitArgs,
    env: &dyn Fn(&str) -> Option<String>,
    out: &mut (dyn Write + Send),
) -> Result<(), EmitFailure> {
    let mut config = read_config(args.config.as_deref())?;
    let strict_from_config = config.strict;
    let fail = |inner: anyhow::Error| EmitFailure {
        inner,
        strict: strict_from_config,
    };
    if let Some(host) = &args.posthog_host {
        config.posthog_host.clone_from(host);
    }
    let mut ctx = RunContext::from_lookup(env);
    if let Some(name) = &args.event_name {
        ctx.event_name.clone_from(name);
    }
    let Some(event_path) = &args.event_path else {
        return Err(fail(anyhow::anyhow!(
            "no event payload: run inside GitHub Actions (GITHUB_EVENT_PATH) or pass --event FILE"
        )));
    };
    let text = std::fs::read_to_string(event_path)
        .with_context(|| format!("could not read the event payload {}", event_path.display()))
        .map_err(fail)?;
    let payload = EventPayload::parse(&text).map_err(|e| fail(e.into()))?;
    let explicit_event = args
        .explicit_event
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(str::parse::<EventName>)
        .transpose()
        .map_err(|e| fail(e.into()))?;
    let facts = Facts {
        jobs: read_jobs(&args.jobs).map_err(fail)?,
        size: args.size.clone().filter(|s| !s.is_empty()),
        contracts_touched: args.contracts_touched,
        endpoints_touched: (!args.endpoints_touched.is_empty())
            .then(|| args.endpoints_touched.clone()),
        now: Timestamp::now(),
    };
    let plan = plan(&ctx, &payload, &Request { explicit_event }, &config, &facts)
        .map_err(|e| fail(e.into()))?;
    for note in &plan.notes {
        writeln!(out, "telemetry-emitter: {}", escape_data(note))?;
    }
    if let Some(reason) = &plan.skipped {
        writeln!(
            out,
            "telemetry-emitter: nothing to send: {}",
            escape_data(reason)
        )?;
        return Ok(());
    }
    let api_key = args.posthog_api_key.as_deref().and_then(ApiKey::new);
    if args.dry_run.unwrap_or(false) {
        return dry_run(&plan, api_key.as_ref(), out).map_err(fail);
    }
    let sink = choose_sink(args, &config, api_key).map_err(fail)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let outcome = runtime
        .block_on(apply(&plan, &sink, out))
        .map_err(|e| fail(e.into()))?;
    writeln!(
        out,
        "telemetry-emitter: sent {} event(s) to {} in {} attempt(s)",
        outcome.sent,
        escape_data(&outcome.destination),
        outcome.attempts
    )?;
    Ok(())
}

fn dry_run(plan: &Plan, api_key: Option<&ApiKey>, out: &mut dyn Write) -> anyhow::Result<()> {
    let masked = api_key.map_or_else(|| "<no posthog-api-key>".to_owned(), ApiKey::masked);
    let body = BatchBody::new(&masked, &plan.events).to_json();
    // JSON escapes newlines, and the line starts with `{`: it cannot be a workflow command.
    writeln!(out, "{body}")?;
    Ok(())
}

fn choose_sink(
    args: &EmitArgs,
    config: &TelemetryEmitterConfig,
    api_key: Option<ApiKey>,
) -> anyhow::Result<Sink> {
    let chosen = match args.sink {
        Some(SinkArg::Posthog) => TelemetrySink::Posthog,
        Some(SinkArg::Jsonl) => TelemetrySink::Jsonl,
        Some(SinkArg::Stdout) => TelemetrySink::Stdout,
        None => config.sink.unwrap_or(if api_key.is_some() {
            TelemetrySink::Posthog
        } else {
            TelemetrySink::Jsonl
        }),
    };
    Ok(match chosen {
        TelemetrySink::Posthog => {
            let Some(key) = api_key else {
                bail!(
                    "the posthog sink needs a project API key: set the posthog-api-key input (from a secret)"
                );
            };
            let policy = RetryPolicy {
                max_attempts: config.max_attempts.max(1),
                max_delay: std::time::Duration::from_secs(config.max_retry_wait_s),
                ..RetryPolicy::default()
            };
            Sink::Posthog(PosthogSink::new(&config.posthog_host, key, policy)?)
        }
        TelemetrySink::Jsonl => Sink::Jsonl(
            args.jsonl_path
                .clone()
                .unwrap_or_else(|| PathBuf::from(&config.jsonl_path)),
        ),
        TelemetrySink::Stdout => Sink::Stdout,
    })
}

fn report_command(args: &ReportArgs, out: &mut dyn Write) -> anyhow::Result<()> {
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
    out.write_all(report::render(&metrics, args.format).as_bytes())?;
    if loaded.malformed > 0 && args.format != Format::Json {
        writeln!(
            out,
            "\n{} line(s) were not events and were skipped (first at line(s) {:?})",
            loaded.malformed, loaded.first_malformed_lines
        )?;
    }
    Ok(())
}
