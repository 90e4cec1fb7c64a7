//! `POST /repos/{o}/{r}/merges`: a real three-way merge of `head` into branch `base` (REST description
//! `repos/merge`): 201 with the merge commit, 204 when `base` already contains `head`, 404 "Base does not
//! exist" / "Head does not exist", 409 "Merge conflict". As on GitHub the result is always a merge commit
//! (two parents), never a fast-forward, and the base branch moves to it; PRs whose head is now in the base are
//! marked merged.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;

use super::git::{GitReply, GitReplyError, backed, commit_files, commit_json};
use super::json_body;
use crate::app::App;
use crate::git::MergeOutcome;
use crate::request_context::RequestContext;

#[derive(Deserialize)]
struct MergeRequest {
    base: String,
    head: String,
    #[serde(default)]
    commit_message: Option<String>,
}

pub(super) async fn merge(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name)): Path<(String, String)>,
    body: Bytes,
) -> GitReply {
    let request: MergeRequest = json_body(&body)?;
    let mut state = app.state();
    let (repo, backed) = backed(&state, &owner, &name)?;
    let git = backed.repo.clone();
    let full = repo.full_name();
    let base_ref = format!("refs/heads/{}", request.base);
    let not_found =
        |message: &str| GitReplyError::Status(StatusCode::NOT_FOUND, message.to_owned());
    let base = git
        .ref_sha(&base_ref)?
        .ok_or_else(|| not_found("Base does not exist"))?;
    let head = git
        .resolve(&request.head, "commit")?
        .ok_or_else(|| not_found("Head does not exist"))?;
    if git.is_ancestor(&head, &base)? {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let MergeOutcome::Clean { tree } = git.merge_trees(&base, &head)? else {
        return Err(GitReplyError::Status(
            StatusCode::CONFLICT,
            "Merge conflict".to_owned(),
        ));
    };
    let message = request
        .commit_message
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| format!("Merge {} into {}", request.head, request.base));
    let commit = git.commit_tree_by(&tree, &[&base, &head], &message, &ctx.login)?;
    // The merge is a push to the base branch: protection and rulesets judge the new commit.
    super::protection::refuse_protected(&state, &full, &base_ref, &ctx.login, Some(&commit), true)?;
    git.set_ref(&base_ref, &commit, Some(&base))?;
    state.sync_git_pulls(&full)?;
    state.git_pushed(&full, &request.base, &commit)?;
    let info = git.commit_info(&commit)?;
    let files = commit_files(&git, &info)?;
    let body = commit_json(&state, &ctx.base_url, &full, &info, Some(&files));
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

#[derive(Deserialize)]
struct MergePullRequest {
    #[serde(default)]
    commit_title: Option<String>,
    #[serde(default)]
    commit_message: Option<String>,
    #[serde(default)]
    sha: Option<String>,
    #[serde(default)]
    merge_method: Option<String>,
}

fn not_mergeable(message: &str) -> GitReplyError {
    GitReplyError::Status(StatusCode::METHOD_NOT_ALLOWED, message.to_owned())
}

/// `PUT /pulls/{n}/merge` of a git-backed PR (REST description `pulls/merge`): `merge` (a merge commit),
/// `squash` (one commit of the merged tree on the base) or `rebase` (each commit replayed on the base).
/// 200 `{sha, merged, message}`; 409 "Head branch was modified. Review and try the merge again." when `sha` is
/// not the head; 405 "Pull Request is not mergeable" for a conflict or a closed PR, or with the protection's
/// reasons when required checks are not green on the head.
pub(super) async fn merge_pull(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, pull_number)): Path<(String, String, String)>,
    body: Bytes,
) -> GitReply {
    let request: MergePullRequest = if body.is_empty() {
        MergePullRequest {
            commit_title: None,
            commit_message: None,
            sha: None,
            merge_method: None,
        }
    } else {
        json_body(&body)?
    };
    let number = super::number(&pull_number)?;
    let mut state = app.state();
    let (repo, backed) = backed(&state, &owner, &name)?;
    let git = backed.repo.clone();
    let full = repo.full_name();
    let pull = repo
        .pulls
        .get(&number)
        .ok_or(crate::api_error::ApiError::NotFound)?
        .clone();
    if pull.state != crate::state::PullState::Open {
        return Err(not_mergeable("Pull Request is not mergeable"));
    }
    let head = pull.head.sha.clone();
    if request.sha.as_deref().is_some_and(|sha| sha != head) {
        return Err(GitReplyError::Status(
            StatusCode::CONFLICT,
            "Head branch was modified. Review and try the merge again.".to_owned(),
        ));
    }
    let base_ref = format!("refs/heads/{}", pull.base.ref_name);
    let base = git
        .ref_sha(&base_ref)?
        .ok_or_else(|| not_mergeable("Base branch was deleted"))?;
    let MergeOutcome::Clean { tree } = git.merge_trees(&base, &head)? else {
        return Err(not_mergeable("Pull Request is not mergeable"));
    };
    // Required checks are judged on the PR's head, and the PR itself satisfies "require a pull request".
    if let Some(reasons) = super::protection::refusal_message(
        &state,
        &full,
        &base_ref,
        &ctx.login,
        Some(&head),
        true,
        true,
    ) {
        return Err(not_mergeable(&reasons));
    }
    let title = request.commit_title.filter(|t| !t.is_empty());
    let method = request.merge_method.as_deref().unwrap_or("merge");
    let landed = match method {
        "merge" => {
            let title = title.unwrap_or_else(|| {
                format!(
                    "Merge pull request #{number} from {}/{}",
                    pull.head.repo.split('/').next().unwrap_or_default(),
                    pull.head.ref_name
                )
            });
            let body = request.commit_message.unwrap_or_else(|| pull.title.clone());
            git.commit_tree(&tree, &[&base, &head], &format!("{title}\n\n{body}"))?
        }
        "squash" => {
            let title = title.unwrap_or_else(|| format!("{} (#{number})", pull.title));
            let message = match request.commit_message {
                Some(body) if !body.is_empty() => format!("{title}\n\n{body}"),
                _ => title,
            };
            git.commit_tree(&tree, &[&base], &message)?
        }
        "rebase" => {
            let mut onto = base.clone();
            for commit in git.commits_between(&base, &head)? {
                let MergeOutcome::Clean { tree } = git.pick_tree(&onto, &commit.sha)? else {
                    return Err(not_mergeable("This branch can't be rebased"));
                };
                onto = git.commit_tree(&tree, &[&onto], &commit.message)?;
            }
            onto
        }
        other => {
            return Err(GitReplyError::Api(crate::api_error::ApiError::Validation(
                vec![serde_json::json!({
                    "resource": "PullRequest", "field": "merge_method", "code": "invalid", "value": other,
                })],
            )));
        }
    };
    git.set_ref(&base_ref, &landed, Some(&base))?;
    if let Some(info) = state
        .git
        .get_mut(&full)
        .map(|b| b.pull_info.entry(number).or_default())
    {
        info.merge_commit_sha = Some(landed.clone());
        info.mergeable = None;
    }
    // Squash and rebase leave the head outside the base, so the PR is closed as merged here.
    if let Some(pull) = state
        .repos
        .get_mut(&full)
        .and_then(|r| r.pulls.get_mut(&number))
    {
        pull.state = crate::state::PullState::Closed;
        pull.merged = true;
        pull.updated_at = crate::state::now();
    }
    state.sync_git_pulls(&full)?;
    state.git_pushed(&full, &pull.base.ref_name, &landed)?;
    Ok(axum::Json(serde_json::json!({
        "sha": landed,
        "merged": true,
        "message": "Pull Request successfully merged",
    }))
    .into_response())
}
