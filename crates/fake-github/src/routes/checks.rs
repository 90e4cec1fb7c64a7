//! Per-commit CI state of a git-backed repository and the events around it. Shapes and codes from GitHub's
//! REST description: `checks/create`, `checks/update`, `checks/get`, `checks/list-for-ref` (`check-run`);
//! `repos/create-commit-status`, `repos/list-commit-statuses-for-ref`, `repos/get-combined-status-for-ref`
//! (`status`, `combined-commit-status`); `actions/create-workflow-dispatch` (204, or 200 with run details when
//! `return_run_details` is true); `issues/list-events` (`labeled-issue-event`, `unlabeled-issue-event`).

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::{Value, json};

use super::git::{GitReply, GitReplyError, backed};
use super::{find_repo, json_body, number};
use crate::api_error::ApiError;
use crate::app::App;
use crate::git::{CheckRun, CommitStatus};
use crate::pagination::paginated;
use crate::render::time;
use crate::request_context::RequestContext;
use crate::state::{State as FakeState, TokenKind, now};

const STATUSES: [&str; 6] = [
    "queued",
    "in_progress",
    "completed",
    "waiting",
    "requested",
    "pending",
];
const CONCLUSIONS: [&str; 8] = [
    "action_required",
    "cancelled",
    "failure",
    "neutral",
    "success",
    "skipped",
    "stale",
    "timed_out",
];

fn invalid(field: &str, value: &str) -> GitReplyError {
    GitReplyError::Api(ApiError::Validation(vec![json!({
        "resource": "CheckRun",
        "field": field,
        "code": "invalid",
        "value": value,
    })]))
}

fn no_commit(sha: &str) -> GitReplyError {
    GitReplyError::Status(
        StatusCode::UNPROCESSABLE_ENTITY,
        format!("No commit found for SHA: {sha}"),
    )
}

fn check_run_json(api: &str, full: &str, run: &CheckRun) -> Value {
    let url = format!("{api}/repos/{full}/check-runs/{}", run.id);
    json!({
        "id": run.id,
        "head_sha": run.head_sha,
        "node_id": format!("CR_{}", run.id),
        "external_id": run.external_id.clone().unwrap_or_default(),
        "url": url,
        "html_url": format!("https://github.com/{full}/runs/{}", run.id),
        "details_url": run.details_url,
        "status": run.status,
        "conclusion": run.conclusion,
        "started_at": time(&run.started_at),
        "completed_at": run.completed_at.as_ref().map(time),
        "output": {
            "title": run.output_title,
            "summary": run.output_summary,
            "text": run.output_text,
            "annotations_count": 0,
            "annotations_url": format!("{url}/annotations"),
        },
        "name": run.name,
        "check_suite": {"id": run.id},
        "app": {"id": 15_368, "slug": run.app_slug, "name": run.app_slug},
        "pull_requests": [],
    })
}

#[derive(Deserialize)]
struct Output {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    text: Option<String>,
}

#[derive(Deserialize)]
struct CheckRunBody {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    head_sha: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    conclusion: Option<String>,
    #[serde(default)]
    external_id: Option<String>,
    #[serde(default)]
    details_url: Option<String>,
    #[serde(default)]
    output: Option<Output>,
}

/// The app a token's check runs belong to: `github-actions` for the workflow token, else the caller.
fn app_slug(ctx: &RequestContext) -> String {
    match ctx.kind {
        TokenKind::Bot => ctx.login.trim_end_matches("[bot]").to_owned(),
        TokenKind::User => ctx.login.clone(),
    }
}

