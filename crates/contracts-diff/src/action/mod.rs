//! contracts-diff in the shape every guardian has (guardians-core's runner): `select` picks the
//! pull request (or says why there is nothing to do), `gather` reads it through the API (and
//! the local checkout when it has both commits), `plan` diffs the contracts and decides the
//! approval gate, `apply` writes the sticky comment and takes a stale approval label off. The
//! two local modes (`OLD NEW`, `--git BASE...HEAD`) need no run context and run through
//! `Guardian::local`.

pub(crate) mod apply;
pub(crate) mod gather;
pub(crate) mod inputs;
pub(crate) mod pr_plan;
pub(crate) mod render;
pub(crate) mod sources;

use std::path::PathBuf;

use guardians_core::contract_paths::Detector;
use guardians_core::event::{Event, PullRequest};
use guardians_core::runner::{
    CommonArgs, Exit, Guardian, Lookup, RunError, Selection, Session, Triggers, decide,
    requested_pr_number, resolve,
};
use guardians_core::toolkit::{AnnotationProps, Toolkit};

use crate::cli::Args;
use crate::limits::Limits;
use apply::Writes;
use inputs::Inputs;
use pr_plan::{PrFacts, PrPlan};
use sources::Origin;

pub struct ContractsDiff;

/// When contracts-diff runs: the `pull_request` actions after which the contracts or the
/// approval may have changed, and any event (the fork-safe `workflow_run` half of a split
/// workflow) given the PR with `pr-number` or `--pr` — a fork's run only on the PR whose head
/// it built (core's check).
pub(crate) const TRIGGERS: Triggers = Triggers {
    guardian: "contracts-diff",
    pull_request_actions: &[
        "opened",
        "reopened",
        "synchronize",
        "edited",
        "ready_for_review",
        "labeled",
        "unlabeled",
    ],
    workflow_run: false,
    deployment_status: false,
    any_event_with_pr_number: true,
};

/// The pull request to check, with the inputs read while choosing it.
pub struct Selected {
    pull: PullRequest,
    /// Read from the API during this run, rather than taken from the payload.
    read_now: bool,
    inputs: Inputs,
}

impl Guardian for ContractsDiff {
    const NAME: &'static str = "contracts-diff";
    type Cli = Args;
    type Subject = Selected;
    type Facts = PrFacts;
    type Plan = PrPlan;

    fn common(cli: &Args) -> &CommonArgs {
        &cli.common
    }

    fn local(cli: &Args, toolkit: &Toolkit) -> Option<Result<Exit, RunError>> {
        if !cli.is_offline() {
            if cli.common.has_event() {
                return None;
            }
            return Some(Err(RunError::Other(
                "nothing to compare: give OLD and NEW files, --git BASE...HEAD in a checkout, \
                 or --event FILE (in Actions, the run's event) to check a pull request"
                    .to_owned(),
            )));
        }
        if let Some(values) = &cli.git
            && crate::cli::git_range(values).is_ok_and(|range| range.deprecated_form)
        {
            // Outside Actions warnings go to stderr, so `--format json > file` stays JSON.
            toolkit.warning(
                &format!(
                    "`--git BASE HEAD` is deprecated: write `--git {}..{}` (the same comparison), \
                     or `--git {}...{}` for the changes since their merge base as a pull request shows them",
                    values[0], values[1], values[0], values[1]
                ),
                &AnnotationProps::default(),
            );
        }
        Some(
            crate::cli::run(cli)
                .map(|outcome| {
                    toolkit.untrusted(&outcome.output);
                    Exit::verdict(outcome.fail)
                })
                .map_err(|e| RunError::Other(e.0)),
        )
    }

    async fn select(session: &Session, _cli: &Args) -> Result<Selection<Selected>, RunError> {
        let inputs = Inputs::read(&session.toolkit).map_err(RunError::Other)?;
        // Core's one PR-target selection; whether the PR came from the payload decides whether
        // `gather` reads it again.
        let lookup = match decide(
            &session.context.event,
            &session.context.event_name,
            requested_pr_number(session)?,
            &TRIGGERS,
        ) {
            Ok(lookup) => lookup,
            Err(why) => return Ok(Selection::NothingToDo(why)),
        };
        let read_now = !matches!(lookup, Lookup::Payload(_));
        Ok(match resolve(session, lookup).await? {
            Selection::Subject(pull) => Selection::Subject(Selected {
                pull,
                read_now,
                inputs,
            }),
            Selection::NothingToDo(why) => Selection::NothingToDo(why),
        })
    }

