//! Damaged payloads never panic, and a rejected field is the one named in the error.

use std::path::PathBuf;

use guardians_core::event::Event;
use serde_json::Value;

const CASES: &[(&str, &str)] = &[
    ("pull_request", "pull_request.labeled"),
    ("push", "push.branch"),
    ("workflow_run", "workflow_run.completed.with-pull-request"),
    ("merge_group", "merge_group.checks_requested"),
    ("issue_comment", "issue_comment.created.on-pull-request"),
    (
        "deployment_status",
        "deployment_status.created.with-workflow-run",
    ),
];

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/webhooks")
        .join(format!("{name}.json"));
    std::fs::read(path).expect("fixture is readable")
}

/// Every node of `value` with its path as the errors write it (`a.b[2].c`).
fn paths(value: &Value, prefix: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                out.push(path.clone());
                paths(child, &path, out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                let path = format!("{prefix}[{index}]");
                out.push(path.clone());
                paths(child, &path, out);
            }
        }
        _ => {}
    }
}

fn set_null(value: &mut Value, path: &str) {
    let pointer = format!("/{}", path.replace(['.', '['], "/").replace(']', ""));
    *value.pointer_mut(&pointer).expect("path exists") = Value::Null;
}

#[test]
fn any_field_set_to_null_parses_or_is_named_in_the_error() {
    for (event_name, case) in CASES {
        let original: Value = serde_json::from_slice(&fixture(case)).unwrap();
        let mut all = Vec::new();
        paths(&original, "", &mut all);
        let mut rejected = 0;
        for path in &all {
            let mut damaged = original.clone();
            set_null(&mut damaged, path);
            let bytes = serde_json::to_vec(&damaged).unwrap();
            match Event::parse(event_name, &bytes) {
                Ok(_) => {}
                Err(error) => {
                    rejected += 1;
                    assert_eq!(error.field(), Some(path.as_str()), "{case}: {error}");
                    assert!(error.to_string().contains(path.as_str()), "{error}");
                }
            }
        }
        // Identity fields (numbers, SHAs, refs, the repository) are required; most are not.
        assert!(
            rejected > 0 && rejected * 4 < all.len(),
            "{case}: {rejected} of {}",
            all.len()
        );
    }
}

#[test]
fn truncated_payloads_are_errors_not_panics() {
    for (event_name, case) in CASES {
        let bytes = fixture(case);
        for end in (0..bytes.len()).step_by(37) {
            let result = Event::parse(event_name, &bytes[..end]);
            assert!(result.is_err(), "{case} cut at {end} parsed");
        }
    }
}

#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    let nest = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    // Inside an unknown field the nesting is skipped without recursion; the payload is then
    // judged on its own fields.
    let in_unknown_field = format!("{{\"extra\": {}}}", nest(100_000));
    let error = Event::parse("pull_request", in_unknown_field.as_bytes()).unwrap_err();
    assert!(
        error.to_string().contains("has no field `action`"),
        "{error}"
    );
    // As the payload itself it is refused as a whole.
    let error = Event::parse("pull_request", nest(100_000).as_bytes()).unwrap_err();
    assert_eq!(error.field(), None, "{error}");
    assert!(
        error.to_string().contains("is an array, not a JSON object"),
        "{error}"
    );
    // Where the payload expects a value, the first bracket is already the error.
    let in_title = format!(
        r#"{{"action": "opened", "pull_request": {{"title": {}}}}}"#,
        nest(100_000)
    );
    let error = Event::parse("pull_request", in_title.as_bytes()).unwrap_err();
    assert_eq!(error.field(), Some("pull_request.title"), "{error}");
}
