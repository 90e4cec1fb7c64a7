//! Writes that check, right before each one, that this run is still the one to write.
//!
//! A run reads the PR and the comment, checks the previews (seconds to minutes), then writes.
//! Meanwhile the PR's head may move and a newer run may write the comment. So before every
//! PATCH, POST or DELETE of the comment and before the deployment writes, the run reads the
//! PR's head and the shown comment's metadata again and asks [`freshness::before_write`]; a run
//! whose commit is no longer the head, or whose comment was written by a later run, writes
//! nothing more. The one exception is deleting the comment this run itself created a moment
//! earlier, when it turns out to be a duplicate of a newer run's: that removes only our own
//! stale text.

use guardians_core::context::RepoName;
use guardians_core::github::models::IssueComment;
use guardians_core::github::{
    ApiError, CommentAction, CommentOutcome, GitHub, Identity, StickyComment,
};
use serde::Serialize;

use crate::comment::{COMMENT_KEY, CommentMeta};
use crate::facts::RunFacts;
use crate::freshness::{self, Freshness, Reread};
use crate::gather::pull_now;

/// `Some(reason)` when this run's commit is no longer the PR's head (one request). For the
/// deployment writes, which do not depend on the comment.
pub(crate) async fn superseded(
    gh: &GitHub,
    repo: &RepoName,
    facts: &RunFacts,
) -> Result<Option<String>, ApiError> {
    let pr = pull_now(gh, repo, facts.pull_request.number).await?;
    let now = Reread {
        head_sha: pr.head.sha,
        shown: None,
    };
    Ok(match freshness::before_write(facts, &now) {
        Freshness::LeaveAlone { reason } => Some(reason.to_string()),
        Freshness::Write => None,
    })
}

/// What became of the comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CommentWrite {
    Done(CommentOutcome),
    /// Not written (or not further): the reason, for the log.
    LeftAlone(String),
}

/// This run's writes to one pull request.
pub(crate) struct Guard<'a> {
    gh: &'a GitHub,
    repo: &'a RepoName,
    facts: &'a RunFacts,
    sticky: StickyComment<'a>,
}

impl<'a> Guard<'a> {
    pub(crate) fn new(
        gh: &'a GitHub,
        repo: &'a RepoName,
        facts: &'a RunFacts,
        identity: &Identity,
    ) -> Self {
        let sticky = StickyComment::new(
            gh,
            repo,
            facts.pull_request.number,
            COMMENT_KEY,
            identity.clone(),
        );
        Self {
            gh,
            repo,
            facts,
            sticky,
        }
    }

    /// `Some(reason)` when this run's commit is no longer the PR's head (one request).
    pub(crate) async fn superseded(&self) -> Result<Option<String>, ApiError> {
        superseded(self.gh, self.repo, self.facts).await
    }

    /// Make our comment say `body`. `known` are our comments as gathered (oldest first).
    pub(crate) async fn write_comment(
        &self,
        body: &str,
        known: &[IssueComment],
    ) -> Result<CommentWrite, ApiError> {
        let full = self.sticky.full_body(body);
        let (now, ours) = match known.first() {
            Some(first) => match self.reread_one(first.id).await? {
                (now, Some(comment)) => {
                    let mut ours = vec![comment];
                    ours.extend(known[1..].iter().cloned());
                    (now, ours)
                }
                // Deleted meanwhile: whatever is there now decides.
                (_, None) => self.reread_all().await?,
            },
            None => self.reread_all().await?,
        };
        if let Freshness::LeaveAlone { reason } = freshness::before_write(self.facts, &now) {
            return Ok(CommentWrite::LeftAlone(reason.to_string()));
        }
        let Some((keep, duplicates)) = ours.split_first() else {
            return self.create(&full).await;
        };
        let action = if keep.body_text() == full {
            CommentAction::Unchanged
        } else {
            self.sticky.update(keep.id, &full).await?;
            CommentAction::Updated
        };
        let removed = self.delete_duplicates(keep.id, duplicates).await?;
        Ok(CommentWrite::Done(CommentOutcome {
            id: keep.id,
            action,
            removed_duplicates: removed,
        }))
    }

