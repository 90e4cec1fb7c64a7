//! The REST endpoints, one module per area of GitHub's API, and the `/_fake/` control endpoints.

mod actions;
mod checks;
mod comments;
mod commits;
mod contents;
mod control;
mod deployments;
mod git;
mod labels;
mod merges;
mod protection;
mod pulls;
mod refs;
mod repos;

use axum::Router;
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use serde::de::DeserializeOwned;

use crate::api_error::ApiError;
use crate::app::App;
use crate::state::{Repo, State};

/// The whole HTTP surface of the fake.
pub(crate) fn router(app: App) -> Router {
    let repo = "/repos/{owner}/{name}";
    let api = Router::new()
        .route("/user", get(repos::get_user))
        .route("/graphql", post(repos::graphql))
        .route(repo, get(repos::get_repo))
        .route(&format!("{repo}/pulls"), get(pulls::list_pulls))
        .route(&format!("{repo}/pulls/{{number}}"), get(pulls::get_pull))
        .route(
            &format!("{repo}/pulls/{{number}}/files"),
            get(pulls::list_files),
        )
        .route(
            &format!("{repo}/pulls/{{number}}/commits"),
            get(pulls::list_commits),
        )
        .route(
            &format!("{repo}/commits/{{sha}}/pulls"),
            get(pulls::pulls_for_commit),
        )
        .route(&format!("{repo}/contents"), get(contents::get_root))
        .route(
            &format!("{repo}/contents/{{*path}}"),
            get(contents::get_content),
        )
        .route(
            &format!("{repo}/labels"),
            get(labels::list_repo_labels).post(labels::create_label),
        )
        .route(
            &format!("{repo}/labels/{{label}}"),
            get(labels::get_label)
                .patch(labels::update_label)
                .delete(labels::delete_label),
        )
        .route(
            &format!("{repo}/issues/{{number}}/labels"),
            get(labels::list_issue_labels)
                .post(labels::add_issue_labels)
                .put(labels::set_issue_labels)
                .delete(labels::clear_issue_labels),
        )
        .route(
            &format!("{repo}/issues/{{number}}/labels/{{label}}"),
            axum::routing::delete(labels::remove_issue_label),
        )
        .route(
            &format!("{repo}/issues/{{number}}/comments"),
            get(comments::list_comments).post(comments::create_comment),
        )
        .route(
            &format!("{repo}/issues/comments"),
            get(comments::list_repo_comments),
        )
        .route(
            &format!("{repo}/issues/comments/{{id}}"),
            get(comments::get_comment)
                .patch(comments::update_comment)
                .delete(comments::delete_comment),
        )
        .route(
            &format!("{repo}/deployments"),
            get(deployments::list_deployments).post(deployments::create_deployment),
        )
        .route(
            &format!("{repo}/deployments/{{id}}"),
            get(deployments::get_deployment),
        )
        .route(
            &format!("{repo}/deployments/{{id}}/statuses"),
            get(deployments::list_statuses).post(deployments::create_status),
        )
        .route(&format!("{repo}/actions/runs"), get(actions::list_runs))
        .route(
            &format!("{repo}/actions/runs/{{run_id}}"),
            get(actions::get_run),
        )
        .route(
            &format!("{repo}/actions/runs/{{run_id}}/jobs"),
            get(actions::list_jobs),
        )
        .route(
            &format!("{repo}/actions/runs/{{run_id}}/attempts/{{attempt}}"),
            get(actions::get_attempt),
        )
        .route(
            &format!("{repo}/actions/runs/{{run_id}}/attempts/{{attempt}}/jobs"),
            get(actions::list_attempt_jobs),
        )
        .route(
            &format!("{repo}/git/trees/{{tree_sha}}"),
            get(git::get_tree),
        )
        .route(&format!("{repo}/git/ref/{{*ref}}"), get(refs::get_ref))
        .route(
            &format!("{repo}/git/matching-refs/{{*ref}}"),
            get(refs::matching_refs),
        )
        .route(&format!("{repo}/git/refs"), post(refs::create_ref))
        .route(
            &format!("{repo}/git/refs/{{*ref}}"),
            axum::routing::patch(refs::update_ref).delete(refs::delete_ref),
        )
        .route(&format!("{repo}/commits/{{sha}}"), get(commits::get_commit))
        .route(&format!("{repo}/merges"), post(merges::merge))
        .route(
            &format!("{repo}/pulls/{{number}}/merge"),
            axum::routing::put(merges::merge_pull),
        )
        .route(
            &format!("{repo}/rules/branches/{{*branch}}"),
            get(protection::branch_rules),
        )
        .route(
            &format!("{repo}/branches/{{branch}}/protection"),
            get(protection::get_protection),
        )
        .route(
            &format!("{repo}/branches/{{branch}}/protection/required_status_checks"),
            get(protection::get_required_checks),
        )
        .route(
            &format!("{repo}/check-runs"),
            post(checks::create_check_run),
        )
        .route(
            &format!("{repo}/check-runs/{{id}}"),
            get(checks::get_check_run).patch(checks::update_check_run),
        )
        .route(
            &format!("{repo}/commits/{{sha}}/check-runs"),
            get(checks::list_check_runs),
        )
        .route(
            &format!("{repo}/commits/{{sha}}/statuses"),
            get(checks::list_statuses),
        )
        .route(
            &format!("{repo}/commits/{{sha}}/status"),
            get(checks::combined_status),
        )
        .route(
            &format!("{repo}/statuses/{{sha}}"),
            post(checks::create_status),
        )
        .route(
            &format!("{repo}/actions/workflows/{{workflow_id}}/dispatches"),
            post(checks::dispatch),
        )
        .route(
            &format!("{repo}/actions/runs/{{run_id}}/rerun"),
            post(checks::rerun),
        )
        .route(
            &format!("{repo}/actions/runs/{{run_id}}/rerun-failed-jobs"),
            post(checks::rerun),
        )
        .route(
            &format!("{repo}/issues/{{number}}/events"),
            get(checks::issue_events),
        )
        .route(
            &format!("{repo}/compare/{{basehead}}"),
            get(commits::compare),
        )
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            checks::record_label_events,
        ));
    let control = Router::new()
        .route("/_fake/state", get(control::dump_state))
        .route("/_fake/calls", get(control::list_calls))
        .route(
            "/_fake/faults",
            post(control::add_faults).delete(control::clear_faults),
        )
        .route("/_fake/seed", post(control::seed))
        .route("/_fake/reset-calls", post(control::reset_calls))
        .route("/_fake/latency", post(control::set_latency))
        .route(
            "/_fake/secondary-limits",
            post(control::set_secondary_limits),
        )
        .route("/_fake/rename", post(control::rename_repo));
    control
        .merge(api)
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            crate::gate::gate,
        ))
        .layer(DefaultBodyLimit::disable())
        .with_state(app)
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}

