//! telemetry-emitter in the shape every guardian has (guardians-core's runner): `select` decides
//! which delivery event the trigger is (or says why there is none), `gather` reads what the
//! event's properties need, `plan` computes the events and where they go, `apply` delivers
//! them. `report` needs no run context and runs through `Guardian::local`.
//!
//! Failures exit with the shared codes (2 bad input or configuration, 3 GitHub or the network
//! after retries), with one deliberate exception: in Actions without `strict`, a failed
//! delivery (the sink down, refusing the events, or not set up) is a warning and the step
//! passes, so that telemetry is never the reason a user's CI fails.

use guardians_core::config::GuardiansConfig;
use guardians_core::context::Context;
use guardians_core::event::Event;
use guardians_core::runner::{CommonArgs, Exit, Guardian, RunError, Selection, Session};
use guardians_core::toolkit::{AnnotationProps, Toolkit, escape_data};

use crate::apply::{apply, sink_for};
use crate::cli::{Cli, Command, ReportArgs};
use crate::config::TelemetryEmitterConfig;
use crate::emit_plan::{EmitPlan, OnDeliveryFailure, PlanInputs, plan};
use crate::gather::{JobsFrom, gather, read_jobs};
use crate::options::{self, EarlyOptions};
use crate::plan::{Decision, Draft, Request, decide};
use crate::report::Format;
use crate::report_run::run_report;
use crate::sink::api_key::ApiKey;
use crate::subject::strip_heads;

pub struct TelemetryEmitter;

/// The event the trigger maps to, with the settings it was decided with.
pub struct Selected {
    early: EarlyOptions,
    config: GuardiansConfig,
    /// The `telemetry-emitter` section of `config`, read once.
    settings: TelemetryEmitterConfig,
    config_ref: String,
    draft: Draft,
}

/// What `plan` needs, and the secret `apply` needs that the plan must not carry.
pub struct EmitFacts {
    inputs: PlanInputs,
    api_key: Option<ApiKey>,
}

impl Guardian for TelemetryEmitter {
    const NAME: &'static str = "telemetry-emitter";
    type Cli = Cli;
    type Subject = Selected;
    type Facts = EmitFacts;
    type Plan = EmitPlan;

    fn common(cli: &Cli) -> &CommonArgs {
        &cli.emit_args().common
    }

    fn local(cli: &Cli, toolkit: &Toolkit) -> Option<Result<Exit, RunError>> {
        let args = match &cli.command {
            Some(Command::Report(args)) => args.clone(),
            Some(Command::Emit(_)) => return None,
            // In Actions the action's `command` input picks the report (the weekly template).
            None => match toolkit.input("command").filter(|c| !c.trim().is_empty()) {
                None => return None,
                Some(c) if c.trim() == "emit" => return None,
                Some(c) if c.trim() == "report" => match report_args_from_inputs(toolkit) {
                    Ok(args) => args,
                    Err(e) => return Some(Err(e)),
                },
                Some(other) => {
                    return Some(Err(RunError::Other(format!(
                        "input `command`: `{}` is neither `emit` nor `report`",
                        escape_data(&other)
                    ))));
                }
            },
        };
        let args = &args;
        Some(run_report(args, toolkit).and_then(|report| {
            toolkit.untrusted(&report.text);
            if toolkit.in_actions() {
                toolkit.append_summary(&report.markdown).map_err(|e| {
                    RunError::Other(format!("could not write the step summary: {e}"))
                })?;
            }
            Ok(Exit::Passed)
        }))
    }

    async fn select(session: &Session, cli: &Cli) -> Result<Selection<Selected>, RunError> {
        let early = options::early(cli.emit_args(), &session.toolkit)?;
        let config_ref = config_ref(&session.context);
        let loaded = session.load_config(&config_ref).await?;
        session.toolkit.debug(&format!("config: {}", loaded.source));
        let request = Request {
            explicit_event: early.explicit_event,
        };
        let settings: TelemetryEmitterConfig = loaded.config.section()?;
        let decision = decide(&session.context, &request, &settings)
            .map_err(|e| RunError::Other(e.to_string()))?;
        Ok(match decision {
            Decision::Skip(reason) => Selection::NothingToDo(format!("nothing to send: {reason}")),
            Decision::Send(draft) => Selection::Subject(Selected {
                early,
                config: loaded.config,
                settings,
                config_ref,
                draft,
            }),
        })
    }

