//! What an event is about (PR, commit, branch, run, who, when), read from whichever payload
//! triggered the run; the same for derived and explicitly named events.

use std::sync::LazyLock;

use guardians_core::context::Context;
use guardians_core::event::{
    DeploymentStatusEvent, Event, MergeGroupEvent, PullRequestEvent, PushEvent, WorkflowRunEvent,
};
use jiff::Timestamp;
use regex::Regex;

/// The CI run an event reports on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRef {
    pub id: u64,
    pub attempt: u32,
    /// `run_started_at` (of the latest attempt); absent from some payloads, then read from
    /// the run itself.
    pub started_at: Option<Timestamp>,
    pub created_at: Option<Timestamp>,
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
pub(crate) fn parse_merge_queue_branch(branch: &str) -> Option<(String, u64)> {
    let caps = MERGE_QUEUE_BRANCH.captures(branch)?;
    let number = caps.get(2)?.as_str().parse().ok()?;
    Some((caps.get(1)?.as_str().to_owned(), number))
}

pub(crate) fn strip_heads(r: &str) -> &str {
    r.strip_prefix("refs/heads/").unwrap_or(r)
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// GitHub's times are RFC 3339; one that does not parse is treated as absent.
pub(crate) fn time(text: Option<&str>) -> Option<Timestamp> {
    text?.trim().parse().ok()
}

impl Subject {
    pub fn from_context(ctx: &Context) -> Self {
        let event = &ctx.event;
        let action = event.action().unwrap_or_default();
        let event_source = if action.is_empty() {
            ctx.event_name.clone()
        } else {
            format!("{}.{action}", ctx.event_name)
        };
        let repository = event.repository();
        let sender = match event {
            Event::PullRequest(e) => e.sender.as_ref(),
            Event::Push(e) => e.sender.as_ref(),
            Event::WorkflowRun(e) => e.sender.as_ref(),
            Event::MergeGroup(e) => e.sender.as_ref(),
            Event::IssueComment(e) => e.sender.as_ref(),
            Event::DeploymentStatus(e) => e.sender.as_ref(),
            Event::Other { .. } => None,
        };
        let mut subject = Subject {
            repository: repository
                .and_then(|r| non_empty(&r.full_name))
                .unwrap_or_else(|| ctx.repository.to_string()),
            private: repository.is_some_and(|r| r.private),
            sha: ctx.sha.clone().unwrap_or_default(),
            branch: ctx
                .git_ref
                .as_deref()
                .map(strip_heads)
                .unwrap_or_default()
                .to_owned(),
            actor: sender
                .and_then(|u| non_empty(&u.login))
                .or_else(|| ctx.actor.clone())
                .unwrap_or_default(),
            workflow: ctx.workflow.clone().unwrap_or_default(),
            event_source,
            ..Subject::default()
        };
        match event {
            Event::WorkflowRun(e) => subject.fill_from_run(e),
            Event::PullRequest(e) => subject.fill_from_pull_request(e),
            Event::MergeGroup(e) => subject.fill_from_merge_group(e),
            Event::DeploymentStatus(e) => subject.fill_from_deployment(e),
            Event::Push(e) => subject.fill_from_push(e),
            Event::IssueComment(_) | Event::Other { .. } => {}
        }
        if subject.pr.is_none()
            && let Some((base, number)) = parse_merge_queue_branch(&subject.branch)
        {
            subject.pr = Some(number);
            subject.base_ref.get_or_insert(base);
        }
        subject
    }

    fn fill_from_pull_request(&mut self, e: &PullRequestEvent) {
        let pr = &e.pull_request;
        self.pr = Some(e.number);
        self.sha.clone_from(&pr.head.sha);
        self.branch.clone_from(&pr.head.ref_);
        self.base_ref = non_empty(&pr.base.ref_);
        let created = time(pr.created_at.as_deref());
        self.occurred_at = if e.action == "opened" {
            created
        } else {
            time(pr.updated_at.as_deref()).or(created)
        };
    }

    fn fill_from_merge_group(&mut self, e: &MergeGroupEvent) {
        let group = &e.merge_group;
        self.sha.clone_from(&group.head_sha);
        self.branch = strip_heads(&group.head_ref).to_owned();
        self.base_ref = non_empty(strip_heads(&group.base_ref));
        self.pr = parse_merge_queue_branch(&group.head_ref).map(|(_, n)| n);
        self.occurred_at = group
            .head_commit
            .as_ref()
            .and_then(|c| time(c.timestamp.as_deref()));
    }

    fn fill_from_deployment(&mut self, e: &DeploymentStatusEvent) {
        self.sha.clone_from(&e.deployment.sha);
        self.branch.clone_from(&e.deployment.ref_);
        self.conclusion = non_empty(&e.deployment_status.state);
        self.occurred_at = time(e.deployment_status.created_at.as_deref())
            .or_else(|| time(e.deployment.created_at.as_deref()));
    }

    fn fill_from_push(&mut self, e: &PushEvent) {
        self.branch = strip_heads(&e.ref_).to_owned();
        if let Some(after) = non_empty(&e.after) {
            self.sha = after;
        }
        if self.actor.is_empty() {
            self.actor = e
                .pusher
                .as_ref()
                .map(|p| p.name.clone())
                .unwrap_or_default();
        }
        self.occurred_at = e
            .head_commit
            .as_ref()
            .and_then(|c| time(c.timestamp.as_deref()));
    }

    /// The run the event reports on; its actor is the payload's `sender`, who GitHub says
    /// triggered the run.
    fn fill_from_run(&mut self, e: &WorkflowRunEvent) {
        let run = &e.workflow_run;
        self.sha.clone_from(&run.head_sha);
        self.branch = run.head_branch.clone().unwrap_or_default();
        if let Some(pr) = run.pull_requests.first() {
            self.pr = Some(pr.number);
            self.base_ref = non_empty(&pr.base.ref_);
        }
        self.workflow = run
            .name
            .as_deref()
            .and_then(non_empty)
            .or_else(|| e.workflow.as_ref().and_then(|w| non_empty(&w.name)))
            .unwrap_or_else(|| self.workflow.clone());
        let started = time(run.run_started_at.as_deref());
        let created = time(run.created_at.as_deref());
        self.run = Some(RunRef {
            id: run.id,
            attempt: run.run_attempt.unwrap_or(1).max(1),
            started_at: started,
            created_at: created,
        });
        self.conclusion.clone_from(&run.conclusion);
        self.occurred_at = if run.status.as_deref() == Some("completed") {
            time(run.updated_at.as_deref())
        } else {
            started.or(created)
        };
    }
}
