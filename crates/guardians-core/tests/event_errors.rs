//! A payload that does not fit its event must say which event, which field, and what to check.

use guardians_core::event::Event;

fn error_of(event_name: &str, json: &str) -> String {
    Event::parse(event_name, json.as_bytes())
        .expect_err("the payload should be rejected")
        .to_string()
}

const VALID_PR: &str = r#"{
  "action": "opened", "number": 1,
  "pull_request": {
    "number": 1, "title": "t",
    "head": {"ref": "f", "sha": "aaa"},
    "base": {"ref": "main", "sha": "bbb"},
    "labels": [{"name": "bug"}, {"name": "docs"}]
  },
  "repository": {"full_name": "o/r"}
}"#;

#[test]
fn the_valid_payload_used_below_parses() {
    assert!(Event::parse("pull_request", VALID_PR.as_bytes()).is_ok());
}

#[test]
fn null_head_sha_names_the_field() {
    let json = VALID_PR.replace(r#""sha": "aaa""#, r#""sha": null"#);
    insta::assert_snapshot!(error_of("pull_request", &json), @"the `pull_request` event payload does not fit at field `pull_request.head.sha`: invalid type: null, expected a string at line 5 column 36; check that the event name (GITHUB_EVENT_NAME or --event-name) matches the payload");
}

#[test]
fn wrong_type_inside_a_list_names_the_index() {
    let json = VALID_PR.replace(r#"{"name": "docs"}"#, r#"{"name": 5}"#);
    insta::assert_snapshot!(error_of("pull_request", &json), @"the `pull_request` event payload does not fit at field `pull_request.labels[1].name`: invalid type: integer `5`, expected a string at line 7 column 42; check that the event name (GITHUB_EVENT_NAME or --event-name) matches the payload");
}

#[test]
fn a_push_payload_read_as_a_pull_request_says_what_is_missing() {
    let json = r#"{"ref": "refs/heads/main", "after": "abc", "repository": {"full_name": "o/r"}}"#;
    insta::assert_snapshot!(error_of("pull_request", json), @"the `pull_request` event payload has no field `action` (line 1 column 78); check that the event name (GITHUB_EVENT_NAME or --event-name) matches the payload");
}

#[test]
fn a_payload_that_is_not_an_object() {
    insta::assert_snapshot!(error_of("push", "[1, 2]"), @"the `push` event payload is an array, not a JSON object; check that the file is the webhook payload itself (GITHUB_EVENT_PATH or --event)");
}

#[test]
fn truncated_json_is_reported_as_broken_json() {
    let truncated = &VALID_PR[..40];
    insta::assert_snapshot!(error_of("pull_request", truncated), @"the `pull_request` event payload is not valid JSON (EOF while parsing a string at line 3 column 3); check that the file is a complete webhook payload, not truncated or wrapped in anything else");
}

#[test]
fn trailing_bytes_after_the_payload_are_rejected() {
    let json = format!("{VALID_PR}\n{{}}");
    insta::assert_snapshot!(error_of("pull_request", &json), @"the `pull_request` event payload is not valid JSON (trailing characters at line 11 column 1); check that the file is a complete webhook payload, not truncated or wrapped in anything else");
}

#[test]
fn missing_workflow_run_id() {
    let json = r#"{"action": "completed", "workflow_run": {"head_sha": "abc"}, "repository": {"full_name": "o/r"}}"#;
    insta::assert_snapshot!(error_of("workflow_run", json), @"the `workflow_run` event payload has no field `workflow_run.id` (line 1 column 59); check that the event name (GITHUB_EVENT_NAME or --event-name) matches the payload");
}

#[test]
fn errors_expose_event_and_field_for_callers() {
    let json = VALID_PR.replace(r#""sha": "aaa""#, r#""sha": 1"#);
    let error = Event::parse("pull_request_target", json.as_bytes()).unwrap_err();
    assert_eq!(error.event_name(), "pull_request_target");
    assert_eq!(error.field(), Some("pull_request.head.sha"));
    let broken = Event::parse("push", b"{").unwrap_err();
    assert_eq!(broken.field(), None);
}
