//! Which pull request and which commit a run is about.
//!
//! The pull request is found by core's one PR-target selection
//! (`guardians_core::runner::target`): `pull_request[_target]` name it, a `workflow_run` lists it
//! (or, from a fork, has the PR whose head is the run's head commit), a `deployment_status`
//! names only the deployed commit, and `--pr` / the `pr-number` input name it on the last two.
//! What is preview-commenter's own is said here, as a wrapper around it:
//!
//! * the **commit the run describes** is the event's (`pull_request.head.sha`,
//!   `workflow_run.head_sha`, `deployment.sha`), not the PR's head now: a run for an older
//!   commit must leave the comment to the run for the newer one (see `freshness`);
//! * a `deployment_status` is acted on only once the deployment has **finished**, and its
//!   environment is kept so that the statuses of this guardian's own deployments are ignored;
//! * whether the PR came **from the payload** (its head possibly outdated, so read again) or
//!   from the API just now.

use guardians_core::event::{Event, PullRequest};
use guardians_core::runner::{Lookup, RunError, Selection, Session, Triggers, decide, resolve};

/// The events preview-commenter runs on. `pull_request` actions: those after which the
/// previews or the comment change (a new head, a reopened or closed PR, a new base).
pub(crate) const TRIGGERS: Triggers = Triggers {
    guardian: "preview-commenter",
    pull_request_actions: &["opened", "synchronize", "reopened", "closed", "edited"],
    workflow_run: true,
    deployment_status: true,
    any_event_with_pr_number: false,
};

/// Deployment states after which the preview is as up as it will get.
const FINISHED_DEPLOYMENT_STATES: &[&str] = &["success", "failure", "error"];

/// The run's pull request and commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Trigger {
    /// The pull request, from the payload or read from the API during this run.
    pub pull_request: PullRequest,
    /// Whether `pull_request` was read from the API during this run (its head is current),
    /// rather than taken from the event payload (possibly outdated when the run was queued).
    pub read_now: bool,
    /// The commit this run describes.
    pub sha: String,
    /// For `deployment_status`: the deployment's environment, so that the statuses this guardian
    /// posts itself (with a token that triggers workflows) do not start it again.
    pub deployment_environment: Option<String>,
}

/// What the event alone says: the lookup core will perform, or why there is nothing to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pending {
    pub lookup: Lookup,
    /// The commit the run describes; `None` only for a lookup that names the PR alone.
    pub sha: Option<String>,
    pub deployment_environment: Option<String>,
}

/// Decides from the event and the PR number given (`--pr` / `pr-number`), without a request.
pub(crate) fn pending(
    event: &Event,
    event_name: &str,
    pr_number: Option<u64>,
) -> Result<Pending, String> {
    if let Event::DeploymentStatus(status) = event {
        let state = status.deployment_status.state.to_ascii_lowercase();
        if !FINISHED_DEPLOYMENT_STATES.contains(&state.as_str()) {
            return Err(format!(
                "the deployment is `{state}`, not finished yet; preview-commenter acts on success, failure and error"
            ));
        }
    }
    let lookup = decide(event, event_name, pr_number, &TRIGGERS)?;
    let (sha, deployment_environment) = match event {
        Event::PullRequest(e) => (Some(e.pull_request.head.sha.clone()), None),
        Event::WorkflowRun(e) => (Some(e.workflow_run.head_sha.clone()), None),
        Event::DeploymentStatus(e) => (
            Some(e.deployment.sha.clone()),
            Some(e.deployment.environment.clone()),
        ),
        _ => (None, None),
    };
    Ok(Pending {
        lookup,
        sha,
        deployment_environment,
    })
}

/// Performs the lookup (reads only when the payload does not carry the PR). Without a token,
/// which a dry run may go without, only a payload's PR can be used.
pub(crate) async fn select(
    session: &Session,
    pending: Pending,
) -> Result<Selection<Trigger>, RunError> {
    let Pending {
        lookup,
        sha,
        deployment_environment,
    } = pending;
    let read_now = !matches!(lookup, Lookup::Payload(_));
    if read_now && session.github_if_available().is_none() {
        return Err(if session.dry_run {
            RunError::Other(
                "this event does not name its pull request, and finding it needs the API: set \
                 GITHUB_TOKEN (a dry run only reads), or run on a `pull_request` payload"
                    .to_owned(),
            )
        } else {
            RunError::MissingToken
        });
    }
    Ok(match resolve(session, lookup).await? {
        Selection::NothingToDo(why) => Selection::NothingToDo(why),
        Selection::Subject(pull_request) => Selection::Subject(Trigger {
            sha: sha.unwrap_or_else(|| pull_request.head.sha.clone()),
            pull_request,
            read_now,
            deployment_environment,
        }),
    })
}

#[cfg(test)]
mod tests;
