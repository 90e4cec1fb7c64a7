//! One run of the binary, from flags and environment to an exit code.
//!
//! Telemetry never fails the user's CI: whatever goes wrong is a warning and exit 0, unless
//! `strict` (flag, input or config) asks for exit 1.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;
use guardians_core::context::{Context, EnvSource, ProcessEnv};
use guardians_core::event::Event;
use guardians_core::runner::Session;
use guardians_core::toolkit::{AnnotationProps, Toolkit, escape_data};

use crate::apply::{Sink, apply};
use crate::cli::{Cli, Command, EmitArgs, report_command};
use crate::config::{TelemetryEmitterConfig, TelemetrySink};
use crate::gather::{JobsFrom, gather};
use crate::jobs::{Job, JobsPage};
use crate::options::{self, EarlyOptions};
use crate::plan::{Decision, Plan, Request, complete, decide};
use crate::sink::api_key::ApiKey;
use crate::sink::batch::BatchBody;
use crate::sink::posthog::PosthogSink;
use crate::sink::retry::RetryPolicy;
use crate::subject::strip_heads;

const TITLE: &str = "telemetry-emitter";

/// Where a run reads its environment and writes its log: the process, or a map and a buffer
/// in tests.
#[derive(Clone)]
pub struct Io {
    pub env: Arc<dyn EnvSource>,
    out: Arc<dyn Fn() -> Box<dyn Write + Send> + Send + Sync>,
}

impl Io {
    pub fn process() -> Io {
        Io::new(Arc::new(ProcessEnv), || Box::new(std::io::stdout()))
    }

    /// `out` makes a writer per toolkit; all of them should write to the same place.
    pub fn new(
        env: Arc<dyn EnvSource>,
        out: impl Fn() -> Box<dyn Write + Send> + Send + Sync + 'static,
    ) -> Io {
        Io {
            env,
            out: Arc::new(out),
        }
    }

    pub fn toolkit(&self) -> Toolkit {
        Toolkit::new(self.env.clone(), (self.out)())
    }
}

/// Runs the command; returns the process exit code.
pub async fn run(cli: Cli, io: &Io) -> u8 {
    match cli.command {
        Some(Command::Report(args)) => {
            let toolkit = io.toolkit();
            match report_command(&args) {
                Ok(text) => {
                    toolkit.untrusted(&text);
                    0
                }
                Err(error) => {
                    toolkit.error(&format!("{error:#}"), &props());
                    1
                }
            }
        }
        Some(Command::Emit(args)) => emit_command(args, io).await,
        None => emit_command(cli.emit, io).await,
    }
}

fn props() -> AnnotationProps {
    AnnotationProps {
        title: Some(TITLE.to_owned()),
        ..AnnotationProps::default()
    }
}

/// A failure, with `strict` as the config file says (false until it is read).
struct Failure {
    error: anyhow::Error,
    config_strict: bool,
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure {
            error: e.into(),
            config_strict: false,
        }
    }
}

async fn emit_command(args: EmitArgs, io: &Io) -> u8 {
    let toolkit = io.toolkit();
    let early = match options::early(&args, &toolkit) {
        Ok(early) => early,
        Err(error) => {
            return report_failure(&toolkit, &error, false);
        }
    };
    match emit(args, io, &early).await {
        Ok(()) => 0,
        Err(failure) => {
            let strict = early.strict.unwrap_or(failure.config_strict);
            report_failure(&toolkit, &failure.error, strict)
        }
    }
}

fn report_failure(toolkit: &Toolkit, error: &anyhow::Error, strict: bool) -> u8 {
    let message = format!("{error:#}");
    if toolkit.in_actions() {
        // Best effort: a step that cannot write its outputs has bigger problems to report.
        let _ = toolkit.set_output("sent", "false");
    }
    if strict {
        toolkit.error(&message, &props());
        1
    } else {
        toolkit.warning(&message, &props());
        toolkit.info(
            "telemetry-emitter: the event was not sent; CI goes on (set strict: true to fail instead)",
        );
        0
    }
}

/// The branch `.github/guardians.yml` is read from: the PR's base for PR events (a PR cannot
/// change the settings it is measured with), the merge queue's base, else the default branch.
pub fn config_ref(ctx: &Context) -> String {
    let default_branch = || {
        ctx.event
            .repository()
            .and_then(|r| r.default_branch.clone())
            .filter(|b| !b.is_empty())
            .unwrap_or_else(|| "HEAD".to_owned())
    };
    match &ctx.event {
        Event::PullRequest(e) if !e.pull_request.base.ref_.is_empty() => {
            e.pull_request.base.ref_.clone()
        }
        Event::MergeGroup(e) if !e.merge_group.base_ref.is_empty() => {
            strip_heads(&e.merge_group.base_ref).to_owned()
        }
        _ => default_branch(),
    }
}

