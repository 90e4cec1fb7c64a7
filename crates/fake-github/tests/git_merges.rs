//! `POST /merges` does a real three-way merge; PRs whose head lands in their base are marked merged.

mod support;

use fake_github::{FakeGitHub, PullSeed};
use reqwest::Method;
use serde_json::json;
use support::Api;

/// main: base (a.txt, b.txt); one: edits a.txt; two: edits b.txt; clash: edits a.txt differently.
fn world() -> (FakeGitHub, Api, String) {
    let github = FakeGitHub::start();
    let base = {
        let mut state = github.state();
        let mut git = state.git_repo("o/r").expect("git");
        let base = git
            .commit("main", "base", &[("a.txt", "a\n"), ("b.txt", "b\n")])
            .expect("base");
        for (branch, path, text) in [
            ("one", "a.txt", "a one\n"),
            ("two", "b.txt", "b two\n"),
            ("clash", "a.txt", "a clash\n"),
        ] {
            git.branch(branch, "main").expect("branch");
            git.commit(branch, branch, &[(path, text)]).expect("commit");
        }
        git.branch("integration/main", "main").expect("branch");
        git.open_pull(PullSeed::new(1), "one", "main")
            .expect("PR 1");
        let git = state.git_repo("o/r").expect("git");
        git.open_pull(PullSeed::new(2), "two", "main")
            .expect("PR 2");
        base
    };
    let api = Api::new(&github.url());
    (github, api, base)
}

#[tokio::test]
async fn merging_builds_a_merge_commit_of_both_sides() {
    let (github, api, base) = world();
    let (status, first) = api
        .json(
            Method::POST,
            "/repos/o/r/merges",
            Some(json!({"base": "integration/main", "head": "one", "commit_message": "Merge #1"})),
        )
        .await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["commit"]["message"], "Merge #1");
    // A merge commit even where a fast-forward was possible, as GitHub's merges API makes.
    assert_eq!(first["parents"].as_array().map(Vec::len), Some(2));
    assert_eq!(first["parents"][0]["sha"], base.as_str());
    // As on GitHub the token's account is the author and GitHub the committer, so a reader (the
    // integration queue) can tell a merge its own token made from a commit a person pushed.
    assert_eq!(first["author"]["login"], "github-actions[bot]");
    assert_eq!(first["commit"]["committer"]["name"], "GitHub");
    let (status, second) = api
        .json(
            Method::POST,
            "/repos/o/r/merges",
            Some(json!({"base": "integration/main", "head": "two"})),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(
        second["commit"]["message"],
        "Merge two into integration/main"
    );
    assert_eq!(second["parents"][0]["sha"], first["sha"]);
    let (_, branch) = api
        .json(
            Method::GET,
            "/repos/o/r/git/ref/heads/integration/main",
            None,
        )
        .await;
    assert_eq!(branch["object"]["sha"], second["sha"]);
    // The merged tree holds both changes.
    let integration = second["sha"].as_str().unwrap_or_default().to_owned();
    {
        let mut state = github.state();
        let git = state.git_repo("o/r").expect("git").repo().expect("repo");
        let a = git.entry(&integration, "a.txt").expect("ls").expect("a");
        let b = git.entry(&integration, "b.txt").expect("ls").expect("b");
        assert_eq!(git.blob(&a.sha).expect("blob"), b"a one\n");
        assert_eq!(git.blob(&b.sha).expect("blob"), b"b two\n");
    }
    // The PRs are not merged: main has not moved.
    let (_, pull) = api.json(Method::GET, "/repos/o/r/pulls/1", None).await;
    assert_eq!(pull["merged"], false);

    // Fast-forwarding main to the tested commit marks both PRs merged, as GitHub does on a push.
    let (status, _) = api
        .json(
            Method::PATCH,
            "/repos/o/r/git/refs/heads/main",
            Some(json!({"sha": integration, "force": false})),
        )
        .await;
    assert_eq!(status, 200);
    for number in [1, 2] {
        let (_, pull) = api
            .json(Method::GET, &format!("/repos/o/r/pulls/{number}"), None)
            .await;
        assert_eq!(
            (pull["merged"].clone(), pull["state"].clone()),
            (json!(true), json!("closed"))
        );
    }
}

#[tokio::test]
async fn already_merged_is_204_and_a_conflict_is_409() {
    let (_github, api, _) = world();
    let (status, _) = api
        .json(
            Method::POST,
            "/repos/o/r/merges",
            Some(json!({"base": "integration/main", "head": "one"})),
        )
        .await;
    assert_eq!(status, 201);
    let (status, body) = api
        .json(
            Method::POST,
            "/repos/o/r/merges",
            Some(json!({"base": "integration/main", "head": "one"})),
        )
        .await;
    assert_eq!(status, 204);
    assert!(body.is_null());
    let (_, before) = api
        .json(
            Method::GET,
            "/repos/o/r/git/ref/heads/integration/main",
            None,
        )
        .await;
    let (status, conflict) = api
        .json(
            Method::POST,
            "/repos/o/r/merges",
            Some(json!({"base": "integration/main", "head": "clash"})),
        )
        .await;
    assert_eq!(
        (status, conflict["message"].clone()),
        (409, json!("Merge conflict"))
    );
    let (_, after) = api
        .json(
            Method::GET,
            "/repos/o/r/git/ref/heads/integration/main",
            None,
        )
        .await;
    assert_eq!(before, after, "a conflict leaves the base where it was");
    let (status, missing) = api
        .json(
            Method::POST,
            "/repos/o/r/merges",
            Some(json!({"base": "nope", "head": "one"})),
        )
        .await;
    assert_eq!(
        (status, missing["message"].clone()),
        (404, json!("Base does not exist"))
    );
    let (status, missing) = api
        .json(
            Method::POST,
            "/repos/o/r/merges",
            Some(json!({"base": "main", "head": "nope"})),
        )
        .await;
    assert_eq!(
        (status, missing["message"].clone()),
        (404, json!("Head does not exist"))
    );
}
