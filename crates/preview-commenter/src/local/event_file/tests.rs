use super::*;

fn context() -> RunContext {
    RunContext {
        run_id: 9001,
        run_attempt: 1,
        server_url: "https://github.com/".to_owned(),
        pr_number: None,
        existing_comment: None,
        now: "2026-11-22T10:15:00Z".parse().expect("valid"),
    }
}

fn payload(name: &str) -> String {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).expect("test payload")
}

#[test]
fn pull_request_gives_pr_commit_and_run() {
    let facts =
        facts_from_payload(&payload("pull_request_synchronize.json"), context()).expect("facts");
    assert_eq!(
        (facts.owner.as_str(), facts.repo.as_str()),
        ("octo-org", "myapp")
    );
    assert_eq!(facts.pull_request.number, 42);
    assert_eq!(facts.pull_request.head_ref, "feature/Login-Page");
    assert_eq!(facts.sha, "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432");
    assert_eq!(facts.pull_request.state, PullRequestState::Open);
    assert_eq!(
        facts.run.url,
        "https://github.com/octo-org/myapp/actions/runs/9001"
    );
}

#[test]
fn closed_and_merged_is_read() {
    let facts =
        facts_from_payload(&payload("pull_request_closed_merged.json"), context()).expect("facts");
    assert_eq!(
        facts.pull_request.state,
        PullRequestState::Closed { merged: true }
    );
}

#[test]
fn workflow_run_takes_the_pr_from_its_pull_requests() {
    let facts =
        facts_from_payload(&payload("workflow_run_completed.json"), context()).expect("facts");
    assert_eq!(facts.pull_request.number, 42);
    assert_eq!(facts.sha, facts.pull_request.head_sha);
    let forked = payload("workflow_run_completed.json")
        .replace("\"pull_requests\": [", "\"pull_requests\": [], \"x\": [");
    let err = facts_from_payload(&forked, context()).expect_err("no PR listed");
    assert!(err.to_string().contains("lists no pull request"), "{err}");
}

#[test]
fn deployment_status_needs_the_pr_number() {
    let json = payload("deployment_status_created.json");
    let err = facts_from_payload(&json, context()).expect_err("no number");
    assert!(err.to_string().contains("--pr NUMBER"));
    let facts = facts_from_payload(
        &json,
        RunContext {
            pr_number: Some(42),
            ..context()
        },
    )
    .expect("facts");
    assert_eq!(facts.pull_request.number, 42);
}

#[test]
fn other_events_and_garbage_are_errors() {
    let push = r#"{"ref":"refs/heads/main","repository":{"name":"r","owner":{"login":"o"}}}"#;
    assert!(
        facts_from_payload(push, context())
            .expect_err("push")
            .to_string()
            .contains("not about a pull request")
    );
    assert!(facts_from_payload("[]", context()).is_err());
    assert!(facts_from_payload("{\"pull_request\": 5", context()).is_err());
}
