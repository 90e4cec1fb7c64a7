//! Running the real `pr-critic` binary against the fake GitHub, as the Actions runner would.

#![allow(dead_code, clippy::unwrap_used)]

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use fake_github::{FakeGitHub, PullSeed};
use serde_json::Value;

pub const REPO: &str = "octo/demo";
pub const NUMBER: u64 = 7;
pub const TOKEN: &str = fake_github::DEFAULT_TOKEN;
pub const MARKER: &str = "<!-- guardians:pr-critic -->";

/// What a run left behind.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub outputs: HashMap<String, String>,
    pub summary: String,
}

/// A real-format payload for the PR the fake holds as `NUMBER`. Its body and labels are stale on
/// purpose (the template as GitHub pre-fills it, no labels): the binary must read the PR fresh.
pub fn payload_for(fake: &FakeGitHub, action: &str) -> Value {
    let mut payload = fake.pull_request_event(REPO, NUMBER, action).unwrap();
    let pr = &mut payload["pull_request"];
    pr["body"] = "## Scope\n<!-- stale payload body -->\n".into();
    pr["labels"] = Value::Array(vec![]);
    payload
}

pub fn seed_pull(fake: &FakeGitHub, seed: PullSeed) {
    fake.state()
        .add_pull(REPO, seed.base("main", &fake_github::fake_sha("base")));
}

/// The PR template on the base branch.
pub fn put_template(fake: &FakeGitHub, path: &str, text: &str) {
    fake.state().put_content(REPO, "main", path, text);
}

/// Adds a label to the PR, as a maintainer would.
pub fn add_label(fake: &FakeGitHub, name: &str) {
    let mut state = fake.state();
    state.add_label(REPO, name, "0e8a16", None);
    state
        .repo_mut(REPO)
        .pulls
        .get_mut(&NUMBER)
        .unwrap()
        .labels
        .push(name.to_owned());
}

pub fn set_body(fake: &FakeGitHub, body: &str) {
    fake.state()
        .repo_mut(REPO)
        .pulls
        .get_mut(&NUMBER)
        .unwrap()
        .body = Some(body.to_owned());
}

/// The PR's comments as `(id, author, body)`.
pub fn comments(fake: &FakeGitHub) -> Vec<(u64, String, String)> {
    fake.state()
        .repo(REPO)
        .unwrap()
        .comments_on(NUMBER)
        .into_iter()
        .map(|c| (c.id, c.user.clone(), c.body.clone()))
        .collect()
}

/// Run the binary as a step would: event file, env, `GITHUB_OUTPUT` and summary files.
pub fn run_critic(fake: &FakeGitHub, payload: &Value, env: &[(&str, &str)]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    run_in(dir.path(), fake, payload, "pull_request", env)
}

pub fn run_in(
    dir: &Path,
    fake: &FakeGitHub,
    payload: &Value,
    event_name: &str,
    env: &[(&str, &str)],
) -> Run {
    let event = dir.join("event.json");
    let output = dir.join("output");
    let summary = dir.join("summary");
    std::fs::write(&event, serde_json::to_vec(payload).unwrap()).unwrap();
    std::fs::write(&output, "").unwrap();
    std::fs::write(&summary, "").unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_pr-critic"));
    command
        .env_clear()
        .current_dir(dir)
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_EVENT_NAME", event_name)
        .env("GITHUB_EVENT_PATH", &event)
        .env("GITHUB_REPOSITORY", REPO)
        .env("GITHUB_API_URL", fake.url())
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("INPUT_GITHUB-TOKEN", TOKEN);
    for (key, value) in env {
        command.env(key, value);
    }
    let result = command.output().unwrap();
    Run {
        code: result.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&result.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&result.stderr).into_owned(),
        outputs: parse_outputs(&std::fs::read_to_string(&output).unwrap()),
        summary: std::fs::read_to_string(&summary).unwrap(),
    }
}

/// Parse `name<<DELIM\nvalue\nDELIM` records of a `GITHUB_OUTPUT` file.
pub fn parse_outputs(text: &str) -> HashMap<String, String> {
    let mut outputs = HashMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((name, delimiter)) = line.split_once("<<") {
            let mut value = Vec::new();
            for next in lines.by_ref() {
                if next == delimiter {
                    break;
                }
                value.push(next);
            }
            outputs.insert(name.to_string(), value.join("\n"));
        } else if let Some((name, value)) = line.split_once('=') {
            outputs.insert(name.to_string(), value.to_string());
        }
    }
    outputs
}