/// Applies `body`'s status/conclusion/output to `run`, with GitHub's rules: a conclusion completes the run.
fn apply(run: &mut CheckRun, body: CheckRunBody) -> Result<(), GitReplyError> {
    if let Some(status) = body.status {
        if !STATUSES.contains(&status.as_str()) {
            return Err(invalid("status", &status));
        }
        run.status = status;
    }
    if let Some(conclusion) = body.conclusion {
        if !CONCLUSIONS.contains(&conclusion.as_str()) {
            return Err(invalid("conclusion", &conclusion));
        }
        run.status = "completed".to_owned();
        run.conclusion = Some(conclusion);
    }
    if run.status == "completed" {
        if run.conclusion.is_none() {
            // "Required if you provide completed_at or a status of completed".
            return Err(invalid("conclusion", ""));
        }
        run.completed_at.get_or_insert_with(now);
    }
    if let Some(name) = body.name {
        run.name = name;
    }
    if body.external_id.is_some() {
        run.external_id = body.external_id;
    }
    if body.details_url.is_some() {
        run.details_url = body.details_url;
    }
    if let Some(output) = body.output {
        run.output_title = output.title.or(run.output_title.take());
        run.output_summary = output.summary.or(run.output_summary.take());
        run.output_text = output.text.or(run.output_text.take());
    }
    Ok(())
}

/// `POST /check-runs`.
pub(super) async fn create_check_run(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name)): Path<(String, String)>,
    body: Bytes,
) -> GitReply {
    let body: CheckRunBody = json_body(&body)?;
    let mut state = app.state();
    let (repo, backed) = backed(&state, &owner, &name)?;
    let full = repo.full_name();
    let check_name = body
        .name
        .clone()
        .filter(|n| !n.is_empty())
        .ok_or_else(|| invalid("name", ""))?;
    let wanted = body.head_sha.clone().unwrap_or_default();
    let head_sha = backed
        .repo
        .resolve(&wanted, "commit")?
        .filter(|sha| sha.eq_ignore_ascii_case(&wanted))
        .ok_or_else(|| no_commit(&wanted))?;
    let id = state.next_id();
    let mut run = CheckRun {
        id,
        name: check_name,
        head_sha,
        status: "queued".to_owned(),
        conclusion: None,
        external_id: None,
        details_url: None,
        output_title: None,
        output_summary: None,
        output_text: None,
        app_slug: app_slug(&ctx),
        started_at: now(),
        completed_at: None,
    };
    apply(&mut run, body)?;
    let rendered = check_run_json(&ctx.base_url, &full, &run);
    git_mut(&mut state, &full)?.check_runs.push(run);
    Ok((StatusCode::CREATED, axum::Json(rendered)).into_response())
}

fn git_mut<'s>(
    state: &'s mut FakeState,
    full: &str,
) -> Result<&'s mut crate::git::GitBacked, GitReplyError> {
    state
        .git
        .get_mut(full)
        .ok_or(GitReplyError::Api(ApiError::NotFound))
}

/// `PATCH /check-runs/{id}`.
pub(super) async fn update_check_run(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, id)): Path<(String, String, String)>,
    body: Bytes,
) -> GitReply {
    let body: CheckRunBody = json_body(&body)?;
    let id = number(&id)?;
    let mut state = app.state();
    let (repo, _) = backed(&state, &owner, &name)?;
    let full = repo.full_name();
    let backed = git_mut(&mut state, &full)?;
    let run = backed
        .check_runs
        .iter_mut()
        .find(|r| r.id == id)
        .ok_or(ApiError::NotFound)?;
    let mut updated = run.clone();
    apply(&mut updated, body)?;
    *run = updated;
    Ok(axum::Json(check_run_json(&ctx.base_url, &full, run)).into_response())
}

/// `GET /check-runs/{id}`.
pub(super) async fn get_check_run(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, id)): Path<(String, String, String)>,
) -> GitReply {
    let id = number(&id)?;
    let state = app.state();
    let (repo, backed) = backed(&state, &owner, &name)?;
    let run = backed
        .check_runs
        .iter()
        .find(|r| r.id == id)
        .ok_or(ApiError::NotFound)?;
    Ok(axum::Json(check_run_json(&ctx.base_url, &repo.full_name(), run)).into_response())
}

