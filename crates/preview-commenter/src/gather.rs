//! Reading the facts with the fewest round trips: the PR as it is now, the config from its base
//! branch and our sticky comment, concurrently where the answers do not depend on each other;
//! then the previews' health.
//!
//! Without a token (a dry run from a terminal) the PR is the payload's, the config `--config`'s
//! (or the defaults) and the existing comment `--existing-comment`'s.

use guardians_core::config::LoadedConfig;
use guardians_core::context::RepoName;
use guardians_core::github::models::IssueComment;
use guardians_core::github::{ApiError, GitHub, Identity};
use guardians_core::runner::{RunError, Session};
use jiff::Timestamp;
use serde::Deserialize;

use crate::comment::COMMENT_KEY;
use crate::facts::{ExistingComment, PullRequestFacts, PullRequestState, RunFacts, RunIdentity};
use crate::trigger::Trigger;

/// What the GitHub half read: the facts, the config, every sticky comment of ours (oldest first;
/// more than one only when runs raced) and the identity that makes a comment ours.
pub(crate) struct Read {
    pub facts: RunFacts,
    pub config: LoadedConfig,
    pub identity: Identity,
    pub comments: Vec<IssueComment>,
}

/// `GET /repos/{o}/{r}/pulls/{n}`, only the fields read here; `comments` sizes the fetch of
/// comment pages.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct PullNow {
    pub number: u64,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub merged: Option<bool>,
    pub head: BranchNow,
    #[serde(default)]
    pub comments: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct BranchNow {
    #[serde(rename = "ref")]
    pub ref_: String,
    pub sha: String,
}

/// Reads the PR now (unless the selection just did), the config and our comments (core's one
/// sticky-comment lookup).
pub(crate) async fn read(
    session: &Session,
    gh: &GitHub,
    trigger: &Trigger,
    now: Timestamp,
) -> Result<Read, RunError> {
    let repo = &session.context.repository;
    let selected = &trigger.pull_request;
    let number = selected.number;
    // A PR from the payload is read again: its head may have moved since the event. So is one
    // found by its head commit, whose listing lacks the comment count and `merged`. The config
    // and, when the comment count is known, the comment pages go out with that read: one round
    // trip for all reads.
    let reread = !trigger.read_now || selected.comments.is_none();
    let current = async {
        if reread {
            pull_now(gh, repo, number).await.map(Some)
        } else {
            Ok(None)
        }
    };
    let comments = async {
        match selected.comments {
            Some(count) => session
                .sticky_comments(number, COMMENT_KEY, Some(count))
                .await
                .map(Some),
            None => Ok(None),
        }
    };
    let (config, current, comments) = tokio::try_join!(
        session.load_config(&selected.base.ref_),
        async { current.await.map_err(RunError::from) },
        comments,
    )?;
    let pull_request = match &current {
        Some(pr) => facts_of(pr),
        None => PullRequestFacts {
            number,
            head_ref: selected.head.ref_.clone(),
            head_sha: selected.head.sha.clone(),
            head_sha_is_current: true,
            state: state_of(&selected.state, selected.merged),
        },
    };
    let (identity, comments) = match comments {
        Some(found) => found,
        None => {
            let count = current.as_ref().and_then(|pr| pr.comments);
            session.sticky_comments(number, COMMENT_KEY, count).await?
        }
    };
    let facts = run_facts(session, pull_request, trigger, now, existing(&comments));
    Ok(Read {
        facts,
        config,
        identity,
        comments,
    })
}

/// The facts from the payload alone, for a dry run without a token.
pub(crate) fn offline(
    session: &Session,
    trigger: &Trigger,
    existing_comment: Option<ExistingComment>,
    now: Timestamp,
) -> RunFacts {
    let pr = &trigger.pull_request;
    let pull_request = PullRequestFacts {
        number: pr.number,
        head_ref: pr.head.ref_.clone(),
        head_sha: pr.head.sha.clone(),
        head_sha_is_current: false,
        state: state_of(&pr.state, pr.merged),
    };
    run_facts(session, pull_request, trigger, now, existing_comment)
}

fn run_facts(
    session: &Session,
    pull_request: PullRequestFacts,
    trigger: &Trigger,
    now: Timestamp,
    existing_comment: Option<ExistingComment>,
) -> RunFacts {
    RunFacts {
        owner: session.context.repository.owner.clone(),
        repo: session.context.repository.name.clone(),
        pull_request,
        sha: trigger.sha.clone(),
        run: run_identity(session),
        now,
        existing_comment,
    }
}

fn existing(comments: &[IssueComment]) -> Option<ExistingComment> {
    comments.first().map(|c| ExistingComment {
        id: c.id,
        body: c.body_text().to_owned(),
    })
}

fn facts_of(pr: &PullNow) -> PullRequestFacts {
    PullRequestFacts {
        number: pr.number,
        head_ref: pr.head.ref_.clone(),
        head_sha: pr.head.sha.clone(),
        head_sha_is_current: true,
        state: state_of(&pr.state, pr.merged.unwrap_or(false)),
    }
}

fn state_of(state: &str, merged: bool) -> PullRequestState {
    if state == "closed" {
        PullRequestState::Closed { merged }
    } else {
        PullRequestState::Open
    }
}

/// The run as the comment's metadata records it. Outside Actions (no `GITHUB_RUN_ID`) it is
/// run 0, which any real run outranks.
pub(crate) fn run_identity(session: &Session) -> RunIdentity {
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
pub(crate) async fn pull_now(
    gh: &GitHub,
    repo: &RepoName,
    number: u64,
) -> Result<PullNow, ApiError> {
    gh.get(&format!("/repos/{repo}/pulls/{number}")).await
}
