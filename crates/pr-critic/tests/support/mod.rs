//! Running the real `pr-critic` binary against the fake GitHub, as the Actions runner would.

#![allow(dead_code, clippy::unwrap_used)]

use guardians_core::step_harness::{StepEnv, run_step};
use std::path::Path;

use fake_github::{FakeGitHub, PullSeed};
use serde_json::Value;

pub(crate) const REPO: &str = "octo/demo";
pub(crate) const NUMBER: u64 = 7;
pub(crate) const TOKEN: &str = fake_github::DEFAULT_TOKEN;
pub(crate) const MARKER: &str = "<!-- guardians:pr-critic -->";

/// What a run left behind.
pub(crate) type Run = guardians_core::step_harness::StepRun;

/// A real-format payload for the PR the fake holds as `NUMBER`. Its body and labels are stale on
/// purpose (the template as GitHub pre-fills it, no labels): the binary must read the PR fresh.
pub(crate) fn payload_for(fake: &FakeGitHub, action: &str) -> Value {
    let mut payload = fake.pull_request_event(REPO, NUMBER, action).unwrap();
    let pr = &mut payload["pull_request"];
    pr["body"] = "## Scope\n<!-- stale payload body -->\n".into();
    pr["labels"] = Value::Array(vec![]);
    payload
}

pub(crate) fn seed_pull(fake: &FakeGitHub, seed: PullSeed) {
    fake.state()
        .add_pull(REPO, seed.base("main", &fake_github::fake_sha("base")));
}

/// The PR template on the base branch.
pub(crate) fn put_template(fake: &FakeGitHub, path: &str, text: &str) {
    fake.state().put_content(REPO, "main", path, text);
}

/// Adds a label to the PR, as a maintainer would.
pub(crate) fn add_label(fake: &FakeGitHub, name: &str) {
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

pub(crate) fn set_body(fake: &FakeGitHub, body: &str) {
    fake.state()
        .repo_mut(REPO)
        .pulls
        .get_mut(&NUMBER)
        .unwrap()
        .body = Some(body.to_owned());
}

/// The PR's comments as `(id, author, body)`.
pub(crate) fn comments(fake: &FakeGitHub) -> Vec<(u64, String, String)> {
    fake.pull(REPO, NUMBER)
        .comments
        .into_iter()
        .map(|c| (c.id, c.user, c.body))
        .collect()
}

/// Run the binary as a step would: event file, env, `GITHUB_OUTPUT` and summary files.
pub(crate) fn run_critic(fake: &FakeGitHub, payload: &Value, env: &[(&str, &str)]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    run_in(dir.path(), fake, payload, "pull_request", env)
}

pub(crate) fn run_in(
    dir: &Path,
    fake: &FakeGitHub,
    payload: &Value,
    event_name: &str,
    env: &[(&str, &str)],
) -> Run {
    let api_url = fake.url();
    let step = StepEnv {
        event_name,
        payload,
        repository: REPO,
        api_url: &api_url,
        token: TOKEN,
        workspace: None,
    };
    run_step(Path::new(env!("CARGO_BIN_EXE_pr-critic")), dir, &step, env).unwrap()
}