/// `GET /commits/{ref}/check-runs?check_name=&status=&filter=latest|all`: newest first; `latest` (the default)
/// keeps the newest run of each name.
pub(super) async fn list_check_runs(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, wanted)): Path<(String, String, String)>,
) -> GitReply {
    let state = app.state();
    let (repo, backed) = backed(&state, &owner, &name)?;
    let sha = backed
        .repo
        .resolve(&wanted, "commit")?
        .ok_or_else(|| no_commit(&wanted))?;
    let latest = ctx.param("filter") != Some("all");
    let mut runs: Vec<&CheckRun> = backed
        .check_runs
        .iter()
        .filter(|r| r.head_sha == sha)
        .filter(|r| ctx.param("check_name").is_none_or(|n| n == r.name))
        .filter(|r| ctx.param("status").is_none_or(|s| s == r.status))
        .collect();
    runs.sort_by_key(|r| std::cmp::Reverse(r.id));
    if latest {
        let mut seen = std::collections::BTreeSet::new();
        runs.retain(|r| seen.insert((r.name.clone(), r.app_slug.clone())));
    }
    let full = repo.full_name();
    let items: Vec<Value> = runs
        .iter()
        .map(|r| check_run_json(&ctx.base_url, &full, r))
        .collect();
    // One page holds everything the fake's tests create; `total_count` is the whole count, as on GitHub.
    Ok(axum::Json(json!({"total_count": items.len(), "check_runs": items})).into_response())
}

fn status_json(state: &FakeState, api: &str, full: &str, status: &CommitStatus) -> Value {
    json!({
        "url": format!("{api}/repos/{full}/statuses/{}", status.sha),
        "avatar_url": null,
        "id": status.id,
        "node_id": format!("SC_{}", status.id),
        "state": status.state,
        "description": status.description,
        "target_url": status.target_url,
        "context": status.context,
        "created_at": time(&status.created_at),
        "updated_at": time(&status.updated_at),
        "creator": crate::render::user(state, api, &status.creator),
    })
}

#[derive(Deserialize)]
struct StatusBody {
    state: String,
    #[serde(default)]
    target_url: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    context: Option<String>,
}

/// `POST /statuses/{sha}`: `state` is error, failure, pending or success; `context` defaults to `default`.
pub(super) async fn create_status(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, wanted)): Path<(String, String, String)>,
    body: Bytes,
) -> GitReply {
    let body: StatusBody = json_body(&body)?;
    let mut state = app.state();
    let (repo, backed) = backed(&state, &owner, &name)?;
    let full = repo.full_name();
    if !["error", "failure", "pending", "success"].contains(&body.state.as_str()) {
        return Err(GitReplyError::Api(ApiError::Validation(vec![json!({
            "resource": "Status", "field": "state", "code": "custom",
            "message": format!("state is not included in the list"),
        })])));
    }
    let sha = backed
        .repo
        .resolve(&wanted, "commit")?
        .filter(|sha| sha.eq_ignore_ascii_case(&wanted))
        .ok_or_else(|| no_commit(&wanted))?;
    let id = state.next_id();
    let at = now();
    let status = CommitStatus {
        id,
        sha,
        state: body.state,
        context: body
            .context
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| "default".to_owned()),
        description: body.description,
        target_url: body.target_url,
        creator: ctx.login.clone(),
        created_at: at,
        updated_at: at,
    };
    let rendered = status_json(&state, &ctx.base_url, &full, &status);
    git_mut(&mut state, &full)?.statuses.push(status);
    Ok((StatusCode::CREATED, axum::Json(rendered)).into_response())
}