    async fn gather(
        session: &Session,
        cli: &Args,
        selected: Selected,
    ) -> Result<PrFacts, RunError> {
        let Some(gh) = session.github_if_available() else {
            return Err(RunError::Other(
                "no GitHub token: set the `github-token` input (default `${{ github.token }}`) or GITHUB_TOKEN; \
                 to diff without the API, use `contracts-diff --git BASE...HEAD` in a checkout"
                    .to_owned(),
            ));
        };
        let repo = session.context.repository.clone();
        let gathered = gather::gather(session, gh, &selected).await?;
        let mut config = selected
            .inputs
            .apply(crate::config::read_section(&gathered.config)?);
        if let Some(fail_on) = cli.fail_on {
            config.fail_on = fail_on.into();
        }
        let detector = Detector::new(&config).map_err(|e| RunError::Other(e.to_string()))?;
        let limits = Limits::from_config(&config);
        let pull = &gathered.pull;
        let workspace = std::env::var_os("GITHUB_WORKSPACE")
            .map(PathBuf::from)
            .unwrap_or_else(|| cli.repo_dir.clone());
        // GitHub's listing stops at 3,000 files; a contract must not hide behind them.
        let listing = sources::complete_listing(
            gh,
            &repo,
            gathered.files.clone(),
            &workspace,
            &pull.base.sha,
            &pull.head.sha,
        )
        .await?;
        let (changed, endpoint_files) = sources::select(&listing.files, &detector);
        let origin = if changed.is_empty() {
            Origin::Api {
                base: pull.base.sha.clone(),
                head: pull.head.sha.clone(),
            }
        } else {
            Origin::choose(Some(&workspace), &pull.base.sha, &pull.head.sha)
        };
        let mut sources =
            sources::collect(gh, &repo, &origin, changed, endpoint_files, &limits).await?;
        if let Some(found_by) = listing.completed_from {
            sources.notes.push(format!(
                "GitHub lists at most 3,000 files of a pull request; the files beyond them were found by comparing {found_by}."
            ));
        }
        sources.facts.incomplete_listing = listing.incomplete;
        session.toolkit.info(&format!(
            "contracts-diff: {} changed contract file(s), contents from {}, config: {}",
            sources.facts.contracts.len() + sources.facts.unreadable.len(),
            origin.describe(),
            gathered.config.source
        ));
        let label = config.approval_label.clone();
        let label_just_added = match &session.context.event {
            Event::PullRequest(event) => Some(
                event.action == "labeled"
                    && event
                        .label
                        .as_ref()
                        .is_some_and(|l| l.name.eq_ignore_ascii_case(&label)),
            ),
            _ => None,
        };
        Ok(PrFacts {
            number: selected.pull.number,
            label_present: pull.has_label(&label),
            label_just_added,
            config,
            limits,
            diff: sources.facts,
            notes: sources.notes,
            identity: gathered.identity,
            comments: gathered.comments,
        })
    }

    fn plan(facts: &PrFacts) -> Result<PrPlan, RunError> {
        Ok(pr_plan::plan(facts))
    }

    async fn apply(session: &Session, facts: &PrFacts, plan: &PrPlan) -> Result<(), RunError> {
        let gh = session.github()?;
        let writes = Writes {
            comment: plan.write_comment.then(|| render::comment_body(plan)),
            remove_label: plan.remove_label().map(str::to_owned),
        };
        let outcome = apply::apply(
            &writes,
            gh,
            &session.context.repository,
            plan.number,
            &facts.identity,
            &facts.comments,
        )
        .await?;
        if outcome.label_removed {
            session
                .toolkit
                .info("approval label removed: new breaking changes since it was given");
        }
        Ok(())
    }
}
