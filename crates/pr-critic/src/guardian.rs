//! pr-critic in the shape every guardian has (guardians-core's runner):
//!
//! * `local` is the check before pushing (`--body FILE`): files in, the report out, no API;
//! * `select` finds the pull request with core's one PR-target selection, or says why there is
//!   nothing to do;
//! * `gather` reads the PR as it is now, its files, commits, the base branch's settings and
//!   template, and our earlier comment (one round trip for an ordinary PR);
//! * `plan` decides the verdict, the findings, the outputs and the annotations;
//! * `apply` keeps the one sticky comment in line with the report.
//!
//! Exit codes are the shared ones: 1 errors in the description with `mode: enforce`, 0 in
//! `warn` mode or when there is no template to check against (the `result` output is then
//! `neutral`), 2 a bad input, flag, payload or setting, 3 GitHub failing after retries.

use std::io::{self, Write as _};
use std::path::Path;

use guardians_core::config::ConfigSource;
use guardians_core::event::PullRequest;
use guardians_core::github::models::IssueComment;
use guardians_core::github::{Identity, trees};
use guardians_core::runner::{
    self, CommonArgs, Exit, Guardian, Lookup, RunError, Selection, Session, Triggers,
    requested_pr_number,
};
use guardians_core::toolkit::{AnnotationProps, Toolkit};

use crate::action::inputs::{self, Inputs};
use crate::action::{apply, gather, template_lookup};
use crate::args::Args;
use crate::cli::{find_local_template, read_coverage, read_input};
use crate::config::{PrCriticConfig, PrCriticMode};
use crate::facts::{CoverageInput, Facts, SourceFile};
use crate::plan::{AnnotationLevel, Plan, plan};
use crate::policy::Policy;
use crate::{RECHECK_ON_ACTIONS, report};

pub struct PrCritic;

/// The events pr-critic runs on: the PR actions after which the verdict can change, a
/// `workflow_run` (the fork-safe two-workflow setup), and any event given `pr-number` / `--pr`.
pub(crate) const TRIGGERS: Triggers = Triggers {
    guardian: "pr-critic",
    pull_request_actions: RECHECK_ON_ACTIONS,
    workflow_run: true,
    deployment_status: false,
    any_event_with_pr_number: true,
};

/// The pull request to check, with the inputs read while selecting.
pub struct Subject {
    pull: PullRequest,
    /// The PR was read from the API just now; otherwise it is the payload's copy, whose body
    /// and labels may be stale, and `gather` reads it again.
    fresh: bool,
    inputs: Inputs,
}

/// Everything `plan` needs, and what `apply` needs besides.
pub struct RunFacts {
    pub number: u64,
    pub facts: Facts,
    pub policy: Policy,
    pub config_source: ConfigSource,
    /// Who we are and our earlier comments; `None` on a dry run.
    pub comments: Option<(Identity, Vec<IssueComment>)>,
}

impl Guardian for PrCritic {
    const NAME: &'static str = "pr-critic";
    type Cli = Args;
    type Subject = Subject;
    type Facts = RunFacts;
    type Plan = Plan;

    fn common(cli: &Args) -> &CommonArgs {
        &cli.common
    }

    fn local(cli: &Args, _toolkit: &Toolkit) -> Option<Result<Exit, RunError>> {
        if cli.is_local() {
            return Some(check_local(cli));
        }
        if !cli.common.has_event() {
            return Some(Err(RunError::Other(
                "--body FILE is required outside GitHub Actions (or --event FILE to check a pull request through the API); see --help".to_owned(),
            )));
        }
        None
    }

    async fn select(session: &Session, cli: &Args) -> Result<Selection<Subject>, RunError> {
        let inputs = inputs::read(session, cli).map_err(|e| RunError::Other(format!("{e:#}")))?;
        // The runner reads `fail-on-readonly` only when a write is refused; a misspelt value
        // must fail every run (exit 2), not only the one from a fork.
        session.flag("fail-on-readonly", false)?;
        let lookup = match runner::decide(
            &session.context.event,
            &session.context.event_name,
            requested_pr_number(session)?,
            &TRIGGERS,
        ) {
            Ok(lookup) => lookup,
            Err(why) => return Ok(Selection::NothingToDo(why)),
        };
        let fresh = !matches!(lookup, Lookup::Payload(_));
        if session.github_if_available().is_none() && !session.dry_run {
            return Err(RunError::MissingToken);
        }
        Ok(match runner::resolve(session, lookup).await? {
            Selection::Subject(pull) => Selection::Subject(Subject {
                pull,
                fresh,
                inputs,
            }),
            Selection::NothingToDo(why) => Selection::NothingToDo(why),
        })
    }

