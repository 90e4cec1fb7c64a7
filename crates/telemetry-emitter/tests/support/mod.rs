//! Helpers shared by the integration tests.
// Test support code: panicking on a broken fixture is the right failure.
#![allow(dead_code, clippy::unwrap_used)]

pub(crate) mod binary;
pub(crate) mod fake_posthog;

use std::path::PathBuf;

use guardians_core::context::Context;
use guardians_core::event::Event;
use jiff::Timestamp;
use telemetry_emitter::config::TelemetryEmitterConfig;
use telemetry_emitter::jobs::{Job, JobsPage};
use telemetry_emitter::plan::{Facts, Plan, Request, plan};

pub(crate) fn data_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

pub(crate) fn data(name: &str) -> String {
    std::fs::read_to_string(data_path(name)).unwrap()
}

/// A payload file as JSON, for tests that vary one field of a real payload.
pub(crate) fn data_json(name: &str) -> serde_json::Value {
    serde_json::from_str(&data(name)).unwrap()
}

/// The run's context as the runner would give it, with `payload` as the event.
pub(crate) fn ctx(event_name: &str, payload: &str) -> Context {
    Context {
        event_name: event_name.to_owned(),
        event: Event::parse(event_name, payload.as_bytes()).unwrap(),
        repository: "octo-org/octo-repo".parse().unwrap(),
        api_url: "https://api.github.com".to_owned(),
        server_url: "https://github.com".to_owned(),
        graphql_url: "https://api.github.com/graphql".to_owned(),
        sha: Some("0000000000000000000000000000000000000001".to_owned()),
        git_ref: Some("refs/heads/main".to_owned()),
        actor: Some("ctx-actor".to_owned()),
        workflow: Some("telemetry".to_owned()),
        job: None,
        run_id: Some(7_000_001),
        run_attempt: Some(1),
        run_number: None,
        runner_os: None,
        runner_arch: None,
        runner_temp: None,
        tool_cache: None,
        in_actions: false,
    }
}

pub(crate) fn now() -> Timestamp {
    "2026-11-22T12:00:00Z".parse().unwrap()
}

pub(crate) fn jobs(pages: &[&str]) -> Vec<Job> {
    pages
        .iter()
        .flat_map(|p| serde_json::from_str::<JobsPage>(&data(p)).unwrap().jobs)
        .collect()
}

pub(crate) fn plan_for(
    event_name: &str,
    payload: &str,
    config: &TelemetryEmitterConfig,
    facts: &Facts,
) -> Plan {
    plan(
        &ctx(event_name, payload),
        &Request::default(),
        config,
        facts,
    )
    .unwrap()
}

pub(crate) fn facts() -> Facts {
    Facts {
        now: now(),
        ..Facts::default()
    }
}
pub(crate) mod history;
