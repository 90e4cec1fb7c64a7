//! Endpoints answered from the real git repository behind a git-backed repository: git trees and the contents
//! API at a ref or SHA. Response fields, status codes and messages follow GitHub's REST description
//! (`@octokit/openapi`, `generated/api.github.com.json`: `git/get-tree`, `repos/get-content`).

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use super::find_repo;
use crate::api_error::ApiError;
use crate::app::App;
use crate::git::{GitBacked, GitError, TreeEntry};
use crate::render::encode_path;
use crate::request_context::RequestContext;
use crate::state::Repo;

const WEB: &str = "https://github.com";

/// An answer that is not a success: one of GitHub's errors, or git itself failing (a 500 naming the command).
#[derive(Debug)]
pub enum GitReplyError {
    Api(ApiError),
    /// A status with GitHub's `message` (409 "Merge conflict", 422 "Reference already exists", ...).
    Status(StatusCode, String),
    Git(GitError),
}

impl From<ApiError> for GitReplyError {
    fn from(error: ApiError) -> Self {
        GitReplyError::Api(error)
    }
}

impl From<GitError> for GitReplyError {
    fn from(error: GitError) -> Self {
        GitReplyError::Git(error)
    }
}

impl IntoResponse for GitReplyError {
    fn into_response(self) -> Response {
        let docs = "https://docs.github.com/rest/git";
        match self {
            GitReplyError::Api(error) => error.into_response(),
            GitReplyError::Status(status, message) => (
                status,
                axum::Json(json!({
                    "message": message,
                    "documentation_url": docs,
                    "status": status.as_u16().to_string(),
                })),
            )
                .into_response(),
            GitReplyError::Git(error) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                axum::Json(json!({
                    "message": format!("fake-github's git model failed: {error}"),
                    "documentation_url": docs,
                    "status": "500",
                })),
            )
                .into_response(),
        }
    }
}

pub type GitReply = Result<Response, GitReplyError>;

/// The git repository behind `owner/name`; a repository that is not git-backed has no git database (404).
pub(super) fn backed<'s>(
    state: &'s crate::state::State,
    owner: &str,
    name: &str,
) -> Result<(&'s Repo, &'s GitBacked), GitReplyError> {
    let repo = find_repo(state, owner, name)?;
    let backed = state
        .git_backed(&repo.full_name())
        .ok_or(ApiError::NotFound)?;
    Ok((repo, backed))
}

/// `GET /repos/{o}/{r}/git/trees/{tree_sha}[?recursive=1]`: `tree_sha` may be a tree or commit SHA or a branch
/// or tag name. Recursive listings include the trees themselves, as GitHub's do, and stop at the repository's
/// entry cap with `truncated: true` (GitHub: 100,000 entries).
pub async fn get_tree(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, tree_sha)): Path<(String, String, String)>,
) -> GitReply {
    let state = app.state();
    let (repo, backed) = backed(&state, &owner, &name)?;
    let git = &backed.repo;
    let tree = git.resolve(&tree_sha, "tree")?.ok_or(ApiError::NotFound)?;
    // GitHub treats any value of `recursive` as true ("Setting this parameter to any value returns the
    // objects or subtrees referenced by the tree"), but not its absence.
    let recursive = ctx.param("recursive").is_some();
    let mut entries = git.ls_tree(&tree, "", recursive)?;
    let truncated = recursive && entries.len() > backed.tree_entry_cap;
    entries.truncate(if recursive {
        backed.tree_entry_cap
    } else {
        entries.len()
    });
    let full = repo.full_name();
    let api = &ctx.base_url;
    let items: Vec<Value> = entries.iter().map(|e| tree_item(api, &full, e)).collect();
    Ok(axum::Json(json!({
        "sha": tree,
        "url": format!("{api}/repos/{full}/git/trees/{tree}"),
        "tree": items,
        "truncated": truncated,
    }))
    .into_response())
}

fn tree_item(api: &str, full: &str, entry: &TreeEntry) -> Value {
    let kind = match entry.kind.as_str() {
        "tree" => "trees",
        "commit" => "commits",
        _ => "blobs",
    };
    let mut item = json!({
        "path": entry.path,
        "mode": entry.mode,
        "type": entry.kind,
        "sha": entry.sha,
        "url": format!("{api}/repos/{full}/git/{kind}/{}", entry.sha),
    });
    if let Some(size) = entry.size {
        item["size"] = json!(size);
    }
    if entry.kind == "commit" {
        // Submodule entries carry no URL on GitHub.
        if let Some(map) = item.as_object_mut() {
            map.remove("url");
        }
    }
    item
}

