//! The writes: the sticky comment and, when an approval went stale, the label. Both are
//! independent and go out together; nothing is written when the PR already says it.

use guardians_core::context::RepoName;
use guardians_core::github::models::IssueComment;
use guardians_core::github::{ApiError, CommentOutcome, GitHub, Identity, StickyComment, labels};

use crate::comment::COMMENT_KEY;

/// What to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Writes {
    /// The comment body; None leaves the PR without our comment (nothing to report and no
    /// comment yet).
    pub comment: Option<String>,
    /// The approval label to take off the PR.
    pub remove_label: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Outcome {
    pub comment: Option<CommentOutcome>,
    pub label_removed: bool,
}

pub(crate) async fn apply(
    writes: &Writes,
    gh: &GitHub,
    repo: &RepoName,
    number: u64,
    identity: &Identity,
    existing: &[IssueComment],
) -> Result<Outcome, ApiError> {
    let comment = async {
        match &writes.comment {
            Some(body) => StickyComment::new(gh, repo, number, COMMENT_KEY, identity.clone())
                .upsert(body, existing)
                .await
                .map(Some),
            None => Ok(None),
        }
    };
    let label = async {
        match &writes.remove_label {
            // Only the approval label; a label already gone (404) is what we wanted.
            Some(name) => labels::remove_label(gh, repo, number, name)
                .await
                .map(|()| true),
            None => Ok(false),
        }
    };
    let (comment, label_removed) = futures::try_join!(comment, label)?;
    Ok(Outcome {
        comment,
        label_removed,
    })
}
