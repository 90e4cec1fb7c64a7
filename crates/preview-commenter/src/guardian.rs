//! preview-commenter in the shape every guardian has (guardians-core's runner):
//!
//! * `select` finds the pull request and the commit the run describes (core's one PR-target
//!   selection, wrapped in [`crate::trigger`]), or says why there is nothing to do;
//! * `gather` reads the PR now, the config and our comment, then checks the previews' health —
//!   and, on a real run, creates the deployments with status `in_progress` while the checks
//!   run, so that the PR's timeline shows them being checked (the one write before `plan`;
//!   never on a dry run);
//! * `plan` decides everything: the freshness rule against the comment as gathered, the comment,
//!   the deployment statuses, the outputs and the verdict (`fail-on-unhealthy`);
//! * `apply` writes, re-reading the PR's head and the comment's metadata right before each write
//!   ([`crate::guard`]) so that an older commit's run never overwrites a newer one, however long
//!   the checks took.
//!
//! Exit codes are the shared ones: 1 an unhealthy preview with `fail-on-unhealthy: true`, 2 a
//! config, input or URL-template mistake, 3 GitHub failing after retries.

use std::sync::Mutex;

use guardians_core::github::models::IssueComment;
use guardians_core::github::{ApiError, Identity};
use guardians_core::runner::{
    CommonArgs, Guardian, Plan as _, RunError, Selection, Session, requested_pr_number,
};
use guardians_core::toolkit::{AnnotationProps, Toolkit};
use jiff::Timestamp;

use crate::apply::{Outcome, Started, Writer};
use crate::cli::Cli;
use crate::config::PreviewCommenterConfig;
use crate::deployments_api::StartedDeployment;
use crate::environments::EnvironmentTemplates;
use crate::facts::{ExistingComment, RunFacts};
use crate::health::{HealthChecker, HealthPolicy, HealthReport, http_client};
use crate::plan::{CommentPlan, Plan, Stage, Verdict, plan, stage_for};
use crate::settings::InputOverrides;
use crate::trigger::{self, Trigger};
use crate::{deployments, gather, report};

pub struct PreviewCommenter;

/// The run's pull request and commit, with the inputs read while selecting.
pub struct Subject {
    trigger: Trigger,
    inputs: InputOverrides,
}

/// Everything `plan` needs, and what `apply` needs besides.
pub struct Facts {
    pub run: RunFacts,
    /// `preview-commenter:` with the inputs applied.
    pub config: PreviewCommenterConfig,
    /// Where the config came from, for its error messages.
    pub config_source: String,
    pub deployment_environment: Option<String>,
    /// The health checks of the previews (none unless publishing).
    pub reports: Vec<HealthReport>,
    /// What only a run with a token has.
    pub online: Option<Online>,
}

/// The identity the comment is found by, our comments as gathered, and the deployments
/// created before the checks.
pub struct Online {
    pub identity: Identity,
    pub comments: Vec<IssueComment>,
    pub started: Vec<StartedDeployment>,
    /// Creating a deployment failed: raised once the comment is written. A `Mutex` only so
    /// that `apply`, which sees the facts by reference, can take it.
    pub start_error: Mutex<Option<ApiError>>,
}

impl Guardian for PreviewCommenter {
    const NAME: &'static str = "preview-commenter";
    type Cli = Cli;
    type Subject = Subject;
    type Facts = Facts;
    type Plan = Plan;

    fn common(cli: &Cli) -> &CommonArgs {
        &cli.common
    }

    async fn select(session: &Session, _cli: &Cli) -> Result<Selection<Subject>, RunError> {
        let inputs = InputOverrides::read(&session.toolkit)
            .map_err(|err| RunError::Other(err.to_string()))?;
        let pending = match trigger::pending(
            &session.context.event,
            &session.context.event_name,
            requested_pr_number(session)?,
        ) {
            Ok(pending) => pending,
            Err(why) => return Ok(Selection::NothingToDo(why)),
        };
        if session.github_if_available().is_none() && !session.dry_run {
            return Err(RunError::MissingToken);
        }
        Ok(match trigger::select(session, pending).await? {
            Selection::Subject(trigger) => Selection::Subject(Subject { trigger, inputs }),
            Selection::NothingToDo(why) => Selection::NothingToDo(why),
        })
    }

