//! Running the real `size-labeler` binary against the fake GitHub, as the Actions runner would.

#![allow(dead_code, clippy::unwrap_used)]

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use fake_github::{FakeGitHub, PullSeed};
use serde_json::Value;

pub const REPO: &str = "octo/demo";
pub const NUMBER: u64 = 7;

/// What a run left behind.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub outputs: HashMap<String, String>,
    pub summary: String,
}

/// A real-format payload for the PR the fake holds as `NUMBER`.
pub fn payload_for(fake: &FakeGitHub, action: &str) -> Value {
    let mut payload = fake.pull_request_event(REPO, NUMBER, action).unwrap();
    // The payload's labels may be stale; the labeler must read the PR's current ones.
    payload["pull_request"]["labels"] = Value::Array(vec![]);
    payload
}

pub fn seed_pull(fake: &FakeGitHub, seed: PullSeed) {
    fake.state()
        .add_pull(REPO, seed.base("main", &fake_github::fake_sha("base")));
}

pub fn labels(fake: &FakeGitHub) -> Vec<String> {
    fake.state()
        .repo(REPO)
        .unwrap()
        .issue_labels(NUMBER)
        .unwrap()
        .to_vec()
}

/// Run the binary as a step would: event file, env, `GITHUB_OUTPUT` and summary files.
pub fn run_labeler(fake: &FakeGitHub, payload: &Value, token: &str, env: &[(&str, &str)]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    run_in(dir.path(), fake, payload, token, env)
}

pub fn run_in(
    dir: &Path,
    fake: &FakeGitHub,
    payload: &Value,
    token: &str,
    env: &[(&str, &str)],
) -> Run {
    let event = dir.join("event.json");
    let output = dir.join(format!("output-{}", rand_suffix()));
    let summary = dir.join(format!("summary-{}", rand_suffix()));
    std::fs::write(&event, serde_json::to_vec(payload).unwrap()).unwrap();
    std::fs::write(&output, "").unwrap();
    std::fs::write(&summary, "").unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_size-labeler"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_EVENT_NAME", "pull_request")
        .env("GITHUB_EVENT_PATH", &event)
        .env("GITHUB_REPOSITORY", REPO)
        .env("GITHUB_API_URL", fake.url())
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("INPUT_GITHUB-TOKEN", token);
    for (key, value) in env {
        command.env(key, value);
    }
    let result = command.output().unwrap();
    Run {
        code: result.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&result.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&result.stderr).into_owned(),
        outputs: guardians_core::toolkit::read_output_file(
            &std::fs::read_to_string(&output).unwrap(),
        ),
        summary: std::fs::read_to_string(&summary).unwrap(),
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}
