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

pub async fn merge(
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
    let commit = git.commit_tree(&tree, &[&base, &head], &message)?;
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
