//! Reading everything a verdict needs from GitHub. The reads are independent, so they go out
//! together: the PR as it is now, its files, its commit messages, the base branch's
//! `.github/guardians.yml`, the template candidates at the base branch and our earlier comment
//! -- one round trip for an ordinary PR.

use guardians_core::config::LoadedConfig;
use guardians_core::event::PullRequest;
use guardians_core::github::models::IssueComment;
use guardians_core::github::pulls::{self, PullFiles};
use guardians_core::github::{GitHub, Identity};
use guardians_core::runner::{RunError, Session};

use super::template_lookup::{self, ExactTexts};
use crate::config::PrCriticConfig;

/// The sticky comment's key: its marker is `<!-- guardians:pr-critic -->`.
pub(crate) const COMMENT_KEY: &str = "pr-critic";

/// What the API said, before the configuration is applied.
pub(crate) struct Gathered {
    /// The PR as it is now: fresh body, labels and head, not the payload's copy.
    pub pull: PullRequest,
    pub files: PullFiles,
    pub commit_messages: Vec<String>,
    pub config: LoadedConfig,
    /// The default template candidates, fetched by their exact spelling.
    pub templates: ExactTexts,
    /// Our earlier comments (oldest first) and who we are; `None` in a dry run.
    pub comments: Option<(Identity, Vec<IssueComment>)>,
}

/// All reads at once. `known` is the PR when it was already read (on `workflow_run`); otherwise
/// `payload` (the event's copy) gives the base branch and counts, and the PR is read fresh.
pub(crate) async fn gather(
    session: &Session,
    gh: &GitHub,
    number: u64,
    payload: &PullRequest,
    known: Option<PullRequest>,
    comment_count: Option<u64>,
) -> Result<Gathered, RunError> {
    let repo = &session.context.repository;
    let base = payload.base.ref_.as_str();
    let candidates = PrCriticConfig::default().template_paths;
    let pull = async {
        match known {
            Some(pull) => Ok(pull),
            None => pulls::pull_request(gh, repo, number).await,
        }
    };
    let comments = async {
        if session.dry_run {
            return Ok(None);
        }
        // Core's one sticky-comment lookup: the `comment-author` input, else the token's login.
        Ok::<_, RunError>(Some(
            session
                .sticky_comments(number, COMMENT_KEY, comment_count)
                .await?,
        ))
    };
    let (config, pull, files, commit_messages, templates, comments) = tokio::try_join!(
        session.load_config(base),
        async { pull.await.map_err(RunError::from) },
        async {
            pulls::pull_files(gh, repo, number, payload.changed_files)
                .await
                .map_err(RunError::from)
        },
        async {
            pulls::pull_commit_messages(gh, repo, number)
                .await
                .map_err(RunError::from)
        },
        async {
            template_lookup::fetch_exact(gh, repo, base, &candidates)
                .await
                .map_err(RunError::from)
        },
        comments,
    )?;
    Ok(Gathered {
        pull,
        files,
        commit_messages,
        config,
        templates,
        comments,
    })
}
