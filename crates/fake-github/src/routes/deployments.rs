//! Deployments and deployment statuses, newest first as GitHub lists them.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{created, find_repo, json_body, number, ok, repo_key};
use crate::api_error::{ApiError, Reply};
use crate::app::App;
use crate::pagination::paginated;
use crate::render;
use crate::request_context::RequestContext;
use crate::seed::fake_sha;
use crate::state::{Deployment, DeploymentStatus, Repo, now};

const STATES: [&str; 7] = [
    "error",
    "failure",
    "inactive",
    "in_progress",
    "queued",
    "pending",
    "success",
];

#[derive(Deserialize)]
struct NewDeployment {
    #[serde(rename = "ref")]
    ref_name: Option<String>,
    task: Option<String>,
    payload: Option<Value>,
    environment: Option<String>,
    description: Option<String>,
    transient_environment: Option<bool>,
    production_environment: Option<bool>,
}

/// The commit a ref names: a full sha as is, a PR branch's head, else a stable made-up sha.
fn resolve_sha(repo: &Repo, ref_name: &str) -> String {
    if ref_name.len() == 40 && ref_name.chars().all(|c| c.is_ascii_hexdigit()) {
        return ref_name.to_owned();
    }
    repo.pulls
        .values()
        .find(|p| p.head.ref_name == ref_name)
        .map(|p| p.head.sha.clone())
        .or_else(|| {
            repo.pulls
                .values()
                .find(|p| p.base.ref_name == ref_name)
                .map(|p| p.base.sha.clone())
        })
        .unwrap_or_else(|| fake_sha(&format!("{}@{ref_name}", repo.full_name())))
}

pub(super) async fn create_deployment(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name)): Path<(String, String)>,
    body: Bytes,
) -> Reply {
    let request: NewDeployment = json_body(&body)?;
    let ref_name = request.ref_name.filter(|r| !r.is_empty()).ok_or_else(|| {
        ApiError::Validation(vec![
            json!({"resource": "Deployment", "code": "missing_field", "field": "ref"}),
        ])
    })?;
    let mut state = app.state();
    let key = repo_key(&state, &owner, &name)?;
    let id = state.next_id();
    let repo = state.repos.get_mut(&key).ok_or(ApiError::NotFound)?;
    let environment = request
        .environment
        .unwrap_or_else(|| "production".to_owned());
    let payload = match request.payload {
        // GitHub accepts the payload as a JSON string too and returns it parsed.
        Some(Value::String(text)) => serde_json::from_str(&text).unwrap_or(Value::String(text)),
        Some(value) => value,
        None => json!({}),
    };
    let stamp = now();
    let deployment = Deployment {
        id,
        sha: resolve_sha(repo, &ref_name),
        ref_name,
        task: request.task.unwrap_or_else(|| "deploy".to_owned()),
        payload,
        production_environment: request
            .production_environment
            .unwrap_or(environment == "production"),
        original_environment: environment.clone(),
        environment,
        description: request.description,
        creator: ctx.login.clone(),
        transient_environment: request.transient_environment.unwrap_or(false),
        created_at: stamp,
        updated_at: stamp,
        statuses: Vec::new(),
    };
    repo.deployments.push(deployment.clone());
    let repo = state.repos.get(&key).ok_or(ApiError::NotFound)?;
    Ok(created(render::deployment(
        &state,
        &ctx.base_url,
        repo,
        &deployment,
    )))
}

pub(super) async fn list_deployments(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name)): Path<(String, String)>,
) -> Reply {
    let state = app.state();
    let repo = find_repo(&state, &owner, &name)?;
    let matches = |d: &&Deployment| {
        ctx.param("sha").is_none_or(|v| v == d.sha)
            && ctx.param("ref").is_none_or(|v| v == d.ref_name)
            && ctx.param("task").is_none_or(|v| v == d.task)
            && ctx.param("environment").is_none_or(|v| v == d.environment)
    };
    let items: Vec<Value> = repo
        .deployments
        .iter()
        .rev()
        .filter(matches)
        .map(|d| render::deployment(&state, &ctx.base_url, repo, d))
        .collect();
    Ok(paginated(&ctx, &items))
}

