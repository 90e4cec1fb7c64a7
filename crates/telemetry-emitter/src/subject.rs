//! What an event is about (PR, commit, branch, run, who, when), read from whichever payload
//! triggered the run; the same for derived and explicitly named events.

use std::sync::LazyLock;

use jiff::Timestamp;
use regex::Regex;

use crate::context::RunContext;
use crate::payload::{EventPayload, WorkflowRun};

/// The CI run an event reports on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRef {
    pub id: u64,
    pub attempt: u32,
    pub started_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Subject {
    pub repository: String,
    pub private: bool,
    pub pr: Option<u64>,
    pub sha: String,
    pub branch: String,
    pub base_ref: Option<String>,
    pub actor: String,
    pub workflow: String,
    pub run: Option<RunRef>,
    pub conclusion: Option<String>,
    /// When GitHub says the thing happened; `None` when the payload has no such field.
    pub occurred_at: Option<Timestamp>,
    /// `GITHUB_EVENT_NAME` with the payload's action: `workflow_run.completed`, `push`.
    pub event_source: String,
}

/// Branches GitHub's merge queue creates: `gh-readonly-queue/{base}/pr-{number}-{sha}`.
static MERGE_QUEUE_BRANCH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:refs/heads/)?gh-readonly-queue/(.+)/pr-(\d+)-[0-9a-f]+$")
        .expect("the merge-queue branch pattern is a valid regex")
});

/// The base branch and PR number of a merge-queue branch name.
pub fn parse_merge_queue_branch(branch: &str) -> Option<(String, u64)> {
    let caps = MERGE_QUEUE_BRANCH.captures(branch)?;
    let number = caps.get(2)?.as_str().parse().ok()?;
    Some((caps.get(1)?.as_str().to_owned(), number))
}

pub fn strip_heads(r: &str) -> &str {
    r.strip_prefix("refs/heads/").unwrap_or(r)
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

impl Subject {
    pub fn from_event(ctx: &RunContext, payload: &EventPayload) -> Self {
        let action = payload.action.clone().unwrap_or_default();
        let event_source = if action.is_empty() {
            ctx.event_name.clone()
        } else {
            format!("{}.{}", ctx.event_name, action)
        };
        let mut subject = Subject {
            repository: non_empty(&payload.repository.full_name)
                .unwrap_or_else(|| ctx.repository.clone()),
            private: payload.repository.private,
            sha: ctx.sha.clone(),
            branch: ctx.ref_name.clone(),
            actor: payload
                .sender_login()
                .map(str::to_owned)
                .unwrap_or_else(|| ctx.actor.clone()),
            workflow: ctx.workflow.clone(),
            event_source,
            ..Subject::default()
        };
        if let Some(run) = &payload.workflow_run {
            subject.fill_from_run(run, payload);
        } else if let Some(pr) = &payload.pull_request {
            subject.pr = Some(pr.number);
            subject.sha = pr.head.sha.clone();
            subject.branch = pr.head.ref_name.clone();
            subject.base_ref = non_empty(&pr.base.ref_name);
            subject.occurred_at = if action == "opened" {
                pr.created_at
            } else {
                pr.updated_at.or(pr.created_at)
            };
        } else if let Some(group) = &payload.merge_group {
            subject.sha = group.head_sha.clone();
            subject.branch = strip_heads(&group.head_ref).to_owned();
            subject.base_ref = non_empty(strip_heads(&group.base_ref));
            subject.pr = parse_merge_queue_branch(&group.head_ref).map(|(_, n)| n);
            subject.occurred_at = group.head_commit.as_ref().and_then(|c| c.timestamp);
        } else if let (Some(deployment), Some(status)) =
            (&payload.deployment, &payload.deployment_status)
        {
            subject.sha = deployment.sha.clone();
            subject.branch = deployment.ref_name.clone();
            if let Some(creator) = status.creator.as_ref().and_then(|c| non_empty(&c.login)) {
                subject.actor = creator;
            }
            subject.conclusion = non_empty(&status.state);
            subject.occurred_at = status
                .created_at
                .or(status.updated_at)
                .or(deployment.created_at);
        } else if let Some(ref_name) = &payload.ref_name {
            subject.branch = strip_heads(ref_name).to_owned();
            if let Some(after) = payload.after.as_deref().and_then(non_empty) {
                subject.sha = after;
            }
            if subject.actor.is_empty() {
                subject.actor = payload
                    .pusher
                    .as_ref()
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
            }
            subject.occurred_at = payload.head_commit.as_ref().and_then(|c| c.timestamp);
        }
        if subject.pr.is_none()
            && let Some((base, number)) = parse_merge_queue_branch(&subject.branch)
        {
            subject.pr = Some(number);
            subject.base_ref.get_or_insert(base);
        }
        subject
    }

    fn fill_from_run(&mut self, run: &WorkflowRun, payload: &EventPayload) {
        self.sha = run.head_sha.clone();
        self.branch = run.head_branch.clone().unwrap_or_default();
        if let Some(pr) = run.pull_requests.first() {
            self.pr = Some(pr.number);
            self.base_ref = non_empty(&pr.base.ref_name);
        }
        let run_actor = run
            .triggering_actor
            .as_ref()
            .or(run.actor.as_ref())
            .and_then(|u| non_empty(&u.login));
        if let Some(actor) = run_actor {
            self.actor = actor;
        }
        self.workflow = non_empty(&run.name)
            .or_else(|| payload.workflow.as_ref().and_then(|w| non_empty(&w.name)))
            .unwrap_or_else(|| self.workflow.clone());
        self.run = Some(RunRef {
            id: run.id,
            attempt: run.run_attempt.max(1),
            started_at: run.run_started_at.or(run.created_at),
        });
        self.conclusion = run.conclusion.clone();
        self.occurred_at = if run.status == "completed" {
            run.updated_at
        } else {
            run.run_started_at.or(run.created_at)
        };
    }
}
