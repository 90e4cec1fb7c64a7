//! The refs, commits and compare APIs of a git-backed repository behave as GitHub's do.

mod support;

use fake_github::{FakeGitHub, PullSeed};
use reqwest::Method;
use serde_json::{Value, json};
use support::Api;

struct World {
    github: FakeGitHub,
    api: Api,
    /// main: base; feature: base -> f1 -> f2; other: base -> o1 (diverges from feature).
    base: String,
    f1: String,
    f2: String,
    o1: String,
}

fn world() -> World {
    let github = FakeGitHub::start();
    let (base, f1, f2, o1) = {
        let mut state = github.state();
        let mut git = state.git_repo("o/r").expect("git");
        let base = git
            .commit("main", "base", &[("a.txt", "a\n")])
            .expect("base");
        git.branch("feature", "main").expect("branch");
        let f1 = git
            .commit("feature", "f1", &[("b.txt", "b\n")])
            .expect("f1");
        let f2 = git
            .commit("feature", "f2", &[("a.txt", "a\nA\n")])
            .expect("f2");
        git.branch("other", "main").expect("branch");
        let o1 = git.commit("other", "o1", &[("c.txt", "c\n")]).expect("o1");
        git.open_pull(PullSeed::new(1), "feature", "main")
            .expect("PR");
        (base, f1, f2, o1)
    };
    let api = Api::new(&github.url());
    World {
        github,
        api,
        base,
        f1,
        f2,
        o1,
    }
}

