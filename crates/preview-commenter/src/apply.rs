//! Performing the plan: the sticky comment and the deployments, which are independent and go
//! out together, each after reading again that this run may still write (see `guard`).
//! Refusals are kept, not raised, so the caller can degrade a read-only run.

use guardians_core::context::RepoName;
use guardians_core::github::models::IssueComment;
use guardians_core::github::{ApiError, CommentOutcome, GitHub, Identity};

use crate::deployments::{DeploymentPlan, NewDeployment, StatusUpdate};
use crate::deployments_api::{self, StartedDeployment};
use crate::facts::RunFacts;
use crate::guard::{self, CommentWrite, Guard};
use crate::plan::{CommentPlan, Plan};

/// Writes to one pull request.
pub(crate) struct Writer<'a> {
    gh: &'a GitHub,
    repo: &'a RepoName,
}

/// The deployments created before the health checks, and the first error creating them
/// (raised only after the comment is written, so one failing deployment does not cost the
/// reviewers the comment).
#[derive(Debug, Default)]
pub(crate) struct Started {
    pub deployments: Vec<StartedDeployment>,
    pub error: Option<ApiError>,
}

impl Started {
    pub(crate) fn none() -> Self {
        Self::default()
    }
}

/// What the writes did.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    pub comment: Option<CommentOutcome>,
    pub comment_error: Option<ApiError>,
    /// The comment write was refused as read-only (the caller degrades to the summary).
    pub comment_refused: bool,
    /// Read again right before writing: this run was no longer the one to write the comment.
    pub comment_left_alone: Option<String>,
    /// Read again right before writing: the head moved on, so no deployment was written.
    pub deployments_left_alone: Option<String>,
    pub deployment_error: Option<ApiError>,
    /// Deployments marked inactive (closed PR).
    pub deactivated: usize,
}

impl<'a> Writer<'a> {
    pub(crate) fn new(gh: &'a GitHub, repo: &'a RepoName) -> Self {
        Self { gh, repo }
    }

    /// Creates the deployments with status `in_progress`, unless deployments are off or the
    /// PR's head has moved on from this run's commit.
    pub(crate) async fn start_deployments(
        &self,
        facts: &RunFacts,
        enabled: bool,
        create: &[NewDeployment],
        started: &[StatusUpdate],
    ) -> Started {
        if !enabled || create.is_empty() {
            return Started::none();
        }
        match guard::superseded(self.gh, self.repo, facts).await {
            Ok(None) => {}
            Ok(Some(_)) => return Started::none(),
            Err(error) => {
                return Started {
                    deployments: Vec::new(),
                    error: Some(error),
                };
            }
        }
        let (deployments, error) =
            deployments_api::start(self.gh, self.repo, create, started).await;
        Started { deployments, error }
    }

    /// Writes the comment and the deployments' final statuses (or `inactive` on close).
    pub(crate) async fn finish(
        &self,
        plan: &Plan,
        facts: &RunFacts,
        identity: &Identity,
        existing: &[IssueComment],
        started: &[StartedDeployment],
    ) -> Outcome {
        let guard = Guard::new(self.gh, self.repo, facts, identity);
        let comment = async {
            match &plan.comment {
                CommentPlan::Write { body } => Some(guard.write_comment(body, existing).await),
                CommentPlan::LeaveAlone { .. } => None,
            }
        };
        let deployments = async {
            if !matches!(plan.deployments, DeploymentPlan::Nothing) {
                match guard.superseded().await {
                    Ok(None) => {}
                    Ok(Some(reason)) => return Ok(Err(reason)),
                    Err(err) => return Err(err),
                }
            }
            match &plan.deployments {
                DeploymentPlan::Publish { finished, .. } => {
                    deployments_api::finish(self.gh, self.repo, started, finished)
                        .await
                        .map(|()| 0)
                }
                DeploymentPlan::Deactivate { statuses } => {
                    deployments_api::deactivate(self.gh, self.repo, statuses).await
                }
                DeploymentPlan::Nothing => Ok(0),
            }
            .map(Ok)
        };
        let (comment, deployments) = tokio::join!(comment, deployments);
        let mut outcome = Outcome::default();
        match comment {
            Some(Ok(CommentWrite::Done(done))) => outcome.comment = Some(done),
            Some(Ok(CommentWrite::LeftAlone(reason))) => outcome.comment_left_alone = Some(reason),
            Some(Err(err)) => {
                outcome.comment_refused = err.is_write_refused();
                outcome.comment_error = Some(err);
            }
            None => {}
        }
        match deployments {
            Ok(Ok(count)) => outcome.deactivated = count,
            Ok(Err(reason)) => outcome.deployments_left_alone = Some(reason),
            Err(err) => outcome.deployment_error = Some(err),
        }
        outcome
    }
}
