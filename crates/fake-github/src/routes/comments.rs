//! Issue comments (a PR's conversation), with GitHub's 65,536-character body limit.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{created, find_repo, json_body, number, ok, repo_key};
use crate::api_error::{ApiError, Reply};
use crate::app::App;
use crate::pagination::paginated;
use crate::render;
use crate::request_context::RequestContext;
use crate::state::{IssueComment, now};

/// GitHub refuses comment bodies longer than this many characters.
pub const MAX_COMMENT_CHARS: usize = 65_536;

#[derive(Deserialize)]
struct CommentBody {
    body: Option<String>,
}

fn valid_body(body: &Bytes) -> Result<String, ApiError> {
    let request: CommentBody = json_body(body)?;
    let text = request.body.ok_or_else(|| {
        ApiError::Validation(vec![
            json!({"resource": "IssueComment", "code": "missing_field", "field": "body"}),
        ])
    })?;
    if text.chars().count() > MAX_COMMENT_CHARS {
        return Err(ApiError::Validation(vec![json!({
            "resource": "IssueComment",
            "code": "unprocessable",
            "field": "data",
            "message": format!("Body is too long (maximum is {MAX_COMMENT_CHARS} characters)"),
        })]));
    }
    Ok(text)
}

/// Keeps comments updated at or after `since` (an ISO 8601 time), when the client asks.
fn since_filter(ctx: &RequestContext) -> Option<jiff::Timestamp> {
    ctx.param("since").and_then(|s| s.parse().ok())
}

pub(super) async fn list_comments(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, issue)): Path<(String, String, String)>,
) -> Reply {
    let issue = number(&issue)?;
    let state = app.state();
    let repo = find_repo(&state, &owner, &name)?;
    if !repo.pulls.contains_key(&issue) {
        return Err(ApiError::NotFound);
    }
    let since = since_filter(&ctx);
    let items: Vec<Value> = repo
        .comments_on(issue)
        .into_iter()
        .filter(|c| since.is_none_or(|s| c.updated_at >= s))
        .map(|c| render::comment(&state, &ctx.base_url, repo, c))
        .collect();
    Ok(paginated(&ctx, &items))
}

pub(super) async fn list_repo_comments(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name)): Path<(String, String)>,
) -> Reply {
    let state = app.state();
    let repo = find_repo(&state, &owner, &name)?;
    let since = since_filter(&ctx);
    let items: Vec<Value> = repo
        .comments
        .iter()
        .filter(|c| since.is_none_or(|s| c.updated_at >= s))
        .map(|c| render::comment(&state, &ctx.base_url, repo, c))
        .collect();
    Ok(paginated(&ctx, &items))
}

pub(super) async fn create_comment(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, issue)): Path<(String, String, String)>,
    body: Bytes,
) -> Reply {
    let issue = number(&issue)?;
    let mut state = app.state();
    let key = repo_key(&state, &owner, &name)?;
    if !state
        .repos
        .get(&key)
        .is_some_and(|r| r.pulls.contains_key(&issue))
    {
        return Err(ApiError::NotFound);
    }
    let text = valid_body(&body)?;
    let id = state.next_id();
    let stamp = now();
    let comment = IssueComment {
        id,
        issue_number: issue,
        body: text,
        user: ctx.login.clone(),
        created_at: stamp,
        updated_at: stamp,
    };
    let repo = state.repos.get_mut(&key).ok_or(ApiError::NotFound)?;
    repo.comments.push(comment.clone());
    let repo = state.repos.get(&key).ok_or(ApiError::NotFound)?;
    Ok(created(render::comment(
        &state,
        &ctx.base_url,
        repo,
        &comment,
    )))
}

pub(super) async fn get_comment(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, id)): Path<(String, String, String)>,
) -> Reply {
    let id = number(&id)?;
    let state = app.state();
    let repo = find_repo(&state, &owner, &name)?;
    let comment = repo
        .comments
        .iter()
        .find(|c| c.id == id)
        .ok_or(ApiError::NotFound)?;
    Ok(ok(render::comment(&state, &ctx.base_url, repo, comment)))
}

pub(super) async fn update_comment(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, id)): Path<(String, String, String)>,
    body: Bytes,
) -> Reply {
    let id = number(&id)?;
    let mut state = app.state();
    let key = repo_key(&state, &owner, &name)?;
    let repo = state.repos.get_mut(&key).ok_or(ApiError::NotFound)?;
    let comment = repo
        .comments
        .iter_mut()
        .find(|c| c.id == id)
        .ok_or(ApiError::NotFound)?;
    comment.body = valid_body(&body)?;
    comment.updated_at = now();
    let comment = comment.clone();
    let repo = state.repos.get(&key).ok_or(ApiError::NotFound)?;
    Ok(ok(render::comment(&state, &ctx.base_url, repo, &comment)))
}

pub(super) async fn delete_comment(
    State(app): State<App>,
    Path((owner, name, id)): Path<(String, String, String)>,
) -> Reply {
    let id = number(&id)?;
    let mut state = app.state();
    let key = repo_key(&state, &owner, &name)?;
    let repo = state.repos.get_mut(&key).ok_or(ApiError::NotFound)?;
    let before = repo.comments.len();
    repo.comments.retain(|c| c.id != id);
    if repo.comments.len() == before {
        return Err(ApiError::NotFound);
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
