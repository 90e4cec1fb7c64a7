//! Named payload cases: what a guardian reads from each.

use std::path::PathBuf;

use guardians_core::event::{Event, PullRequestEvent};

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/webhooks")
        .join(format!("{name}.json"));
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn pull_request_event(event_name: &str, case: &str) -> PullRequestEvent {
    let parsed = Event::parse(event_name, &fixture(case));
    match parsed.unwrap_or_else(|error| panic!("{case}: {error}")) {
        Event::PullRequest(event) => event,
        other => panic!("{case}: parsed as {other:?}"),
    }
}

#[test]
fn opened_pull_request_exposes_what_guardians_read() {
    let event = pull_request_event("pull_request", "pull_request.opened");
    let pr = &event.pull_request;
    assert_eq!(event.action, "opened");
    assert_eq!(event.number, 2);
    assert_eq!(pr.number, 2);
    assert_eq!(pr.state, "open");
    assert_eq!(pr.title, "Update the README with new information.");
    assert_eq!(
        pr.body.as_deref(),
        Some("This is a pretty simple change that we need to pull into master.")
    );
    assert!(!pr.draft);
    assert!(!pr.merged);
    assert_eq!(pr.user.login, "Codertocat");
    assert_eq!(pr.user.r#type.as_deref(), Some("User"));
    assert_eq!(pr.head.ref_, "changes");
    assert_eq!(pr.head.sha, "ec26c3e57ca3a959ca5aad62de7213c562f8c821");
    assert_eq!(pr.base.ref_, "master");
    assert_eq!(pr.base.sha, "f95f852bd8fca8fcc58a9a2d6c842781e32a215e");
    assert_eq!(
        (pr.additions, pr.deletions, pr.changed_files),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(
        pr.html_url.as_deref(),
        Some("https://github.com/Codertocat/Hello-World/pull/2")
    );
    assert_eq!(pr.created_at.as_deref(), Some("2019-05-15T15:20:33Z"));
    assert_eq!(pr.merged_at, None);
    assert_eq!(event.repository.full_name, "Codertocat/Hello-World");
    assert_eq!(event.repository.name, "Hello-World");
    assert_eq!(event.repository.owner.login, "Codertocat");
    assert_eq!(event.repository.default_branch.as_deref(), Some("master"));
    assert_eq!(
        event.sender.as_ref().map(|user| user.login.as_str()),
        Some("Codertocat")
    );
    assert_eq!(event.label, None);
    assert!(!pr.is_from_fork());
}

#[test]
fn labeled_pull_request_carries_the_label_that_changed() {
    let event = pull_request_event("pull_request", "pull_request.labeled");
    assert_eq!(event.action, "labeled");
    let label = event.label.as_ref().unwrap();
    assert_eq!(label.name, "bug");
    assert_eq!(label.color.as_deref(), Some("d73a4a"));
    assert!(event.pull_request.has_label("BUG"));
    assert!(!event.pull_request.has_label("enhancement"));
}

#[test]
fn draft_pull_request_is_a_draft() {
    let event = pull_request_event("pull_request", "pull_request.converted_to_draft");
    assert!(event.pull_request.draft);
}

#[test]
fn pull_request_from_a_fork_is_from_a_fork() {
    let event = pull_request_event("pull_request_target", "pull_request.opened.fork");
    let pr = &event.pull_request;
    assert!(pr.is_from_fork());
    assert_eq!(
        pr.head.repo.as_ref().unwrap().full_name,
        "octo-fork/Hello-World"
    );
    assert_eq!(event.repository.full_name, "Codertocat/Hello-World");
}

#[test]
fn pull_request_whose_fork_was_deleted_parses_and_counts_as_a_fork() {
    let event = pull_request_event("pull_request", "pull_request.closed.deleted-fork");
    let pr = &event.pull_request;
    assert_eq!(pr.head.repo, None);
    assert_eq!(pr.body, None);
    assert!(pr.is_from_fork());
}

#[test]
fn minimal_hand_written_pull_request_payload_is_filled_with_defaults() {
    let json = br#"{
        "action": "opened",
        "pull_request": {
            "number": 7,
            "head": {"ref": "feature", "sha": "aaa"},
            "base": {"ref": "main", "sha": "bbb", "repo": {"full_name": "o/r"}},
            "labels": null, "draft": null, "user": null
        },
        "repository": {"full_name": "o/r"}
    }"#;
    let event = match Event::parse("pull_request", json).unwrap() {
        Event::PullRequest(event) => event,
        other => panic!("{other:?}"),
    };
    assert_eq!(event.number, 7, "number falls back to pull_request.number");
    let pr = event.pull_request;
    assert!(pr.labels.is_empty());
    assert!(!pr.draft);
    assert_eq!(pr.user.login, "");
    assert_eq!(pr.title, "");
    assert_eq!(pr.additions, None);
    assert!(
        pr.is_from_fork(),
        "no head repository means the origin is unknown"
    );
}

#[test]
fn push_to_a_branch() {
    let Event::Push(push) = Event::parse("push", &fixture("push.branch")).unwrap() else {
        panic!()
    };
    assert_eq!(push.branch(), Some("master"));
    assert_eq!(push.tag(), None);
    assert!(!push.deleted);
    let head = push.head_commit.as_ref().unwrap();
    assert_eq!(head.id, push.after);
    assert!(head.timestamp.is_some());
    assert_eq!(push.commits.len(), 1);
    assert_eq!(push.pusher.as_ref().unwrap().name, "Codertocat");
}

#[test]
fn push_deleting_a_tag_has_no_head_commit() {
    let Event::Push(push) = Event::parse("push", &fixture("push.tag-deleted")).unwrap() else {
        panic!()
    };
    assert_eq!(push.tag(), Some("simple-tag"));
    assert!(push.deleted);
    assert_eq!(push.head_commit, None);
    assert_eq!(push.after, "0000000000000000000000000000000000000000");
}

#[test]
fn completed_workflow_run_with_its_pull_request() {
    let event = Event::parse(
        "workflow_run",
        &fixture("workflow_run.completed.with-pull-request"),
    )
    .unwrap();
    let Event::WorkflowRun(event) = event else {
        panic!()
    };
    let run = &event.workflow_run;
    assert_eq!(event.action, "completed");
    assert_eq!(run.status.as_deref(), Some("completed"));
    assert_eq!(run.conclusion.as_deref(), Some("success"));
    assert_eq!(run.path.as_deref(), Some(".github/workflows/test.yml"));
    assert_eq!(run.run_attempt, Some(1));
    let pr = &run.pull_requests[0];
    assert_eq!(pr.number, 2);
    assert_eq!(pr.head.ref_, "changes");
    assert_eq!(pr.base.ref_, "master");
    assert!(event.workflow.is_some());
}

#[test]
fn workflow_run_without_conclusion_yet() {
    let Event::WorkflowRun(event) =
        Event::parse("workflow_run", &fixture("workflow_run.completed")).unwrap()
    else {
        panic!()
    };
    assert_eq!(event.workflow_run.conclusion, None);
    assert_eq!(event.workflow_run.event, "workflow_dispatch");
    assert!(event.workflow_run.pull_requests.is_empty());
}

#[test]
fn merge_group_names_its_refs_and_pull_request() {
    let Event::MergeGroup(event) =
        Event::parse("merge_group", &fixture("merge_group.checks_requested")).unwrap()
    else {
        panic!()
    };
    let group = &event.merge_group;
    assert_eq!(event.action, "checks_requested");
    assert_eq!(group.base_ref, "refs/heads/main");
    assert!(
        group
            .head_ref
            .starts_with("refs/heads/gh-readonly-queue/main/pr-")
    );
    assert_eq!(group.pull_request_number(), Some(104));
    assert!(
        group
            .head_commit
            .as_ref()
            .unwrap()
            .message
            .starts_with("Merge pull request")
    );
}

#[test]
fn issue_comment_on_an_issue_and_on_a_pull_request() {
    let Event::IssueComment(on_issue) =
        Event::parse("issue_comment", &fixture("issue_comment.created")).unwrap()
    else {
        panic!()
    };
    assert!(!on_issue.is_on_pull_request());
    assert_eq!(on_issue.issue.number, 1);
    assert_eq!(on_issue.comment.user.login, "Codertocat");
    assert_eq!(
        on_issue.comment.body,
        "You are totally right! I'll get this fixed right away."
    );

    let Event::IssueComment(on_pr) = Event::parse(
        "issue_comment",
        &fixture("issue_comment.created.on-pull-request"),
    )
    .unwrap() else {
        panic!()
    };
    assert!(on_pr.is_on_pull_request());
}

#[test]
fn deployment_status_with_and_without_workflow_run() {
    let Event::DeploymentStatus(plain) =
        Event::parse("deployment_status", &fixture("deployment_status.created")).unwrap()
    else {
        panic!()
    };
    assert_eq!(plain.deployment_status.state, "success");
    assert_eq!(plain.deployment.environment, "production");
    assert_eq!(plain.deployment.ref_, "master");
    assert_eq!(plain.workflow_run, None);

    let Event::DeploymentStatus(from_run) = Event::parse(
        "deployment_status",
        &fixture("deployment_status.created.with-workflow-run"),
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(from_run.deployment_status.state, "in_progress");
    let run = from_run.workflow_run.as_ref().unwrap();
    assert_eq!(run.head_sha, "9e602444f49b8b69c3a9a51fa97a115f3d323508");
    assert_eq!(from_run.deployment.environment, "github-pages");
}

#[test]
fn events_no_guardian_reads_are_other_whatever_their_payload() {
    let event = Event::parse("workflow_dispatch", b"not even json").unwrap();
    assert_eq!(
        event,
        Event::Other {
            name: "workflow_dispatch".into()
        }
    );
    assert_eq!(event.pull_request(), None);
    assert_eq!(event.repository(), None);
    assert_eq!(event.action(), None);
}

#[test]
fn accessors_agree_with_the_payload() {
    let event = Event::parse("pull_request", &fixture("pull_request.closed")).unwrap();
    assert_eq!(event.action(), Some("closed"));
    assert_eq!(
        event.repository().unwrap().full_name,
        "Codertocat/Hello-World"
    );
    assert_eq!(event.pull_request().unwrap().state, "closed");

    let push = Event::parse("push", &fixture("push.branch")).unwrap();
    assert_eq!(push.pull_request(), None);
    assert_eq!(push.action(), None);
}

/// The conversation's comment count sizes the concurrent fetch of a sticky comment's pages.
#[test]
fn a_pull_request_payload_carries_its_comment_count() {
    let mut payload: serde_json::Value = serde_json::from_str(include_str!(
        "../../../fixtures/webhooks/pull_request.opened.json"
    ))
    .unwrap();
    payload["pull_request"]["comments"] = 150.into();
    let event = guardians_core::event::Event::parse("pull_request", payload.to_string().as_bytes())
        .unwrap();
    assert_eq!(event.pull_request().unwrap().comments, Some(150));
    payload["pull_request"]["comments"] = serde_json::Value::Null;
    let event = guardians_core::event::Event::parse("pull_request", payload.to_string().as_bytes())
        .unwrap();
    assert_eq!(event.pull_request().unwrap().comments, None);
}
