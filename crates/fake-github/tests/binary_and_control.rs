//! The `fake-github serve` binary, the JSON seed format and the `/_fake/` control endpoints.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use fake_github::{FakeGitHub, SeedDocument};
use reqwest::Method;
use serde_json::{Value, json};
use support::Api;

const SEED: &str = r#"{
  "tokens": {"ghp_alice": {"login": "alice", "kind": "user", "permission": "write"},
             "ghs_ro": {"login": "github-actions[bot]", "kind": "bot", "permission": "read-only"}},
  "repos": {
    "acme/app": {
      "default_branch": "trunk",
      "labels": [{"name": "size/S", "color": "5d9801", "description": "small"}],
      "pulls": [{"number": 12, "title": "Small fix", "body": "Fixes #1",
                 "head": {"ref": "fix", "sha": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
                 "base": {"ref": "trunk", "sha": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"},
                 "labels": ["size/S"], "user": "alice",
                 "files": [{"filename": "src/a.rs", "additions": 3, "deletions": 1, "patch": "@@ -1 +1,3 @@"}],
                 "generate_files": {"count": 120},
                 "commits": [{"message": "fix: a\n\nRefs: #1"}]}],
      "comments": [{"issue": 12, "user": "bob", "body": "LGTM"}],
      "contents": {"trunk": {".github/guardians.yml": "size-labeler: {}\n"}},
      "runs": [{"id": 99, "jobs": [{"name": "build"}]}]
    }
  }
}"#;

struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_seed_format_builds_the_documented_state() {
    let github = FakeGitHub::start();
    github.seed_json(SEED).unwrap();
    let state = github.state();
    let repo = state.repo("acme/app").unwrap();
    assert_eq!(repo.default_branch, "trunk");
    let pull = &repo.pulls[&12];
    assert_eq!(
        (pull.files.len(), pull.additions, pull.changed_files),
        (121, 123, 121)
    );
    assert_eq!(pull.commits[0].message, "fix: a\n\nRefs: #1");
    assert_eq!(repo.comments_on(12)[0].body, "LGTM");
    assert_eq!(
        repo.content("trunk", ".github/guardians.yml"),
        Some("size-labeler: {}\n")
    );
    assert_eq!(repo.runs[&99].jobs.len(), 1);
}

const GIT_SEED: &str = r#"{"repos": {"acme/app": {"git": {
  "commits": [
    {"branch": "main", "message": "initial", "files": {"README.md": "hello\n"}},
    {"branch": "pr/7", "from": "main", "message": "feature", "files": {"feature.txt": "new\n"}}
  ],
  "protect": {"main": {"required_checks": ["ci"]}},
  "ci": {"checks": ["ci"]},
  "pulls": [{"number": 7, "head": "pr/7", "title": "Feature", "labels": ["ready-to-queue"],
             "labeled_at": "2026-12-01T10:00:00Z"}],
  "statuses": [{"ref": "pr/7", "context": "ci", "state": "success"}]
}}}}"#;

#[tokio::test]
async fn a_git_seed_builds_a_git_backed_repository_seen_through_the_api() {
    let github = FakeGitHub::start();
    github.seed_json(GIT_SEED).unwrap();
    let api = Api::new(&github.url());
    let head: Value = api
        .get("/repos/acme/app/git/ref/heads/pr/7")
        .await
        .json()
        .await
        .unwrap();
    let head_sha = head["object"]["sha"].as_str().unwrap().to_owned();
    let pull: Value = api
        .get("/repos/acme/app/pulls/7")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(pull["head"]["sha"], head_sha.as_str());
    assert_eq!(pull["title"], "Feature");
    assert_eq!(pull["labels"][0]["name"], "ready-to-queue");
    let files: Value = api
        .get("/repos/acme/app/pulls/7/files")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(files[0]["filename"], "feature.txt");
    let status: Value = api
        .get(&format!("/repos/acme/app/commits/{head_sha}/status"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["state"], "success");
    let events: Value = api
        .get("/repos/acme/app/issues/7/events")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(events[0]["event"], "labeled");
    assert_eq!(events[0]["created_at"], "2026-12-01T10:00:00Z");
    let rules: Value = api
        .get("/repos/acme/app/branches/main/protection/required_status_checks")
        .await
        .json()
        .await
        .unwrap();
    assert!(rules.to_string().contains("\"ci\""), "{rules}");
}

#[test]
fn a_git_seed_git_refuses_is_an_error_naming_the_repository() {
    let github = FakeGitHub::start();
    let error = github
        .seed_json(
            r#"{"repos": {"o/r": {"git": {"commits": [
                {"branch": "b", "from": "nowhere", "message": "m", "files": {"a": "b"}}]}}}}"#,
        )
        .unwrap_err();
    assert!(error.to_string().contains("repos.o/r.git"), "{error}");
    assert!(error.to_string().contains("nowhere"), "{error}");
}

