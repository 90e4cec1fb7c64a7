//! Every example payload from `@octokit/webhooks-examples` for the events the guardians read
//! must parse: these are GitHub's own documented payloads (github.com and GHES 3.1-3.5).

use std::path::PathBuf;

use guardians_core::event::Event;
use serde_json::{Map, Value};

fn examples(event_name: &str) -> Vec<(String, Value)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/webhooks/octokit-examples")
        .join(format!("{event_name}.json"));
    let text = std::fs::read_to_string(&path).expect("the examples fixture is readable");
    let by_source: Map<String, Value> =
        serde_json::from_str(&text).expect("the examples fixture is a JSON object");
    let mut all = Vec::new();
    for (source, list) in by_source {
        for (index, example) in list
            .as_array()
            .expect("each source holds an array")
            .iter()
            .enumerate()
        {
            let action = example["action"].as_str().unwrap_or("-");
            all.push((format!("{source}[{index}] {action}"), example.clone()));
        }
    }
    all
}

fn parse_all(event_name: &str) -> Vec<(String, Value, Event)> {
    examples(event_name)
        .into_iter()
        .map(|(label, json)| {
            let bytes = serde_json::to_vec(&json).expect("a Value serializes");
            let event = Event::parse(event_name, &bytes)
                .unwrap_or_else(|error| panic!("{event_name} example {label}: {error}"));
            (label, json, event)
        })
        .collect()
}

#[test]
fn every_pull_request_example_parses_with_its_identity() {
    let parsed = parse_all("pull_request");
    assert!(
        parsed.len() >= 29,
        "expected all examples, got {}",
        parsed.len()
    );
    for (label, json, event) in parsed {
        let Event::PullRequest(event) = event else {
            panic!("{label}: not a pull request event")
        };
        let pr = &event.pull_request;
        assert_eq!(event.action, json["action"].as_str().unwrap(), "{label}");
        assert_eq!(event.number, json["number"].as_u64().unwrap(), "{label}");
        assert_eq!(
            pr.head.sha,
            json["pull_request"]["head"]["sha"].as_str().unwrap(),
            "{label}"
        );
        assert_eq!(
            pr.base.ref_,
            json["pull_request"]["base"]["ref"].as_str().unwrap(),
            "{label}"
        );
        assert_eq!(
            pr.title,
            json["pull_request"]["title"].as_str().unwrap(),
            "{label}"
        );
        assert_eq!(
            pr.labels.len(),
            json["pull_request"]["labels"].as_array().unwrap().len(),
            "{label}"
        );
        assert_eq!(
            event.repository.full_name,
            json["repository"]["full_name"].as_str().unwrap(),
            "{label}"
        );
        assert!(
            !pr.is_from_fork(),
            "{label}: the examples are all same-repository PRs"
        );
    }
}

#[test]
fn every_pull_request_example_also_parses_as_pull_request_target() {
    for (label, json) in examples("pull_request") {
        let bytes = serde_json::to_vec(&json).unwrap();
        let event = Event::parse("pull_request_target", &bytes).unwrap();
        assert!(event.pull_request().is_some(), "{label}");
    }
}

#[test]
fn every_push_example_parses() {
    let parsed = parse_all("push");
    assert!(parsed.len() >= 7);
    for (label, json, event) in parsed {
        let Event::Push(push) = event else {
            panic!("{label}")
        };
        assert_eq!(push.ref_, json["ref"].as_str().unwrap(), "{label}");
        assert_eq!(push.after, json["after"].as_str().unwrap(), "{label}");
        assert_eq!(
            push.commits.len(),
            json["commits"].as_array().unwrap().len(),
            "{label}"
        );
        assert_eq!(
            push.head_commit.is_some(),
            !json["head_commit"].is_null(),
            "{label}"
        );
    }
}

#[test]
fn every_workflow_run_example_parses() {
    let parsed = parse_all("workflow_run");
    assert!(parsed.len() >= 5);
    for (label, json, event) in parsed {
        let Event::WorkflowRun(run) = event else {
            panic!("{label}")
        };
        let expected = &json["workflow_run"];
        assert_eq!(
            run.workflow_run.id,
            expected["id"].as_u64().unwrap(),
            "{label}"
        );
        assert_eq!(
            run.workflow_run.conclusion.as_deref(),
            expected["conclusion"].as_str(),
            "{label}"
        );
        assert_eq!(
            run.workflow_run.pull_requests.len(),
            expected["pull_requests"].as_array().unwrap().len(),
            "{label}"
        );
    }
}

#[test]
fn every_merge_group_example_parses() {
    let parsed = parse_all("merge_group");
    assert!(parsed.len() >= 2);
    for (label, json, event) in parsed {
        let Event::MergeGroup(group) = event else {
            panic!("{label}")
        };
        assert_eq!(
            group.merge_group.head_sha,
            json["merge_group"]["head_sha"].as_str().unwrap()
        );
    }
}

#[test]
fn every_issue_comment_example_parses() {
    let parsed = parse_all("issue_comment");
    assert!(parsed.len() >= 9);
    for (label, json, event) in parsed {
        let Event::IssueComment(comment) = event else {
            panic!("{label}")
        };
        assert_eq!(
            comment.comment.id,
            json["comment"]["id"].as_u64().unwrap(),
            "{label}"
        );
        assert_eq!(
            comment.comment.body,
            json["comment"]["body"].as_str().unwrap(),
            "{label}"
        );
        assert_eq!(
            comment.is_on_pull_request(),
            json["issue"]
                .get("pull_request")
                .is_some_and(|link| !link.is_null()),
            "{label}"
        );
    }
}

#[test]
fn every_deployment_status_example_parses() {
    let parsed = parse_all("deployment_status");
    assert!(parsed.len() >= 4);
    for (label, json, event) in parsed {
        let Event::DeploymentStatus(status) = event else {
            panic!("{label}")
        };
        assert_eq!(
            status.deployment_status.state,
            json["deployment_status"]["state"].as_str().unwrap(),
            "{label}"
        );
        assert_eq!(
            status.deployment.sha,
            json["deployment"]["sha"].as_str().unwrap(),
            "{label}"
        );
        assert_eq!(
            status.workflow_run.is_some(),
            json.get("workflow_run").is_some_and(|run| !run.is_null()),
            "{label}"
        );
    }
}
