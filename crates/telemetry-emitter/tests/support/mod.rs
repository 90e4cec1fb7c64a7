//! Helpers shared by the integration tests.
// Test support code: panicking on a broken fixture is the right failure.
#![allow(dead_code, clippy::unwrap_used)]

pub mod fake_posthog;

use std::path::PathBuf;

use jiff::Timestamp;
use telemetry_emitter::config::TelemetryEmitterConfig;
use telemetry_emitter::context::RunContext;
use telemetry_emitter::jobs::{Job, JobsPage};
use telemetry_emitter::payload::EventPayload;
use telemetry_emitter::plan::{Facts, Plan, Request, plan};

pub fn data_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

pub fn data(name: &str) -> String {
    std::fs::read_to_string(data_path(name)).unwrap()
}

/// A payload file as JSON, for tests that vary one field of a real payload.
pub fn data_json(name: &str) -> serde_json::Value {
    serde_json::from_str(&data(name)).unwrap()
}

pub fn ctx(event_name: &str) -> RunContext {
    RunContext {
        event_name: event_name.to_owned(),
        repository: "octo-org/octo-repo".to_owned(),
        run_id: Some(7_000_001),
        run_attempt: Some(1),
        workflow: "telemetry".to_owned(),
        actor: "ctx-actor".to_owned(),
        sha: "0000000000000000000000000000000000000001".to_owned(),
        ref_name: "main".to_owned(),
    }
}

pub fn now() -> Timestamp {
    "2026-11-22T12:00:00Z".parse().unwrap()
}

pub fn jobs(pages: &[&str]) -> Vec<Job> {
    pages
        .iter()
        .flat_map(|p| serde_json::from_str::<JobsPage>(&data(p)).unwrap().jobs)
        .collect()
}

pub fn plan_for(
    event_name: &str,
    payload: &str,
    config: &TelemetryEmitterConfig,
    facts: &Facts,
) -> Plan {
    let payload = EventPayload::parse(payload).unwrap();
    plan(
        &ctx(event_name),
        &payload,
        &Request::default(),
        config,
        facts,
    )
    .unwrap()
}

pub fn facts() -> Facts {
    Facts {
        now: now(),
        ..Facts::default()
    }
}