#[test]
fn a_bad_seed_names_the_field_at_fault() {
    let error =
        SeedDocument::from_json(r#"{"repos": {"o/r": {"pulls": [{"number": 1, "titel": "x"}]}}}"#)
            .unwrap_err();
    assert!(error.to_string().contains("repos.o/r.pulls[0]"), "{error}");
    assert!(error.to_string().contains("titel"), "{error}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_binary_serves_a_seed_and_answers_control_endpoints() {
    let dir = std::env::temp_dir().join(format!("fake-github-seed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let seed = dir.join("seed.json");
    std::fs::write(&seed, SEED).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_fake-github"))
        .args(["serve", "--port", "0", "--print-url", "--seed"])
        .arg(&seed)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let served = Served(child);
    let mut url = String::new();
    BufReader::new(stdout).read_line(&mut url).unwrap();
    let url = url.trim().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let alice = Api::with_token(&url, Some("ghp_alice"));
    let (status, pull) = alice
        .json(Method::GET, "/repos/acme/app/pulls/12", None)
        .await;
    assert_eq!(
        (status, pull["labels"][0]["name"].as_str()),
        (200, Some("size/S"))
    );
    let (status, _) = Api::with_token(&url, Some("ghs_ro"))
        .json(
            Method::POST,
            "/repos/acme/app/issues/12/labels",
            Some(json!({"labels": ["x"]})),
        )
        .await;
    assert_eq!(status, 403);

    let control = Api::with_token(&url, None);
    let (status, queued) = control
        .json(
            Method::POST,
            "/_fake/faults",
            Some(json!({"method": "GET", "path": "/repos/*/*/pulls/*", "status": 500, "times": 1})),
        )
        .await;
    assert_eq!((status, queued["queued"].as_u64()), (201, Some(1)));
    let (status, _) = alice
        .json(Method::GET, "/repos/acme/app/pulls/12", None)
        .await;
    assert_eq!(status, 500);
    let (status, _) = control
        .json(
            Method::POST,
            "/_fake/faults",
            Some(json!({"path": "[", "status": 500})),
        )
        .await;
    assert_eq!(status, 400);

    let (status, _) = control
        .json(
            Method::POST,
            "/_fake/seed",
            Some(json!({"repos": {"acme/app": {"pulls": [{"number": 13}]}}})),
        )
        .await;
    assert_eq!(status, 200);
    let (status, calls) = control.json(Method::GET, "/_fake/calls", None).await;
    assert_eq!(status, 200);
    let lines: Vec<(String, u64)> = calls
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["path"].as_str().unwrap().to_owned(),
                c["status"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("/repos/acme/app/pulls/12".to_owned(), 200),
            ("/repos/acme/app/issues/12/labels".to_owned(), 403),
            ("/repos/acme/app/pulls/12".to_owned(), 500),
        ]
    );
    let (status, _) = control.json(Method::POST, "/_fake/reset-calls", None).await;
    assert_eq!(status, 204);
    let (_, calls) = control.json(Method::GET, "/_fake/calls", None).await;
    assert_eq!(calls, Value::Array(vec![]));
    let (_, state) = control.json(Method::GET, "/_fake/state", None).await;
    assert!(state["repos"]["acme/app"]["pulls"]["13"].is_object());
    drop(served);
    let _ = std::fs::remove_dir_all(dir);
}