/// The key of repository `owner/name`, matched case-insensitively as GitHub does.
fn repo_key(state: &State, owner: &str, name: &str) -> Result<String, ApiError> {
    let wanted = format!("{owner}/{name}");
    if state.repos.contains_key(&wanted) {
        return Ok(wanted);
    }
    state
        .repos
        .keys()
        .find(|k| k.eq_ignore_ascii_case(&wanted))
        .cloned()
        .ok_or(ApiError::NotFound)
}

fn find_repo<'s>(state: &'s State, owner: &str, name: &str) -> Result<&'s Repo, ApiError> {
    let key = repo_key(state, owner, name)?;
    state.repos.get(&key).ok_or(ApiError::NotFound)
}

/// A number from the path; anything else is a 404, as on GitHub.
fn number(text: &str) -> Result<u64, ApiError> {
    text.parse().map_err(|_| ApiError::NotFound)
}

/// Parses a JSON request body; a malformed one is GitHub's 400 "Problems parsing JSON".
fn json_body<T: DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|_| ApiError::ProblemsParsingJson)
}

/// A 201 Created with a JSON body.
fn created(value: serde_json::Value) -> axum::response::Response {
    use axum::response::IntoResponse;
    (axum::http::StatusCode::CREATED, axum::Json(value)).into_response()
}

fn ok(value: serde_json::Value) -> axum::response::Response {
    use axum::response::IntoResponse;
    axum::Json(value).into_response()
}

pub use comments::MAX_COMMENT_CHARS;
pub use pulls::{MAX_PULL_COMMITS, MAX_PULL_FILES};