/// `GET /commits/{ref}/statuses`: every status, newest first, paginated.
pub(super) async fn list_statuses(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, wanted)): Path<(String, String, String)>,
) -> GitReply {
    let state = app.state();
    let (repo, backed) = backed(&state, &owner, &name)?;
    let sha = backed
        .repo
        .resolve(&wanted, "commit")?
        .ok_or_else(|| no_commit(&wanted))?;
    let full = repo.full_name();
    let items: Vec<Value> = backed
        .statuses
        .iter()
        .rev()
        .filter(|s| s.sha == sha)
        .map(|s| status_json(&state, &ctx.base_url, &full, s))
        .collect();
    Ok(paginated(&ctx, &items))
}

/// `GET /commits/{ref}/status`: the latest status per context and their combined state — `failure` if any
/// is error or failure, else `pending` if any is pending or there are none, else `success`.
pub(super) async fn combined_status(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, wanted)): Path<(String, String, String)>,
) -> GitReply {
    let state = app.state();
    let (repo, backed) = backed(&state, &owner, &name)?;
    let sha = backed
        .repo
        .resolve(&wanted, "commit")?
        .ok_or(ApiError::NotFound)?;
    let mut latest: Vec<&CommitStatus> = Vec::new();
    for status in backed.statuses.iter().rev().filter(|s| s.sha == sha) {
        if latest.iter().all(|s| s.context != status.context) {
            latest.push(status);
        }
    }
    let combined = if latest
        .iter()
        .any(|s| s.state == "error" || s.state == "failure")
    {
        "failure"
    } else if latest.is_empty() || latest.iter().any(|s| s.state == "pending") {
        "pending"
    } else {
        "success"
    };
    let full = repo.full_name();
    let api = &ctx.base_url;
    let statuses: Vec<Value> = latest
        .iter()
        .map(|s| status_json(&state, api, &full, s))
        .collect();
    Ok(axum::Json(json!({
        "state": combined,
        "statuses": statuses,
        "sha": sha,
        "total_count": statuses.len(),
        "repository": crate::render::repository(&state, api, repo),
        "commit_url": format!("{api}/repos/{full}/commits/{sha}"),
        "url": format!("{api}/repos/{full}/commits/{sha}/status"),
    }))
    .into_response())
}

#[derive(Deserialize)]
struct DispatchBody {
    #[serde(rename = "ref")]
    git_ref: String,
    #[serde(default)]
    return_run_details: bool,
}

