//! GitHub's history turned into the events `emit` would have sent: each listed object (a PR,
//! a finished workflow run attempt, a deployment's final status, a merge when pushes are
//! deploys) is wrapped in the webhook payload GitHub would have delivered for it and handed to
//! the same `decide` and `complete` that `emit` runs, so names, properties, timestamps and
//! UUIDs are the ones `emit` computes, and a file and history merge without double counting.

use guardians_core::context::{Context, RepoName};
use guardians_core::event::Event;
use jiff::Timestamp;
use serde_json::{Value, json};

use crate::config::TelemetryEmitterConfig;
use crate::jobs::Job;
use crate::mapping::MappingRules;
use crate::plan::{Decision, Facts, Request, TelemetryEvent, complete, decide_with};

/// A payload as GitHub would have delivered it, with the event name it came under.
pub(crate) struct Payload {
    pub event_name: &'static str,
    pub body: Value,
}

fn login(user: &Value) -> Value {
    match user.get("login") {
        Some(login) => json!({ "login": login }),
        None => Value::Null,
    }
}

/// `pull_request` `opened`: sent by the PR's author.
pub(crate) fn pr_opened(repository: &Value, pull: &Value) -> Payload {
    Payload {
        event_name: "pull_request",
        body: json!({
            "action": "opened",
            "number": pull.get("number").cloned().unwrap_or(Value::Null),
            "pull_request": pull,
            "repository": repository,
            "sender": login(pull.get("user").unwrap_or(&Value::Null)),
        }),
    }
}

/// `workflow_run` with `action` (`requested` or `completed`), for one attempt of a run as the
/// runs API lists it. The sender is who triggered the attempt.
pub(crate) fn workflow_run(repository: &Value, run: &Value, action: &str) -> Payload {
    let mut run = run.clone();
    if action == "requested" {
        // As GitHub sends it when the run is queued: no conclusion yet.
        run["status"] = json!("queued");
        run["conclusion"] = Value::Null;
    }
    let sender = run
        .get("triggering_actor")
        .filter(|v| !v.is_null())
        .or_else(|| run.get("actor"))
        .map(login)
        .unwrap_or(Value::Null);
    Payload {
        event_name: "workflow_run",
        body: json!({
            "action": action,
            "workflow_run": run,
            "repository": repository,
            "sender": sender,
        }),
    }
}

/// `deployment_status` `created` for one status of a deployment; sent by its creator.
pub(crate) fn deployment_status(repository: &Value, deployment: &Value, status: &Value) -> Payload {
    Payload {
        event_name: "deployment_status",
        body: json!({
            "action": "created",
            "deployment": deployment,
            "deployment_status": status,
            "repository": repository,
            "sender": login(status.get("creator").unwrap_or(&Value::Null)),
        }),
    }
}

/// `push` of a merged PR's commit onto the default branch (with `push-is-deploy`).
pub(crate) fn merge_push(
    repository: &Value,
    default_branch: &str,
    pull: &Value,
    sha: &str,
) -> Payload {
    let merged_at = pull.get("merged_at").cloned().unwrap_or(Value::Null);
    let sender = pull
        .get("merged_by")
        .filter(|v| !v.is_null())
        .or_else(|| pull.get("user"))
        .map(login)
        .unwrap_or(Value::Null);
    Payload {
        event_name: "push",
        body: json!({
            "ref": format!("refs/heads/{default_branch}"),
            "before": "",
            "after": sha,
            "head_commit": { "id": sha, "timestamp": merged_at },
            "commits": [],
            "repository": repository,
            "sender": sender,
        }),
    }
}

/// The event `emit` would send for `payload`, or `None` when it would send nothing (a run
/// concluded `skipped`, a deployment outside `production-environments`, ...).
pub(crate) fn event_of(
    repo: &RepoName,
    payload: &Payload,
    rules: &MappingRules,
    config: &TelemetryEmitterConfig,
    jobs: Vec<Job>,
    now: Timestamp,
) -> Option<TelemetryEvent> {
    let body = serde_json::to_vec(&payload.body).ok()?;
    let event = Event::parse(payload.event_name, &body).ok()?;
    let ctx = context(repo, payload.event_name, event);
    let Decision::Send(draft) = decide_with(&ctx, &Request::default(), rules) else {
        return None;
    };
    let facts = Facts {
        jobs,
        now,
        ..Facts::default()
    };
    complete(draft, config, &facts).events.into_iter().next()
}

/// The context `emit` would run in for this payload, less what the payload itself overrides
/// (every payload read here names its commit, branch and sender).
fn context(repo: &RepoName, event_name: &str, event: Event) -> Context {
    Context {
        event_name: event_name.to_owned(),
        event,
        repository: repo.clone(),
        api_url: String::new(),
        server_url: String::new(),
        graphql_url: String::new(),
        sha: None,
        git_ref: None,
        actor: None,
        workflow: None,
        job: None,
        run_id: None,
        run_attempt: None,
        run_number: None,
        runner_os: None,
        runner_arch: None,
        runner_temp: None,
        tool_cache: None,
        in_actions: false,
    }
}
