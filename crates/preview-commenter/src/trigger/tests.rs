use super::*;

fn event(name: &str, file: &str) -> Event {
    let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
    let json = std::fs::read(&path).expect("test payload");
    Event::parse(name, &json).expect("valid payload")
}

const SHA: &str = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";

#[test]
fn pull_request_names_the_pr_commit_and_base() {
    let trigger = from_event(
        &event("pull_request", "pull_request_synchronize.json"),
        "pull_request",
        None,
    )
    .expect("trigger");
    assert_eq!(trigger.sha, SHA);
    assert_eq!(
        trigger.pull_request,
        PrPointer::Number {
            number: 42,
            base_ref: Some("main".to_owned())
        }
    );
    let pr = trigger.payload_pull_request.expect("payload PR");
    assert_eq!(pr.head_ref, "feature/Login-Page");
    assert_eq!(pr.state, PullRequestState::Open);
    assert!(!pr.head_sha_is_current);
}

#[test]
fn closed_and_merged_is_read() {
    let trigger = from_event(
        &event("pull_request_target", "pull_request_closed_merged.json"),
        "pull_request_target",
        None,
    )
    .expect("trigger");
    assert_eq!(
        trigger.payload_pull_request.map(|pr| pr.state),
        Some(PullRequestState::Closed { merged: true })
    );
}

#[test]
fn workflow_run_takes_the_pr_from_its_list_or_falls_back_to_the_head_sha() {
    let listed = from_event(
        &event("workflow_run", "workflow_run_completed.json"),
        "workflow_run",
        None,
    )
    .expect("trigger");
    assert_eq!(listed.sha, SHA);
    assert!(matches!(
        listed.pull_request,
        PrPointer::Number { number: 42, .. }
    ));

    let path = format!(
        "{}/tests/data/workflow_run_completed.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut forked: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path).expect("payload")).expect("json");
    forked["workflow_run"]["pull_requests"] = serde_json::json!([]);
    let forked = Event::parse(
        "workflow_run",
        &serde_json::to_vec(&forked).expect("serialize"),
    )
    .expect("valid");
    let trigger = from_event(&forked, "workflow_run", None).expect("trigger");
    assert_eq!(trigger.pull_request, PrPointer::HeadSha);
    assert_eq!(trigger.payload_pull_request, None);
    let named = from_event(&forked, "workflow_run", Some(7)).expect("trigger");
    assert!(matches!(
        named.pull_request,
        PrPointer::Number { number: 7, .. }
    ));
}

#[test]
fn deployment_status_goes_by_the_deployed_commit_unless_told_the_pr() {
    let event = event("deployment_status", "deployment_status_created.json");
    let by_sha = from_event(&event, "deployment_status", None).expect("trigger");
    assert_eq!(
        (by_sha.sha.as_str(), &by_sha.pull_request),
        (SHA, &PrPointer::HeadSha)
    );
    let told = from_event(&event, "deployment_status", Some(42)).expect("trigger");
    assert_eq!(told.payload_pull_request.map(|pr| pr.number), Some(42));
    assert_eq!(told.deployment_environment.as_deref(), Some("pr-42"));
}

#[test]
fn an_unfinished_deployment_is_not_checked_yet() {
    let Event::DeploymentStatus(mut status) =
        event("deployment_status", "deployment_status_created.json")
    else {
        panic!("deployment_status payload")
    };
    status.deployment_status.state = "in_progress".to_owned();
    let err = from_event(&Event::DeploymentStatus(status), "deployment_status", None)
        .expect_err("not finished");
    assert!(
        err.to_string().contains("`in_progress`, not finished"),
        "{err}"
    );
}

#[test]
fn other_events_have_nothing_to_do() {
    let err = from_event(
        &Event::Other {
            name: "schedule".to_owned(),
        },
        "schedule",
        None,
    )
    .expect_err("not a PR event");
    assert!(err.to_string().contains("this is `schedule`"), "{err}");
}
