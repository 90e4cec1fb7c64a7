//! One run, from flags and environment to exit code: find the PR, read the facts, decide
//! (`plan::stage`), check the previews, decide the rest (`plan::plan`), write.

use std::process::ExitCode;

use anyhow::Context as _;
use guardians_core::github::{GitHub, Identity};
use guardians_core::runner::{ReadOnlyOutcome, RunError, Session, degrade_read_only};
use guardians_core::toolkit::{AnnotationProps, Toolkit};
use jiff::Timestamp;

use crate::cli::Cli;
use crate::config::PreviewCommenterConfig;
use crate::environments::EnvironmentTemplates;
use crate::health::{HealthChecker, HealthReport, HealthPolicy, http_client};
use crate::plan::{CommentPlan, Plan, Stage, Verdict, plan, stage};
use crate::settings::InputOverrides;
use crate::trigger::{self, Trigger};
use crate::{apply, gather, offline, report};

pub async fn run(cli: Cli, toolkit: Toolkit) -> anyhow::Result<ExitCode> {
    let session = Session::open(cli.common.clone(), toolkit)?;
    let inputs = InputOverrides::read(&session.toolkit)?;
    let mut trigger = match trigger::from_event(
        &session.context.event,
        &session.context.event_name,
        cli.pr.or(inputs.pr_number),
    ) {
        Ok(trigger) => trigger,
        Err(nothing_to_do) => {
            session
                .toolkit
                .notice(&nothing_to_do.to_string(), &AnnotationProps::default());
            return Ok(ExitCode::SUCCESS);
        }
    };
    if let Some(pr) = session.context.event.pull_request() {
        trigger.payload_comment_count = pr.comments;
    }
    let Some(gh) = session.github_if_available() else {
        if !session.dry_run {
            return Err(RunError::MissingToken.into());
        }
        return offline::dry_run(&session, &cli, &inputs, &trigger).await;
    };
    let identity = Identity::resolve(
        gh,
        session.token().unwrap_or(""),
        session.toolkit.input("comment-author").as_deref(),
    )
    .await?;
    let Some(gathered) =
        gather::gather(&session, gh, &trigger, &identity, Timestamp::now()).await?
    else {
        session.toolkit.notice(
            &format!(
                "No pull request has commit {} as its head, so there is no comment to write. \
                 If the event cannot name it, pass the input `pr-number`.",
                trigger.sha.get(..12).unwrap_or(&trigger.sha)
            ),
            &AnnotationProps::default(),
        );
        return Ok(ExitCode::SUCCESS);
    };
    let config = inputs.apply(gathered.config.config.preview_commenter.clone());
    let templates = EnvironmentTemplates::from_config(&config)
        .with_context(|| format!("in {}", gathered.config.source))?;
    let facts = gathered.facts;
    let comments = gathered.comments;
    let stage = stage(&facts, &templates)?;
    if let Some(own) = own_deployment(&trigger, &stage) {
        session.toolkit.notice(
            &format!("`{own}` is one of this guardian's own deployments; nothing to do."),
            &AnnotationProps::default(),
        );
        return Ok(ExitCode::SUCCESS);
    }

    if session.dry_run {
        let reports = check(&config, &stage).await?;
        let plan = plan(&facts, &config, &stage, &reports);
        print_plan(&session.toolkit, &plan, session.args.json)?;
        log_calls(&session.toolkit, gh);
        return Ok(dry_run_verdict(&session, &plan));
    }

    let writer = apply::Writer::new(gh, &session.context.repository);
    let plan = match &stage {
        Stage::Publish { environments } => {
            let (create, started) = crate::deployments::starting(&facts, environments);
            let (deployments, reports) = tokio::join!(
                writer.start_deployments(&facts, config.deployments, &create, &started),
                check(&config, &stage)
            );
            let reports = reports?;
            let plan = plan(&facts, &config, &stage, &reports);
            // However long the checks took, the writes read the head and the comment again
            // first (`guard`): a newer run may have written meanwhile.
            let outcome = writer
                .finish(&plan, &facts, &identity, &comments, deployments)
                .await;
            return conclude(&session, gh, plan, outcome);
        }
        Stage::Close { .. } | Stage::LeaveAlone { .. } => plan(&facts, &config, &stage, &[]),
    };
    let outcome = writer
        .finish(&plan, &facts, &identity, &comments, apply::Started::none())
        .await;
    conclude(&session, gh, plan, outcome)
}

/// A `deployment_status` of a deployment this guardian created (which, with a token that
/// triggers workflows, would start it again and again).
fn own_deployment<'t>(trigger: &'t Trigger, stage: &Stage) -> Option<&'t str> {
    let environment = trigger.deployment_environment.as_deref()?;
    stage
        .environments()
        .iter()
        .any(|env| env.deployment_environment == environment)
        .then_some(environment)
}

