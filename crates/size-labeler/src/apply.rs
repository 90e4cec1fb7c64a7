//! Performing the plan with the fewest writes: none when the PR is already right.

use guardians_core::context::RepoName;
use guardians_core::github::labels::{ConvergeError, KnownLabels, LabelsNotConverged};
use guardians_core::github::models::IssueComment;
use guardians_core::github::{ApiError, CommentOutcome, GitHub, Identity, StickyComment, labels};
use serde::Serialize;

use crate::comment::COMMENT_KEY;
use crate::plan::{CommentPlan, Plan};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Outcome {
    pub labels_added: Vec<String>,
    pub labels_removed: Vec<String>,
    pub comment: Option<CommentOutcome>,
}

/// Why the plan was not reached.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ApplyError {
    /// A write failed outright (a read-only token among others).
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The labels stayed half-changed after retrying; no comment was written.
    #[error(transparent)]
    Labels(#[from] LabelsNotConverged),
}

/// The labels first, then the comment: the comment describes the size label, so it is written
/// only once the labels are known to be right.
pub(crate) async fn apply(
    plan: &Plan,
    gh: &GitHub,
    repo: &RepoName,
    identity: Option<&Identity>,
    existing_comments: &[IssueComment],
    known_labels: Option<&KnownLabels>,
) -> Result<Outcome, ApplyError> {
    labels::converge(
        gh,
        repo,
        plan.number,
        &plan.labels,
        std::slice::from_ref(&plan.desired_label),
        &plan.owned_labels,
        known_labels,
    )
    .await
    .map_err(|err| match err {
        ConvergeError::Refused(err) => ApplyError::Api(err),
        ConvergeError::NotConverged(err) => ApplyError::Labels(err),
    })?;
    let comment = match &plan.comment {
        CommentPlan::Nothing => None,
        CommentPlan::Upsert(body) => {
            let identity = identity.cloned().unwrap_or_else(Identity::actions_bot);
            Some(
                StickyComment::new(gh, repo, plan.number, COMMENT_KEY, identity)
                    .upsert(body, existing_comments)
                    .await?,
            )
        }
    };
    Ok(Outcome {
        labels_added: plan.labels.add.iter().map(|l| l.name.clone()).collect(),
        labels_removed: plan.labels.remove.clone(),
        comment,
    })
}
