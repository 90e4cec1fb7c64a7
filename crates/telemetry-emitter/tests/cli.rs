//! The command line as a user runs it: emit (dry run, JSON Lines, PostHog, strict) and report.
// Test helpers: a broken fixture should panic where it is read.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::HashMap;
use std::path::Path;

use clap::CommandFactory;
use serde_json::Value;
use support::binary::spawn;
use support::data_path;
use support::fake_posthog::{FakePosthog, Scripted};
use telemetry_emitter::cli::Cli;

/// A terminal (not Actions) with no token: the runner's variables a user might have set.
fn env(event_name: &str, inputs: &[(&str, &str)]) -> HashMap<String, String> {
    let mut env: HashMap<String, String> = [
        ("GITHUB_EVENT_NAME", event_name),
        ("GITHUB_REPOSITORY", "octo-org/octo-repo"),
        ("GITHUB_RUN_ID", "42"),
        ("GITHUB_RUN_ATTEMPT", "1"),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    for (k, v) in inputs {
        env.insert((*k).to_owned(), (*v).to_owned());
    }
    env
}

/// Runs the real binary with `env` as its whole environment, returning (exit code, stdout).
fn cli_with(env: HashMap<String, String>, args: &[&str]) -> (i32, String) {
    let output = spawn(&env, args);
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

fn cli(event_name: &str, args: &[&str]) -> (i32, String) {
    cli_with(env(event_name, &[]), args)
}

/// Like [`cli_with`], returning stderr: where notices, warnings and errors go on a terminal.
fn cli_diagnostics(env: HashMap<String, String>, args: &[&str]) -> (i32, String) {
    let output = spawn(&env, args);
    assert!(
        !String::from_utf8_lossy(&output.stdout).contains("error:"),
        "errors belong on stderr"
    );
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn help_describes_both_commands() {
    Cli::command().debug_assert();
    let help = Cli::command().render_help().to_string();
    assert!(help.contains("emit"), "{help}");
    assert!(help.contains("report"), "{help}");
}

#[test]
fn dry_run_prints_the_exact_batch_with_the_key_masked() {
    let event = data_path("workflow_run.completed.success-with-pr.json");
    let jobs1 = data_path("jobs-289782451.page1.json");
    let jobs2 = data_path("jobs-289782451.page2.json");
    let (code, out) = cli(
        "workflow_run",
        &[
            "--event",
            path(&event),
            "--jobs",
            path(&jobs1),
            "--jobs",
            path(&jobs2),
            "--posthog-api-key",
            "phc_SecretKeyMustNotShow",
            "--dry-run",
        ],
    );
    assert_eq!(code, 0);
    assert!(!out.contains("SecretKeyMustNotShow"), "{out}");
    // Without a token the PR's files cannot be read: a note says so, and the batch follows.
    assert!(
        out.contains("no GitHub token, so size and contracts are unknown"),
        "{out}"
    );
    let json = out.lines().find(|l| l.starts_with('{')).unwrap();
    let body: Value = serde_json::from_str(json).unwrap();
    assert_eq!(body["api_key"], "phc_***");
    assert_eq!(body["historical_migration"], false);
    let event = &body["batch"][0];
    assert_eq!(event["event"], "dev_ci_passed");
    // Public repository: only the 16-core runner's 10 minutes x $0.042.
    assert_eq!(event["properties"]["est_cost_usd"], 0.42);
    assert_eq!(event["properties"]["ci_duration_s"], 1001);
    assert_eq!(event["properties"]["queue_s"], 15);
}

#[test]
fn without_a_key_events_go_to_the_jsonl_file_and_a_rerun_is_counted_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("events/telemetry.jsonl");
    let event = data_path("pull_request.opened.json");
    for _ in 0..2 {
        let (code, out) = cli(
            "pull_request",
            &["--event", path(&event), "--jsonl-path", path(&file)],
        );
        assert_eq!(code, 0, "{out}");
        assert!(out.contains("sent 1 event(s)"), "{out}");
    }
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.lines().count(), 2);
    let (code, out) = cli(
        "pull_request",
        &["report", "--from", path(&file), "--format", "json"],
    );
    assert_eq!(code, 0);
    let metrics: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(metrics["events"], 1);
    assert_eq!(metrics["prs_opened"], 1);
}

#[test]
fn stdout_sink_prints_one_json_line_per_event() {
    let event = data_path("merge_group.checks_requested.json");
    let (code, out) = cli(
        "merge_group",
        &["--event", path(&event), "--sink", "stdout"],
    );
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().filter(|l| l.starts_with('{')).collect();
    assert_eq!(lines.len(), 1, "{out}");
    let first: Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(first["event"], "dev_integration_queue_entered");
    assert_eq!(first["properties"]["pr"], 104);
}

fn config_file(dir: &Path, body: &str) -> std::path::PathBuf {
    let p = dir.join("guardians.yml");
    std::fs::write(&p, body).unwrap();
    p
}

#[test]
fn posthog_delivery_through_the_cli_with_config_from_guardians_yml() {
    let fake = FakePosthog::start("phc_k", vec![]);
    let dir = tempfile::tempdir().unwrap();
    let config = config_file(
        dir.path(),
        &format!(
            "telemetry-emitter:\n  posthog-host: {}\n  hash-actor: true\n",
            fake.url()
        ),
    );
    let event = data_path("deployment_status.success.production.json");
    let (code, out) = cli(
        "deployment_status",
        &[
            "--event",
            path(&event),
            "--config",
            path(&config),
            "--posthog-api-key",
            "phc_k",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("sent 1 event(s)"), "{out}");
    fake.recorded(|r| {
        let e = &r.accepted[0];
        assert_eq!(e["event"], "dev_deploy_succeeded");
        assert_eq!(e["distinct_id"].as_str().unwrap().len(), 64);
        assert_eq!(e["properties"]["actor"], e["distinct_id"]);
    });
}

/// Inside Actions: `GITHUB_ACTIONS=true` and an output file, as the runner sets them.
fn in_actions(event_name: &str, dir: &Path, inputs: &[(&str, &str)]) -> HashMap<String, String> {
    let output = dir.join("output");
    std::fs::write(&output, "").unwrap();
    let mut env = env(event_name, inputs);
    env.insert("GITHUB_ACTIONS".into(), "true".into());
    env.insert("GITHUB_OUTPUT".into(), output.to_str().unwrap().into());
    env
}

/// In Actions a failed delivery is a warning and the step passes (telemetry never fails a
/// user's CI unless asked); with `strict`, and always from a terminal, it exits with the shared
/// code: 2 for a refused key (fixed in the inputs), never 1 (telemetry has no verdict).
#[test]
fn delivery_failure_warns_and_passes_in_actions_unless_strict() {
    let fake = FakePosthog::start("phc_k", vec![]);
    let dir = tempfile::tempdir().unwrap();
    let event = data_path("pull_request.opened.json");
    let host = fake.url();
    let base = ["--event", path(&event), "--posthog-host", &host];
    let wrong_key = [("INPUT_POSTHOG-API-KEY", "phc_wrong")];
    let (code, out) = cli_with(in_actions("pull_request", dir.path(), &wrong_key), &base);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("::warning title=telemetry-emitter::PostHog refused"),
        "{out}"
    );
    assert!(out.contains("CI goes on"), "{out}");
    assert!(out.contains("unless `strict: true`"), "{out}");
    // The key is masked in the log before anything else is printed.
    assert!(out.starts_with("::add-mask::phc_wrong\n"), "{out}");
    let outputs = std::fs::read_to_string(dir.path().join("output")).unwrap();
    let outputs = support::binary::parse_outputs(&outputs);
    assert_eq!(outputs["sent"], "false");
    assert_eq!(outputs["event"], "dev_pr_opened");

    let strict = [
        ("INPUT_POSTHOG-API-KEY", "phc_wrong"),
        ("INPUT_STRICT", "true"),
    ];
    let (code, out) = cli_with(in_actions("pull_request", dir.path(), &strict), &base);
    assert_eq!(code, 2, "{out}");
    // One error, printed once.
    assert_eq!(out.matches("::error").count(), 1, "{out}");
    assert!(
        out.contains("::error::telemetry-emitter: PostHog refused"),
        "{out}"
    );

    // From a terminal a refused key is bad input, strict or not.
    let mut flag = base.to_vec();
    flag.extend(["--posthog-api-key", "phc_wrong"]);
    assert_eq!(cli("pull_request", &flag).0, 2);
    flag.push("--strict");
    assert_eq!(cli("pull_request", &flag).0, 2);

    let config = config_file(dir.path(), "telemetry-emitter:\n  strict: true\n");
    let mut from_config = base.to_vec();
    from_config.extend(["--config", path(&config)]);
    assert_eq!(
        cli_with(
            in_actions("pull_request", dir.path(), &wrong_key),
            &from_config
        )
        .0,
        2
    );
    // The input overrides the file.
    let not_strict = [
        ("INPUT_POSTHOG-API-KEY", "phc_wrong"),
        ("INPUT_STRICT", "false"),
    ];
    assert_eq!(
        cli_with(
            in_actions("pull_request", dir.path(), &not_strict),
            &from_config
        )
        .0,
        0
    );
}

#[test]
fn inputs_choose_the_event_sink_and_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("from-input.jsonl");
    let event = data_path("pull_request.synchronize.json");
    let inputs = [
        ("INPUT_EVENT", "dev_ci_started"),
        ("INPUT_SINK", "jsonl"),
        ("INPUT_JSONL-PATH", file.to_str().unwrap()),
    ];
    let (code, out) = cli_with(
        in_actions("pull_request", dir.path(), &inputs),
        &["--event", path(&event)],
    );
    assert_eq!(code, 0, "{out}");
    let line: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(line["event"], "dev_ci_started");
    assert_eq!(line["properties"]["run_id"], 42);
    let outputs = std::fs::read_to_string(dir.path().join("output")).unwrap();
    assert!(outputs.contains("event<<"), "{outputs}");
    assert!(outputs.contains("\ndev_ci_started\n"), "{outputs}");
}

