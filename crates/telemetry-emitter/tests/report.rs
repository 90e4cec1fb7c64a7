//! `report` over a hand-made JSON Lines file; every expected number is worked out by hand.
// Test helpers: a broken fixture should panic where it is read.
#![allow(clippy::unwrap_used)]

use clap::Parser;
use serde_json::{Value, json};
use telemetry_emitter::cli::{Cli, Command, report_command};

fn line(n: u32, event: &str, ts: &str, props: Value) -> String {
    let mut properties = json!({"repository": "o/r"});
    for (k, v) in props.as_object().unwrap() {
        properties[k] = v.clone();
    }
    json!({
        "event": event,
        "distinct_id": "dev",
        "properties": properties,
        "timestamp": ts,
        "uuid": format!("00000000-0000-5000-8000-{n:012}"),
    })
    .to_string()
}

fn history() -> String {
    let lines = [
        line(
            1,
            "dev_pr_opened",
            "2026-11-01T10:00:00Z",
            json!({"pr": 1, "sha": "a1"}),
        ),
        line(
            2,
            "dev_ci_passed",
            "2026-11-01T10:20:00Z",
            json!({"pr": 1, "sha": "a1", "ci_duration_s": 600, "queue_s": 30, "est_cost_usd": 0.1}),
        ),
        line(
            3,
            "dev_ci_failed",
            "2026-11-01T10:40:00Z",
            json!({"pr": 1, "sha": "a1", "ci_duration_s": 300, "queue_s": 10, "est_cost_usd": 0.05}),
        ),
        line(
            4,
            "dev_integration_queue_entered",
            "2026-11-01T11:00:00Z",
            json!({"pr": 1}),
        ),
        line(
            5,
            "dev_integration_ci_passed",
            "2026-11-01T11:30:00Z",
            json!({"pr": 1, "sha": "m1", "ci_duration_s": 900, "queue_s": 20, "est_cost_usd": 0.2}),
        ),
        // The deploy names only the commit; the integration run tells which PR it is.
        line(
            6,
            "dev_deploy_succeeded",
            "2026-11-01T12:00:00Z",
            json!({"sha": "m1"}),
        ),
        line(
            7,
            "dev_pr_opened",
            "2026-11-02T09:00:00Z",
            json!({"pr": 2, "sha": "b1"}),
        ),
        line(
            8,
            "dev_integration_ci_failed",
            "2026-11-02T10:00:00Z",
            json!({"pr": 2, "sha": "m2", "ci_duration_s": 1200, "est_cost_usd": 0.3}),
        ),
        line(
            9,
            "dev_deploy_failed",
            "2026-11-02T11:00:00Z",
            json!({"sha": "m2"}),
        ),
        line(
            10,
            "dev_deploy_succeeded",
            "2026-11-02T13:00:00Z",
            json!({"pr": 2, "sha": "m3"}),
        ),
        // A re-run wrote event 2 again, and something else wrote a line that is no event.
        line(
            2,
            "dev_ci_passed",
            "2026-11-01T10:20:00Z",
            json!({"pr": 1, "sha": "a1", "ci_duration_s": 600, "queue_s": 30, "est_cost_usd": 0.1}),
        ),
        "not json".to_owned(),
    ];
    lines.join("\n") + "\n"
}

fn report(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("events.jsonl");
    std::fs::write(&file, history()).unwrap();
    let mut argv = vec![
        "telemetry-emitter",
        "report",
        "--from",
        file.to_str().unwrap(),
    ];
    argv.extend_from_slice(args);
    report_command(&report_args(&argv)).unwrap()
}