/// `POST /actions/workflows/{workflow_id}/dispatches` with `{"ref": "branch"}`: records a queued
/// `workflow_dispatch` run on the ref's head (simulated CI, when on, reports on it). An unknown ref is
/// 422 "No ref found for: X".
pub(super) async fn dispatch(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, workflow)): Path<(String, String, String)>,
    body: Bytes,
) -> GitReply {
    let body: DispatchBody = json_body(&body)?;
    let mut state = app.state();
    let (repo, backed) = backed(&state, &owner, &name)?;
    let full = repo.full_name();
    let branch = body
        .git_ref
        .trim_start_matches("refs/heads/")
        .trim_start_matches("refs/tags/")
        .to_owned();
    let sha = backed
        .repo
        .resolve(&body.git_ref, "commit")?
        .ok_or_else(|| {
            GitReplyError::Status(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("No ref found for: {}", body.git_ref),
            )
        })?;
    let id = state.git_dispatched(&full, &workflow, &branch, &sha, &ctx.login)?;
    if body.return_run_details {
        let api = &ctx.base_url;
        return Ok(axum::Json(json!({
            "workflow_run_id": id,
            "run_url": format!("{api}/repos/{full}/actions/runs/{id}"),
            "html_url": format!("https://github.com/{full}/actions/runs/{id}"),
        }))
        .into_response());
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /issues/{n}/events`: `labeled` and `unlabeled` events with their times, oldest first, paginated.
pub(super) async fn issue_events(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, issue)): Path<(String, String, String)>,
) -> Result<axum::response::Response, ApiError> {
    let state = app.state();
    let repo = find_repo(&state, &owner, &name)?;
    let issue = number(&issue)?;
    if !repo.pulls.contains_key(&issue) {
        return Err(ApiError::NotFound);
    }
    let full = repo.full_name();
    let api = &ctx.base_url;
    let items: Vec<Value> = state
        .issue_events(&full, issue)
        .iter()
        .map(|e| {
            let color = repo
                .label(&e.label)
                .map_or_else(|| "ededed".to_owned(), |l| l.color.clone());
            json!({
                "id": e.id,
                "node_id": format!("LE_{}", e.id),
                "url": format!("{api}/repos/{full}/issues/events/{}", e.id),
                "actor": crate::render::user(&state, api, &e.actor),
                "event": e.event,
                "commit_id": null,
                "commit_url": null,
                "created_at": time(&e.created_at),
                "performed_via_github_app": null,
                "label": {"name": e.label, "color": color},
            })
        })
        .collect();
    Ok(paginated(&ctx, &items))
}

/// Middleware that records `labeled`/`unlabeled` events for every successful change of an issue's labels
/// through the labels endpoints, by comparing the labels before and after (so every way of changing them —
/// add, set, remove one, clear — is covered without touching the label handlers).
pub(super) async fn record_label_events(
    State(app): State<App>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let target = label_target(request.method(), request.uri().path());
    let Some((owner, name, issue)) = target else {
        return next.run(request).await;
    };
    let actor = request
        .extensions()
        .get::<RequestContext>()
        .map(|c| c.login.clone())
        .unwrap_or_default();
    let labels_now = |app: &App| -> Option<(String, Vec<String>)> {
        let state = app.state();
        let key = super::repo_key(&state, &owner, &name).ok()?;
        let labels = state.repo(&key)?.issue_labels(issue)?.to_vec();
        Some((key, labels))
    };
    let before = labels_now(&app);
    let response = next.run(request).await;
    if !response.status().is_success() {
        return response;
    }
    if let (Some((key, before)), Some((_, after))) = (before, labels_now(&app)) {
        let at = now();
        let mut state = app.state();
        let missing_from =
            |list: &[String], label: &String| !list.iter().any(|l| l.eq_ignore_ascii_case(label));
        for label in before.iter().filter(|l| missing_from(&after, l)) {
            state.record_issue_event(&key, issue, "unlabeled", label, &actor, at);
        }
        for label in after.iter().filter(|l| missing_from(&before, l)) {
            state.record_issue_event(&key, issue, "labeled", label, &actor, at);
        }
    }
    response
}

/// `(owner, name, number)` of a write to `/repos/{o}/{r}/issues/{n}/labels[/{label}]`.
fn label_target(method: &axum::http::Method, path: &str) -> Option<(String, String, u64)> {
    if matches!(
        *method,
        axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
    ) {
        return None;
    }
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match parts.as_slice() {
        ["repos", owner, name, "issues", issue, "labels", ..] => {
            Some(((*owner).to_owned(), (*name).to_owned(), issue.parse().ok()?))
        }
        _ => None,
    }
}

/// `POST /actions/runs/{run_id}/rerun` and `.../rerun-failed-jobs`: 201 `{}`; a new attempt of the run on
/// the same commit (simulated CI reports on it again). A run still in progress cannot be re-run: 403.
pub(super) async fn rerun(
    State(app): State<App>,
    Path((owner, name, run_id)): Path<(String, String, String)>,
) -> GitReply {
    let run_id = number(&run_id)?;
    let mut state = app.state();
    let full = find_repo(&state, &owner, &name)?.full_name();
    let running = state
        .repo(&full)
        .and_then(|r| r.runs.get(&run_id))
        .map(|r| r.status != "completed")
        .ok_or(ApiError::NotFound)?;
    if running {
        return Err(GitReplyError::Status(
            StatusCode::FORBIDDEN,
            "This workflow is already running".to_owned(),
        ));
    }
    state.git_rerun(&full, run_id)?.ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, axum::Json(json!({}))).into_response())
}