pub(super) async fn get_deployment(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, id)): Path<(String, String, String)>,
) -> Reply {
    let id = number(&id)?;
    let state = app.state();
    let repo = find_repo(&state, &owner, &name)?;
    let deployment = repo
        .deployments
        .iter()
        .find(|d| d.id == id)
        .ok_or(ApiError::NotFound)?;
    Ok(ok(render::deployment(
        &state,
        &ctx.base_url,
        repo,
        deployment,
    )))
}

#[derive(Deserialize)]
struct NewStatus {
    state: Option<String>,
    target_url: Option<String>,
    log_url: Option<String>,
    description: Option<String>,
    environment: Option<String>,
    environment_url: Option<String>,
    auto_inactive: Option<bool>,
}

pub(super) async fn create_status(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, id)): Path<(String, String, String)>,
    body: Bytes,
) -> Reply {
    let id = number(&id)?;
    let request: NewStatus = json_body(&body)?;
    let mut state = app.state();
    let key = repo_key(&state, &owner, &name)?;
    let status_id = state.next_id();
    let repo = state.repos.get_mut(&key).ok_or(ApiError::NotFound)?;
    let index = repo
        .deployments
        .iter()
        .position(|d| d.id == id)
        .ok_or(ApiError::NotFound)?;
    let wanted = request.state.unwrap_or_default();
    if !STATES.contains(&wanted.as_str()) {
        return Err(ApiError::Validation(vec![
            json!({"resource": "DeploymentStatus", "code": "invalid", "field": "state"}),
        ]));
    }
    let stamp = now();
    let deployment = &mut repo.deployments[index];
    if let Some(environment) = &request.environment {
        deployment.environment.clone_from(environment);
    }
    let status = DeploymentStatus {
        id: status_id,
        state: wanted.clone(),
        description: request.description.unwrap_or_default(),
        environment: deployment.environment.clone(),
        environment_url: request.environment_url.unwrap_or_default(),
        log_url: request.log_url.or(request.target_url).unwrap_or_default(),
        creator: ctx.login.clone(),
        created_at: stamp,
        updated_at: stamp,
    };
    deployment.statuses.push(status.clone());
    deployment.updated_at = stamp;
    let environment = deployment.environment.clone();
    if wanted == "success" && request.auto_inactive.unwrap_or(true) {
        deactivate_older(&mut state, &key, id, &environment, &ctx.login);
    }
    let repo = state.repos.get(&key).ok_or(ApiError::NotFound)?;
    let deployment = &repo.deployments[index];
    Ok(created(render::deployment_status(
        &state,
        &ctx.base_url,
        repo,
        deployment,
        &status,
    )))
}

/// GitHub's `auto_inactive`: older successful, non-transient, non-production deployments to the same
/// environment get an `inactive` status.
fn deactivate_older(
    state: &mut crate::state::State,
    key: &str,
    id: u64,
    environment: &str,
    login: &str,
) {
    let Some(repo) = state.repos.get(key) else {
        return;
    };
    let targets: Vec<usize> = repo
        .deployments
        .iter()
        .enumerate()
        .filter(|(_, d)| {
            d.id < id
                && d.environment == environment
                && !d.transient_environment
                && !d.production_environment
                && d.statuses.last().is_some_and(|s| s.state == "success")
        })
        .map(|(i, _)| i)
        .collect();
    for index in targets {
        let status_id = state.next_id();
        let stamp = now();
        if let Some(deployment) = state
            .repos
            .get_mut(key)
            .and_then(|r| r.deployments.get_mut(index))
        {
            deployment.statuses.push(DeploymentStatus {
                id: status_id,
                state: "inactive".to_owned(),
                description: String::new(),
                environment: deployment.environment.clone(),
                environment_url: String::new(),
                log_url: String::new(),
                creator: login.to_owned(),
                created_at: stamp,
                updated_at: stamp,
            });
        }
    }
}

pub(super) async fn list_statuses(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, id)): Path<(String, String, String)>,
) -> Reply {
    let id = number(&id)?;
    let state = app.state();
    let repo = find_repo(&state, &owner, &name)?;
    let deployment = repo
        .deployments
        .iter()
        .find(|d| d.id == id)
        .ok_or(ApiError::NotFound)?;
    let items: Vec<Value> = deployment
        .statuses
        .iter()
        .rev()
        .map(|s| render::deployment_status(&state, &ctx.base_url, repo, deployment, s))
        .collect();
    Ok(paginated(&ctx, &items))
}