    async fn gather(
        session: &Session,
        _cli: &Args,
        subject: Subject,
    ) -> Result<RunFacts, RunError> {
        let Subject {
            pull,
            fresh,
            inputs,
        } = subject;
        let Some(gh) = session.github_if_available() else {
            return offline(session, &inputs, pull).await;
        };
        let number = pull.number;
        let repo = &session.context.repository;
        let comment_count = pull.comments;
        let known = fresh.then(|| pull.clone());
        let gathered = gather::gather(session, gh, number, &pull, known, comment_count).await?;
        // GitHub lists at most 3,000 files: the rest come from the base and head trees, and
        // when those are truncated too every approval label applies (a sensitive path may be
        // unseen).
        let listing = trees::complete_listing(
            gh,
            repo,
            gathered.files.clone(),
            &gathered.pull.base.sha,
            &gathered.pull.head.sha,
        )
        .await?;
        let mut policy = policy(&gathered.config.config.section()?, &inputs)?;
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
                repo,
                &pull.base.ref_,
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
            changed_files_unknown: false,
            labels: gathered
                .pull
                .labels
                .iter()
                .map(|label| label.name.clone())
                .collect(),
            commit_messages: gathered.commit_messages,
            coverage: coverage(&inputs, &policy),
        };
        Ok(RunFacts {
            number,
            facts,
            policy,
            config_source: gathered.config.source,
            comments: gathered.comments,
        })
    }

    fn plan(facts: &RunFacts) -> Result<Plan, RunError> {
        Ok(plan(&facts.facts, &facts.policy))
    }

    async fn apply(session: &Session, facts: &RunFacts, plan: &Plan) -> Result<(), RunError> {
        let toolkit = &session.toolkit;
        toolkit.info(&summary_line(plan, facts.number, &facts.config_source));
        let gh = session.github()?;
        let Some((identity, existing)) = &facts.comments else {
            return Err(RunError::Other(
                "internal error: our comments are read on every run that writes".to_owned(),
            ));
        };
        let report = report::markdown::render(plan);
        let outcome = apply::comment(
            gh,
            &session.context.repository,
            facts.number,
            identity.clone(),
            existing,
            &report,
        )
        .await?;
        let action = serde_json::to_value(outcome.action)
            .ok()
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_else(|| "written".to_owned());
        toolkit.info(&format!("comment {}: {action}", outcome.id));
        Ok(())
    }
}

impl runner::Plan for Plan {
    fn failed(&self) -> bool {
        self.verdict.fails_check
    }

    fn markdown(&self) -> String {
        report::markdown::render(self)
    }

    fn outputs(&self) -> Vec<(&'static str, String)> {
        self.outputs.pairs()
    }

    /// One annotation per error or warning (and a notice when nothing was checked); the toolkit
    /// escapes what the messages quote (file names).
    fn annotate(&self, toolkit: &Toolkit) {
        for annotation in &self.annotations {
            let props = AnnotationProps {
                title: Some(annotation.title.clone()),
                ..Default::default()
            };
            match annotation.level {
                AnnotationLevel::Error => toolkit.error(&annotation.message, &props),
                AnnotationLevel::Warning => toolkit.warning(&annotation.message, &props),
                AnnotationLevel::Notice => toolkit.notice(&annotation.message, &props),
            }
        }
    }
}

/// The check before pushing: the report on stdout, the verdict as the exit code. Every failure
/// here is an input or settings error (exit 2).
fn check_local(cli: &Args) -> Result<Exit, RunError> {
    let plan = crate::cli::run(cli).map_err(|e| RunError::Other(format!("{e:#}")))?;
    let text = if cli.common.json {
        report::json::document(&plan) + "\n"
    } else {
        report::markdown::render(&plan)
    };
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => {
            return Err(RunError::Other(format!("cannot write the report: {error}")));
        }
        _ => {}
    }
    Ok(Exit::verdict(plan.verdict.fails_check))
}

/// A dry run without a token: the payload's description and labels, settings from `--config`
/// (or the defaults), the template from the current checkout when there is one. The changed
/// files are not known, so the rules that read them say "not checked".
async fn offline(
    session: &Session,
    inputs: &Inputs,
    pull: PullRequest,
) -> Result<RunFacts, RunError> {
    let loaded = session.load_config(&pull.base.ref_).await?;
    let policy = policy(&loaded.config.section()?, inputs)?;
    let template = match find_local_template(&policy.template_paths) {
        Some(path) if policy.use_template => {
            let display = path.to_string_lossy().into_owned();
            Some(SourceFile {
                text: read_input(&display).map_err(|e| RunError::Other(format!("{e:#}")))?,
                path: display,
            })
        }
        _ => None,
    };
    session.toolkit.info(
        "pr-critic: no token, so the PR's files, commits and base-branch template were not read (dry run)",
    );
    Ok(RunFacts {
        number: pull.number,
        facts: Facts {
            body: pull.body.clone(),
            template,
            changed_files: Vec::new(),
            changed_files_unknown: true,
            labels: pull.labels.iter().map(|l| l.name.clone()).collect(),
            commit_messages: Vec::new(),
            coverage: coverage(inputs, &policy),
        },
        policy,
        config_source: loaded.source,
        comments: None,
    })
}

/// The configuration with the inputs applied, compiled.
fn policy(config: &PrCriticConfig, inputs: &Inputs) -> Result<Policy, RunError> {
    let mut config = config.clone();
    if let Some(mode) = inputs.mode {
        config.mode = mode;
    }
    Policy::compile(&config)
        .map_err(|e| RunError::Other(format!("the `pr-critic` configuration is invalid: {e}")))
}

/// The coverage report comes from the user's own CI step, so it is read from the workspace.
fn coverage(inputs: &Inputs, policy: &Policy) -> Option<CoverageInput> {
    read_coverage(inputs.coverage_file.as_deref().map(Path::new), policy)
}

/// Our own words only: counts and where the settings came from.
fn summary_line(plan: &Plan, number: u64, config: &ConfigSource) -> String {
    format!(
        "pr-critic: PR #{number}: {} error(s), {} warning(s), mode {}; config: {config}",
        plan.verdict.errors,
        plan.verdict.warnings,
        match plan.verdict.mode {
            PrCriticMode::Enforce => "enforce",
            PrCriticMode::Warn => "warn",
        }
    )
}
