//! Check runs, commit statuses, workflow dispatch, label events, rulesets, branch protection and the CI
//! simulator of git-backed repositories.

mod support;

use fake_github::git::{BranchProtection, CiSimulator};
use fake_github::{FakeGitHub, Permission, PullSeed, TokenKind};
use reqwest::Method;
use serde_json::{Value, json};
use support::Api;

fn repo_with_pr() -> (FakeGitHub, Api, String, String) {
    let github = FakeGitHub::start();
    let (base, head) = {
        let mut state = github.state();
        let mut git = state.git_repo("o/r").expect("git");
        let base = git
            .commit("main", "base", &[("a.txt", "a\n")])
            .expect("base");
        git.branch("feature", "main").expect("branch");
        let head = git
            .commit("feature", "f", &[("b.txt", "b\n")])
            .expect("head");
        git.open_pull(PullSeed::new(1), "feature", "main")
            .expect("PR");
        (base, head)
    };
    let api = Api::new(&github.url());
    (github, api, base, head)
}

#[tokio::test]
async fn check_runs_are_created_updated_and_listed_latest_per_name() {
    let (_github, api, _, head) = repo_with_pr();
    let (status, queued) = api
        .json(
            Method::POST,
            "/repos/o/r/check-runs",
            Some(json!({"name": "ci", "head_sha": head})),
        )
        .await;
    assert_eq!(status, 201, "{queued}");
    assert_eq!(
        (queued["status"].clone(), queued["conclusion"].clone()),
        (json!("queued"), Value::Null)
    );
    assert_eq!(queued["app"]["slug"], "github-actions");
    let id = queued["id"].as_u64().unwrap_or_default();
    let (status, done) = api
        .json(
            Method::PATCH,
            &format!("/repos/o/r/check-runs/{id}"),
            Some(json!({"conclusion": "failure", "output": {"title": "1 test failed", "summary": "s"}})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (done["status"].clone(), done["conclusion"].clone()),
        (json!("completed"), json!("failure"))
    );
    assert!(done["completed_at"].is_string());
    assert_eq!(done["output"]["title"], "1 test failed");
    // A re-run: a second check run of the same name, now green.
    let (_, rerun) = api
        .json(
            Method::POST,
            "/repos/o/r/check-runs",
            Some(json!({"name": "ci", "head_sha": head, "status": "completed", "conclusion": "success"})),
        )
        .await;
    let (_, latest) = api
        .json(
            Method::GET,
            &format!("/repos/o/r/commits/{head}/check-runs"),
            None,
        )
        .await;
    assert_eq!(latest["total_count"], 1);
    assert_eq!(latest["check_runs"][0]["id"], rerun["id"]);
    let (_, all) = api
        .json(
            Method::GET,
            "/repos/o/r/commits/feature/check-runs?filter=all",
            None,
        )
        .await;
    assert_eq!(all["total_count"], 2);
    let (status, got) = api
        .json(Method::GET, &format!("/repos/o/r/check-runs/{id}"), None)
        .await;
    assert_eq!((status, got["conclusion"].clone()), (200, json!("failure")));

    let (status, error) = api
        .json(
            Method::POST,
            "/repos/o/r/check-runs",
            Some(json!({"name": "ci", "head_sha": "1234567890123456789012345678901234567890"})),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        error["message"],
        "No commit found for SHA: 1234567890123456789012345678901234567890"
    );
    let (status, _) = api
        .json(
            Method::POST,
            "/repos/o/r/check-runs",
            Some(json!({"name": "ci", "head_sha": head, "conclusion": "great"})),
        )
        .await;
    assert_eq!(status, 422);
    let (status, _) = api
        .json(
            Method::POST,
            "/repos/o/r/check-runs",
            Some(json!({"name": "ci", "head_sha": head, "status": "completed"})),
        )
        .await;
    assert_eq!(status, 422, "completed needs a conclusion");
}

#[tokio::test]
async fn statuses_combine_as_github_combines_them() {
    let (_github, api, _, head) = repo_with_pr();
    let combined = |api: &Api| {
        let url = format!("/repos/o/r/commits/{head}/status");
        let api = Api::new(&api.base);
        async move { api.json(Method::GET, &url, None).await.1 }
    };
    assert_eq!(combined(&api).await["state"], "pending", "no statuses yet");
    let post = |state: &str, context: &str| {
        let api = Api::new(&api.base);
        let url = format!("/repos/o/r/statuses/{head}");
        let body = json!({"state": state, "context": context, "description": "d"});
        async move { api.json(Method::POST, &url, Some(body)).await }
    };
    let (status, created) = post("pending", "lint").await;
    assert_eq!(status, 201);
    assert_eq!(created["creator"]["login"], "github-actions[bot]");
    post("success", "build").await;
    assert_eq!(combined(&api).await["state"], "pending");
    post("success", "lint").await;
    let all_green = combined(&api).await;
    assert_eq!(all_green["state"], "success");
    assert_eq!(all_green["total_count"], 2);
    post("error", "build").await;
    assert_eq!(combined(&api).await["state"], "failure");
    let (_, listed) = api
        .json(
            Method::GET,
            &format!("/repos/o/r/commits/{head}/statuses"),
            None,
        )
        .await;
    assert_eq!(listed.as_array().map(Vec::len), Some(4));
    assert_eq!(listed[0]["state"], "error", "newest first");
    let (status, _) = post("great", "x").await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn workflow_dispatch_records_a_run_and_simulated_ci_reports_by_content() {
    let (github, api, _, _) = repo_with_pr();
    let broken = {
        let mut state = github.state();
        let mut git = state.git_repo("o/r").expect("git");
        git.simulate_ci(CiSimulator::new(&["ci"], &[])).expect("ci");
        git.branch("bad", "feature").expect("branch");
        git.commit("bad", "break it", &[("BROKEN", "")])
            .expect("commit")
    };
    let (status, body) = api
        .json(
            Method::POST,
            "/repos/o/r/actions/workflows/ci.yml/dispatches",
            Some(json!({"ref": "bad"})),
        )
        .await;
    assert_eq!(status, 204, "{body}");
    let (_, runs) = api.json(Method::GET, "/repos/o/r/actions/runs", None).await;
    let run = &runs["workflow_runs"][0];
    assert_eq!(run["event"], "workflow_dispatch");
    assert_eq!(run["head_branch"], "bad");
    assert_eq!(run["head_sha"], broken.as_str());
    assert_eq!(run["conclusion"], "failure");
    let (_, checks) = api
        .json(
            Method::GET,
            &format!("/repos/o/r/commits/{broken}/check-runs"),
            None,
        )
        .await;
    assert_eq!(checks["check_runs"][0]["name"], "ci");
    assert_eq!(checks["check_runs"][0]["conclusion"], "failure");
    let (status, details) = api
        .json(
            Method::POST,
            "/repos/o/r/actions/workflows/ci.yml/dispatches",
            Some(json!({"ref": "feature", "return_run_details": true})),
        )
        .await;
    assert_eq!(status, 200);
    assert!(details["workflow_run_id"].is_u64());
    let (_, checks) = api
        .json(Method::GET, "/repos/o/r/commits/feature/check-runs", None)
        .await;
    assert_eq!(checks["check_runs"][0]["conclusion"], "success");
    let (status, error) = api
        .json(
            Method::POST,
            "/repos/o/r/actions/workflows/ci.yml/dispatches",
            Some(json!({"ref": "nope"})),
        )
        .await;
    assert_eq!(
        (status, error["message"].clone()),
        (422, json!("No ref found for: nope"))
    );
    assert_eq!(github.state().git_repo("o/r").expect("git").ci_rounds(), 2);
}

#[tokio::test]
async fn the_simulator_runs_on_watched_pushes_waits_when_manual_and_can_be_flaky() {
    let (github, api, _, head) = repo_with_pr();
    github
        .state()
        .git_repo("o/r")
        .expect("git")
        .simulate_ci(CiSimulator::new(&["ci", "lint"], &["integration/*"]).manual())
        .expect("ci");
    let (status, _) = api
        .json(
            Method::POST,
            "/repos/o/r/git/refs",
            Some(json!({"ref": "refs/heads/integration/main", "sha": head})),
        )
        .await;
    assert_eq!(status, 201);
    let (_, pending) = api
        .json(
            Method::GET,
            &format!("/repos/o/r/commits/{head}/check-runs"),
            None,
        )
        .await;
    assert_eq!(pending["total_count"], 2);
    assert_eq!(pending["check_runs"][0]["status"], "in_progress");
    github.state().git_repo("o/r").expect("git").finish_ci();
    let (_, done) = api
        .json(
            Method::GET,
            &format!("/repos/o/r/commits/{head}/check-runs"),
            None,
        )
        .await;
    assert!(
        done["check_runs"]
            .as_array()
            .is_some_and(|runs| runs.iter().all(|r| r["conclusion"] == "success")),
        "{done}"
    );
    // An unwatched branch gets nothing.
    let (status, _) = api
        .json(
            Method::POST,
            "/repos/o/r/git/refs",
            Some(json!({"ref": "refs/heads/other", "sha": head})),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(github.state().git_repo("o/r").expect("git").ci_rounds(), 1);

    // Always-flaky CI fails a clean commit.
    let mut state = github.state();
    let mut git = state.git_repo("o/r").expect("git");
    git.simulate_ci(CiSimulator::new(&["ci"], &["flaky"]).flaky_rate(1.0))
        .expect("ci");
    let sha = git.branch("flaky", "feature").expect("branch");
    let runs = git.check_runs(&sha);
    assert_eq!(
        runs.last().and_then(|r| r.conclusion.clone()).as_deref(),
        Some("failure")
    );
}

#[tokio::test]
async fn label_changes_are_recorded_as_timed_events() {
    let (github, api, _, _) = repo_with_pr();
    let (status, _) = api
        .json(
            Method::POST,
            "/repos/o/r/issues/1/labels",
            Some(json!({"labels": ["ready-to-queue"]})),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = api
        .json(
            Method::DELETE,
            "/repos/o/r/issues/1/labels/ready-to-queue",
            None,
        )
        .await;
    assert_eq!(status, 200);
    // A failed change records nothing.
    let (status, _) = api
        .json(
            Method::DELETE,
            "/repos/o/r/issues/1/labels/never-there",
            None,
        )
        .await;
    assert_eq!(status, 404);
    let earlier: jiff::Timestamp = "2026-01-02T03:04:05Z".parse().expect("a time");
    github.state().git_repo("o/r").expect("git").label_event(
        1,
        "labeled",
        "queue:high",
        "octocat",
        earlier,
    );
    let (status, events) = api
        .json(Method::GET, "/repos/o/r/issues/1/events", None)
        .await;
    assert_eq!(status, 200);
    let summary: Vec<(Value, Value, Value)> = events
        .as_array()
        .expect("a list")
        .iter()
        .map(|e| {
            (
                e["event"].clone(),
                e["label"]["name"].clone(),
                e["actor"]["login"].clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                json!("labeled"),
                json!("ready-to-queue"),
                json!("github-actions[bot]")
            ),
            (
                json!("unlabeled"),
                json!("ready-to-queue"),
                json!("github-actions[bot]")
            ),
            (json!("labeled"), json!("queue:high"), json!("octocat")),
        ]
    );
    assert_eq!(events[2]["created_at"], "2026-01-02T03:04:05Z");
    assert!(
        events[0]["created_at"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z'))
    );
    let (status, _) = api
        .json(Method::GET, "/repos/o/r/issues/99/events", None)
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn rulesets_are_listed_per_branch_and_refuse_pushes_without_green_checks() {
    let (github, api, _, head) = repo_with_pr();
    let ruleset = github
        .state()
        .git_repo("o/r")
        .expect("git")
        .add_ruleset(
            "main",
            &["~DEFAULT_BRANCH"],
            vec![
                json!({"type": "required_status_checks", "parameters": {
                    "required_status_checks": [{"context": "ci"}],
                    "strict_required_status_checks_policy": false}}),
                json!({"type": "deletion"}),
            ],
            &[],
        )
        .expect("ruleset");
    let (status, rules) = api
        .json(Method::GET, "/repos/o/r/rules/branches/main", None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(rules[0]["type"], "required_status_checks");
    assert_eq!(
        rules[0]["parameters"]["required_status_checks"][0]["context"],
        "ci"
    );
    assert_eq!(rules[0]["ruleset_source_type"], "Repository");
    assert_eq!(rules[0]["ruleset_source"], "o/r");
    assert_eq!(rules[0]["ruleset_id"], ruleset);
    let (_, none) = api
        .json(Method::GET, "/repos/o/r/rules/branches/feature", None)
        .await;
    assert_eq!(none, json!([]));

    let fast_forward = json!({"sha": head});
    let (status, refused) = api
        .json(
            Method::PATCH,
            "/repos/o/r/git/refs/heads/main",
            Some(fast_forward.clone()),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        refused["message"],
        "Repository rule violations found\n\nRequired status check \"ci\" is expected.\n\n"
    );
    api.json(
        Method::POST,
        "/repos/o/r/check-runs",
        Some(json!({"name": "ci", "head_sha": head, "conclusion": "success"})),
    )
    .await;
    let (status, _) = api
        .json(
            Method::PATCH,
            "/repos/o/r/git/refs/heads/main",
            Some(fast_forward),
        )
        .await;
    assert_eq!(status, 200, "green checks let the fast-forward through");
    let (status, refused) = api
        .json(Method::DELETE, "/repos/o/r/git/refs/heads/main", None)
        .await;
    assert_eq!(status, 422);
    assert!(
        refused["message"]
            .as_str()
            .is_some_and(|m| m.contains("Cannot delete"))
    );
}

#[tokio::test]
async fn classic_protection_refuses_direct_pushes_unless_the_pusher_may_bypass() {
    let (github, api, _, head) = repo_with_pr();
    {
        let mut state = github.state();
        state.add_token(
            "ghs_app",
            "queue-app[bot]",
            TokenKind::Bot,
            Permission::Write,
        );
        state
            .git_repo("o/r")
            .expect("git")
            .protect_branch(
                "main",
                BranchProtection::new()
                    .required_checks(&["ci"])
                    .strict(true)
                    .require_pull_request()
                    .bypass("queue-app[bot]"),
            )
            .expect("protect");
    }
    let (status, protection) = api
        .json(Method::GET, "/repos/o/r/branches/main/protection", None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        protection["required_status_checks"]["contexts"],
        json!(["ci"])
    );
    assert_eq!(protection["required_status_checks"]["strict"], true);
    assert_eq!(protection["allow_force_pushes"]["enabled"], false);
    let (status, checks) = api
        .json(
            Method::GET,
            "/repos/o/r/branches/main/protection/required_status_checks",
            None,
        )
        .await;
    assert_eq!(
        (status, checks["checks"][0]["context"].clone()),
        (200, json!("ci"))
    );
    let (status, missing) = api
        .json(Method::GET, "/repos/o/r/branches/feature/protection", None)
        .await;
    assert_eq!(
        (status, missing["message"].clone()),
        (404, json!("Branch not protected"))
    );

    let (status, refused) = api
        .json(
            Method::PATCH,
            "/repos/o/r/git/refs/heads/main",
            Some(json!({"sha": head})),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        refused["message"],
        "Protected branch update failed for refs/heads/main.\n\nChanges must be made through a pull request.\nRequired status check \"ci\" is expected."
    );
    let (status, _) = api
        .json(
            Method::POST,
            "/repos/o/r/merges",
            Some(json!({"base": "main", "head": "feature"})),
        )
        .await;
    assert_eq!(
        status, 422,
        "a merge into the protected branch is a push too"
    );
    // The app on the bypass list may fast-forward.
    let app = Api::with_token(&github.url(), Some("ghs_app"));
    let (status, moved) = app
        .json(
            Method::PATCH,
            "/repos/o/r/git/refs/heads/main",
            Some(json!({"sha": head})),
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    let (_, pull) = api.json(Method::GET, "/repos/o/r/pulls/1", None).await;
    assert_eq!(pull["merged"], true);
}

#[tokio::test]
async fn a_rerun_is_a_new_attempt_and_a_flaky_failure_can_pass() {
    let (github, api, _, head) = repo_with_pr();
    // Half of all attempts fail; which ones is a hash of (sha, attempt), and the sha changes with commit time.
    github
        .state()
        .git_repo("o/r")
        .expect("git")
        .simulate_ci(CiSimulator::new(&["ci"], &[]).flaky_rate(0.5).manual())
        .expect("ci");
    let (status, details) = api
        .json(
            Method::POST,
            "/repos/o/r/actions/workflows/ci.yml/dispatches",
            Some(json!({"ref": "feature", "return_run_details": true})),
        )
        .await;
    assert_eq!(status, 200);
    let run = details["workflow_run_id"].as_u64().unwrap_or_default();
    let (status, refused) = api
        .json(
            Method::POST,
            &format!("/repos/o/r/actions/runs/{run}/rerun-failed-jobs"),
            None,
        )
        .await;
    assert_eq!(
        (status, refused["message"].clone()),
        (403, json!("This workflow is already running"))
    );
    github.state().git_repo("o/r").expect("git").finish_ci();
    let mut conclusions: Vec<String> = Vec::new();
    let both_seen =
        |c: &[String]| c.iter().any(|c| c == "failure") && c.iter().any(|c| c == "success");
    // At a 50% rate, 60 attempts all alike has a chance of 2^-59: the loop ends long before.
    while conclusions.len() < 60 && !both_seen(&conclusions) {
        let (_, checks) = api
            .json(
                Method::GET,
                &format!("/repos/o/r/commits/{head}/check-runs"),
                None,
            )
            .await;
        conclusions.push(
            checks["check_runs"][0]["conclusion"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        );
        let (status, body) = api
            .json(
                Method::POST,
                &format!("/repos/o/r/actions/runs/{run}/rerun"),
                None,
            )
            .await;
        assert_eq!((status, body), (201, json!({})));
        github.state().git_repo("o/r").expect("git").finish_ci();
    }
    let (_, after) = api
        .json(Method::GET, &format!("/repos/o/r/actions/runs/{run}"), None)
        .await;
    assert_eq!(after["run_attempt"], conclusions.len() + 1);
    assert_eq!(after["status"], "completed");
    assert!(
        both_seen(&conclusions),
        "a clean commit both fails and passes: {conclusions:?}"
    );
    let (status, _) = api
        .json(Method::POST, "/repos/o/r/actions/runs/999999/rerun", None)
        .await;
    assert_eq!(status, 404);
}
