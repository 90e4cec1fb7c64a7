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
use crate::git::{CommitInfo, DiffFile, GitBacked, GitError, TreeEntry};
use crate::render::encode_path;
use crate::request_context::RequestContext;
use crate::state::Repo;

const WEB: &str = "https://github.com";

/// An answer that is not a success: one of GitHub's errors, or git itself failing (a 500 naming the command).
#[derive(Debug)]
pub(super) enum GitReplyError {
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

pub(super) type GitReply = Result<Response, GitReplyError>;

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
pub(super) async fn get_tree(
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
pub(super) fn contents(
    ctx: &RequestContext,
    repo: &Repo,
    backed: &GitBacked,
    path: &str,
) -> Response {
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

/// A `git-ref` object.
pub(super) fn ref_json(api: &str, full: &str, name: &str, sha: &str, kind: &str) -> Value {
    let kinds = match kind {
        "tag" => "tags",
        "tree" => "trees",
        "blob" => "blobs",
        _ => "commits",
    };
    json!({
        "ref": name,
        "node_id": format!("REF_{}", STANDARD.encode(name.as_bytes())),
        "url": format!("{api}/repos/{full}/git/{name}"),
        "object": {
            "type": kind,
            "sha": sha,
            "url": format!("{api}/repos/{full}/git/{kinds}/{sha}"),
        },
    })
}

/// A `diff-entry` (one file of a commit, a comparison or a PR).
pub(super) fn diff_entry_json(api: &str, full: &str, commit: &str, file: &DiffFile) -> Value {
    let path = encode_path(&file.filename);
    let mut value = json!({
        "sha": file.blob_sha,
        "filename": file.filename,
        "status": file.status,
        "additions": file.additions,
        "deletions": file.deletions,
        "changes": file.additions + file.deletions,
        "blob_url": format!("{WEB}/{full}/blob/{commit}/{path}"),
        "raw_url": format!("{WEB}/{full}/raw/{commit}/{path}"),
        "contents_url": format!("{api}/repos/{full}/contents/{path}?ref={commit}"),
    });
    if let Some(patch) = &file.patch {
        value["patch"] = json!(patch);
    }
    if let Some(previous) = &file.previous_filename {
        value["previous_filename"] = json!(previous);
    }
    value
}

fn git_time(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| crate::render::time(&t))
        .unwrap_or_default()
}

/// A `commit` object; `files` (with `stats`) only where GitHub includes them (`GET /commits/{ref}`, merges).
pub(super) fn commit_json(
    state: &crate::state::State,
    api: &str,
    full: &str,
    commit: &CommitInfo,
    files: Option<&[DiffFile]>,
) -> Value {
    let sha = &commit.sha;
    let url = format!("{api}/repos/{full}/commits/{sha}");
    // The GitHub account behind an e-mail is known only when a user of the fake has it as login@...;
    // otherwise GitHub answers null, as for an unknown author.
    let account = |email: &str| -> Value {
        let login = email.split('@').next().unwrap_or_default();
        if state.users.contains_key(login) {
            crate::render::user(state, api, login)
        } else {
            Value::Null
        }
    };
    let parents: Vec<Value> = commit
        .parents
        .iter()
        .map(|p| {
            json!({
                "sha": p,
                "url": format!("{api}/repos/{full}/commits/{p}"),
                "html_url": format!("{WEB}/{full}/commit/{p}"),
            })
        })
        .collect();
    let mut value = json!({
        "url": url,
        "sha": sha,
        "node_id": format!("C_{sha}"),
        "html_url": format!("{WEB}/{full}/commit/{sha}"),
        "comments_url": format!("{url}/comments"),
        "commit": {
            "url": format!("{api}/repos/{full}/git/commits/{sha}"),
            "author": {
                "name": commit.author_name,
                "email": commit.author_email,
                "date": git_time(commit.author_date),
            },
            "committer": {
                "name": commit.committer_name,
                "email": commit.committer_email,
                "date": git_time(commit.committer_date),
            },
            "message": commit.message,
            "comment_count": 0,
            "tree": {
                "sha": commit.tree,
                "url": format!("{api}/repos/{full}/git/trees/{}", commit.tree),
            },
            "verification": {"verified": false, "reason": "unsigned", "signature": null, "payload": null, "verified_at": null},
        },
        "author": account(&commit.author_email),
        "committer": account(&commit.committer_email),
        "parents": parents,
    });
    if let Some(files) = files {
        let additions: u64 = files.iter().map(|f| f.additions).sum();
        let deletions: u64 = files.iter().map(|f| f.deletions).sum();
        value["stats"] = json!({
            "total": additions + deletions,
            "additions": additions,
            "deletions": deletions,
        });
        value["files"] = Value::Array(
            files
                .iter()
                .map(|f| diff_entry_json(api, full, sha, f))
                .collect(),
        );
    }
    value
}

/// The files a commit changed against its first parent (the empty tree for a root commit).
pub(super) fn commit_files(
    git: &crate::git::GitRepo,
    commit: &CommitInfo,
) -> Result<Vec<DiffFile>, GitError> {
    const EMPTY_TREE: &str = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
    let parent = commit.parents.first().map_or(EMPTY_TREE, String::as_str);
    git.diff(parent, &commit.sha)
}