#[test]
fn a_payload_of_the_wrong_shape_names_the_field_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let event = dir.path().join("event.json");
    std::fs::write(
        &event,
        r#"{"action":"opened","pull_request":{"number":"two"}}"#,
    )
    .unwrap();
    let (code, out) = cli_diagnostics(env("pull_request", &[]), &["--event", path(&event)]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("pull_request.number"), "{out}");
    assert_eq!(out.matches("error:").count(), 1, "{out}");
}

#[test]
fn an_unknown_config_key_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_file(dir.path(), "telemetry-emitter:\n  queue-lable: x\n");
    let event = data_path("pull_request.opened.json");
    let (code, out) = cli_diagnostics(
        env("pull_request", &[]),
        &["--event", path(&event), "--config", path(&config)],
    );
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("queue-lable"), "{out}");
}

#[test]
fn events_that_map_to_nothing_say_why_and_pass() {
    let event = data_path("pull_request.synchronize.json");
    let (code, out) = cli_diagnostics(
        env("pull_request", &[]),
        &["--event", path(&event), "--sink", "stdout"],
    );
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "notice: telemetry-emitter: nothing to send: pull_request `synchronize` is not a delivery event\n"
    );
}

#[test]
fn a_retry_through_the_cli_uses_the_configured_cap() {
    let fake = FakePosthog::start(
        "phc_k",
        vec![Scripted {
            status: 503,
            retry_after: Some("120".to_owned()),
        }],
    );
    let dir = tempfile::tempdir().unwrap();
    let config = config_file(dir.path(), "telemetry-emitter:\n  max-retry-wait-s: 0\n");
    let event = data_path("pull_request.opened.json");
    let host = fake.url();
    let (code, out) = cli(
        "pull_request",
        &[
            "--event",
            path(&event),
            "--config",
            path(&config),
            "--posthog-host",
            &host,
            "--posthog-api-key",
            "phc_k",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("in 2 attempt(s)"), "{out}");
}

/// `report` runs without a GitHub context; a file it cannot read is bad input (exit 2), said once.
#[test]
fn report_from_a_missing_file_names_it_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere.jsonl");
    let (code, out) = cli_diagnostics(
        HashMap::new(),
        &["report", "--from", path(&missing), "--format", "markdown"],
    );
    assert_eq!(code, 2, "{out}");
    assert_eq!(out.matches("error:").count(), 1, "{out}");
    assert!(out.contains("nowhere.jsonl"), "{out}");
    assert!(out.contains("--from"), "{out}");
}
