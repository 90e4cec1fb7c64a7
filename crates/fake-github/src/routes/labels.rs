//! Repository labels and the labels on an issue or PR. Names compare case-insensitively, as on GitHub.

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
use crate::state::{Label, State as World, now};

/// GitHub's colour for labels it creates on the fly.
const AUTO_LABEL_COLOR: &str = "ededed";

pub(super) async fn list_repo_labels(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name)): Path<(String, String)>,
) -> Reply {
    let state = app.state();
    let repo = find_repo(&state, &owner, &name)?;
    let items: Vec<Value> = repo
        .labels
        .iter()
        .map(|l| render::label(&ctx.base_url, repo, l))
        .collect();
    Ok(paginated(&ctx, &items))
}

pub(super) async fn get_label(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, label)): Path<(String, String, String)>,
) -> Reply {
    let state = app.state();
    let repo = find_repo(&state, &owner, &name)?;
    let label = repo.label(&label).ok_or(ApiError::NotFound)?;
    Ok(ok(render::label(&ctx.base_url, repo, label)))
}

#[derive(Deserialize)]
struct NewLabel {
    name: Option<String>,
    color: Option<String>,
    description: Option<String>,
}

fn validate_color(color: &str) -> Result<String, ApiError> {
    let color = color.trim_start_matches('#');
    if color.len() == 6 && color.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(color.to_lowercase())
    } else {
        Err(ApiError::Validation(vec![
            json!({"resource": "Label", "code": "invalid", "field": "color"}),
        ]))
    }
}

pub(super) async fn create_label(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name)): Path<(String, String)>,
    body: Bytes,
) -> Reply {
    let request: NewLabel = json_body(&body)?;
    let mut state = app.state();
    let key = repo_key(&state, &owner, &name)?;
    let label_name = request
        .name
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| {
            ApiError::Validation(vec![
                json!({"resource": "Label", "code": "missing_field", "field": "name"}),
            ])
        })?;
    let color = validate_color(request.color.as_deref().unwrap_or(AUTO_LABEL_COLOR))?;
    if state
        .repos
        .get(&key)
        .and_then(|r| r.label(&label_name))
        .is_some()
    {
        return Err(ApiError::Validation(vec![
            json!({"resource": "Label", "code": "already_exists", "field": "name"}),
        ]));
    }
    state.add_label(&key, &label_name, &color, request.description.as_deref());
    let repo = state.repos.get(&key).ok_or(ApiError::NotFound)?;
    let label = repo.label(&label_name).ok_or(ApiError::NotFound)?;
    Ok(created(render::label(&ctx.base_url, repo, label)))
}

#[derive(Deserialize)]
struct LabelUpdate {
    new_name: Option<String>,
    color: Option<String>,
    description: Option<String>,
}

pub(super) async fn update_label(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, label)): Path<(String, String, String)>,
    body: Bytes,
) -> Reply {
    let update: LabelUpdate = json_body(&body)?;
    let color = update.color.as_deref().map(validate_color).transpose()?;
    let mut state = app.state();
    let key = repo_key(&state, &owner, &name)?;
    let repo = state.repos.get_mut(&key).ok_or(ApiError::NotFound)?;
    let index = repo
        .labels
        .iter()
        .position(|l| l.name.eq_ignore_ascii_case(&label))
        .ok_or(ApiError::NotFound)?;
    let old_name = repo.labels[index].name.clone();
    if let Some(new_name) = &update.new_name {
        let clash = repo
            .labels
            .iter()
            .enumerate()
            .any(|(i, l)| i != index && l.name.eq_ignore_ascii_case(new_name));
        if clash {
            return Err(ApiError::Validation(vec![
                json!({"resource": "Label", "code": "already_exists", "field": "name"}),
            ]));
        }
        for pull in repo.pulls.values_mut() {
            for on_issue in &mut pull.labels {
                if on_issue.eq_ignore_ascii_case(&old_name) {
                    on_issue.clone_from(new_name);
                }
            }
        }
    }
    let entry = &mut repo.labels[index];
    if let Some(new_name) = update.new_name {
        entry.name = new_name;
    }
    if let Some(color) = color {
        entry.color = color;
    }
    if update.description.is_some() {
        entry.description = update.description;
    }
    let entry = entry.clone();
    Ok(ok(render::label(&ctx.base_url, repo, &entry)))
}

pub(super) async fn delete_label(
    State(app): State<App>,
    Path((owner, name, label)): Path<(String, String, String)>,
) -> Reply {
    let mut state = app.state();
    let key = repo_key(&state, &owner, &name)?;
    let repo = state.repos.get_mut(&key).ok_or(ApiError::NotFound)?;
    let before = repo.labels.len();
    repo.labels.retain(|l| !l.name.eq_ignore_ascii_case(&label));
    if repo.labels.len() == before {
        return Err(ApiError::NotFound);
    }
    for pull in repo.pulls.values_mut() {
        pull.labels.retain(|l| !l.eq_ignore_ascii_case(&label));
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub(super) async fn list_issue_labels(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, issue)): Path<(String, String, String)>,
) -> Reply {
    let state = app.state();
    let repo = find_repo(&state, &owner, &name)?;
    let names = repo
        .issue_labels(number(&issue)?)
        .ok_or(ApiError::NotFound)?;
    Ok(paginated(
        &ctx,
        &render::issue_labels(&ctx.base_url, repo, names),
    ))
}

