//! What the event says: which commit this run describes and how to find its pull request.
//!
//! `pull_request[_target]` names the PR. A `workflow_run` lists it in `pull_requests`, except
//! for runs from forks, where GitHub sends an empty list and the PR is found by the run's head
//! SHA. A `deployment_status` names only the deployed commit (or the PR given by `--pr` /
//! the `pr-number` input).

use guardians_core::event::Event;
use thiserror::Error;

use crate::facts::{PullRequestFacts, PullRequestState};

/// The run's commit and the way to its pull request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    /// The commit this run describes (`pull_request.head.sha`, `workflow_run.head_sha`,
    /// `deployment.sha`).
    pub sha: String,
    pub pull_request: PrPointer,
    /// The PR as the payload describes it, when it does (for a dry run without a token).
    pub payload_pull_request: Option<PullRequestFacts>,
    /// The payload's issue-comment count of the PR (`pull_request.comments`), which lets the
    /// comment pages be fetched alongside the PR itself.
    pub payload_comment_count: Option<u64>,
    /// For `deployment_status`: the deployment's environment, so that the statuses this guardian
    /// posts itself (with a token that triggers workflows) do not start it again.
    pub deployment_environment: Option<String>,
}

/// How to find the pull request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrPointer {
    /// The event names it; `base_ref` (where the config is read) when the event says.
    Number {
        number: u64,
        base_ref: Option<String>,
    },
    /// Only the commit is known: ask GitHub which PR has it as its head.
    HeadSha,
}

/// An event this guardian has nothing to do for.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NothingToDo {
    #[error(
        "preview-commenter runs on pull_request, pull_request_target, workflow_run and deployment_status; this is `{event_name}`, so there is nothing to do"
    )]
    OtherEvent { event_name: String },
    #[error(
        "the deployment is `{state}`, not finished yet; preview-commenter acts on success, failure and error"
    )]
    DeploymentNotFinished { state: String },
}

/// Deployment states after which the preview is as up as it will get.
const FINISHED_DEPLOYMENT_STATES: &[&str] = &["success", "failure", "error"];

/// Reads the trigger from the event. `pr_number` (flag or input) names the PR when the event
/// does not, and wins over a `workflow_run`'s list.
pub fn from_event(
    event: &Event,
    event_name: &str,
    pr_number: Option<u64>,
) -> Result<Trigger, NothingToDo> {
    match event {
        Event::PullRequest(event) => {
            let pr = &event.pull_request;
            let state = if pr.state == "closed" {
                PullRequestState::Closed { merged: pr.merged }
            } else {
                PullRequestState::Open
            };
            Ok(Trigger {
                sha: pr.head.sha.clone(),
                pull_request: PrPointer::Number {
                    number: event.number,
                    base_ref: Some(pr.base.ref_.clone()),
                },
                payload_pull_request: Some(PullRequestFacts {
                    number: event.number,
                    head_ref: pr.head.ref_.clone(),
                    head_sha: pr.head.sha.clone(),
                    head_sha_is_current: false,
                    state,
                }),
                payload_comment_count: None,
                deployment_environment: None,
            })
        }
        Event::WorkflowRun(event) => {
            let run = &event.workflow_run;
            let listed = run
                .pull_requests
                .iter()
                .find(|pr| pr.head.sha.eq_ignore_ascii_case(&run.head_sha))
                .or(run.pull_requests.first());
            let (pointer, payload_pr) = match (pr_number, listed) {
                (Some(number), _) => (
                    PrPointer::Number {
                        number,
                        base_ref: None,
                    },
                    None,
                ),
                (None, Some(pr)) => (
                    PrPointer::Number {
                        number: pr.number,
                        base_ref: Some(pr.base.ref_.clone()),
                    },
                    Some(PullRequestFacts {
                        number: pr.number,
                        head_ref: run.head_branch.clone().unwrap_or(pr.head.ref_.clone()),
                        head_sha: pr.head.sha.clone(),
                        head_sha_is_current: false,
                        state: PullRequestState::Open,
                    }),
                ),
                (None, None) => (PrPointer::HeadSha, None),
            };
            Ok(Trigger {
                sha: run.head_sha.clone(),
                pull_request: pointer,
                payload_pull_request: payload_pr,
                payload_comment_count: None,
                deployment_environment: None,
            })
        }
        Event::DeploymentStatus(event) => {
            let state = event.deployment_status.state.to_ascii_lowercase();
            if !FINISHED_DEPLOYMENT_STATES.contains(&state.as_str()) {
                return Err(NothingToDo::DeploymentNotFinished { state });
            }
            let deployment = &event.deployment;
            let (pointer, payload_pr) = match pr_number {
                Some(number) => (
                    PrPointer::Number {
                        number,
                        base_ref: None,
                    },
                    Some(PullRequestFacts {
                        number,
                        head_ref: deployment.ref_.clone(),
                        head_sha: deployment.sha.clone(),
                        head_sha_is_current: false,
                        state: PullRequestState::Open,
                    }),
                ),
                None => (PrPointer::HeadSha, None),
            };
            Ok(Trigger {
                sha: deployment.sha.clone(),
                pull_request: pointer,
                payload_pull_request: payload_pr,
                payload_comment_count: None,
                deployment_environment: Some(deployment.environment.clone()),
            })
        }
        _ => Err(NothingToDo::OtherEvent {
            event_name: event_name.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests;
