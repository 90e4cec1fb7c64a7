//! The Git refs API of a git-backed repository: get, matching, create, update (fast-forward or `force`),
//! delete. Status codes and messages as GitHub answers them (REST description `git/get-ref`,
//! `git/list-matching-refs`, `git/create-ref`, `git/update-ref`, `git/delete-ref`): an existing ref on create
//! is 422 "Reference already exists", a non-fast-forward update 422 "Update is not a fast forward", a missing
//! ref on update or delete 422 "Reference does not exist", an unknown SHA 422 "Object does not exist".
//! Every change runs under the state lock, so two clients racing to create the same ref get one 201 and one
//! 422, as a lock built on refs expects.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::Value;

use super::git::{GitReply, GitReplyError, backed, ref_json};
use super::json_body;
use crate::app::App;
use crate::request_context::RequestContext;

fn unprocessable(message: &str) -> GitReplyError {
    GitReplyError::Status(StatusCode::UNPROCESSABLE_ENTITY, message.to_owned())
}

/// `GET /git/ref/{ref}`: exactly `refs/{ref}`, or 404.
pub(super) async fn get_ref(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, wanted)): Path<(String, String, String)>,
) -> GitReply {
    let state = app.state();
    let (repo, backed) = backed(&state, &owner, &name)?;
    let full_ref = format!("refs/{}", wanted.trim_matches('/'));
    let found = backed
        .repo
        .refs()?
        .into_iter()
        .find(|(name, _, _)| *name == full_ref)
        .ok_or(crate::api_error::ApiError::NotFound)?;
    Ok(axum::Json(ref_json(
        &ctx.base_url,
        &repo.full_name(),
        &found.0,
        &found.1,
        &found.2,
    ))
    .into_response())
}

/// `GET /git/matching-refs/{ref}`: every ref whose name starts with `refs/{ref}` (an empty array when none).
pub(super) async fn matching_refs(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, wanted)): Path<(String, String, String)>,
) -> GitReply {
    let state = app.state();
    let (repo, backed) = backed(&state, &owner, &name)?;
    let prefix = format!("refs/{}", wanted.trim_start_matches('/'));
    let full = repo.full_name();
    let items: Vec<Value> = backed
        .repo
        .refs()?
        .iter()
        .filter(|(name, _, _)| name.starts_with(&prefix))
        .map(|(name, sha, kind)| ref_json(&ctx.base_url, &full, name, sha, kind))
        .collect();
    Ok(axum::Json(Value::Array(items)).into_response())
}

#[derive(Deserialize)]
struct CreateRef {
    #[serde(rename = "ref")]
    name: String,
    sha: String,
}

/// `POST /git/refs` with `{"ref": "refs/heads/x", "sha": ...}`: 201 with the ref and a `Location` header.
pub(super) async fn create_ref(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name)): Path<(String, String)>,
    body: Bytes,
) -> GitReply {
    let request: CreateRef = json_body(&body)?;
    let mut state = app.state();
    let (repo, backed) = backed(&state, &owner, &name)?;
    let git = backed.repo.clone();
    let full = repo.full_name();
    if git
        .refs()?
        .iter()
        .all(|(name, _, _)| !name.starts_with("refs/heads/"))
    {
        // "You are unable to create new references for empty repositories".
        return Err(GitReplyError::Status(
            StatusCode::CONFLICT,
            "Git Repository is empty.".to_owned(),
        ));
    }
    // "If it doesn't start with 'refs' and have at least two slashes, it will be rejected."
    if !request.name.starts_with("refs/")
        || request.name.matches('/').count() < 2
        || !git.valid_ref_name(&request.name)?
    {
        return Err(unprocessable(&format!(
            "{} is not a valid ref name.",
            request.name
        )));
    }
    let sha = git
        .resolve(&request.sha, "object")?
        .filter(|sha| sha.eq_ignore_ascii_case(&request.sha))
        .ok_or_else(|| unprocessable("Object does not exist"))?;
    if git.ref_sha(&request.name)?.is_some() {
        return Err(unprocessable("Reference already exists"));
    }
    super::protection::refuse_protected(
        &state,
        &full,
        &request.name,
        &ctx.login,
        Some(&sha),
        true,
    )?;
    git.set_ref(&request.name, &sha, Some(crate::git::ZERO_SHA))?;
    state.sync_git_pulls(&full)?;
    if let Some(branch) = request.name.strip_prefix("refs/heads/") {
        state.git_pushed(&full, branch, &sha)?;
    }
    let kind = kind_of(&git, &sha)?;
    let body = ref_json(&ctx.base_url, &full, &request.name, &sha, &kind);
    let location = format!("{}/repos/{full}/git/{}", ctx.base_url, request.name);
    Ok((
        StatusCode::CREATED,
        [(axum::http::header::LOCATION, location)],
        axum::Json(body),
    )
        .into_response())
}

