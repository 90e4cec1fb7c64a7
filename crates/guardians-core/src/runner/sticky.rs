//! The one sticky-comment identity and lookup: which comments on a pull request are ours.

use crate::github::models::IssueComment;
use crate::github::{Identity, StickyComment};

use super::{RunError, Session};

impl Session {
    /// Our sticky comments on pull request `number` (oldest first, normally one or none) and the
    /// identity that makes a comment ours: the `comment-author` input when given, else the
    /// token's own login. With `known_count` (the PR's comment count) the pages go out at once.
    /// The one lookup every guardian with a sticky comment uses.
    pub async fn sticky_comments(
        &self,
        number: u64,
        key: &str,
        known_count: Option<u64>,
    ) -> Result<(Identity, Vec<IssueComment>), RunError> {
        let gh = self.github()?;
        let identity = Identity::resolve(
            gh,
            self.token().unwrap_or(""),
            self.toolkit.input("comment-author").as_deref(),
        )
        .await?;
        let ours = StickyComment::new(gh, &self.context.repository, number, key, identity.clone())
            .find(known_count)
            .await?;
        Ok((identity, ours))
    }
}
