//! Reading the pull request from GitHub: the PR as it is now, its files, the base branch's
//! config and our sticky comment go out together, so this costs one round trip.

use guardians_core::config::LoadedConfig;
use guardians_core::event::PullRequest;
use guardians_core::github::models::IssueComment;
use guardians_core::github::pulls::{self, PullFiles};
use guardians_core::github::{ApiError, GitHub, Identity, StickyComment};
use guardians_core::runner::{RunError, Session};

use super::target::Target;
use crate::comment::COMMENT_KEY;

/// What GitHub says about the PR.
pub struct Gathered {
    pub pull: PullRequest,
    pub files: PullFiles,
    pub config: LoadedConfig,
    pub identity: Identity,
    /// Our sticky comments, oldest first (normally one or none).
    pub comments: Vec<IssueComment>,
}

pub async fn gather(session: &Session, gh: &GitHub, target: &Target) -> Result<Gathered, RunError> {
    let repo = &session.context.repository;
    let number = target.number;
    // On `workflow_run` the base branch is only known from the PR itself: read it first.
    let (known, base_ref, changed_files, comment_count) = match &target.base_ref {
        Some(base) => (
            None,
            base.clone(),
            target.changed_files,
            target.comment_count,
        ),
        None => {
            let pull = pulls::pull_request(gh, repo, number).await?;
            let base = pull.base.ref_.clone();
            let (changed, count) = (pull.changed_files, pull.comments);
            (Some(pull), base, changed, count)
        }
    };
    let pull = async {
        match known {
            Some(pull) => Ok(pull),
            None => pulls::pull_request(gh, repo, number).await,
        }
    };
    let comments = async {
        let identity = Identity::resolve(
            gh,
            session.token().unwrap_or(""),
            session.toolkit.input("comment-author").as_deref(),
        )
        .await?;
        let ours = StickyComment::new(gh, repo, number, COMMENT_KEY, identity.clone())
            .find(comment_count)
            .await?;
        Ok::<_, ApiError>((identity, ours))
    };
    let (config, pull, files, (identity, comments)) = tokio::try_join!(
        session.load_config(&base_ref),
        async { pull.await.map_err(RunError::from) },
        async {
            pulls::pull_files(gh, repo, number, changed_files)
                .await
                .map_err(RunError::from)
        },
        async { comments.await.map_err(RunError::from) },
    )?;
    Ok(Gathered {
        pull,
        files,
        config,
        identity,
        comments,
    })
}