    async fn gather(session: &Session, cli: &Cli, subject: Subject) -> Result<Facts, RunError> {
        let Subject { trigger, inputs } = subject;
        let now = Timestamp::now();
        let (run, loaded, online) = match session.github_if_available() {
            Some(gh) => {
                let read = gather::read(session, gh, &trigger, now).await?;
                (
                    read.facts,
                    read.config,
                    Some((read.identity, read.comments)),
                )
            }
            None => {
                let existing = existing_comment_file(cli)?;
                let facts = gather::offline(session, &trigger, existing, now);
                (facts, session.load_config("").await?, None)
            }
        };
        let config = inputs.apply(loaded.config.section()?);
        let config_source = loaded.source.to_string();
        // What to check (and which deployments to start) follows from the stage; `plan` decides
        // it again from the same facts.
        let templates = templates(&config, &config_source)?;
        let stage = stage_for(&run, &templates, trigger.deployment_environment.as_deref())
            .map_err(|err| RunError::Other(err.to_string()))?;
        // The deployments show `in_progress` while their previews are checked.
        let starting = async {
            match (session.github_if_available(), &stage) {
                (Some(gh), Stage::Publish { environments }) if !session.dry_run => {
                    let (create, started) = deployments::starting(&run, environments);
                    Writer::new(gh, &session.context.repository)
                        .start_deployments(&run, config.deployments, &create, &started)
                        .await
                }
                _ => Started::none(),
            }
        };
        let (started, reports) = tokio::join!(starting, check(&config, &stage));
        let reports = reports?;
        Ok(Facts {
            online: online.map(|(identity, comments)| Online {
                identity,
                comments,
                started: started.deployments,
                start_error: Mutex::new(started.error),
            }),
            run,
            config,
            config_source,
            deployment_environment: trigger.deployment_environment,
            reports,
        })
    }

    fn plan(facts: &Facts) -> Result<Plan, RunError> {
        let templates = templates(&facts.config, &facts.config_source)?;
        let stage = stage_for(
            &facts.run,
            &templates,
            facts.deployment_environment.as_deref(),
        )
        .map_err(|err| RunError::Other(err.to_string()))?;
        Ok(plan(&facts.run, &facts.config, &stage, &facts.reports))
    }

    async fn apply(session: &Session, facts: &Facts, plan: &Plan) -> Result<(), RunError> {
        let toolkit = &session.toolkit;
        let (Some(gh), Some(online)) = (session.github_if_available(), &facts.online) else {
            return Err(RunError::MissingToken);
        };
        let outcome = Writer::new(gh, &session.context.repository)
            .finish(
                plan,
                &facts.run,
                &online.identity,
                &online.comments,
                &online.started,
            )
            .await;
        let start_error = online
            .start_error
            .lock()
            .map_err(|_| RunError::Other("internal error: a poisoned lock".to_owned()))?
            .take();
        conclude(toolkit, plan, outcome, start_error)
    }
}

