//! Reading the pull request from GitHub: the PR as it is now, its files, the base branch's
//! config and our sticky comment go out together, so this costs one round trip.

use guardians_core::config::LoadedConfig;
use guardians_core::event::PullRequest;
use guardians_core::github::models::IssueComment;
use guardians_core::github::pulls::{self, PullFiles};
use guardians_core::github::{GitHub, Identity};
use guardians_core::runner::{RunError, Session};

use super::Selected;
use crate::comment::COMMENT_KEY;

/// What GitHub says about the PR.
pub(crate) struct Gathered {
    pub pull: PullRequest,
    pub files: PullFiles,
    pub config: LoadedConfig,
    pub identity: Identity,
    /// Our sticky comments, oldest first (normally one or none).
    pub comments: Vec<IssueComment>,
}

pub(crate) async fn gather(
    session: &Session,
    gh: &GitHub,
    selected: &Selected,
) -> Result<Gathered, RunError> {
    let repo = &session.context.repository;
    let selected_pull = &selected.pull;
    let number = selected_pull.number;
    // The base branch, file and comment counts are known either way, so the config, the file
    // pages and the comments go out together. A PR read during this run is current; one from
    // the payload is read again alongside (labels may have changed since the run was queued).
    let known = selected.read_now.then(|| selected_pull.clone());
    let base_ref = selected_pull.base.ref_.clone();
    let (changed_files, comment_count) = (selected_pull.changed_files, selected_pull.comments);
    let pull = async {
        match known {
            Some(pull) => Ok(pull),
            None => pulls::pull_request(gh, repo, number).await,
        }
    };
    let (config, pull, files, (identity, comments)) = tokio::try_join!(
        session.load_config(&base_ref),
        async { pull.await.map_err(RunError::from) },
        async {
            pulls::pull_files(gh, repo, number, changed_files)
                .await
                .map_err(RunError::from)
        },
        session.sticky_comments(number, COMMENT_KEY, comment_count),
    )?;
    Ok(Gathered {
        pull,
        files,
        config,
        identity,
        comments,
    })
}
