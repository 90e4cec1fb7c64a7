//! Running the real `size-labeler` binary against the fake GitHub, as the Actions runner would.

#![allow(dead_code, clippy::unwrap_used)]

use guardians_core::step_harness::{StepEnv, run_step};
use std::path::Path;

use fake_github::{FakeGitHub, PullSeed};
use serde_json::Value;

pub(crate) const REPO: &str = "octo/demo";
pub(crate) const NUMBER: u64 = 7;

/// What a run left behind.
pub(crate) type Run = guardians_core::step_harness::StepRun;

/// A real-format payload for the PR the fake holds as `NUMBER`.
pub(crate) fn payload_for(fake: &FakeGitHub, action: &str) -> Value {
    let mut payload = fake.pull_request_event(REPO, NUMBER, action).unwrap();
    // The payload's labels may be stale; the labeler must read the PR's current ones.
    payload["pull_request"]["labels"] = Value::Array(vec![]);
    payload
}

pub(crate) fn seed_pull(fake: &FakeGitHub, seed: PullSeed) {
    fake.state()
        .add_pull(REPO, seed.base("main", &fake_github::fake_sha("base")));
}

pub(crate) fn labels(fake: &FakeGitHub) -> Vec<String> {
    fake.pull(REPO, NUMBER).labels
}

/// Run the binary as a step would: event file, env, `GITHUB_OUTPUT` and summary files.
pub(crate) fn run_labeler(
    fake: &FakeGitHub,
    payload: &Value,
    token: &str,
    env: &[(&str, &str)],
) -> Run {
    let dir = tempfile::tempdir().unwrap();
    run_in(dir.path(), fake, payload, token, env)
}

pub(crate) fn run_in(
    dir: &Path,
    fake: &FakeGitHub,
    payload: &Value,
    token: &str,
    env: &[(&str, &str)],
) -> Run {
    let api_url = fake.url();
    let step = StepEnv {
        event_name: "pull_request",
        payload,
        repository: REPO,
        api_url: &api_url,
        token,
        workspace: None,
    };
    run_step(
        Path::new(env!("CARGO_BIN_EXE_size-labeler")),
        dir,
        &step,
        env,
    )
    .unwrap()
}
