//! `GET /commits/{ref}` and `GET /compare/{base}...{head}` of a git-backed repository, from git (REST
//! description `repos/get-commit`, `repos/compare-commits`: `commit` and `commit-comparison` schemas).

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::{Value, json};

use super::git::{GitReply, GitReplyError, backed, commit_files, commit_json, diff_entry_json};
use crate::api_error::ApiError;
use crate::app::App;
use crate::request_context::RequestContext;

/// GitHub lists at most this many commits in a comparison, and at most this many files.
const MAX_COMPARE_COMMITS: usize = 250;
const MAX_COMPARE_FILES: usize = 300;

/// `GET /commits/{ref}`: the commit with `stats` and `files`; an unknown ref is 422 "No commit found for SHA".
pub(super) async fn get_commit(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, wanted)): Path<(String, String, String)>,
) -> GitReply {
    let state = app.state();
    let (repo, backed) = backed(&state, &owner, &name)?;
    let git = &backed.repo;
    let sha = git.resolve(&wanted, "commit")?.ok_or_else(|| {
        GitReplyError::Status(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("No commit found for SHA: {wanted}"),
        )
    })?;
    let info = git.commit_info(&sha)?;
    let files = commit_files(git, &info)?;
    Ok(axum::Json(commit_json(
        &state,
        &ctx.base_url,
        &repo.full_name(),
        &info,
        Some(&files),
    ))
    .into_response())
}

/// `GET /compare/{base}...{head}` (two dots are accepted too): status, ahead/behind counts, the commits on
/// `head` not on `base` (oldest first, at most 250) and the files changed from their merge base to `head`.
pub(super) async fn compare(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, basehead)): Path<(String, String, String)>,
) -> GitReply {
    let state = app.state();
    let (repo, backed) = backed(&state, &owner, &name)?;
    let git = &backed.repo;
    let (base_spec, head_spec) = basehead
        .split_once("...")
        .or_else(|| basehead.split_once(".."))
        .ok_or(ApiError::NotFound)?;
    let base = git
        .resolve(base_spec, "commit")?
        .ok_or(ApiError::NotFound)?;
    let head = git
        .resolve(head_spec, "commit")?
        .ok_or(ApiError::NotFound)?;
    let ahead_by = git.count_between(&base, &head)?;
    let behind_by = git.count_between(&head, &base)?;
    let status = match (ahead_by, behind_by) {
        (0, 0) => "identical",
        (_, 0) => "ahead",
        (0, _) => "behind",
        _ => "diverged",
    };
    let merge_base = git.merge_base(&base, &head)?.ok_or(ApiError::NotFound)?;
    let full = repo.full_name();
    let api = &ctx.base_url;
    let commits: Vec<Value> = git
        .commits_between(&base, &head)?
        .iter()
        .take(MAX_COMPARE_COMMITS)
        .map(|c| commit_json(&state, api, &full, c, None))
        .collect();
    let files: Vec<Value> = git
        .diff(&merge_base, &head)?
        .iter()
        .take(MAX_COMPARE_FILES)
        .map(|f| diff_entry_json(api, &full, &head, f))
        .collect();
    let web = format!("https://github.com/{full}");
    Ok(axum::Json(json!({
        "url": format!("{api}/repos/{full}/compare/{basehead}"),
        "html_url": format!("{web}/compare/{basehead}"),
        "permalink_url": format!("{web}/compare/{full}:{base}...{full}:{head}"),
        "diff_url": format!("{web}/compare/{basehead}.diff"),
        "patch_url": format!("{web}/compare/{basehead}.patch"),
        "base_commit": commit_json(&state, api, &full, &git.commit_info(&base)?, None),
        "merge_base_commit": commit_json(&state, api, &full, &git.commit_info(&merge_base)?, None),
        "status": status,
        "ahead_by": ahead_by,
        "behind_by": behind_by,
        "total_commits": ahead_by,
        "commits": commits,
        "files": files,
    }))
    .into_response())
}