/// Health checks of the stage's environments (none unless publishing).
pub(crate) async fn check(
    config: &PreviewCommenterConfig,
    stage: &Stage,
) -> anyhow::Result<Vec<HealthReport>> {
    if stage.to_check().is_empty() {
        return Ok(Vec::new());
    }
    let client = http_client().context("cannot set up the HTTP client for health checks")?;
    Ok(
        HealthChecker::new(client, HealthPolicy::from(&config.health_check))
            .check_all(stage.to_check())
            .await,
    )
}

/// Outputs, summary, warnings and the exit code once the writes are done (or refused).
fn conclude(
    session: &Session,
    gh: &GitHub,
    mut plan: Plan,
    outcome: apply::Outcome,
) -> anyhow::Result<ExitCode> {
    let toolkit = &session.toolkit;
    if let Some(reason) = &outcome.comment_left_alone {
        plan.comment = CommentPlan::LeaveAlone {
            reason: reason.clone(),
        };
    }
    if let Some(reason) = &outcome.deployments_left_alone {
        toolkit.notice(
            &format!("The deployments were not recorded: {reason}."),
            &AnnotationProps::default(),
        );
    }
    if let Some(comment) = &outcome.comment {
        plan.outputs.comment_id = Some(comment.id);
        toolkit.info(&format!(
            "comment {}: {}",
            comment.id,
            serde_json::to_string(&comment.action)
                .unwrap_or_default()
                .trim_matches('"')
        ));
    }
    if let CommentPlan::LeaveAlone { reason } = &plan.comment {
        toolkit.notice(
            &format!("The preview comment was left alone: {reason}."),
            &AnnotationProps::default(),
        );
    }
    report::write_outputs(toolkit, &plan).context("could not write the step outputs")?;
    let mut failed = false;
    match outcome.comment_error {
        None => toolkit.append_summary(&plan.summary)?,
        Some(err) => {
            let fail_on_readonly = session.flag("fail-on-readonly", false)?;
            match degrade_read_only(toolkit, err, &plan.summary, fail_on_readonly)? {
                ReadOnlyOutcome::Degraded => {}
                ReadOnlyOutcome::Failed => failed = true,
            }
        }
    }
    if let Some(err) = outcome.deployment_error {
        let read_only_warned = outcome.comment_refused;
        if err.is_write_refused() {
            if !read_only_warned {
                toolkit.warning(
                    "GitHub refused to record the deployments: give the workflow `permissions: deployments: write`, or set `deployments: false` under `preview-commenter:` (or the input `deployments: false`).",
                    &AnnotationProps {
                        title: Some("Deployments not recorded".into()),
                        ..Default::default()
                    },
                );
            }
        } else {
            return Err(anyhow::Error::new(err).context("recording the deployments failed"));
        }
    }
    if outcome.deactivated > 0 {
        toolkit.info(&format!(
            "{} deployment(s) marked inactive",
            outcome.deactivated
        ));
    }
    log_calls(toolkit, gh);
    let code = verdict(toolkit, &plan);
    Ok(if failed { ExitCode::FAILURE } else { code })
}

fn verdict(toolkit: &Toolkit, plan: &Plan) -> ExitCode {
    match &plan.verdict {
        Verdict::Unhealthy {
            environments,
            fails_step,
        } => {
            let message = format!(
                "Unhealthy preview(s): {}. See the comment for the reason; set `fail-on-unhealthy: false` to report without failing.",
                environments.join(", ")
            );
            let props = AnnotationProps {
                title: Some("Preview not healthy".into()),
                ..Default::default()
            };
            if *fails_step {
                toolkit.error(&message, &props);
                ExitCode::FAILURE
            } else {
                toolkit.warning(&message, &props);
                ExitCode::SUCCESS
            }
        }
        Verdict::Healthy | Verdict::NotChecked => ExitCode::SUCCESS,
    }
}

fn log_calls(toolkit: &Toolkit, gh: &GitHub) {
    let stats = gh.stats();
    toolkit.debug(&format!(
        "GitHub API: {} requests, {} retries, {:?} waited",
        stats.requests, stats.retries, stats.waited
    ));
}

/// With `--json` stdout is the plan alone: the verdict is only the exit code.
pub(crate) fn dry_run_verdict(session: &Session, plan: &Plan) -> ExitCode {
    if !session.args.json {
        return verdict(&session.toolkit, plan);
    }
    if plan.verdict.fails_step() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The plan for a person or a machine. It holds PR-controlled text (the branch in URLs), so in
/// Actions it is printed with workflow commands stopped.
pub(crate) fn print_plan(toolkit: &Toolkit, plan: &Plan, json: bool) -> anyhow::Result<()> {
    let text = if json {
        report::as_json(plan).context("cannot serialize the plan")?
    } else {
        report::for_people(plan)
    };
    toolkit.untrusted(&text);
    Ok(())
}
