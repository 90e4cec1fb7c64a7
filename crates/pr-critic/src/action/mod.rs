//! The GitHub Action: check the pull request of the event against the base branch's template
//! and configuration, then keep one sticky comment, the outputs, annotations and the step summary
//! in line with the verdict.

mod apply;
mod directory;
mod gather;
mod inputs;
mod target;
mod template_lookup;

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use guardians_core::config::ConfigSource;
use guardians_core::event::PullRequest;
use guardians_core::github::trees;
use guardians_core::runner::{ReadOnlyOutcome, RunError, Session, degrade_read_only};
use guardians_core::toolkit::{AnnotationProps, Toolkit};

pub use gather::COMMENT_KEY;
pub use target::{Skip, Target};

use crate::args::Args;
use crate::cli::{find_local_template, read_coverage, read_input};
use crate::config::PrCriticConfig;
use crate::facts::{Facts, SourceFile};
use crate::plan::{Plan, plan};
use crate::policy::Policy;
use crate::report;
use inputs::Inputs;

/// Exit code when the verdict fails the check.
const EXIT_FINDINGS: u8 = 1;

/// One run in Actions (or from a terminal with `--event`).
pub async fn run(args: Args, toolkit: Toolkit) -> anyhow::Result<ExitCode> {
    let session = Session::open(args.common.clone(), toolkit)?;
    let inputs = inputs::read(&session, &args)?;
    let mut target = match target::select(
        &session.context.event,
        &session.context.event_name,
        inputs.pr_number,
    ) {
        Ok(target) => target,
        Err(Skip(reason)) => {
            session.toolkit.notice(&reason, &AnnotationProps::default());
            return Ok(ExitCode::SUCCESS);
        }
    };
    if let Some(payload) = &target.payload {
        target.comment_count = payload.comments;
    }

    let Some(gh) = session.github_if_available() else {
        return match (&target.payload, session.dry_run) {
            (Some(payload), true) => offline_dry_run(&session, &args, &inputs, payload),
            _ => Err(RunError::MissingToken.into()),
        };
    };
    let (payload, known) = match target.payload.clone() {
        Some(payload) => (payload, None),
        None => {
            let pull = guardians_core::github::pulls::pull_request(
                gh,
                &session.context.repository,
                target.number,
            )
            .await?;
            target.comment_count = pull.comments;
            (pull.clone(), Some(pull))
        }
    };
    let gathered = gather::gather(
        &session,
        gh,
        target.number,
        &payload,
        known,
        target.comment_count,
    )
    .await?;
    // GitHub lists at most 3,000 files: the rest come from the base and head trees, and when
    // those are truncated too every approval label applies (a sensitive path may be unseen).
    let listing = trees::complete_listing(
        gh,
        &session.context.repository,
        gathered.files.clone(),
        &gathered.pull.base.sha,
        &gathered.pull.head.sha,
    )
    .await
    .map_err(RunError::from)?;
    let mut policy = policy(&gathered.config.config.pr_critic, &inputs)?;
    if let Some(why) = &listing.incomplete {
        policy = policy
            .assuming_unlisted_changes(why)
            .map_err(|e| RunError::Other(e.to_string()))?;
        session.toolkit.warning(
            &format!("{why}; every approval label applies."),
            &AnnotationProps::default(),
        );
    }
    let template = if policy.use_template {
        template_lookup::find(
            gh,
            &session.context.repository,
            &payload.base.ref_,
            &policy.template_paths,
            gathered.templates,
            gathered.pull.body.as_deref(),
        )
        .await?
    } else {
        None
    };
    let facts = Facts {
        body: gathered.pull.body.clone(),
        template,
        changed_files: listing
            .files
            .iter()
            .map(|file| file.filename.clone())
            .collect(),
        labels: gathered
            .pull
            .labels
            .iter()
            .map(|label| label.name.clone())
            .collect(),
        commit_messages: gathered.commit_messages,
        coverage: coverage(&inputs, &policy),
    };
    let plan = plan(&facts, &policy);
    if session.dry_run {
        print_plan(&session.toolkit, &plan, args.wants_json());
        return Ok(verdict(&plan));
    }
    session
        .toolkit
        .info(&summary_line(&plan, target.number, &gathered.config.source));
    apply::outputs(&session.toolkit, &plan)?;
    apply::annotations(&session.toolkit, &plan);
    let (identity, existing) = gathered
        .comments
        .ok_or_else(|| anyhow::anyhow!("internal: comments are read unless in a dry run"))?;
    match apply::comment(
        gh,
        &session.context.repository,
        target.number,
        identity,
        &existing,
        &plan,
    )
    .await
    {
        Ok(outcome) => {
            session.toolkit.append_summary(&plan.markdown)?;
            session.toolkit.info(&format!(
                "comment {}: {}",
                outcome.id,
                serde_json::to_value(outcome.action)?
                    .as_str()
                    .unwrap_or("written")
            ));
        }
        Err(err) => {
            match degrade_read_only(
                &session.toolkit,
                err,
                &plan.markdown,
                inputs.fail_on_readonly,
            )? {
                ReadOnlyOutcome::Degraded => {}
                ReadOnlyOutcome::Failed => return Ok(ExitCode::FAILURE),
            }
        }
    }
    let stats = gh.stats();
    session.toolkit.debug(&format!(
        "API: {} requests, {} retries, {:?} waited",
        stats.requests, stats.retries, stats.waited
    ));
    Ok(verdict(&plan))
}