/// Says what the writes did, and hands back the errors for the runner: a refused comment write
/// (the runner degrades a read-only run to the summary), or any other failure.
fn conclude(
    toolkit: &Toolkit,
    plan: &Plan,
    mut outcome: Outcome,
    start_error: Option<ApiError>,
) -> Result<(), RunError> {
    if let Some(err) = start_error {
        outcome.deployment_error.get_or_insert(err);
    }
    if let Some(reason) = &outcome.deployments_left_alone {
        toolkit.notice(
            &format!("The deployments were not recorded: {reason}."),
            &AnnotationProps::default(),
        );
    }
    if let Some(comment) = &outcome.comment {
        // Known only now when the comment was just created.
        toolkit
            .set_output("comment-id", &comment.id.to_string())
            .map_err(|e| {
                RunError::Other(format!("could not write the output `comment-id`: {e}"))
            })?;
        let action = serde_json::to_string(&comment.action).unwrap_or_default();
        toolkit.info(&format!(
            "comment {}: {}",
            comment.id,
            action.trim_matches('"')
        ));
    }
    let left_alone = match (&outcome.comment_left_alone, &plan.comment) {
        (Some(reason), _) | (None, CommentPlan::LeaveAlone { reason }) => Some(reason),
        (None, CommentPlan::Write { .. }) => None,
    };
    if let Some(reason) = left_alone {
        toolkit.notice(
            &format!("The preview comment was left alone: {reason}."),
            &AnnotationProps::default(),
        );
    }
    if outcome.deactivated > 0 {
        toolkit.info(&format!(
            "{} deployment(s) marked inactive",
            outcome.deactivated
        ));
    }
    if let Some(err) = outcome.deployment_error {
        if !err.is_write_refused() {
            return Err(RunError::Api(err));
        }
        // A read-only token refuses the comment too, and the runner warns about that once.
        if !outcome.comment_refused {
            toolkit.warning(
                "GitHub refused to record the deployments: give the workflow `permissions: deployments: write`, or set `deployments: false` under `preview-commenter:` (or the input `deployments: false`).",
                &AnnotationProps {
                    title: Some("Deployments not recorded".into()),
                    ..Default::default()
                },
            );
        }
    }
    match outcome.comment_error {
        Some(err) => Err(RunError::Api(err)),
        None => Ok(()),
    }
}

/// An unhealthy preview is an error annotation when it fails the step, a warning otherwise.
fn announce_verdict(toolkit: &Toolkit, plan: &Plan) {
    let Verdict::Unhealthy { environments, .. } = &plan.verdict else {
        return;
    };
    let message = format!(
        "Unhealthy preview(s): {}. See the comment for the reason; set `fail-on-unhealthy: false` to report without failing.",
        environments.join(", ")
    );
    let props = AnnotationProps {
        title: Some("Preview not healthy".into()),
        ..Default::default()
    };
    if plan.failed() {
        toolkit.error(&message, &props);
    } else {
        toolkit.warning(&message, &props);
    }
}

impl guardians_core::runner::Plan for Plan {
    fn failed(&self) -> bool {
        self.verdict.fails_step()
    }

    fn markdown(&self) -> String {
        report::markdown(self)
    }

    fn outputs(&self) -> Vec<(&'static str, String)> {
        report::outputs(self).into()
    }

    /// On dry runs too: the verdict is the plan's.
    fn annotate(&self, toolkit: &Toolkit) {
        announce_verdict(toolkit, self);
    }
}

/// The config's environments, checked; a mistake names where the config came from.
fn templates(
    config: &PreviewCommenterConfig,
    source: &str,
) -> Result<EnvironmentTemplates, RunError> {
    EnvironmentTemplates::from_config(config)
        .map_err(|err| RunError::Other(format!("{err} (in {source})")))
}

/// `--existing-comment FILE`: with a dry run and no token, the comment to decide against.
fn existing_comment_file(cli: &Cli) -> Result<Option<ExistingComment>, RunError> {
    let Some(path) = &cli.existing_comment else {
        return Ok(None);
    };
    let body = std::fs::read_to_string(path).map_err(|err| {
        RunError::Other(format!(
            "cannot read the comment file {} given to --existing-comment: {err}",
            path.display()
        ))
    })?;
    Ok(Some(ExistingComment { id: 0, body }))
}

/// Health checks of the stage's environments (none unless publishing).
async fn check(
    config: &PreviewCommenterConfig,
    stage: &Stage,
) -> Result<Vec<HealthReport>, RunError> {
    if stage.to_check().is_empty() {
        return Ok(Vec::new());
    }
    let client = http_client().map_err(|err| {
        RunError::Other(format!(
            "cannot set up the HTTP client for health checks: {err}"
        ))
    })?;
    Ok(
        HealthChecker::new(client, HealthPolicy::from(&config.health_check))
            .check_all(stage.to_check())
            .await,
    )
}