fn kind_of(git: &crate::git::GitRepo, sha: &str) -> Result<String, GitReplyError> {
    let out = git.run(&["cat-file", "-t", sha], None)?;
    Ok(String::from_utf8_lossy(&out).trim().to_owned())
}

#[derive(Deserialize)]
struct UpdateRef {
    sha: String,
    #[serde(default)]
    force: bool,
}

/// `PATCH /git/refs/{ref}` with `{"sha": ..., "force": false}`.
pub(super) async fn update_ref(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, wanted)): Path<(String, String, String)>,
    body: Bytes,
) -> GitReply {
    let request: UpdateRef = json_body(&body)?;
    let mut state = app.state();
    let (repo, backed) = backed(&state, &owner, &name)?;
    let git = backed.repo.clone();
    let full = repo.full_name();
    let full_ref = format!("refs/{}", wanted.trim_matches('/'));
    let current = git
        .ref_sha(&full_ref)?
        .ok_or_else(|| unprocessable("Reference does not exist"))?;
    let sha = git
        .resolve(&request.sha, "object")?
        .filter(|sha| sha.eq_ignore_ascii_case(&request.sha))
        .ok_or_else(|| unprocessable("Object does not exist"))?;
    let fast_forward = git.is_ancestor(&current, &sha)?;
    if !request.force && !fast_forward {
        return Err(unprocessable("Update is not a fast forward"));
    }
    super::protection::refuse_protected(
        &state,
        &full,
        &full_ref,
        &ctx.login,
        Some(&sha),
        fast_forward,
    )?;
    // Compare-and-swap on the value read above: the update cannot silently overwrite a concurrent one.
    git.set_ref(&full_ref, &sha, Some(&current))?;
    state.sync_git_pulls(&full)?;
    if let Some(branch) = full_ref.strip_prefix("refs/heads/") {
        state.git_pushed(&full, branch, &sha)?;
    }
    let kind = kind_of(&git, &sha)?;
    Ok(axum::Json(ref_json(&ctx.base_url, &full, &full_ref, &sha, &kind)).into_response())
}

/// `DELETE /git/refs/{ref}`: 204, or 422 "Reference does not exist".
pub(super) async fn delete_ref(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, wanted)): Path<(String, String, String)>,
) -> GitReply {
    let state = app.state();
    let (repo, backed) = backed(&state, &owner, &name)?;
    let git = backed.repo.clone();
    let full = repo.full_name();
    let full_ref = format!("refs/{}", wanted.trim_matches('/'));
    if git.ref_sha(&full_ref)?.is_none() {
        return Err(unprocessable("Reference does not exist"));
    }
    if full_ref == format!("refs/heads/{}", repo.default_branch) {
        return Err(unprocessable("Cannot delete the default branch"));
    }
    super::protection::refuse_protected(&state, &full, &full_ref, &ctx.login, None, true)?;
    git.delete_ref(&full_ref)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