/// `GET /contents/{path}?ref=` for a git-backed repository: the file or directory at `path` in the commit
/// `ref` names (a branch, tag or SHA; the default branch when absent).
pub fn contents(ctx: &RequestContext, repo: &Repo, backed: &GitBacked, path: &str) -> Response {
    match contents_reply(ctx, repo, backed, path) {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

fn contents_reply(ctx: &RequestContext, repo: &Repo, backed: &GitBacked, path: &str) -> GitReply {
    let git = &backed.repo;
    let git_ref = ctx
        .param("ref")
        .filter(|r| !r.is_empty())
        .unwrap_or(&repo.default_branch)
        .to_owned();
    let commit = git.resolve(&git_ref, "commit")?.ok_or_else(|| {
        GitReplyError::Status(
            StatusCode::NOT_FOUND,
            format!("No commit found for the ref {git_ref}"),
        )
    })?;
    let full = repo.full_name();
    let api = &ctx.base_url;
    let listing = |dir: &str| -> GitReply {
        let items: Vec<Value> = git
            .ls_tree(&commit, dir, false)?
            .iter()
            .map(|e| content_entry(api, &full, &git_ref, e))
            .collect();
        Ok(axum::Json(Value::Array(items)).into_response())
    };
    if path.is_empty() {
        return listing("");
    }
    let entry = git.entry(&commit, path)?.ok_or(ApiError::NotFound)?;
    match entry.kind.as_str() {
        "tree" => listing(path),
        "blob" => {
            let bytes = git.blob(&entry.sha)?;
            Ok(axum::Json(content_file(api, &full, &git_ref, &entry, &bytes)).into_response())
        }
        _ => Ok(axum::Json(content_entry(api, &full, &git_ref, &entry)).into_response()),
    }
}

fn content_links(
    api: &str,
    full: &str,
    git_ref: &str,
    entry: &TreeEntry,
) -> (String, String, String) {
    let path = encode_path(&entry.path);
    let self_url = format!("{api}/repos/{full}/contents/{path}?ref={git_ref}");
    let view = if entry.kind == "tree" { "tree" } else { "blob" };
    let html = format!("{WEB}/{full}/{view}/{git_ref}/{path}");
    let kind = if entry.kind == "tree" {
        "trees"
    } else {
        "blobs"
    };
    let git = format!("{api}/repos/{full}/git/{kind}/{}", entry.sha);
    (self_url, git, html)
}

fn content_kind(entry: &TreeEntry) -> &'static str {
    match (entry.kind.as_str(), entry.mode.as_str()) {
        ("tree", _) => "dir",
        ("commit", _) => "submodule",
        (_, "120000") => "symlink",
        _ => "file",
    }
}

/// One entry of a directory listing (`content-directory` items).
fn content_entry(api: &str, full: &str, git_ref: &str, entry: &TreeEntry) -> Value {
    let (self_url, git, html) = content_links(api, full, git_ref, entry);
    let download = (entry.kind == "blob").then(|| {
        format!(
            "https://raw.githubusercontent.com/{full}/{git_ref}/{}",
            encode_path(&entry.path)
        )
    });
    json!({
        "type": content_kind(entry),
        "size": entry.size.unwrap_or(0),
        "name": entry.path.rsplit('/').next().unwrap_or(&entry.path),
        "path": entry.path,
        "sha": entry.sha,
        "url": self_url,
        "git_url": git,
        "html_url": html,
        "download_url": download,
        "_links": {"self": self_url, "git": git, "html": html},
    })
}

/// A file (`content-file`): base64 wrapped at 60 characters as GitHub sends it; over 1 MiB, `encoding: none`
/// and empty content.
fn content_file(api: &str, full: &str, git_ref: &str, entry: &TreeEntry, bytes: &[u8]) -> Value {
    const ONE_MIB: usize = 1024 * 1024;
    let mut value = content_entry(api, full, git_ref, entry);
    let (content, encoding) = if bytes.len() > ONE_MIB {
        (String::new(), "none")
    } else {
        let encoded = STANDARD.encode(bytes);
        let mut wrapped = String::with_capacity(encoded.len() + encoded.len() / 60 + 1);
        for chunk in encoded.as_bytes().chunks(60) {
            wrapped.push_str(&String::from_utf8_lossy(chunk));
            wrapped.push('\n');
        }
        (wrapped, "base64")
    };
    value["type"] = json!("file");
    value["encoding"] = json!(encoding);
    value["content"] = json!(content);
    value["size"] = json!(bytes.len());
    value
}
