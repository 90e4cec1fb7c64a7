//! `GET /repos/{owner}/{name}/contents/{path}?ref=`: a file (base64) or a directory listing.

use std::collections::BTreeMap;

use axum::Extension;
use axum::extract::{Path, State};
use serde_json::Value;

use super::{find_repo, ok};
use crate::api_error::{ApiError, Reply};
use crate::app::App;
use crate::render;
use crate::request_context::RequestContext;
use crate::state::Repo;

pub(super) async fn get_root(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name)): Path<(String, String)>,
) -> Reply {
    let state = app.state();
    let repo = find_repo(&state, &owner, &name)?;
    if let Some(git) = state.git_backed(&repo.full_name()) {
        return Ok(super::git::contents(&ctx, repo, git, ""));
    }
    answer(&ctx, repo, "")
}

pub(super) async fn get_content(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, path)): Path<(String, String, String)>,
) -> Reply {
    let state = app.state();
    let repo = find_repo(&state, &owner, &name)?;
    if let Some(git) = state.git_backed(&repo.full_name()) {
        return Ok(super::git::contents(
            &ctx,
            repo,
            git,
            path.trim_matches('/'),
        ));
    }
    answer(&ctx, repo, path.trim_matches('/'))
}

fn answer(ctx: &RequestContext, repo: &Repo, path: &str) -> Reply {
    let git_ref = ctx
        .param("ref")
        .filter(|r| !r.is_empty())
        .unwrap_or(&repo.default_branch)
        .to_owned();
    let files = repo.contents.get(&git_ref).ok_or(ApiError::NotFound)?;
    if let Some(text) = files.get(path) {
        return Ok(ok(render::content_file(
            &ctx.base_url,
            repo,
            &git_ref,
            path,
            text,
        )));
    }
    let listing = directory(files, path);
    if listing.is_empty() {
        return Err(ApiError::NotFound);
    }
    let items: Vec<Value> = listing
        .into_iter()
        .map(|(entry, file)| render::content_entry(&ctx.base_url, repo, &git_ref, &entry, file))
        .collect();
    Ok(ok(Value::Array(items)))
}

/// The direct children of directory `dir` ("" for the root): files with their text, directories with `None`.
fn directory<'f>(
    files: &'f BTreeMap<String, String>,
    dir: &str,
) -> BTreeMap<String, Option<&'f str>> {
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    let mut children = BTreeMap::new();
    for (path, text) in files {
        let Some(rest) = path.strip_prefix(&prefix) else {
            continue;
        };
        match rest.split_once('/') {
            None => {
                children.insert(path.clone(), Some(text.as_str()));
            }
            Some((child_dir, _)) => {
                children.insert(format!("{prefix}{child_dir}"), None);
            }
        }
    }
    children
}
