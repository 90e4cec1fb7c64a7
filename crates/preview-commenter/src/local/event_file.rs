//! Run facts from a webhook payload file (`$GITHUB_EVENT_PATH`), without the API.
//!
//! Stopgap for `--dry-run`: the GitHub-facing half takes the payload from guardians-core's
//! event module and completes it from the API (the PR of a `deployment_status`, the current head
//! and state of a `workflow_run`'s PR, the existing comment).

use anyhow::{Context as _, bail};
use serde::Deserialize;

use crate::facts::{ExistingComment, PullRequestFacts, PullRequestState, RunFacts, RunIdentity};

/// What the payload does not say: the run and, for `deployment_status`, the PR number.
#[derive(Debug, Clone)]
pub struct RunContext {
    pub run_id: u64,
    pub run_attempt: u32,
    pub server_url: String,
    pub pr_number: Option<u64>,
    pub existing_comment: Option<ExistingComment>,
    pub now: jiff::Timestamp,
}

#[derive(Deserialize)]
struct Payload {
    pull_request: Option<PullRequest>,
    workflow_run: Option<WorkflowRun>,
    deployment: Option<Deployment>,
    repository: Repository,
}

#[derive(Deserialize)]
struct PullRequest {
    number: u64,
    state: String,
    #[serde(default)]
    merged: Option<bool>,
    head: Head,
}

#[derive(Deserialize)]
struct Head {
    sha: String,
    #[serde(rename = "ref")]
    git_ref: String,
}

#[derive(Deserialize)]
struct WorkflowRun {
    head_sha: String,
    #[serde(default)]
    head_branch: Option<String>,
    #[serde(default)]
    pull_requests: Vec<WorkflowRunPullRequest>,
}

#[derive(Deserialize)]
struct WorkflowRunPullRequest {
    number: u64,
    head: Head,
}

#[derive(Deserialize)]
struct Deployment {
    sha: String,
    #[serde(rename = "ref")]
    git_ref: String,
}

#[derive(Deserialize)]
struct Repository {
    name: String,
    owner: Owner,
}

#[derive(Deserialize)]
struct Owner {
    login: String,
}

/// Builds the facts from a `pull_request`, `pull_request_target`, `workflow_run` or
/// `deployment_status` payload.
pub fn facts_from_payload(json: &str, context: RunContext) -> anyhow::Result<RunFacts> {
    let payload: Payload = serde_json::from_str(json)
        .context("the event file is not a webhook payload this guardian reads")?;
    let (pull_request, sha) = if let Some(pr) = payload.pull_request {
        let state = match pr.state.as_str() {
            "closed" => PullRequestState::Closed {
                merged: pr.merged.unwrap_or(false),
            },
            _ => PullRequestState::Open,
        };
        let facts = PullRequestFacts {
            number: pr.number,
            head_ref: pr.head.git_ref,
            head_sha: pr.head.sha.clone(),
            head_sha_is_current: false,
            state,
        };
        (facts, pr.head.sha)
    } else if let Some(run) = payload.workflow_run {
        let Some(pr) = run.pull_requests.into_iter().next() else {
            bail!(
                "the workflow_run payload lists no pull request (runs from forks do not); finding the PR by head SHA needs the API, which --dry-run does not use"
            );
        };
        let facts = PullRequestFacts {
            number: pr.number,
            head_ref: run.head_branch.unwrap_or(pr.head.git_ref),
            head_sha: pr.head.sha,
            head_sha_is_current: false,
            state: PullRequestState::Open,
        };
        (facts, run.head_sha)
    } else if let Some(deployment) = payload.deployment {
        let Some(number) = context.pr_number else {
            bail!("a deployment_status payload does not name the pull request: pass --pr NUMBER");
        };
        let facts = PullRequestFacts {
            number,
            head_ref: deployment.git_ref,
            head_sha: deployment.sha.clone(),
            head_sha_is_current: false,
            state: PullRequestState::Open,
        };
        (facts, deployment.sha)
    } else {
        bail!(
            "the event is not about a pull request: preview-commenter runs on pull_request, pull_request_target, workflow_run and deployment_status"
        );
    };
    let owner = payload.repository.owner.login;
    let repo = payload.repository.name;
    let run_url = format!(
        "{}/{owner}/{repo}/actions/runs/{}",
        context.server_url.trim_end_matches('/'),
        context.run_id
    );
    Ok(RunFacts {
        owner,
        repo,
        pull_request,
        sha,
        run: RunIdentity {
            id: context.run_id,
            attempt: context.run_attempt.max(1),
            url: run_url,
        },
        now: context.now,
        existing_comment: context.existing_comment,
    })
}

#[cfg(test)]
mod tests;
