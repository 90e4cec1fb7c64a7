//! Acting on the plan: the sticky comment. (Outputs, annotations and the step summary are the
//! runner's, read from the plan.)

use guardians_core::context::RepoName;
use guardians_core::github::models::IssueComment;
use guardians_core::github::{ApiError, CommentOutcome, GitHub, Identity, StickyComment};

use super::gather::COMMENT_KEY;

/// Makes our one comment say the report. It is written on every run, passing or not, so a
/// comment that was red turns green and nothing stale stays; an identical report writes nothing.
pub(crate) async fn comment(
    gh: &GitHub,
    repo: &RepoName,
    number: u64,
    identity: Identity,
    existing: &[IssueComment],
    report: &str,
) -> Result<CommentOutcome, ApiError> {
    StickyComment::new(gh, repo, number, COMMENT_KEY, identity)
        .upsert(report, existing)
        .await
}