#[test]
fn metrics_match_the_hand_computed_values() {
    let m: Value = serde_json::from_str(&report(&["--format", "json"])).unwrap();
    assert_eq!(m["events"], 10); // the re-sent event counts once
    assert_eq!(m["prs_opened"], 2);
    // PR 1: opened 10:00, deployed (as m1) 12:00 -> 7200 s; PR 2: 09:00 -> 13:00 -> 14400 s.
    assert_eq!(m["lead_time"]["count"], 2);
    assert_eq!(m["lead_time"]["p50_s"], 7200);
    assert_eq!(m["lead_time"]["p90_s"], 14400);
    assert_eq!(m["deploys"]["succeeded"], 2);
    assert_eq!(m["deploys"]["failed"], 1);
    assert!((m["deploys"]["change_failure_rate"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-9);
    // Failed 11:00, restored 13:00.
    assert_eq!(m["deploys"]["time_to_restore"]["p50_s"], 7200);
    // Window 01 10:00 .. 02 13:00 = 1.125 days; 2 deploys -> 2 / 1.125 x 7 per week.
    assert_eq!(m["window"]["days"], 1.125);
    assert!((m["deploys"]["per_week"].as_f64().unwrap() - 2.0 * 7.0 / 1.125).abs() < 1e-9);
    assert_eq!(m["ci"]["success_rate"], 0.5);
    assert_eq!(m["ci"]["duration"]["p50_s"], 300);
    assert_eq!(m["ci"]["duration"]["p95_s"], 600);
    assert_eq!(m["ci"]["runner_wait"]["p50_s"], 10);
    assert_eq!(m["ci"]["cost_usd"], 0.15);
    assert_eq!(m["ci"]["failed_cost_usd"], 0.05);
    assert_eq!(m["integration"]["success_rate"], 0.5);
    assert_eq!(m["integration"]["cost_usd"], 0.5);
    // Queue entered 11:00, integration passed 11:30.
    assert_eq!(m["queue"]["entered"], 1);
    assert_eq!(m["queue"]["passed_through"], 1);
    assert_eq!(m["queue"]["time_in_queue"]["p50_s"], 1800);
    assert_eq!(m["total_cost_usd"], 0.65);
}

#[test]
fn since_limits_the_events_and_sets_the_window() {
    let m: Value = serde_json::from_str(&report(&[
        "--format",
        "json",
        "--since",
        "20d",
        "--now",
        "2026-11-22T00:00:00Z",
    ]))
    .unwrap();
    // From 2026-11-02T00:00: PR 2's four events only.
    assert_eq!(m["events"], 4);
    assert_eq!(m["lead_time"]["p50_s"], 14400);
    assert_eq!(m["window"]["days"], 20.0);
    assert!((m["deploys"]["per_week"].as_f64().unwrap() - 0.35).abs() < 1e-9);
}

#[test]
fn table_and_markdown_show_the_same_metrics_for_people() {
    let table = report(&[]);
    assert!(
        table.contains("Lead time (PR opened -> deploy)  p50 2h 0m / p90 4h 0m / p95 4h 0m (n=2)"),
        "{table}"
    );
    assert!(table.contains("Change failure rate"), "{table}");
    assert!(table.contains("33.3%"), "{table}");
    assert!(table.contains("1 line(s) were not events"), "{table}");
    let md = report(&["--format", "markdown"]);
    assert!(
        md.starts_with("## Delivery metrics\n\n| Metric | Value |"),
        "{md}"
    );
    assert!(
        md.contains("| CI success rate | 50.0% (1 passed, 1 failed) |"),
        "{md}"
    );
    assert!(md.contains("| Total CI cost | $0.65 |"), "{md}");
}

#[test]
fn a_bad_since_explains_the_format() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("e.jsonl");
    std::fs::write(&file, "").unwrap();
    let argv = [
        "telemetry-emitter",
        "report",
        "--from",
        file.to_str().unwrap(),
        "--since",
        "30 days",
    ];
    let error = report_command(&report_args(&argv)).unwrap_err().to_string();
    assert!(error.contains("90m, 12h, 30d or 8w"), "{error}");
}

fn report_args(argv: &[&str]) -> telemetry_emitter::cli::ReportArgs {
    match Cli::try_parse_from(argv).unwrap().command {
        Some(Command::Report(args)) => args,
        other => panic!("not a report command: {other:?}"),
    }
}

#[test]
fn markdown_draws_weekly_charts_and_states_the_dora_bands_with_their_year() {
    let md = report(&[
        "--format",
        "markdown",
        "--since",
        "14d",
        "--now",
        "2026-11-08T00:00:00Z",
    ]);
    // Weeks from Monday 10-19 (the window starts 10-25) to 11-02: deploys on 11-01 (week of
    // 10-26) and 11-02 (week of 11-02).
    assert!(
        md.contains(
            "```mermaid\nxychart-beta\n    title \"Deployments per week\"\n    x-axis [\"10-19\", \"10-26\", \"11-02\"]\n    y-axis \"deploys\" 0 --> 2\n    bar [0, 1, 1]\n```"
        ),
        "{md}"
    );
    // Week of 10-26: CI passed ($0.10) + failed ($0.05) + integration passed ($0.20); week of
    // 11-02: integration failed ($0.30). No `-0` for an empty week.
    assert!(md.contains("    bar [0, 0.35, 0.3]\n"), "{md}");
    assert!(!md.contains("[-0") && !md.contains(" -0"), "{md}");
    assert!(
        md.contains("Thresholds from the DORA, Accelerate State of DevOps Report 2024"),
        "{md}"
    );
    // CFR 1 of 3 deploys = 33%: past the 2024 high cluster's 20% -> low (40%).
    assert!(md.contains("| Change failure rate | low |"), "{md}");
    // Two integration commits, the later one failed: no pass after it yet.
    assert!(
        md.contains(
            "| Queue batches | 2 (1 passed: 50.0%), 0 bisection round(s) after 1 failed batch(es) |"
        ),
        "{md}"
    );
}
