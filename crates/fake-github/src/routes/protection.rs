//! Branch rules of a git-backed repository: `GET /rules/branches/{branch}` (rules of every active ruleset that
//! targets the branch, REST description `repos/get-branch-rules`), classic protection
//! (`GET /branches/{b}/protection`, `.../protection/required_status_checks`, 404 "Branch not protected"),
//! and the refusal of ref changes that break them: the REST API answers 422, with "Protected branch update
//! failed for refs/heads/<b>." for classic protection (as `git push` reports GH006) and "Repository rule
//! violations found" for rulesets.

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::{Value, json};

use super::git::{GitReply, GitReplyError, backed};
use crate::app::App;
use crate::git::{BranchProtection, Push, refusal};
use crate::request_context::RequestContext;
use crate::state::State as FakeState;

/// Refuses (422) a change of `full_ref` to `new` (`None`: deletion) that protection or a ruleset forbids.
pub(super) fn refuse_protected(
    state: &FakeState,
    full: &str,
    full_ref: &str,
    login: &str,
    new: Option<&str>,
    fast_forward: bool,
) -> Result<(), GitReplyError> {
    match refusal_message(state, full, full_ref, login, new, fast_forward, false) {
        Some(message) => Err(GitReplyError::Status(
            StatusCode::UNPROCESSABLE_ENTITY,
            message,
        )),
        None => Ok(()),
    }
}

/// Why protection or a ruleset forbids moving `full_ref` to `new`, if it does.
pub(super) fn refusal_message(
    state: &FakeState,
    full: &str,
    full_ref: &str,
    login: &str,
    new: Option<&str>,
    fast_forward: bool,
    via_pull_request: bool,
) -> Option<String> {
    let branch = full_ref.strip_prefix("refs/heads/")?;
    let backed = state.git_backed(full)?;
    let default_branch = state
        .repo(full)
        .map(|r| r.default_branch.clone())
        .unwrap_or_default();
    let push = Push {
        branch,
        login,
        new,
        fast_forward,
        via_pull_request,
    };
    let rulesets = backed.rulesets_for(branch, &default_branch);
    let passing = |sha: &str, context: &str| backed.passing(sha, context);
    refusal(backed.protections.get(branch), &rulesets, &push, &passing)
}

/// `GET /rules/branches/{branch}`: every rule that applies, each with its ruleset's source and id.
pub(super) async fn branch_rules(
    State(app): State<App>,
    Path((owner, name, branch)): Path<(String, String, String)>,
) -> GitReply {
    let state = app.state();
    let (repo, backed) = backed(&state, &owner, &name)?;
    let rules: Vec<Value> = backed
        .rulesets_for(&branch, &repo.default_branch)
        .iter()
        .flat_map(|ruleset| {
            ruleset.rules.iter().map(|rule| {
                let mut rule = rule.clone();
                rule["ruleset_source_type"] = json!(ruleset.source_type);
                rule["ruleset_source"] = json!(ruleset.source);
                rule["ruleset_id"] = json!(ruleset.id);
                rule
            })
        })
        .collect();
    Ok(axum::Json(Value::Array(rules)).into_response())
}

fn protection_of<'s>(
    backed: &'s crate::git::GitBacked,
    branch: &str,
) -> Result<&'s BranchProtection, GitReplyError> {
    backed.protections.get(branch).ok_or_else(|| {
        GitReplyError::Status(StatusCode::NOT_FOUND, "Branch not protected".to_owned())
    })
}

fn required_checks_json(api: &str, full: &str, branch: &str, p: &BranchProtection) -> Value {
    let url = format!("{api}/repos/{full}/branches/{branch}/protection/required_status_checks");
    json!({
        "url": url,
        "strict": p.strict,
        "contexts": p.required_status_checks,
        "checks": p
            .required_status_checks
            .iter()
            .map(|c| json!({"context": c, "app_id": null}))
            .collect::<Vec<_>>(),
        "contexts_url": format!("{url}/contexts"),
    })
}

/// `GET /branches/{branch}/protection`.
pub(super) async fn get_protection(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, branch)): Path<(String, String, String)>,
) -> GitReply {
    let state = app.state();
    let (repo, backed) = backed(&state, &owner, &name)?;
    let p = protection_of(backed, &branch)?;
    let full = repo.full_name();
    let api = &ctx.base_url;
    let url = format!("{api}/repos/{full}/branches/{branch}/protection");
    let mut body = json!({
        "url": url,
        "enforce_admins": {"url": format!("{url}/enforce_admins"), "enabled": p.bypass.is_empty()},
        "required_linear_history": {"enabled": false},
        "allow_force_pushes": {"enabled": p.allow_force_pushes},
        "allow_deletions": {"enabled": p.allow_deletions},
        "required_conversation_resolution": {"enabled": false},
        "lock_branch": {"enabled": false},
        "allow_fork_syncing": {"enabled": false},
    });
    if !p.required_status_checks.is_empty() || p.strict {
        body["required_status_checks"] = required_checks_json(api, &full, &branch, p);
    }
    if p.require_pull_request {
        body["required_pull_request_reviews"] = json!({
            "url": format!("{url}/required_pull_request_reviews"),
            "dismiss_stale_reviews": false,
            "require_code_owner_reviews": false,
            "required_approving_review_count": 0,
            "require_last_push_approval": false,
        });
    }
    Ok(axum::Json(body).into_response())
}

/// `GET /branches/{branch}/protection/required_status_checks`.
pub(super) async fn get_required_checks(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name, branch)): Path<(String, String, String)>,
) -> GitReply {
    let state = app.state();
    let (repo, backed) = backed(&state, &owner, &name)?;
    let p = protection_of(backed, &branch)?;
    if p.required_status_checks.is_empty() && !p.strict {
        return Err(GitReplyError::Status(
            StatusCode::NOT_FOUND,
            "Required status checks not enabled".to_owned(),
        ));
    }
    Ok(axum::Json(required_checks_json(
        &ctx.base_url,
        &repo.full_name(),
        &branch,
        p,
    ))
    .into_response())
}