    async fn gather(
        session: &Session,
        cli: &Cli,
        selected: Selected,
    ) -> Result<EmitFacts, RunError> {
        let args = cli.emit_args();
        let toolkit = &session.toolkit;
        let Selected {
            early,
            config,
            settings,
            config_ref,
            draft,
        } = selected;
        let settings = &settings;
        let delivery = options::delivery(args, toolkit, settings, early.api_key.is_some())?;
        let jobs_from = if args.jobs.is_empty() {
            JobsFrom::Api {
                per_page: args.jobs_per_page,
            }
        } else {
            JobsFrom::Fixed(read_jobs(&args.jobs)?)
        };
        let gathered = gather(
            session.github_if_available(),
            &session.context,
            &draft,
            &config,
            &config_ref,
            jobs_from,
        )
        .await;
        for gap in &gathered.gaps {
            toolkit.warning(gap, &props());
        }
        for note in &gathered.notes {
            say(toolkit, note);
        }
        Ok(EmitFacts {
            inputs: PlanInputs {
                draft,
                config: settings.clone(),
                facts: gathered.facts,
                delivery,
                masked_api_key: early.api_key.as_ref().map(ApiKey::masked),
                strict: early.strict.unwrap_or(settings.strict),
                in_actions: toolkit.in_actions(),
            },
            api_key: early.api_key,
        })
    }

    fn plan(facts: &EmitFacts) -> Result<EmitPlan, RunError> {
        Ok(plan(&facts.inputs))
    }

    async fn apply(session: &Session, facts: &EmitFacts, plan: &EmitPlan) -> Result<(), RunError> {
        let toolkit = &session.toolkit;
        for note in &plan.notes {
            say(toolkit, note);
        }
        let mut stdout_lines = Vec::new();
        let delivered = match sink_for(
            &plan.destination,
            &facts.inputs.config,
            facts.api_key.clone(),
        ) {
            Ok(sink) => apply(plan, &sink, &mut stdout_lines).await,
            Err(error) => Err(error),
        };
        for line in String::from_utf8_lossy(&stdout_lines).lines() {
            // JSON objects: each line starts with `{`, so none can be a workflow command.
            toolkit.info(line);
        }
        let (sent, result) = match delivered {
            Ok(outcome) => {
                say(
                    toolkit,
                    &format!(
                        "sent {} event(s) to {} in {} attempt(s)",
                        outcome.sent, outcome.destination, outcome.attempts
                    ),
                );
                ("true", Ok(()))
            }
            Err(error) => match plan.on_delivery_failure {
                OnDeliveryFailure::Warn => {
                    toolkit.warning(
                        &format!(
                            "{error}. The event was not sent, and CI goes on: telemetry never fails \
                             the build when its sink is down, refuses the events or is not set up, \
                             unless `strict: true` (input or .github/guardians.yml) asks it to"
                        ),
                        &props(),
                    );
                    ("false", Ok(()))
                }
                OnDeliveryFailure::Fail => ("false", Err(error.into_run_error())),
            },
        };
        toolkit
            .set_output("sent", sent)
            .map_err(|e| RunError::Other(format!("could not write the output `sent`: {e}")))?;
        result
    }
}

/// `report` as the action runs it: the workflow's repository, 90 days, Markdown.
fn report_args_from_inputs(toolkit: &Toolkit) -> Result<ReportArgs, RunError> {
    let input = |name: &str| toolkit.input(name).filter(|v| !v.trim().is_empty());
    let repository = input("report-repository")
        .or_else(|| std::env::var("GITHUB_REPOSITORY").ok())
        .ok_or_else(|| {
            RunError::Other(
                "no repository to report on: set `report-repository` (OWNER/NAME)".into(),
            )
        })?;
    let issue = input("report-issue")
        .map(|n| {
            n.trim()
                .trim_start_matches('#')
                .parse::<u64>()
                .map_err(|_| {
                    RunError::Other(format!(
                        "input `report-issue`: `{}` is not an issue number",
                        escape_data(&n)
                    ))
                })
        })
        .transpose()?;
    let format = match input("report-format").as_deref().map(str::trim) {
        None | Some("markdown") => Format::Markdown,
        Some("table") => Format::Table,
        Some("json") => Format::Json,
        Some(other) => {
            return Err(RunError::Other(format!(
                "input `report-format`: `{}` is not markdown, table or json",
                escape_data(other)
            )));
        }
    };
    Ok(ReportArgs {
        from: input("report-from").map(Into::into),
        github: Some(repository),
        api_url: None,
        config: None,
        cache: input("report-cache").map(Into::into),
        save_events: None,
        issue,
        slack_webhook_url: input("slack-webhook-url"),
        since: Some(input("report-since").unwrap_or_else(|| "90d".to_owned())),
        format,
        now: None,
    })
}

fn props() -> AnnotationProps {
    AnnotationProps {
        title: Some(TelemetryEmitter::NAME.to_owned()),
        ..AnnotationProps::default()
    }
}

/// A log line of ours that may quote untrusted text (labels, branches, runner labels):
/// escaped to one line behind our prefix, so it cannot be read as a workflow command.
fn say(toolkit: &Toolkit, text: &str) {
    toolkit.info(&format!("telemetry-emitter: {}", escape_data(text)));
}

/// The branch `.github/guardians.yml` is read from: the PR's base for PR events (a PR cannot
/// change the settings it is measured with), the merge queue's base, else the default branch.
pub(crate) fn config_ref(ctx: &Context) -> String {
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
