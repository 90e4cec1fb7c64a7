//! File contents, deployments with statuses, and workflow runs with jobs per attempt.

mod support;

use base64::Engine as _;
use fake_github::{FakeGitHub, JobSeed, PullSeed, RunSeed};
use reqwest::Method;
use serde_json::json;
use support::Api;

#[tokio::test(flavor = "multi_thread")]
async fn contents_come_base64_in_60_character_lines_from_the_default_branch_or_ref() {
    let github = FakeGitHub::start();
    let long = "guardians: true\n".repeat(20);
    github
        .state()
        .put_content("o/r", "main", ".github/guardians.yml", &long);
    github
        .state()
        .put_content("o/r", "feature", ".github/guardians.yml", "changed: yes\n");
    let api = Api::new(&github.url());

    let (status, file) = api
        .json(
            Method::GET,
            "/repos/o/r/contents/.github/guardians.yml",
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (file["type"].as_str(), file["encoding"].as_str()),
        (Some("file"), Some("base64"))
    );
    assert_eq!(
        (file["path"].as_str(), file["size"].as_u64()),
        (Some(".github/guardians.yml"), Some(long.len() as u64))
    );
    let content = file["content"].as_str().unwrap();
    assert!(content.lines().all(|l| l.len() <= 60));
    assert!(content.lines().count() > 1 && content.ends_with('\n'));
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(content.replace('\n', ""))
        .unwrap();
    assert_eq!(String::from_utf8(decoded).unwrap(), long);
    assert_eq!(file["sha"].as_str().unwrap().len(), 40);

    let (_, other) = api
        .json(
            Method::GET,
            "/repos/o/r/contents/.github/guardians.yml?ref=feature",
            None,
        )
        .await;
    assert_eq!(other["content"], "Y2hhbmdlZDogeWVzCg==\n");
    let (status, body) = api
        .json(Method::GET, "/repos/o/r/contents/missing.yml", None)
        .await;
    assert_eq!((status, body["message"].as_str()), (404, Some("Not Found")));
    let (status, listing) = api
        .json(Method::GET, "/repos/o/r/contents/.github", None)
        .await;
    assert_eq!(
        (status, listing[0]["name"].as_str()),
        (200, Some("guardians.yml"))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn deployments_are_created_filtered_and_get_statuses_newest_first() {
    let github = FakeGitHub::start();
    github.state().add_pull(
        "o/r",
        PullSeed::new(4).head("feature", "abcdefabcdefabcdefabcdefabcdefabcdefabcd"),
    );
    let api = Api::new(&github.url());
    let (status, deployment) = api
        .json(Method::POST, "/repos/o/r/deployments", Some(json!({"ref": "feature", "environment": "pr-4", "auto_merge": false, "required_contexts": []})))
        .await;
    assert_eq!(status, 201);
    assert_eq!(
        deployment["sha"],
        "abcdefabcdefabcdefabcdefabcdefabcdefabcd"
    );
    assert_eq!(deployment["creator"]["login"], "github-actions[bot]");
    let id = deployment["id"].as_u64().unwrap();
    api.json(
        Method::POST,
        "/repos/o/r/deployments",
        Some(json!({"ref": "main"})),
    )
    .await;

    let (_, listed) = api
        .json(Method::GET, "/repos/o/r/deployments?environment=pr-4", None)
        .await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let (_, all) = api.json(Method::GET, "/repos/o/r/deployments", None).await;
    assert_eq!(all[0]["environment"], "production");

    let statuses = format!("/repos/o/r/deployments/{id}/statuses");
    let (status, _) = api
        .json(
            Method::POST,
            &statuses,
            Some(json!({"state": "in_progress"})),
        )
        .await;
    assert_eq!(status, 201);
    let (status, created) = api
        .json(Method::POST, &statuses, Some(json!({"state": "success", "environment_url": "https://pr-4.example.com", "log_url": "https://ci/1", "description": "up"})))
        .await;
    assert_eq!(
        (status, created["environment_url"].as_str()),
        (201, Some("https://pr-4.example.com"))
    );
    let (status, _) = api
        .json(Method::POST, &statuses, Some(json!({"state": "exploded"})))
        .await;
    assert_eq!(status, 422);
    let (_, listed) = api.json(Method::GET, &statuses, None).await;
    let states: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["success", "in_progress"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn jobs_are_listed_per_latest_attempt_all_attempts_or_one_attempt() {
    let github = FakeGitHub::start();
    github.state().add_run(
        "o/r",
        RunSeed::new(555)
            .job(
                JobSeed::new("build")
                    .attempt(1)
                    .outcome("completed", Some("failure")),
            )
            .job(JobSeed::new("test").attempt(1))
            .job(JobSeed::new("build").attempt(2)),
    );
    let api = Api::new(&github.url());
    let (status, run) = api
        .json(Method::GET, "/repos/o/r/actions/runs/555", None)
        .await;
    assert_eq!((status, run["run_attempt"].as_u64()), (200, Some(2)));

    let (_, latest) = api
        .json(Method::GET, "/repos/o/r/actions/runs/555/jobs", None)
        .await;
    assert_eq!(latest["total_count"], 1);
    assert_eq!(latest["jobs"][0]["run_attempt"], 2);
    assert_eq!(latest["jobs"][0]["run_id"], 555);
    let (_, all) = api
        .json(
            Method::GET,
            "/repos/o/r/actions/runs/555/jobs?filter=all",
            None,
        )
        .await;
    assert_eq!(all["total_count"], 3);
    let (_, first) = api
        .json(
            Method::GET,
            "/repos/o/r/actions/runs/555/attempts/1/jobs?per_page=1",
            None,
        )
        .await;
    assert_eq!(
        (
            first["total_count"].as_u64(),
            first["jobs"].as_array().unwrap().len()
        ),
        (Some(2), 1)
    );
    assert_eq!(first["jobs"][0]["conclusion"], "failure");
    let (status, _) = api
        .json(
            Method::GET,
            "/repos/o/r/actions/runs/555/attempts/3/jobs",
            None,
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = api
        .json(Method::GET, "/repos/o/r/actions/runs/9/jobs", None)
        .await;
    assert_eq!(status, 404);
}
