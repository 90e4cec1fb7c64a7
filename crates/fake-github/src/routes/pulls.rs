//! Pull requests, their files and commits, and the PRs a commit belongs to.

use axum::Extension;
use axum::extract::{Path, State};
use serde_json::Value;

use super::{find_repo, number, ok};
use crate::api_error::{ApiError, Reply};
use crate::app::App;
use crate::pagination::{page_of, paginated, with_link};
use crate::render;
use crate::request_context::RequestContext;
use crate::state::PullState;

/// GitHub lists at most this many files of a PR; later pages are empty.
pub const MAX_PULL_FILES: usize = 3_000;
/// GitHub lists at most this many commits of a PR.
pub const MAX_PULL_COMMITS: usize = 250;

pub(super) async fn list_pulls(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name)): Path<(String, String)>,
) -> Reply {
    let state = app.state();
    let repo = find_repo(&state, &owner, &name)?;
    let wanted_state = ctx.param("state").unwrap_or("open");
    let head = ctx.param("head");
    let base = ctx.param("base");
    let mut pulls: Vec<_> = repo
        .pulls
        .values()
        .filter(|p| wanted_state == "all" || p.state.as_str() == wanted_state)
        .filter(|p| {
            head.is_none_or(|h| {
                let owner = p.head.repo.split('/').next().unwrap_or_default();
                h == format!("{owner}:{}", p.head.ref_name) || h == p.head.ref_name
            })
        })
        .filter(|p| base.is_none_or(|b| b == p.base.ref_name))
        .collect();
    // GitHub's default order is newest first.
    pulls.sort_by_key(|p| std::cmp::Reverse(p.number));
    if ctx.param("direction") == Some("asc") {
        pulls.reverse();
    }
    let items: Vec<Value> = pulls
        .into_iter()
        .map(|p| render::pull_simple(&state, &ctx.base_url, repo, p))
        .collect();
    Ok(paginated(&ctx, &items))
}

pub(super) async fn get_pull(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, pull_number)): Path<(String, String, String)>,
) -> Reply {
    let state = app.state();
    let repo = find_repo(&state, &owner, &name)?;
    let pull = repo
        .pulls
        .get(&number(&pull_number)?)
        .ok_or(ApiError::NotFound)?;
    let mut value = render::pull_full(&state, &ctx.base_url, repo, pull);
    // A git-backed PR's mergeability and merge commit come from git.
    if let Some(info) = state
        .git_backed(&repo.full_name())
        .and_then(|g| g.pull_info.get(&pull.number))
    {
        value["mergeable"] = info.mergeable.map_or(Value::Null, Value::Bool);
        value["mergeable_state"] = Value::from(match info.mergeable {
            Some(true) => "clean",
            Some(false) => "dirty",
            None => "unknown",
        });
        if let Some(sha) = &info.merge_commit_sha {
            value["merge_commit_sha"] = Value::from(sha.as_str());
        }
    }
    Ok(ok(value))
}

pub(super) async fn list_files(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, pull_number)): Path<(String, String, String)>,
) -> Reply {
    let state = app.state();
    let repo = find_repo(&state, &owner, &name)?;
    let pull = repo
        .pulls
        .get(&number(&pull_number)?)
        .ok_or(ApiError::NotFound)?;
    // Only the requested page is rendered: a 3,000-file PR is listed 30 times per run.
    let capped = &pull.files[..pull.files.len().min(MAX_PULL_FILES)];
    let (page, link) = page_of(&ctx, capped);
    let items: Vec<Value> = page
        .iter()
        .map(|f| {
            let mut value = render::pull_file(&ctx.base_url, repo, pull, f);
            // Git-backed PRs carry the real blob SHA, as GitHub's listing does.
            if let Some(sha) = &f.blob_sha {
                value["sha"] = Value::String(sha.clone());
            }
            value
        })
        .collect();
    Ok(with_link(ok(Value::Array(items)), link))
}

pub(super) async fn list_commits(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, pull_number)): Path<(String, String, String)>,
) -> Reply {
    let state = app.state();
    let repo = find_repo(&state, &owner, &name)?;
    let pull = repo
        .pulls
        .get(&number(&pull_number)?)
        .ok_or(ApiError::NotFound)?;
    let items: Vec<Value> = pull
        .commits
        .iter()
        .take(MAX_PULL_COMMITS)
        .enumerate()
        .map(|(i, c)| {
            let parent = match i {
                0 => Some(pull.base.sha.as_str()),
                _ => pull.commits.get(i - 1).map(|p| p.sha.as_str()),
            };
            render::pull_commit(&state, &ctx.base_url, repo, c, parent)
        })
        .collect();
    Ok(paginated(&ctx, &items))
}

/// PRs whose head is `sha`, that contain `sha`, or that were associated with it by seeding.
pub(super) async fn pulls_for_commit(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, sha)): Path<(String, String, String)>,
) -> Reply {
    let state = app.state();
    let repo = find_repo(&state, &owner, &name)?;
    let seeded = repo.commit_pulls.get(&sha);
    let items: Vec<Value> = repo
        .pulls
        .values()
        .filter(|p| {
            p.head.sha == sha
                || p.commits.iter().any(|c| c.sha == sha)
                || seeded.is_some_and(|numbers| numbers.contains(&p.number))
        })
        // Open PRs come first, as GitHub lists them.
        .filter(|p| p.state == PullState::Open)
        .chain(repo.pulls.values().filter(|p| {
            p.state == PullState::Closed
                && (p.head.sha == sha
                    || p.commits.iter().any(|c| c.sha == sha)
                    || seeded.is_some_and(|numbers| numbers.contains(&p.number)))
        }))
        .map(|p| render::pull_simple(&state, &ctx.base_url, repo, p))
        .collect();
    Ok(paginated(&ctx, &items))
}
