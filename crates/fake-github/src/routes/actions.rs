//! Workflow runs and their jobs per attempt.

use axum::Extension;
use axum::extract::{Path, State};
use serde_json::{Value, json};

use super::{find_repo, number, ok};
use crate::api_error::{ApiError, Reply};
use crate::app::App;
use crate::pagination::{page_of, with_link};
use crate::render;
use crate::request_context::RequestContext;
use crate::state::{Job, WorkflowRun};

/// A `{"total_count": N, <key>: [...]}` page, GitHub's envelope for Actions lists.
fn envelope(ctx: &RequestContext, key: &str, items: &[Value]) -> axum::response::Response {
    let (page, link) = page_of(ctx, items);
    with_link(ok(json!({"total_count": items.len(), key: page})), link)
}

pub(super) async fn list_runs(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name)): Path<(String, String)>,
) -> Reply {
    let state = app.state();
    let repo = find_repo(&state, &owner, &name)?;
    let matches = |r: &&WorkflowRun| {
        ctx.param("head_sha").is_none_or(|v| v == r.head_sha)
            && ctx.param("branch").is_none_or(|v| v == r.head_branch)
            && ctx.param("event").is_none_or(|v| v == r.event)
            && ctx
                .param("status")
                .is_none_or(|v| v == r.status || r.conclusion.as_deref() == Some(v))
    };
    let items: Vec<Value> = repo
        .runs
        .values()
        .rev()
        .filter(matches)
        .map(|r| render::workflow_run(&state, &ctx.base_url, repo, r))
        .collect();
    Ok(envelope(&ctx, "workflow_runs", &items))
}

pub(super) async fn get_run(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, run_id)): Path<(String, String, String)>,
) -> Reply {
    let state = app.state();
    let repo = find_repo(&state, &owner, &name)?;
    let run = repo.runs.get(&number(&run_id)?).ok_or(ApiError::NotFound)?;
    Ok(ok(render::workflow_run(&state, &ctx.base_url, repo, run)))
}

pub(super) async fn get_attempt(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, run_id, attempt)): Path<(String, String, String, String)>,
) -> Reply {
    let state = app.state();
    let repo = find_repo(&state, &owner, &name)?;
    let run = repo.runs.get(&number(&run_id)?).ok_or(ApiError::NotFound)?;
    let attempt = attempt_number(run, &attempt)?;
    let mut value = render::workflow_run(&state, &ctx.base_url, repo, run);
    value["run_attempt"] = json!(attempt);
    Ok(ok(value))
}

fn attempt_number(run: &WorkflowRun, text: &str) -> Result<u32, ApiError> {
    let attempt: u32 = text.parse().map_err(|_| ApiError::NotFound)?;
    if attempt == 0 || attempt > run.run_attempt {
        return Err(ApiError::NotFound);
    }
    Ok(attempt)
}

fn render_jobs<'r>(
    ctx: &RequestContext,
    repo: &crate::state::Repo,
    run: &'r WorkflowRun,
    jobs: impl Iterator<Item = &'r Job>,
) -> Vec<Value> {
    jobs.map(|j| render::job(&ctx.base_url, repo, run, j))
        .collect()
}

/// `filter=latest` (the default) lists the latest attempt's jobs; `filter=all` every attempt's.
pub(super) async fn list_jobs(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, run_id)): Path<(String, String, String)>,
) -> Reply {
    let state = app.state();
    let repo = find_repo(&state, &owner, &name)?;
    let run = repo.runs.get(&number(&run_id)?).ok_or(ApiError::NotFound)?;
    let all = match ctx.param("filter").unwrap_or("latest") {
        "all" => true,
        "latest" => false,
        _ => {
            return Err(ApiError::Validation(vec![
                json!({"resource": "WorkflowJob", "code": "invalid", "field": "filter"}),
            ]));
        }
    };
    let jobs = run
        .jobs
        .iter()
        .filter(|j| all || j.run_attempt == run.run_attempt);
    let items = render_jobs(&ctx, repo, run, jobs);
    Ok(envelope(&ctx, "jobs", &items))
}

pub(super) async fn list_attempt_jobs(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, run_id, attempt)): Path<(String, String, String, String)>,
) -> Reply {
    let state = app.state();
    let repo = find_repo(&state, &owner, &name)?;
    let run = repo.runs.get(&number(&run_id)?).ok_or(ApiError::NotFound)?;
    let attempt = attempt_number(run, &attempt)?;
    let jobs = run.jobs.iter().filter(|j| j.run_attempt == attempt);
    let items = render_jobs(&ctx, repo, run, jobs);
    Ok(envelope(&ctx, "jobs", &items))
}
