//! One living comment per guardian and PR: found by a hidden marker *and* our identity, updated
//! in place, created once, and converging to exactly one when runs race.

use serde::Serialize;

use super::comment_body::fit_comment_body;
use super::comment_metadata;
use super::identity::Identity;
use super::models::IssueComment;
use super::pagination;
use super::{ApiError, GitHub};
use crate::context::RepoName;

/// What an upsert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CommentAction {
    Created,
    Updated,
    Unchanged,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommentOutcome {
    pub id: u64,
    pub action: CommentAction,
    /// Duplicates (from racing runs or older bugs) deleted on the way.
    pub removed_duplicates: usize,
}

/// The sticky comment of guardian `key` on issue/PR `number`.
pub struct StickyComment<'a> {
    gh: &'a GitHub,
    repo: &'a RepoName,
    number: u64,
    key: String,
    marker: String,
    identity: Identity,
}

/// The hidden first line that marks a guardian's comment.
pub fn marker(key: &str) -> String {
    format!("<!-- guardians:{key} -->")
}

impl<'a> StickyComment<'a> {
    pub fn new(
        gh: &'a GitHub,
        repo: &'a RepoName,
        number: u64,
        key: &str,
        identity: Identity,
    ) -> Self {
        Self {
            gh,
            repo,
            number,
            key: key.to_owned(),
            marker: marker(key),
            identity,
        }
    }

    pub fn marker(&self) -> &str {
        &self.marker
    }

    /// The body as it will be stored: marker first, then the fitted text.
    pub fn full_body(&self, body: &str) -> String {
        fit_comment_body(&format!("{}\n{}", self.marker, body))
    }

    /// Our comments: by our identity, with the marker as their whole first line (see
    /// [`comment_metadata::is_ours`]), oldest first. `known_count` is the issue's comment
    /// count when the caller knows it (the pages are then fetched concurrently).
    pub async fn find(&self, known_count: Option<u64>) -> Result<Vec<IssueComment>, ApiError> {
        let path = format!("/repos/{}/issues/{}/comments", self.repo, self.number);
        let all: Vec<IssueComment> = match known_count {
            Some(count) => {
                let pages = pagination::pages_for(count).max(1);
                let known = pagination::fetch_known_pages(self.gh, &path, pages).await?;
                let mut all: Vec<IssueComment> = known.chunks.into_iter().flatten().collect();
                if known.more {
                    all.extend(pagination::fetch_remaining(self.gh, &path, pages + 1, 1000).await?);
                }
                all
            }
            None => pagination::fetch_all(self.gh, &path).await?,
        };
        let mut ours: Vec<IssueComment> = all
            .into_iter()
            .filter(|c| comment_metadata::is_ours(c, &self.identity, &self.key))
            .collect();
        ours.sort_by_key(|c| c.id);
        Ok(ours)
    }

    /// Make our comment say `body`, given `existing` (from [`Self::find`]).
    pub async fn upsert(
        &self,
        body: &str,
        existing: &[IssueComment],
    ) -> Result<CommentOutcome, ApiError> {
        let full = self.full_body(body);
        match existing.split_first() {
            Some((keep, duplicates)) => {
                let action = if keep.body_text() == full {
                    CommentAction::Unchanged
                } else {
                    self.update(keep.id, &full).await?;
                    CommentAction::Updated
                };
                self.delete_all(duplicates).await?;
                Ok(CommentOutcome {
                    id: keep.id,
                    action,
                    removed_duplicates: duplicates.len(),
                })
            }
            None => self.create_and_converge(&full).await,
        }
    }

    /// Replace our comment's body only if one exists (for "leave alone unless present").
    pub async fn update(&self, id: u64, full_body: &str) -> Result<(), ApiError> {
        #[derive(Serialize)]
        struct Body<'b> {
            body: &'b str,
        }
        let path = format!("/repos/{}/issues/comments/{id}", self.repo);
        self.gh
            .patch::<_, serde_json::Value>(&path, &Body { body: full_body })
            .await
            .map(drop)
    }

    /// Create, then look again: if a concurrent run created one too, every run keeps the oldest
    /// and deletes the rest, so all runs converge on the same single comment.
    async fn create_and_converge(&self, full: &str) -> Result<CommentOutcome, ApiError> {
        #[derive(Serialize)]
        struct Body<'b> {
            body: &'b str,
        }
        let path = format!("/repos/{}/issues/{}/comments", self.repo, self.number);
        let created: IssueComment = self.gh.post(&path, &Body { body: full }).await?;
        let ours = self.find(None).await?;
        let Some((keep, duplicates)) = ours.split_first() else {
            // Someone deleted it already; what we created is gone with it. Nothing to converge.
            return Ok(CommentOutcome {
                id: created.id,
                action: CommentAction::Created,
                removed_duplicates: 0,
            });
        };
        self.delete_all(duplicates).await?;
        if keep.id != created.id && keep.body_text() != full {
            self.update(keep.id, full).await?;
        }
        Ok(CommentOutcome {
            id: keep.id,
            action: if keep.id == created.id {
                CommentAction::Created
            } else {
                CommentAction::Updated
            },
            removed_duplicates: duplicates.len(),
        })
    }

    async fn delete_all(&self, comments: &[IssueComment]) -> Result<(), ApiError> {
        futures::future::try_join_all(comments.iter().map(|c| async move {
            let path = format!("/repos/{}/issues/comments/{}", self.repo, c.id);
            match self.gh.delete(&path).await {
                // Another run deleted it first.
                Err(err) if err.is_not_found() => Ok(()),
                other => other,
            }
        }))
        .await
        .map(drop)
    }
}
