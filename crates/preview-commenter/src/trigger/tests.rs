use super::*;

fn event(name: &str, file: &str) -> Event {
    let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
    let json = std::fs::read(&path).expect("test payload");
    Event::parse(name, &json).expect("valid payload")
}

const SHA: &str = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";

#[test]
fn pull_request_carries_the_pr_and_the_commit() {
    let found = pending(
        &event("pull_request", "pull_request_synchronize.json"),
        "pull_request",
        None,
    )
    .expect("acted on");
    assert_eq!(found.sha.as_deref(), Some(SHA));
    let Lookup::Payload(pr) = found.lookup else {
        panic!("the payload names the PR: {:?}", found.lookup)
    };
    assert_eq!((pr.number, pr.base.ref_.as_str()), (42, "main"));
}

#[test]
fn closing_is_acted_on() {
    let found = pending(
        &event("pull_request_target", "pull_request_closed_merged.json"),
        "pull_request_target",
        None,
    )
    .expect("acted on");
    let Lookup::Payload(pr) = found.lookup else {
        panic!("payload")
    };
    assert!(pr.merged && pr.state == "closed");
}

#[test]
fn workflow_run_describes_its_head_commit() {
    let found = pending(
        &event("workflow_run", "workflow_run_completed.json"),
        "workflow_run",
        None,
    )
    .expect("acted on");
    assert_eq!(found.sha.as_deref(), Some(SHA));
    assert!(
        matches!(found.lookup, Lookup::Number { number: 42, .. }),
        "{:?}",
        found.lookup
    );
}

#[test]
fn deployment_status_goes_by_the_deployed_commit_unless_told_the_pr() {
    let event = event("deployment_status", "deployment_status_created.json");
    let by_sha = pending(&event, "deployment_status", None).expect("acted on");
    assert!(matches!(by_sha.lookup, Lookup::HeadCommit(_)));
    assert_eq!(by_sha.sha.as_deref(), Some(SHA));
    assert_eq!(by_sha.deployment_environment.as_deref(), Some("pr-42"));
    let told = pending(&event, "deployment_status", Some(42)).expect("acted on");
    assert!(matches!(told.lookup, Lookup::Number { number: 42, .. }));
}

#[test]
fn an_unfinished_deployment_is_not_checked_yet() {
    let Event::DeploymentStatus(mut status) =
        event("deployment_status", "deployment_status_created.json")
    else {
        panic!("deployment_status payload")
    };
    status.deployment_status.state = "in_progress".to_owned();
    let why = pending(&Event::DeploymentStatus(status), "deployment_status", None)
        .expect_err("not finished");
    assert!(why.contains("`in_progress`, not finished"), "{why}");
}

#[test]
fn other_events_have_nothing_to_do() {
    let why = pending(
        &Event::Other {
            name: "schedule".to_owned(),
        },
        "schedule",
        None,
    )
    .expect_err("not a PR event");
    assert!(why.contains("this is `schedule`"), "{why}");
}
