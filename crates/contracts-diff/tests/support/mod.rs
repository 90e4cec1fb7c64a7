//! Running the real `contracts-diff` binary against the fake GitHub, as the Actions runner would.

#![allow(dead_code, clippy::unwrap_used)]

use guardians_core::step_harness::{StepEnv, run_step};
use std::path::Path;

use fake_github::{FakeGitHub, FileSeed, PullSeed, fake_sha};
use serde_json::Value;

pub(crate) const REPO: &str = "octo/api";
pub(crate) const NUMBER: u64 = 7;
pub(crate) const MARKER: &str = "<!-- guardians:contracts-diff -->";

/// What a run left behind.
pub(crate) type Run = guardians_core::step_harness::StepRun;

pub(crate) fn base_sha() -> String {
    fake_sha("base")
}

/// An OpenAPI document with the given operations (`"get /users"`, ...).
pub(crate) fn openapi(operations: &[&str]) -> String {
    let mut paths: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for op in operations {
        let (method, path) = op.split_once(' ').unwrap();
        paths.entry(path).or_default().push(method);
    }
    let mut out = String::from("openapi: 3.0.3\ninfo: {title: users, version: '1'}\npaths:\n");
    for (path, methods) in paths {
        out.push_str(&format!("  {path}:\n"));
        for method in methods {
            out.push_str(&format!(
                "    {method}:\n      responses:\n        '200': {{description: ok}}\n"
            ));
        }
    }
    out
}

/// Seeds PR `NUMBER` with `files` at base `base_sha()` and the given head SHA.
pub(crate) fn seed_pull(fake: &FakeGitHub, head_sha: &str, files: Vec<FileSeed>, labels: &[&str]) {
    fake.state().add_pull(
        REPO,
        PullSeed::new(NUMBER)
            .title("Change the users API")
            .head("feature", head_sha)
            .base("main", &base_sha())
            .labels(labels)
            .files(files),
    );
}

pub(crate) fn put(fake: &FakeGitHub, sha: &str, path: &str, text: &str) {
    fake.state().put_content(REPO, sha, path, text);
}

/// A push: the PR's head moves to `sha` with these files.
pub(crate) fn push(fake: &FakeGitHub, sha: &str, files: Vec<FileSeed>) {
    let mut state = fake.state();
    let pull = state.repo_mut(REPO).pulls.get_mut(&NUMBER).unwrap();
    pull.head.sha = sha.to_owned();
    drop(state);
    // Re-seeding the files keeps the fake's totals consistent.
    let labels = labels(fake);
    let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
    let comments = fake.state().repo(REPO).unwrap().comments.clone();
    seed_pull(fake, sha, files, &labels);
    fake.state().repo_mut(REPO).comments = comments;
}

pub(crate) fn labels(fake: &FakeGitHub) -> Vec<String> {
    fake.pull(REPO, NUMBER).labels
}

pub(crate) fn add_label(fake: &FakeGitHub, name: &str) {
    fake.state().add_label(REPO, name, "0e8a16", None);
    fake.state()
        .repo_mut(REPO)
        .pulls
        .get_mut(&NUMBER)
        .unwrap()
        .labels
        .push(name.to_owned());
}

pub(crate) fn comments(fake: &FakeGitHub) -> Vec<String> {
    fake.pull(REPO, NUMBER).comment_bodies()
}

/// A real-format payload for the PR the fake holds as `NUMBER`.
pub(crate) fn payload_for(fake: &FakeGitHub, action: &str) -> Value {
    fake.pull_request_event(REPO, NUMBER, action).unwrap()
}

/// Runs the binary as a step would, in a fresh directory (not a git checkout).
pub(crate) fn run(fake: &FakeGitHub, action: &str, env: &[(&str, &str)]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let payload = payload_for(fake, action);
    run_in(dir.path(), dir.path(), fake, &payload, "pull_request", env)
}

/// Adds `label` to the PR and runs on the `labeled` event it causes.
pub(crate) fn run_labeled(fake: &FakeGitHub, label: &str, env: &[(&str, &str)]) -> Run {
    add_label(fake, label);
    let dir = tempfile::tempdir().unwrap();
    let mut payload = payload_for(fake, "labeled");
    payload["label"] = serde_json::json!({"name": label, "color": "0e8a16"});
    run_in(dir.path(), dir.path(), fake, &payload, "pull_request", env)
}

pub(crate) fn run_in(
    dir: &Path,
    workspace: &Path,
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
        token: "ghs_test",
        workspace: Some(workspace),
    };
    run_step(
        Path::new(env!("CARGO_BIN_EXE_contracts-diff")),
        dir,
        &step,
        env,
    )
    .unwrap()
}
