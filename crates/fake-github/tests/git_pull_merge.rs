//! `PUT /pulls/{n}/merge` and the mergeability of git-backed PRs.

mod support;

use fake_github::git::BranchProtection;
use fake_github::{FakeGitHub, PullSeed};
use reqwest::Method;
use serde_json::json;
use support::Api;

/// PR 1 (`one`: two commits on a.txt), PR 2 (`clash`: a conflicting edit of a.txt).
fn world() -> (FakeGitHub, Api, String) {
    let github = FakeGitHub::start();
    let base = {
        let mut state = github.state();
        let mut git = state.git_repo("o/r").expect("git");
        let base = git
            .commit("main", "base", &[("a.txt", "1\n2\n3\n"), ("b.txt", "b\n")])
            .expect("base");
        git.branch("one", "main").expect("branch");
        git.commit("one", "first", &[("a.txt", "one\n2\n3\n")])
            .expect("c1");
        git.commit("one", "second", &[("c.txt", "c\n")])
            .expect("c2");
        git.branch("clash", "main").expect("branch");
        git.commit("clash", "clash", &[("a.txt", "clash\n2\n3\n")])
            .expect("c");
        git.open_pull(PullSeed::new(1).title("One"), "one", "main")
            .expect("PR 1");
        let git = state.git_repo("o/r").expect("git");
        git.open_pull(PullSeed::new(2).title("Clash"), "clash", "main")
            .expect("PR 2");
        base
    };
    let api = Api::new(&github.url());
    (github, api, base)
}

#[tokio::test]
async fn mergeability_follows_the_base() {
    let (_github, api, _) = world();
    let (_, one) = api.json(Method::GET, "/repos/o/r/pulls/1", None).await;
    assert_eq!(
        (one["mergeable"].clone(), one["mergeable_state"].clone()),
        (json!(true), json!("clean"))
    );
    let (status, merged) = api
        .json(
            Method::PUT,
            "/repos/o/r/pulls/1/merge",
            Some(json!({"merge_method": "merge"})),
        )
        .await;
    assert_eq!(status, 200, "{merged}");
    assert_eq!(merged["merged"], true);
    assert_eq!(merged["message"], "Pull Request successfully merged");
    // PR 2 edits the same line as PR 1, which is now in main.
    let (_, clash) = api.json(Method::GET, "/repos/o/r/pulls/2", None).await;
    assert_eq!(
        (clash["mergeable"].clone(), clash["mergeable_state"].clone()),
        (json!(false), json!("dirty"))
    );
    let (status, refused) = api
        .json(Method::PUT, "/repos/o/r/pulls/2/merge", Some(json!({})))
        .await;
    assert_eq!(
        (status, refused["message"].clone()),
        (405, json!("Pull Request is not mergeable"))
    );
    let (_, one) = api.json(Method::GET, "/repos/o/r/pulls/1", None).await;
    assert_eq!(one["merged"], true);
    assert_eq!(one["merge_commit_sha"], merged["sha"]);
    let (_, commit) = api
        .json(
            Method::GET,
            &format!(
                "/repos/o/r/commits/{}",
                merged["sha"].as_str().unwrap_or_default()
            ),
            None,
        )
        .await;
    assert_eq!(commit["parents"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        commit["commit"]["message"],
        "Merge pull request #1 from o/one\n\nOne"
    );
    let (status, _) = api
        .json(Method::PUT, "/repos/o/r/pulls/1/merge", Some(json!({})))
        .await;
    assert_eq!(status, 405, "a merged PR cannot merge again");
}

#[tokio::test]
async fn a_pinned_sha_that_is_not_the_head_is_409() {
    let (_github, api, base) = world();
    let (status, error) = api
        .json(
            Method::PUT,
            "/repos/o/r/pulls/1/merge",
            Some(json!({"sha": base})),
        )
        .await;
    assert_eq!(status, 409);
    assert_eq!(
        error["message"],
        "Head branch was modified. Review and try the merge again."
    );
}

#[tokio::test]
async fn squash_and_rebase_land_the_same_tree_with_their_own_history() {
    for method in ["squash", "rebase"] {
        let (github, api, base) = world();
        let (_, pull) = api.json(Method::GET, "/repos/o/r/pulls/1", None).await;
        let (status, merged) = api
            .json(
                Method::PUT,
                "/repos/o/r/pulls/1/merge",
                Some(json!({"merge_method": method, "sha": pull["head"]["sha"]})),
            )
            .await;
        assert_eq!(status, 200, "{method}: {merged}");
        let landed = merged["sha"].as_str().unwrap_or_default().to_owned();
        let (_, main) = api
            .json(Method::GET, "/repos/o/r/git/ref/heads/main", None)
            .await;
        assert_eq!(main["object"]["sha"], landed.as_str());
        let (_, compare) = api
            .json(
                Method::GET,
                &format!("/repos/o/r/compare/{base}...{landed}"),
                None,
            )
            .await;
        let expected_commits = if method == "squash" { 1 } else { 2 };
        assert_eq!(compare["ahead_by"], expected_commits, "{method}");
        let (_, pr) = api.json(Method::GET, "/repos/o/r/pulls/1", None).await;
        assert_eq!(
            (pr["merged"].clone(), pr["state"].clone()),
            (json!(true), json!("closed"))
        );
        // Same content as the head.
        let mut state = github.state();
        let git = state.git_repo("o/r").expect("git").repo().expect("repo");
        let landed_tree = git.resolve(&landed, "tree").expect("rev-parse");
        let head_tree = git.resolve("one", "tree").expect("rev-parse");
        assert_eq!(landed_tree, head_tree, "{method}");
    }
}

#[tokio::test]
async fn required_checks_on_the_base_gate_the_merge_but_the_pr_satisfies_require_pull_request() {
    let (github, api, _) = world();
    github
        .state()
        .git_repo("o/r")
        .expect("git")
        .protect_branch(
            "main",
            BranchProtection::new()
                .required_checks(&["ci"])
                .require_pull_request(),
        )
        .expect("protect");
    let (status, refused) = api
        .json(Method::PUT, "/repos/o/r/pulls/1/merge", Some(json!({})))
        .await;
    assert_eq!(status, 405);
    assert_eq!(
        refused["message"],
        "Protected branch update failed for refs/heads/main.\n\nRequired status check \"ci\" is expected."
    );
    let (_, pull) = api.json(Method::GET, "/repos/o/r/pulls/1", None).await;
    api.json(
        Method::POST,
        "/repos/o/r/check-runs",
        Some(json!({"name": "ci", "head_sha": pull["head"]["sha"], "conclusion": "success"})),
    )
    .await;
    let (status, merged) = api
        .json(Method::PUT, "/repos/o/r/pulls/1/merge", Some(json!({})))
        .await;
    assert_eq!(status, 200, "{merged}");
}
