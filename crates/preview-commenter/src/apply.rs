//! Performing the plan: the sticky comment and the deployments, which are independent and go
//! out together. Refusals are kept, not raised, so the caller can degrade a read-only run.

use guardians_core::context::RepoName;
use guardians_core::github::models::IssueComment;
use guardians_core::github::{ApiError, CommentOutcome, GitHub, Identity, StickyComment};

use crate::comment::COMMENT_KEY;
use crate::deployments::{DeploymentPlan, NewDeployment, StatusUpdate};
use crate::deployments_api::{self, StartedDeployment};
use crate::plan::{CommentPlan, Plan};

/// Writes to one pull request.
pub struct Writer<'a> {
    gh: &'a GitHub,
    repo: &'a RepoName,
    number: u64,
}

/// The deployments created before the health checks.
#[derive(Debug, Default)]
pub struct Started {
    pub deployments: Vec<StartedDeployment>,
    pub error: Option<ApiError>,
}

impl Started {
    pub fn none() -> Self {
        Self::default()
    }
}

/// What the writes did.
#[derive(Debug, Default)]
pub struct Outcome {
    pub comment: Option<CommentOutcome>,
    pub comment_error: Option<ApiError>,
    /// The comment write was refused as read-only (the caller degrades to the summary).
    pub comment_refused: bool,
    pub deployment_error: Option<ApiError>,
    /// Deployments marked inactive (closed PR).
    pub deactivated: usize,
}

impl<'a> Writer<'a> {
    pub fn new(gh: &'a GitHub, repo: &'a RepoName, number: u64) -> Self {
        Self { gh, repo, number }
    }

    /// Creates the deployments with status `in_progress`, unless deployments are off.
    pub async fn start_deployments(
        &self,
        enabled: bool,
        create: &[NewDeployment],
        started: &[StatusUpdate],
    ) -> Started {
        if !enabled || create.is_empty() {
            return Started::none();
        }
        let (deployments, error) =
            deployments_api::start(self.gh, self.repo, create, started).await;
        Started { deployments, error }
    }

    /// Writes the comment and the deployments' final statuses (or `inactive` on close).
    pub async fn finish(
        &self,
        plan: &Plan,
        identity: &Identity,
        existing: &[IssueComment],
        started: Started,
    ) -> Outcome {
        let sticky = StickyComment::new(
            self.gh,
            self.repo,
            self.number,
            COMMENT_KEY,
            identity.clone(),
        );
        let comment = async {
            match &plan.comment {
                CommentPlan::Write { body } => Some(sticky.upsert(body, existing).await),
                CommentPlan::LeaveAlone { .. } => None,
            }
        };
        let deployments = async {
            match &plan.deployments {
                DeploymentPlan::Publish { finished, .. } => {
                    deployments_api::finish(self.gh, self.repo, &started.deployments, finished)
                        .await
                        .map(|()| 0)
                }
                DeploymentPlan::Deactivate { statuses } => {
                    deployments_api::deactivate(self.gh, self.repo, statuses).await
                }
                DeploymentPlan::Nothing => Ok(0),
            }
        };
        let (comment, deployments) = tokio::join!(comment, deployments);
        let mut outcome = Outcome::default();
        match comment {
            Some(Ok(done)) => outcome.comment = Some(done),
            Some(Err(err)) => {
                outcome.comment_refused = err.is_write_refused();
                outcome.comment_error = Some(err);
            }
            None => {}
        }
        match deployments {
            Ok(count) => outcome.deactivated = count,
            Err(err) => outcome.deployment_error = Some(err),
        }
        if let Some(err) = started.error {
            outcome.deployment_error = Some(err);
        }
        outcome
    }
}