async fn emit(args: EmitArgs, io: &Io, early: &EarlyOptions) -> Result<(), Failure> {
    let mut common = args.common.clone();
    // `--event FILE` alone would otherwise mean `pull_request`, whatever the runner says.
    if common.event.is_some() && common.event_name.is_none() {
        common.event_name = io
            .env
            .var("GITHUB_EVENT_NAME")
            .filter(|n| !n.trim().is_empty());
    }
    let session = Session::open_with_env(common, io.toolkit(), io.env.clone())?;
    let config_ref = config_ref(&session.context);
    let loaded = session.load_config(&config_ref).await?;
    let config = &loaded.config.telemetry_emitter;
    session.toolkit.debug(&format!("config: {}", loaded.source));
    emit_with_config(&args, &session, early, &loaded.config, &config_ref)
        .await
        .map_err(|error| Failure {
            error,
            config_strict: config.strict,
        })
}

async fn emit_with_config(
    args: &EmitArgs,
    session: &Session,
    early: &EarlyOptions,
    all: &guardians_core::config::GuardiansConfig,
    config_ref: &str,
) -> anyhow::Result<()> {
    let config = &all.telemetry_emitter;
    let toolkit = &session.toolkit;
    let request = Request {
        explicit_event: early.explicit_event,
    };
    let draft = match decide(&session.context, &request, config)? {
        Decision::Skip(reason) => {
            say(toolkit, &format!("nothing to send: {reason}"));
            if toolkit.in_actions() {
                toolkit.set_output("sent", "false")?;
            }
            return Ok(());
        }
        Decision::Send(draft) => draft,
    };
    let jobs_from = if args.jobs.is_empty() {
        JobsFrom::Api {
            per_page: args.jobs_per_page,
        }
    } else {
        JobsFrom::Fixed(read_jobs(&args.jobs)?)
    };
    let gh = session.github_if_available();
    let gathered = gather(gh, &session.context, &draft, all, config_ref, jobs_from).await;
    if let Some(gh) = gh {
        let stats = gh.stats();
        toolkit.debug(&format!(
            "GitHub API: {} requests, {} retries, {:?} waited",
            stats.requests, stats.retries, stats.waited
        ));
    }
    for gap in &gathered.gaps {
        toolkit.warning(gap, &props());
    }
    let plan = complete(draft, config, &gathered.facts);
    for note in gathered.notes.iter().chain(&plan.notes) {
        say(toolkit, note);
    }
    if session.dry_run {
        return dry_run(toolkit, &plan, early.api_key.as_ref());
    }
    let delivery = options::delivery(args, toolkit, config, early.api_key.is_some())?;
    let sink = build_sink(&delivery, config, early.api_key.clone())?;
    let mut stdout_lines = Vec::new();
    let outcome = apply(&plan, &sink, &mut stdout_lines).await?;
    for line in String::from_utf8_lossy(&stdout_lines).lines() {
        // JSON objects: each line starts with `{`, so none can be a workflow command.
        toolkit.info(line);
    }
    say(
        toolkit,
        &format!(
            "sent {} event(s) to {} in {} attempt(s)",
            outcome.sent, outcome.destination, outcome.attempts
        ),
    );
    if toolkit.in_actions() {
        if let Some(event) = plan.events.first() {
            toolkit.set_output("event", event.event.as_str())?;
            toolkit.set_output("uuid", &event.uuid.to_string())?;
        }
        toolkit.set_output("sent", "true")?;
    }
    Ok(())
}

/// A log line of ours that may quote untrusted text (labels, branches, runner labels):
/// escaped to one line behind our prefix, so it cannot be read as a workflow command.
fn say(toolkit: &Toolkit, text: &str) {
    toolkit.info(&format!("telemetry-emitter: {}", escape_data(text)));
}

fn dry_run(toolkit: &Toolkit, plan: &Plan, api_key: Option<&ApiKey>) -> anyhow::Result<()> {
    let masked = api_key.map_or_else(|| "<no posthog-api-key>".to_owned(), ApiKey::masked);
    let body = BatchBody::new(&masked, &plan.events).to_json();
    // JSON escapes newlines and the line starts with `{`: it cannot be a workflow command.
    toolkit.info(&body);
    Ok(())
}

fn build_sink(
    delivery: &options::Delivery,
    config: &TelemetryEmitterConfig,
    api_key: Option<ApiKey>,
) -> anyhow::Result<Sink> {
    Ok(match delivery.sink {
        TelemetrySink::Posthog => {
            let Some(key) = api_key else {
                anyhow::bail!(
                    "the posthog sink needs a project API key: set the posthog-api-key input (from a secret)"
                );
            };
            let policy = RetryPolicy {
                max_attempts: config.max_attempts.max(1),
                max_delay: std::time::Duration::from_secs(config.max_retry_wait_s),
                ..RetryPolicy::default()
            };
            Sink::Posthog(PosthogSink::new(&delivery.posthog_host, key, policy)?)
        }
        TelemetrySink::Jsonl => Sink::Jsonl(delivery.jsonl_path.clone()),
        TelemetrySink::Stdout => Sink::Stdout,
    })
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