#[tokio::test]
async fn get_and_matching_refs() {
    let w = world();
    let (status, main) = w
        .api
        .json(Method::GET, "/repos/o/r/git/ref/heads/main", None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(main["ref"], "refs/heads/main");
    assert_eq!(main["object"]["sha"], w.base.as_str());
    assert_eq!(main["object"]["type"], "commit");
    assert!(
        main["url"]
            .as_str()
            .is_some_and(|u| u.ends_with("/repos/o/r/git/refs/heads/main"))
    );
    let (status, _) = w
        .api
        .json(Method::GET, "/repos/o/r/git/ref/heads/nope", None)
        .await;
    assert_eq!(status, 404);
    let (status, matching) = w
        .api
        .json(Method::GET, "/repos/o/r/git/matching-refs/heads/", None)
        .await;
    assert_eq!(status, 200);
    let names: Vec<&str> = matching
        .as_array()
        .map(|refs| refs.iter().filter_map(|r| r["ref"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        names,
        ["refs/heads/feature", "refs/heads/main", "refs/heads/other"]
    );
    let (_, none) = w
        .api
        .json(
            Method::GET,
            "/repos/o/r/git/matching-refs/heads/integration/",
            None,
        )
        .await;
    assert_eq!(none, json!([]));
}

#[tokio::test]
async fn creating_an_existing_ref_is_422_so_refs_work_as_locks() {
    let w = world();
    let body = json!({"ref": "refs/heads/integration/main", "sha": w.f1});
    let (status, created) = w
        .api
        .json(Method::POST, "/repos/o/r/git/refs", Some(body.clone()))
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["object"]["sha"], w.f1.as_str());
    let (status, again) = w
        .api
        .json(Method::POST, "/repos/o/r/git/refs", Some(body))
        .await;
    assert_eq!(status, 422);
    assert_eq!(again["message"], "Reference already exists");

    let missing = json!({"ref": "refs/heads/x", "sha": "1234567890123456789012345678901234567890"});
    let (status, error) = w
        .api
        .json(Method::POST, "/repos/o/r/git/refs", Some(missing))
        .await;
    assert_eq!(
        (status, error["message"].clone()),
        (422, json!("Object does not exist"))
    );
    let bad_name = json!({"ref": "heads/x", "sha": w.f1});
    let (status, _) = w
        .api
        .json(Method::POST, "/repos/o/r/git/refs", Some(bad_name))
        .await;
    assert_eq!(status, 422);

    // Many racing creators: exactly one wins.
    let racers: Vec<_> = (0..8)
        .map(|_| {
            let api = Api::new(&w.github.url());
            let body = json!({"ref": "refs/heads/lock", "sha": w.base});
            tokio::spawn(async move {
                api.json(Method::POST, "/repos/o/r/git/refs", Some(body))
                    .await
                    .0
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for racer in racers {
        statuses.push(racer.await.expect("the racer finishes"));
    }
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 422, 422, 422, 422, 422, 422, 422]);
}

#[tokio::test]
async fn updates_fast_forward_unless_forced_and_deletes_answer_as_github() {
    let w = world();
    // main -> f2 is a fast-forward; the PR's head is then in main, so it is merged.
    let (status, moved) = w
        .api
        .json(
            Method::PATCH,
            "/repos/o/r/git/refs/heads/main",
            Some(json!({"sha": w.f2, "force": false})),
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["object"]["sha"], w.f2.as_str());
    let (_, pull) = w.api.json(Method::GET, "/repos/o/r/pulls/1", None).await;
    assert_eq!(pull["merged"], true);
    assert_eq!(pull["state"], "closed");

    // main -> o1 is not a fast-forward (o1 lacks f1 and f2).
    let (status, refused) = w
        .api
        .json(
            Method::PATCH,
            "/repos/o/r/git/refs/heads/main",
            Some(json!({"sha": w.o1})),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(refused["message"], "Update is not a fast forward");
    let (_, main) = w
        .api
        .json(Method::GET, "/repos/o/r/git/ref/heads/main", None)
        .await;
    assert_eq!(
        main["object"]["sha"],
        w.f2.as_str(),
        "a refused update changes nothing"
    );
    let (status, _) = w
        .api
        .json(
            Method::PATCH,
            "/repos/o/r/git/refs/heads/main",
            Some(json!({"sha": w.o1, "force": true})),
        )
        .await;
    assert_eq!(status, 200);
    let (_, main) = w
        .api
        .json(Method::GET, "/repos/o/r/git/ref/heads/main", None)
        .await;
    assert_eq!(main["object"]["sha"], w.o1.as_str());
    let (status, missing) = w
        .api
        .json(
            Method::PATCH,
            "/repos/o/r/git/refs/heads/nope",
            Some(json!({"sha": w.o1})),
        )
        .await;
    assert_eq!(
        (status, missing["message"].clone()),
        (422, json!("Reference does not exist"))
    );

    // Revision syntax is no ref name: nothing moves.
    let (status, missing) = w
        .api
        .json(
            Method::PATCH,
            "/repos/o/r/git/refs/heads/main~1",
            Some(json!({"sha": w.o1, "force": true})),
        )
        .await;
    assert_eq!(
        (status, missing["message"].clone()),
        (422, json!("Reference does not exist"))
    );
    let (status, default) = w
        .api
        .json(Method::DELETE, "/repos/o/r/git/refs/heads/main", None)
        .await;
    assert_eq!(
        (status, default["message"].clone()),
        (422, json!("Cannot delete the default branch"))
    );
    let (status, _) = w
        .api
        .json(Method::DELETE, "/repos/o/r/git/refs/heads/other", None)
        .await;
    assert_eq!(status, 204);
    let (status, gone) = w
        .api
        .json(Method::DELETE, "/repos/o/r/git/refs/heads/other", None)
        .await;
    assert_eq!(
        (status, gone["message"].clone()),
        (422, json!("Reference does not exist"))
    );
}

#[tokio::test]
async fn a_push_to_a_pr_branch_moves_its_head_and_files() {
    let w = world();
    let (_, before) = w.api.json(Method::GET, "/repos/o/r/pulls/1", None).await;
    assert_eq!(before["head"]["sha"], w.f2.as_str());
    let f3 = {
        let mut state = w.github.state();
        let mut git = state.git_repo("o/r").expect("git");
        git.commit("feature", "f3", &[("d.txt", "d\n")])
            .expect("f3")
    };
    let (_, after) = w.api.json(Method::GET, "/repos/o/r/pulls/1", None).await;
    assert_eq!(after["head"]["sha"], f3.as_str());
    assert_eq!(after["changed_files"], 3);
    let (_, commits) = w
        .api
        .json(Method::GET, "/repos/o/r/pulls/1/commits", None)
        .await;
    assert_eq!(commits.as_array().map(Vec::len), Some(3));
}

#[tokio::test]
async fn get_commit_has_parents_stats_and_files() {
    let w = world();
    let (status, commit) = w
        .api
        .json(Method::GET, &format!("/repos/o/r/commits/{}", w.f2), None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(commit["sha"], w.f2.as_str());
    assert_eq!(commit["parents"][0]["sha"], w.f1.as_str());
    assert_eq!(commit["commit"]["message"], "f2");
    assert_eq!(
        commit["stats"],
        json!({"total": 1, "additions": 1, "deletions": 0})
    );
    assert_eq!(commit["files"][0]["filename"], "a.txt");
    assert_eq!(commit["files"][0]["status"], "modified");
    let (_, by_branch) = w
        .api
        .json(Method::GET, "/repos/o/r/commits/main", None)
        .await;
    assert_eq!(by_branch["sha"], w.base.as_str());
    assert_eq!(by_branch["parents"], json!([]));
    assert_eq!(by_branch["files"][0]["status"], "added");
    let (status, error) = w
        .api
        .json(Method::GET, "/repos/o/r/commits/nope", None)
        .await;
    assert_eq!(
        (status, error["message"].clone()),
        (422, json!("No commit found for SHA: nope"))
    );
}

#[tokio::test]
async fn compare_says_ahead_behind_diverged_identical() {
    let w = world();
    let compare = |spec: String| {
        let api = &w.api;
        async move {
            api.json(Method::GET, &format!("/repos/o/r/compare/{spec}"), None)
                .await
        }
    };
    let (status, ahead) = compare("main...feature".to_owned()).await;
    assert_eq!(status, 200);
    assert_eq!(
        (
            ahead["status"].clone(),
            ahead["ahead_by"].clone(),
            ahead["behind_by"].clone()
        ),
        (json!("ahead"), json!(2), json!(0))
    );
    assert_eq!(ahead["total_commits"], 2);
    let shas: Vec<&str> = ahead["commits"]
        .as_array()
        .map(|c| c.iter().filter_map(|c| c["sha"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(shas, [w.f1.as_str(), w.f2.as_str()]);
    assert_eq!(ahead["files"].as_array().map(Vec::len), Some(2));
    assert_eq!(ahead["merge_base_commit"]["sha"], w.base.as_str());

    let (_, behind) = compare("feature...main".to_owned()).await;
    assert_eq!(
        (behind["status"].clone(), behind["behind_by"].clone()),
        (json!("behind"), json!(2))
    );
    let (_, diverged) = compare(format!("{}...{}", w.o1, w.f2)).await;
    assert_eq!(
        (
            diverged["status"].clone(),
            diverged["ahead_by"].clone(),
            diverged["behind_by"].clone()
        ),
        (json!("diverged"), json!(2), json!(1))
    );
    let (_, identical) = compare("main...main".to_owned()).await;
    assert_eq!(identical["status"], "identical");
    assert_eq!(identical["commits"], json!([]));
    let (status, _) = compare("main...nope".to_owned()).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn repositories_without_git_have_no_git_database() {
    let github = FakeGitHub::start();
    github.state().add_pull("o/r", PullSeed::new(1));
    let api = Api::new(&github.url());
    let (status, _): (u16, Value) = api
        .json(Method::GET, "/repos/o/r/git/ref/heads/main", None)
        .await;
    assert_eq!(status, 404);
}
