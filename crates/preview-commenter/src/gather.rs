//! Reading the facts from GitHub with the fewest round trips: the PR as it is now, the config
//! from its base branch, and our sticky comment, concurrently where the answers do not depend
//! on each other.

use guardians_core::config::LoadedConfig;
use guardians_core::context::RepoName;
use guardians_core::github::models::IssueComment;
use guardians_core::github::{ApiError, GitHub, Identity, StickyComment, path};
use guardians_core::runner::{RunError, Session};
use jiff::Timestamp;
use serde::Deserialize;

use crate::comment::COMMENT_KEY;
use crate::facts::{ExistingComment, PullRequestFacts, PullRequestState, RunFacts, RunIdentity};
use crate::trigger::{PrPointer, Trigger};

/// The facts, the config, and every sticky comment of ours (oldest first; more than one only
/// when runs raced).
pub struct Gathered {
    pub facts: RunFacts,
    pub config: LoadedConfig,
    pub comments: Vec<IssueComment>,
}

/// `GET /repos/{o}/{r}/pulls/{n}`, only the fields read here (also the shape of the entries of
/// `GET /commits/{sha}/pulls`); `comments` sizes the concurrent fetch of comment pages.
#[derive(Debug, Clone, Deserialize)]
pub struct PullNow {
    pub number: u64,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub merged: Option<bool>,
    pub head: BranchNow,
    pub base: BranchNow,
    #[serde(default)]
    pub comments: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BranchNow {
    #[serde(rename = "ref")]
    pub ref_: String,
    pub sha: String,
}

/// Reads the PR, config and comments. `Ok(None)`: no pull request has the run's commit as its
/// head (a branch without a PR), so there is nothing to comment on.
pub async fn gather(
    session: &Session,
    gh: &GitHub,
    trigger: &Trigger,
    identity: &Identity,
    now: Timestamp,
) -> Result<Option<Gathered>, RunError> {
    let repo = &session.context.repository;
    let (number, base_ref) = match &trigger.pull_request {
        PrPointer::Number { number, base_ref } => (*number, base_ref.clone()),
        PrPointer::HeadSha => match pull_for_commit(gh, repo, &trigger.sha).await? {
            Some(pr) => (pr.number, Some(pr.base.ref_)),
            None => return Ok(None),
        },
    };
    let sticky = StickyComment::new(gh, repo, number, COMMENT_KEY, identity.clone());
    // With the count from the payload the comment pages go out with the PR read: one round
    // trip for all reads. Otherwise the PR's own count sizes them, one round trip later.
    let (config, pr, early_comments) = tokio::try_join!(
        async {
            match &base_ref {
                Some(base) => session.load_config(base).await.map(Some),
                None => Ok(None),
            }
        },
        async { pull_now(gh, repo, number).await.map_err(RunError::from) },
        async {
            match trigger.payload_comment_count {
                Some(count) => sticky.find(Some(count)).await.map(Some),
                None => Ok(None),
            }
            .map_err(RunError::from)
        },
    )?;
    let (config, comments) = tokio::try_join!(
        async {
            match config {
                Some(config) => Ok(config),
                None => session.load_config(&pr.base.ref_).await,
            }
        },
        async {
            match early_comments {
                Some(comments) => Ok(comments),
                None => sticky.find(pr.comments).await.map_err(RunError::from),
            }
        },
    )?;
    let facts = RunFacts {
        owner: repo.owner.clone(),
        repo: repo.name.clone(),
        pull_request: PullRequestFacts {
            number,
            head_ref: pr.head.ref_.clone(),
            head_sha: pr.head.sha.clone(),
            head_sha_is_current: true,
            state: if pr.state == "closed" {
                PullRequestState::Closed {
                    merged: pr.merged.unwrap_or(false),
                }
            } else {
                PullRequestState::Open
            },
        },
        sha: trigger.sha.clone(),
        run: run_identity(session),
        now,
        existing_comment: comments.first().map(|c| ExistingComment {
            id: c.id,
            body: c.body_text().to_owned(),
        }),
    };
    Ok(Some(Gathered {
        facts,
        config,
        comments,
    }))
}

/// The run as the comment's metadata records it. Outside Actions (no `GITHUB_RUN_ID`) it is
/// run 0, which any real run outranks.
pub fn run_identity(session: &Session) -> RunIdentity {
    let context = &session.context;
    RunIdentity {
        id: context.run_id.unwrap_or(0),
        attempt: context.run_attempt.unwrap_or(1).max(1),
        url: context
            .run_url()
            .unwrap_or_else(|| format!("{}/{}/actions", context.server_url, context.repository)),
    }
}

/// The pull request as it is now.
pub async fn pull_now(gh: &GitHub, repo: &RepoName, number: u64) -> Result<PullNow, ApiError> {
    gh.get(&format!("/repos/{repo}/pulls/{number}")).await
}

/// The pull request whose head is `sha` (`GET /repos/{o}/{r}/commits/{sha}/pulls`): an open one
/// first, then any. Runs from forks need this: their `workflow_run.pull_requests` is empty.
pub async fn pull_for_commit(
    gh: &GitHub,
    repo: &RepoName,
    sha: &str,
) -> Result<Option<PullNow>, ApiError> {
    let path = format!("/repos/{repo}/commits/{}/pulls", path::segment(sha));
    let pulls: Vec<PullNow> = match gh.get(&path).await {
        Ok(pulls) => pulls,
        // GitHub answers 422 for a SHA it does not know, 404 for a missing commit.
        Err(err) if matches!(err.status(), Some(404 | 422)) => return Ok(None),
        Err(err) => return Err(err),
    };
    let heads = |pr: &&PullNow| pr.head.sha.eq_ignore_ascii_case(sha);
    let found = pulls
        .iter()
        .filter(heads)
        .find(|pr| pr.state == "open")
        .or_else(|| pulls.iter().find(heads))
        .cloned();
    if found.is_some() {
        return Ok(found);
    }
    // GitHub has not always associated a fork's commits with the PR; the most recently updated
    // open PRs (the one just pushed to is among them) are the fallback.
    let recent: Vec<PullNow> = gh
        .get(&format!(
            "/repos/{repo}/pulls?state=open&sort=updated&direction=desc&per_page=100"
        ))
        .await?;
    Ok(recent.into_iter().find(|pr| heads(&pr)))
}
