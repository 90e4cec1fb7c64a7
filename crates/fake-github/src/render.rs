//! The JSON shapes GitHub returns (as in GitHub's REST description), built from the fake's state.
//! `api` is the base URL the client used, so URLs in bodies point back at the fake.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use jiff::Timestamp;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::state::{
    Deployment, DeploymentStatus, IssueComment, Job, Label, Pull, PullCommit, PullFile, Repo,
    State, TokenKind, WorkflowRun,
};

const WEB: &str = "https://github.com";

/// GitHub's time format: `2011-04-14T16:00:49Z`.
pub(crate) fn time(t: &Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn node_id(prefix: &str, id: u64) -> String {
    format!("{prefix}_{}", STANDARD.encode(id.to_be_bytes()))
}

/// A git-style 40-hex object id for blob content (SHA-256 based; stable, not git's SHA-1).
pub(crate) fn blob_sha(bytes: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(format!("blob {}\0", bytes.len()).as_bytes());
    hasher.update(bytes);
    hex::encode(hasher.finalize())[..40].to_owned()
}

/// A `simple-user` object.
pub(crate) fn user(state: &State, api: &str, login: &str) -> Value {
    let (id, kind) = match state.users.get(login) {
        Some(u) => (u.id, u.kind),
        None if login.ends_with("[bot]") => (0, TokenKind::Bot),
        None => (0, TokenKind::User),
    };
    let kind = match kind {
        TokenKind::User => "User",
        TokenKind::Bot => "Bot",
    };
    let html = format!("{WEB}/{}", login.trim_end_matches("[bot]"));
    let url = format!("{api}/users/{login}");
    json!({
        "login": login,
        "id": id,
        "node_id": node_id("U", id),
        "avatar_url": format!("https://avatars.githubusercontent.com/u/{id}?v=4"),
        "gravatar_id": "",
        "url": url,
        "html_url": html,
        "followers_url": format!("{url}/followers"),
        "following_url": format!("{url}/following{{/other_user}}"),
        "gists_url": format!("{url}/gists{{/gist_id}}"),
        "starred_url": format!("{url}/starred{{/owner}}{{/repo}}"),
        "subscriptions_url": format!("{url}/subscriptions"),
        "organizations_url": format!("{url}/orgs"),
        "repos_url": format!("{url}/repos"),
        "events_url": format!("{url}/events{{/privacy}}"),
        "received_events_url": format!("{url}/received_events"),
        "type": kind,
        "user_view_type": "public",
        "site_admin": false,
    })
}

/// A `repository` object (the fields clients read; owner as a user).
pub(crate) fn repository(state: &State, api: &str, repo: &Repo) -> Value {
    let full = repo.full_name();
    let url = format!("{api}/repos/{full}");
    json!({
        "id": repo.id,
        "node_id": node_id("R", repo.id),
        "name": repo.name,
        "full_name": full,
        "private": repo.private,
        "visibility": if repo.private { "private" } else { "public" },
        "owner": user(state, api, &repo.owner),
        "html_url": format!("{WEB}/{full}"),
        "description": null,
        "fork": false,
        "url": url,
        "pulls_url": format!("{url}/pulls{{/number}}"),
        "issues_url": format!("{url}/issues{{/number}}"),
        "labels_url": format!("{url}/labels{{/name}}"),
        "contents_url": format!("{url}/contents/{{+path}}"),
        "deployments_url": format!("{url}/deployments"),
        "clone_url": format!("{WEB}/{full}.git"),
        "default_branch": repo.default_branch,
        "archived": false,
        "disabled": false,
        "created_at": "2020-01-01T00:00:00Z",
        "updated_at": "2020-01-01T00:00:00Z",
        "pushed_at": "2020-01-01T00:00:00Z",
    })
}

/// A minimal repository object for a PR side that lives in a repository the fake has no record of (a fork).
fn named_repository(state: &State, api: &str, full_name: &str, fork: bool) -> Value {
    if let Some(repo) = state.repo(full_name) {
        let mut value = repository(state, api, repo);
        value["fork"] = json!(fork);
        return value;
    }
    let (owner, name) = full_name.split_once('/').unwrap_or((full_name, full_name));
    json!({
        "id": 0,
        "node_id": node_id("R", 0),
        "name": name,
        "full_name": full_name,
        "private": false,
        "owner": user(state, api, owner),
        "html_url": format!("{WEB}/{full_name}"),
        "fork": fork,
        "url": format!("{api}/repos/{full_name}"),
        "default_branch": "main",
    })
}

pub(crate) fn label(api: &str, repo: &Repo, label: &Label) -> Value {
    json!({
        "id": label.id,
        "node_id": node_id("LA", label.id),
        "url": format!("{api}/repos/{}/labels/{}", repo.full_name(), encode_segment(&label.name)),
        "name": label.name,
        "color": label.color,
        "default": label.default,
        "description": label.description,
    })
}

/// The label objects for names on an issue (names missing from the repository are skipped).
pub(crate) fn issue_labels(api: &str, repo: &Repo, names: &[String]) -> Vec<Value> {
    names
        .iter()
        .filter_map(|n| repo.label(n))
        .map(|l| label(api, repo, l))
        .collect()
}

fn pull_urls(api: &str, repo: &Repo, pull: &Pull) -> (String, String, String) {
    let full = repo.full_name();
    (
        format!("{api}/repos/{full}/pulls/{}", pull.number),
        format!("{WEB}/{full}/pull/{}", pull.number),
        format!("{api}/repos/{full}/issues/{}", pull.number),
    )
}

fn side(state: &State, api: &str, repo: &Repo, git_ref: &crate::state::GitRef) -> Value {
    let owner = git_ref
        .repo
        .split_once('/')
        .map_or(git_ref.repo.as_str(), |(o, _)| o);
    let fork = git_ref.repo != repo.full_name();
    json!({
        "label": format!("{owner}:{}", git_ref.ref_name),
        "ref": git_ref.ref_name,
        "sha": git_ref.sha,
        "user": user(state, api, owner),
        "repo": named_repository(state, api, &git_ref.repo, fork),
    })
}

/// The `pull-request-simple` shape used in lists.
pub(crate) fn pull_simple(state: &State, api: &str, repo: &Repo, pull: &Pull) -> Value {
    let (url, html, issue) = pull_urls(api, repo, pull);
    json!({
        "url": url,
        "id": pull.id,
        "node_id": node_id("PR", pull.id),
        "html_url": html,
        "diff_url": format!("{html}.diff"),
        "patch_url": format!("{html}.patch"),
        "issue_url": issue,
        "commits_url": format!("{url}/commits"),
        "review_comments_url": format!("{url}/comments"),
        "comments_url": format!("{issue}/comments"),
        "statuses_url": format!("{api}/repos/{}/statuses/{}", repo.full_name(), pull.head.sha),
        "number": pull.number,
        "state": pull.state.as_str(),
        "locked": false,
        "title": pull.title,
        "user": user(state, api, &pull.user),
        "body": pull.body,
        "labels": issue_labels(api, repo, &pull.labels),
        "milestone": null,
        "active_lock_reason": null,
        "created_at": time(&pull.created_at),
        "updated_at": time(&pull.updated_at),
        "closed_at": (pull.state == crate::state::PullState::Closed).then(|| time(&pull.updated_at)),
        "merged_at": pull.merged.then(|| time(&pull.updated_at)),
        "merge_commit_sha": null,
        "assignee": null,
        "assignees": [],
        "requested_reviewers": [],
        "requested_teams": [],
        "head": side(state, api, repo, &pull.head),
        "base": side(state, api, repo, &pull.base),
        "_links": {
            "self": {"href": url},
            "html": {"href": html},
            "issue": {"href": issue},
            "comments": {"href": format!("{issue}/comments")},
            "commits": {"href": format!("{url}/commits")},
        },
        "author_association": "CONTRIBUTOR",
        "auto_merge": null,
        "draft": pull.draft,
    })
}

/// The full `pull-request` shape of `GET /pulls/{n}`.
pub(crate) fn pull_full(state: &State, api: &str, repo: &Repo, pull: &Pull) -> Value {
    let mut value = pull_simple(state, api, repo, pull);
    let comments = repo.comments_on(pull.number).len();
    let extra = json!({
        "merged": pull.merged,
        "mergeable": null,
        "rebaseable": null,
        "mergeable_state": "unknown",
        "merged_by": null,
        "comments": comments,
        "review_comments": 0,
        "maintainer_can_modify": false,
        "commits": pull.commits.len(),
        "additions": pull.additions,
        "deletions": pull.deletions,
        "changed_files": pull.changed_files,
    });
    if let (Some(target), Some(extra)) = (value.as_object_mut(), extra.as_object()) {
        target.extend(extra.clone());
    }
    value
}

/// A `diff-entry` of `GET /pulls/{n}/files`.
pub(crate) fn pull_file(api: &str, repo: &Repo, pull: &Pull, file: &PullFile) -> Value {
    let full = repo.full_name();
    let path = encode_path(&file.filename);
    let mut value = json!({
        "sha": blob_sha(format!("{}:{}", pull.head.sha, file.filename).as_bytes()),
        "filename": file.filename,
        "status": file.status,
        "additions": file.additions,
        "deletions": file.deletions,
        "changes": file.changes,
        "blob_url": format!("{WEB}/{full}/blob/{}/{path}", pull.head.sha),
        "raw_url": format!("{WEB}/{full}/raw/{}/{path}", pull.head.sha),
        "contents_url": format!("{api}/repos/{full}/contents/{path}?ref={}", pull.head.sha),
    });
    if let Some(patch) = &file.patch {
        value["patch"] = json!(patch);
    }
    if let Some(previous) = &file.previous_filename {
        value["previous_filename"] = json!(previous);
    }
    value
}

/// A `commit` of `GET /pulls/{n}/commits`.
pub(crate) fn pull_commit(
    state: &State,
    api: &str,
    repo: &Repo,
    commit: &PullCommit,
    parent: Option<&str>,
) -> Value {
    let full = repo.full_name();
    let url = format!("{api}/repos/{full}/commits/{}", commit.sha);
    let html = format!("{WEB}/{full}/commit/{}", commit.sha);
    let person = json!({
        "name": commit.author_name,
        "email": commit.author_email,
        "date": "2026-01-01T00:00:00Z",
    });
    let account = commit
        .author_login
        .as_deref()
        .map_or(Value::Null, |login| user(state, api, login));
    let parents: Vec<Value> = parent
        .map(|sha| {
            json!({
                "sha": sha,
                "url": format!("{api}/repos/{full}/commits/{sha}"),
                "html_url": format!("{WEB}/{full}/commit/{sha}"),
            })
        })
        .into_iter()
        .collect();
    json!({
        "url": url,
        "sha": commit.sha,
        "node_id": format!("C_{}", commit.sha),
        "html_url": html,
        "comments_url": format!("{url}/comments"),
        "commit": {
            "url": format!("{api}/repos/{full}/git/commits/{}", commit.sha),
            "author": person,
            "committer": person,
            "message": commit.message,
            "tree": {
                "url": format!("{api}/repos/{full}/git/trees/{}", commit.sha),
                "sha": commit.sha,
            },
            "comment_count": 0,
            "verification": {"verified": false, "reason": "unsigned", "signature": null, "payload": null, "verified_at": null},
        },
        "author": account,
        "committer": account,
        "parents": parents,
    })
}

pub(crate) fn comment(state: &State, api: &str, repo: &Repo, comment: &IssueComment) -> Value {
    let full = repo.full_name();
    json!({
        "id": comment.id,
        "node_id": node_id("IC", comment.id),
        "url": format!("{api}/repos/{full}/issues/comments/{}", comment.id),
        "html_url": format!("{WEB}/{full}/pull/{}#issuecomment-{}", comment.issue_number, comment.id),
        "issue_url": format!("{api}/repos/{full}/issues/{}", comment.issue_number),
        "body": comment.body,
        "user": user(state, api, &comment.user),
        "created_at": time(&comment.created_at),
        "updated_at": time(&comment.updated_at),
        "author_association": "CONTRIBUTOR",
        "reactions": {
            "url": format!("{api}/repos/{full}/issues/comments/{}/reactions", comment.id),
            "total_count": 0, "+1": 0, "-1": 0, "laugh": 0, "hooray": 0,
            "confused": 0, "heart": 0, "rocket": 0, "eyes": 0,
        },
    })
}

/// `content-file` for `GET /contents/{path}`; GitHub wraps base64 at 60 characters, and files over 1 MiB
/// come back with `encoding: "none"` and empty content.
pub(crate) fn content_file(api: &str, repo: &Repo, git_ref: &str, path: &str, text: &str) -> Value {
    const ONE_MIB: usize = 1024 * 1024;
    let bytes = text.as_bytes();
    let (content, encoding) = if bytes.len() > ONE_MIB {
        (String::new(), "none")
    } else {
        (wrap_base64(bytes), "base64")
    };
    let full = repo.full_name();
    let sha = blob_sha(bytes);
    let self_url = format!(
        "{api}/repos/{full}/contents/{}?ref={git_ref}",
        encode_path(path)
    );
    let html = format!("{WEB}/{full}/blob/{git_ref}/{}", encode_path(path));
    let git = format!("{api}/repos/{full}/git/blobs/{sha}");
    json!({
        "type": "file",
        "encoding": encoding,
        "size": bytes.len(),
        "name": path.rsplit('/').next().unwrap_or(path),
        "path": path,
        "content": content,
        "sha": sha,
        "url": self_url,
        "git_url": git,
        "html_url": html,
        "download_url": format!("https://raw.githubusercontent.com/{full}/{git_ref}/{}", encode_path(path)),
        "_links": {"self": self_url, "git": git, "html": html},
    })
}

/// One entry of a directory listing from `GET /contents/{dir}`.
pub(crate) fn content_entry(
    api: &str,
    repo: &Repo,
    git_ref: &str,
    path: &str,
    file: Option<&str>,
) -> Value {
    let full = repo.full_name();
    let self_url = format!(
        "{api}/repos/{full}/contents/{}?ref={git_ref}",
        encode_path(path)
    );
    let html = format!("{WEB}/{full}/tree/{git_ref}/{}", encode_path(path));
    let (kind, size, sha) = match file {
        Some(text) => ("file", text.len(), blob_sha(text.as_bytes())),
        None => ("dir", 0, blob_sha(path.as_bytes())),
    };
    let git = format!("{api}/repos/{full}/git/blobs/{sha}");
    json!({
        "type": kind,
        "size": size,
        "name": path.rsplit('/').next().unwrap_or(path),
        "path": path,
        "sha": sha,
        "url": self_url,
        "git_url": git,
        "html_url": html,
        "download_url": null,
        "_links": {"self": self_url, "git": git, "html": html},
    })
}

fn wrap_base64(bytes: &[u8]) -> String {
    let encoded = STANDARD.encode(bytes);
    let mut wrapped = String::with_capacity(encoded.len() + encoded.len() / 60 + 1);
    for chunk in encoded.as_bytes().chunks(60) {
        wrapped.push_str(&String::from_utf8_lossy(chunk));
        wrapped.push('\n');
    }
    wrapped
}

pub(crate) fn deployment(state: &State, api: &str, repo: &Repo, d: &Deployment) -> Value {
    let url = format!("{api}/repos/{}/deployments/{}", repo.full_name(), d.id);
    json!({
        "url": url,
        "id": d.id,
        "node_id": node_id("DE", d.id),
        "sha": d.sha,
        "ref": d.ref_name,
        "task": d.task,
        "payload": d.payload,
        "original_environment": d.original_environment,
        "environment": d.environment,
        "description": d.description,
        "creator": user(state, api, &d.creator),
        "created_at": time(&d.created_at),
        "updated_at": time(&d.updated_at),
        "statuses_url": format!("{url}/statuses"),
        "repository_url": format!("{api}/repos/{}", repo.full_name()),
        "transient_environment": d.transient_environment,
        "production_environment": d.production_environment,
        "performed_via_github_app": null,
    })
}

pub(crate) fn deployment_status(
    state: &State,
    api: &str,
    repo: &Repo,
    d: &Deployment,
    s: &DeploymentStatus,
) -> Value {
    let deployment_url = format!("{api}/repos/{}/deployments/{}", repo.full_name(), d.id);
    json!({
        "url": format!("{deployment_url}/statuses/{}", s.id),
        "id": s.id,
        "node_id": node_id("DES", s.id),
        "state": s.state,
        "creator": user(state, api, &s.creator),
        "description": s.description,
        "environment": s.environment,
        "target_url": s.log_url,
        "created_at": time(&s.created_at),
        "updated_at": time(&s.updated_at),
        "deployment_url": deployment_url,
        "repository_url": format!("{api}/repos/{}", repo.full_name()),
        "environment_url": s.environment_url,
        "log_url": s.log_url,
        "performed_via_github_app": null,
    })
}

pub(crate) fn workflow_run(state: &State, api: &str, repo: &Repo, run: &WorkflowRun) -> Value {
    let full = repo.full_name();
    let url = format!("{api}/repos/{full}/actions/runs/{}", run.id);
    let pulls: Vec<Value> = run
        .pull_requests
        .iter()
        .filter_map(|n| repo.pulls.get(n))
        .map(|p| {
            json!({
                "id": p.id,
                "number": p.number,
                "url": format!("{api}/repos/{full}/pulls/{}", p.number),
                "head": {"ref": p.head.ref_name, "sha": p.head.sha, "repo": {"id": repo.id, "url": format!("{api}/repos/{}", p.head.repo), "name": p.head.repo.rsplit('/').next().unwrap_or_default()}},
                "base": {"ref": p.base.ref_name, "sha": p.base.sha, "repo": {"id": repo.id, "url": format!("{api}/repos/{full}"), "name": repo.name}},
            })
        })
        .collect();
    let actor = user(state, api, &run.actor);
    json!({
        "id": run.id,
        "name": run.name,
        "node_id": node_id("WFR", run.id),
        "head_branch": run.head_branch,
        "head_sha": run.head_sha,
        "path": run.path,
        "display_title": run.name,
        "run_number": run.run_number,
        "run_attempt": run.run_attempt,
        "event": run.event,
        "status": run.status,
        "conclusion": run.conclusion,
        "workflow_id": run.workflow_id,
        "check_suite_id": run.id,
        "check_suite_node_id": node_id("CS", run.id),
        "url": url,
        "html_url": format!("{WEB}/{full}/actions/runs/{}", run.id),
        "pull_requests": pulls,
        "created_at": time(&run.created_at),
        "updated_at": time(&run.updated_at),
        "run_started_at": time(&run.run_started_at),
        "actor": actor,
        "triggering_actor": actor,
        "jobs_url": format!("{url}/jobs"),
        "logs_url": format!("{url}/logs"),
        "check_suite_url": format!("{api}/repos/{full}/check-suites/{}", run.id),
        "artifacts_url": format!("{url}/artifacts"),
        "cancel_url": format!("{url}/cancel"),
        "rerun_url": format!("{url}/rerun"),
        "previous_attempt_url": (run.run_attempt > 1).then(|| format!("{url}/attempts/{}", run.run_attempt - 1)),
        "workflow_url": format!("{api}/repos/{full}/actions/workflows/{}", run.workflow_id),
        "head_commit": {
            "id": run.head_sha,
            "tree_id": run.head_sha,
            "message": run.name,
            "timestamp": time(&run.created_at),
            "author": {"name": "Mona Lisa", "email": "mona@example.com"},
            "committer": {"name": "Mona Lisa", "email": "mona@example.com"},
        },
        "repository": repository(state, api, repo),
        "head_repository": repository(state, api, repo),
    })
}

pub(crate) fn job(api: &str, repo: &Repo, run: &WorkflowRun, job: &Job) -> Value {
    let full = repo.full_name();
    json!({
        "id": job.id,
        "run_id": run.id,
        "run_url": format!("{api}/repos/{full}/actions/runs/{}", run.id),
        "run_attempt": job.run_attempt,
        "node_id": node_id("CR", job.id),
        "head_sha": run.head_sha,
        "head_branch": run.head_branch,
        "workflow_name": run.name,
        "url": format!("{api}/repos/{full}/actions/jobs/{}", job.id),
        "html_url": format!("{WEB}/{full}/actions/runs/{}/job/{}", run.id, job.id),
        "status": job.status,
        "conclusion": job.conclusion,
        "created_at": time(&job.created_at),
        "started_at": time(&job.started_at),
        "completed_at": job.completed_at.as_ref().map(time),
        "name": job.name,
        "steps": [],
        "check_run_url": format!("{api}/repos/{full}/check-runs/{}", job.id),
        "labels": job.labels,
        "runner_id": job.runner_name.as_ref().map(|_| 1),
        "runner_name": job.runner_name,
        "runner_group_id": job.runner_name.as_ref().map(|_| 1),
        "runner_group_name": job.runner_name.as_ref().map(|_| "GitHub Actions"),
    })
}

/// Percent-encodes one path segment (label names may hold spaces, `/` or emoji).
pub(crate) fn encode_segment(segment: &str) -> String {
    url::form_urlencoded::byte_serialize(segment.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// Percent-encodes each segment of a file path, keeping the slashes.
pub(crate) fn encode_path(path: &str) -> String {
    path.split('/')
        .map(encode_segment)
        .collect::<Vec<_>>()
        .join("/")
}
