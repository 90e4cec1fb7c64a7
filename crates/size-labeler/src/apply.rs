//! Performing the plan with the fewest writes: none when the PR is already right.

use guardians_core::context::RepoName;
use guardians_core::github::labels::KnownLabels;
use guardians_core::github::models::IssueComment;
use guardians_core::github::{ApiError, CommentOutcome, GitHub, Identity, StickyComment, labels};
use serde::Serialize;

use crate::comment::COMMENT_KEY;
use crate::plan::{CommentPlan, Plan};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub labels_added: Vec<String>,
    pub labels_removed: Vec<String>,
    pub comment: Option<CommentOutcome>,
}

/// Label changes and the comment are independent writes and go out together.
pub async fn apply(
    plan: &Plan,
    gh: &GitHub,
    repo: &RepoName,
    identity: Option<&Identity>,
    existing_comments: &[IssueComment],
    known_labels: Option<&KnownLabels>,
) -> Result<Outcome, ApiError> {
    let labels = labels::apply_changes(gh, repo, plan.number, &plan.labels, known_labels);
    let comment = async {
        match &plan.comment {
            CommentPlan::Nothing => Ok(None),
            CommentPlan::Upsert(body) => {
                let identity = identity.cloned().unwrap_or_else(Identity::actions_bot);
                StickyComment::new(gh, repo, plan.number, COMMENT_KEY, identity)
                    .upsert(body, existing_comments)
                    .await
                    .map(Some)
            }
        }
    };
    let ((), comment) = futures::try_join!(labels, comment)?;
    Ok(Outcome {
        labels_added: plan.labels.add.iter().map(|l| l.name.clone()).collect(),
        labels_removed: plan.labels.remove.clone(),
        comment,
    })
}