    /// Create the comment, then look again: concurrent runs may have created one too. Every run
    /// keeps the oldest; a run may make it say its text only if it is still the one to write.
    async fn create(&self, full: &str) -> Result<CommentWrite, ApiError> {
        #[derive(Serialize)]
        struct Body<'b> {
            body: &'b str,
        }
        let path = format!(
            "/repos/{}/issues/{}/comments",
            self.repo, self.facts.pull_request.number
        );
        let created: IssueComment = self.gh.post(&path, &Body { body: full }).await?;
        let (now, ours) = self.reread_all().await?;
        let Some((keep, duplicates)) = ours.split_first() else {
            // Someone deleted it already; nothing to converge.
            return Ok(CommentWrite::Done(CommentOutcome {
                id: created.id,
                action: CommentAction::Created,
                removed_duplicates: 0,
            }));
        };
        if keep.id == created.id {
            let removed = self.delete_duplicates(keep.id, duplicates).await?;
            return Ok(CommentWrite::Done(CommentOutcome {
                id: created.id,
                action: CommentAction::Created,
                removed_duplicates: removed,
            }));
        }
        match freshness::before_write(self.facts, &now) {
            Freshness::Write => {
                if keep.body_text() != full {
                    self.sticky.update(keep.id, full).await?;
                }
                let removed = self.delete_duplicates(keep.id, duplicates).await?;
                Ok(CommentWrite::Done(CommentOutcome {
                    id: keep.id,
                    action: CommentAction::Updated,
                    removed_duplicates: removed,
                }))
            }
            Freshness::LeaveAlone { reason } => {
                // A newer run's comment is shown; ours is a stale duplicate of it.
                self.delete(created.id).await?;
                Ok(CommentWrite::LeftAlone(reason.to_string()))
            }
        }
    }

    /// Delete `duplicates` of the comment `keep`, if this run may still write.
    async fn delete_duplicates(
        &self,
        keep: u64,
        duplicates: &[IssueComment],
    ) -> Result<usize, ApiError> {
        if duplicates.is_empty() {
            return Ok(0);
        }
        let (now, _) = self.reread_one(keep).await?;
        if matches!(
            freshness::before_write(self.facts, &now),
            Freshness::LeaveAlone { .. }
        ) {
            // The run that may write will converge them.
            return Ok(0);
        }
        futures::future::try_join_all(duplicates.iter().map(|c| self.delete(c.id))).await?;
        Ok(duplicates.len())
    }

    async fn delete(&self, id: u64) -> Result<(), ApiError> {
        let path = format!("/repos/{}/issues/comments/{id}", self.repo);
        match self.gh.delete(&path).await {
            // Another run deleted it first.
            Err(err) if err.is_not_found() => Ok(()),
            other => other,
        }
    }

    /// The head and comment `id` now, in one round trip; `None` when the comment is gone.
    async fn reread_one(&self, id: u64) -> Result<(Reread, Option<IssueComment>), ApiError> {
        let path = format!("/repos/{}/issues/comments/{id}", self.repo);
        let (pr, comment) = tokio::try_join!(
            pull_now(self.gh, self.repo, self.facts.pull_request.number),
            self.gh.get_optional::<IssueComment>(&path),
        )?;
        let now = Reread {
            head_sha: pr.head.sha,
            shown: comment
                .as_ref()
                .and_then(|c| CommentMeta::parse(c.body_text())),
        };
        Ok((now, comment))
    }

    /// The head and all our comments now (oldest first), in one round trip.
    async fn reread_all(&self) -> Result<(Reread, Vec<IssueComment>), ApiError> {
        let (pr, ours) = tokio::try_join!(
            pull_now(self.gh, self.repo, self.facts.pull_request.number),
            self.sticky.find(None),
        )?;
        let now = Reread {
            head_sha: pr.head.sha,
            shown: ours.first().and_then(|c| CommentMeta::parse(c.body_text())),
        };
        Ok((now, ours))
    }
}