/// The configuration with the inputs applied, compiled.
fn policy(config: &PrCriticConfig, inputs: &Inputs) -> anyhow::Result<Policy> {
    let mut config = config.clone();
    if let Some(mode) = inputs.mode {
        config.mode = mode;
    }
    Policy::compile(&config).context("the `pr-critic` configuration is invalid")
}

/// The coverage report comes from the user's own CI step, so it is read from the workspace.
fn coverage(inputs: &Inputs, policy: &Policy) -> Option<crate::facts::CoverageInput> {
    read_coverage(inputs.coverage_file.as_deref().map(Path::new), policy)
}

fn verdict(plan: &Plan) -> ExitCode {
    if plan.verdict.fails_check {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

/// Our own words only: counts and where the settings came from.
fn summary_line(plan: &Plan, number: u64, config: &ConfigSource) -> String {
    format!(
        "pr-critic: PR #{number}: {} error(s), {} warning(s), mode {}; config: {config}",
        plan.verdict.errors,
        plan.verdict.warnings,
        match plan.verdict.mode {
            crate::config::PrCriticMode::Enforce => "enforce",
            crate::config::PrCriticMode::Warn => "warn",
        }
    )
}

/// The report quotes file names and headings: printed with workflow commands stopped.
fn print_plan(toolkit: &Toolkit, plan: &Plan, json: bool) {
    if json {
        toolkit.untrusted(&report::json::document(plan));
    } else {
        toolkit.untrusted(&plan.markdown);
    }
}

/// `--dry-run` without a token: the payload's description and labels, settings from `--config`
/// (or the defaults), the template from the current checkout when there is one. No files or
/// commits are known, so the rules that read them see none.
fn offline_dry_run(
    session: &Session,
    args: &Args,
    inputs: &Inputs,
    payload: &PullRequest,
) -> anyhow::Result<ExitCode> {
    let config = match &session.args.config {
        Some(path) => crate::config::load_file(path)?,
        None => PrCriticConfig::default(),
    };
    let policy = policy(&config, inputs)?;
    let template = match find_local_template(&policy.template_paths) {
        Some(path) if policy.use_template => {
            let display = path.to_string_lossy().into_owned();
            Some(SourceFile {
                text: read_input(&display)?,
                path: display,
            })
        }
        _ => None,
    };
    let facts = Facts {
        body: payload.body.clone(),
        template,
        changed_files: Vec::new(),
        labels: payload.labels.iter().map(|l| l.name.clone()).collect(),
        commit_messages: Vec::new(),
        coverage: coverage(inputs, &policy),
    };
    let plan = plan(&facts, &policy);
    session.toolkit.info(
        "pr-critic: no token, so the PR's files, commits and base-branch template were not read (dry run)",
    );
    print_plan(&session.toolkit, &plan, args.wants_json());
    Ok(verdict(&plan))
}