/// The label names in a request body: `{"labels": [...]}` or a bare array, of names or `{"name": ...}`.
fn requested_names(body: &Bytes) -> Result<Vec<String>, ApiError> {
    let value: Value = json_body(body)?;
    let list = match &value {
        Value::Object(map) => map.get("labels").cloned().unwrap_or(Value::Null),
        other => other.clone(),
    };
    let invalid = || {
        ApiError::Unprocessable(
            "Invalid request.\n\nFor 'links/0/schema', nil is not an array.".to_owned(),
        )
    };
    let items = match list {
        Value::Array(items) => items,
        Value::String(name) => vec![Value::String(name)],
        _ => return Err(invalid()),
    };
    items
        .into_iter()
        .map(|item| match item {
            Value::String(name) => Ok(name),
            Value::Object(map) => map
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(invalid),
            _ => Err(invalid()),
        })
        .collect()
}

/// Attaches `names` to the issue, creating missing repository labels as GitHub does.
fn attach(state: &mut World, key: &str, issue: u64, names: &[String]) -> Result<(), ApiError> {
    for requested in names {
        let repo = state.repos.get(key).ok_or(ApiError::NotFound)?;
        let canonical = match repo.label(requested) {
            Some(label) => label.name.clone(),
            None => {
                let id = state.next_id();
                let repo = state.repos.get_mut(key).ok_or(ApiError::NotFound)?;
                repo.labels.push(Label {
                    id,
                    name: requested.clone(),
                    color: AUTO_LABEL_COLOR.to_owned(),
                    description: None,
                    default: false,
                });
                requested.clone()
            }
        };
        let repo = state.repos.get_mut(key).ok_or(ApiError::NotFound)?;
        let pull = repo.pulls.get_mut(&issue).ok_or(ApiError::NotFound)?;
        if !pull
            .labels
            .iter()
            .any(|l| l.eq_ignore_ascii_case(&canonical))
        {
            pull.labels.push(canonical);
            pull.updated_at = now();
        }
    }
    Ok(())
}

fn issue_label_list(state: &World, ctx: &RequestContext, key: &str, issue: u64) -> Reply {
    let repo = state.repos.get(key).ok_or(ApiError::NotFound)?;
    let names = repo.issue_labels(issue).ok_or(ApiError::NotFound)?;
    Ok(ok(Value::Array(render::issue_labels(
        &ctx.base_url,
        repo,
        names,
    ))))
}

pub(super) async fn add_issue_labels(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, issue)): Path<(String, String, String)>,
    body: Bytes,
) -> Reply {
    let issue = number(&issue)?;
    let mut state = app.state();
    let key = repo_key(&state, &owner, &name)?;
    state
        .repos
        .get(&key)
        .and_then(|r| r.issue_labels(issue))
        .ok_or(ApiError::NotFound)?;
    let names = requested_names(&body)?;
    attach(&mut state, &key, issue, &names)?;
    issue_label_list(&state, &ctx, &key, issue)
}

pub(super) async fn set_issue_labels(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, issue)): Path<(String, String, String)>,
    body: Bytes,
) -> Reply {
    let issue = number(&issue)?;
    let names = requested_names(&body)?;
    let mut state = app.state();
    let key = repo_key(&state, &owner, &name)?;
    let pull = state
        .repos
        .get_mut(&key)
        .and_then(|r| r.pulls.get_mut(&issue))
        .ok_or(ApiError::NotFound)?;
    pull.labels.clear();
    attach(&mut state, &key, issue, &names)?;
    issue_label_list(&state, &ctx, &key, issue)
}

pub(super) async fn clear_issue_labels(
    State(app): State<App>,
    Path((owner, name, issue)): Path<(String, String, String)>,
) -> Reply {
    let issue = number(&issue)?;
    let mut state = app.state();
    let key = repo_key(&state, &owner, &name)?;
    let pull = state
        .repos
        .get_mut(&key)
        .and_then(|r| r.pulls.get_mut(&issue))
        .ok_or(ApiError::NotFound)?;
    pull.labels.clear();
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub(super) async fn remove_issue_label(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, issue, label)): Path<(String, String, String, String)>,
) -> Reply {
    let issue = number(&issue)?;
    let mut state = app.state();
    let key = repo_key(&state, &owner, &name)?;
    let pull = state
        .repos
        .get_mut(&key)
        .and_then(|r| r.pulls.get_mut(&issue))
        .ok_or(ApiError::NotFound)?;
    let before = pull.labels.len();
    pull.labels.retain(|l| !l.eq_ignore_ascii_case(&label));
    if pull.labels.len() == before {
        return Err(ApiError::NotFoundMessage("Label does not exist"));
    }
    pull.updated_at = now();
    issue_label_list(&state, &ctx, &key, issue)
}
