//! The fake's JSON must deserialize into octocrab's models, which our real client uses.

use fake_github::{CommitSeed, FakeGitHub, FileSeed, JobSeed, PullSeed, RunSeed};
use octocrab::Octocrab;
use octocrab::models::Deployment;
use octocrab::models::workflows::Run;

fn client(github: &FakeGitHub) -> Octocrab {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Octocrab::builder()
        .base_uri(github.url())
        .expect("the fake's URL is a valid base URI")
        .personal_token("ghs_test".to_owned())
        .build()
        .expect("an octocrab client builds")
}

#[tokio::test(flavor = "multi_thread")]
async fn octocrab_reads_and_writes_everything_the_guardians_touch() {
    let github = FakeGitHub::start();
    github.state().add_pull(
        "o/r",
        PullSeed::new(1)
            .body("Body")
            .label("bug")
            .file(FileSeed::new("a.rs", 2, 1).patch("@@ -1 +1,2 @@"))
            .generated_files(249, 1, 0)
            .commit(CommitSeed::new("feat: x")),
    );
    github
        .state()
        .put_content("o/r", "main", "dir/config.yml", "a: 1\n");
    github
        .state()
        .add_run("o/r", RunSeed::new(77).job(JobSeed::new("build")));
    let octo = client(&github);

    let pull = octo.pulls("o", "r").get(1).await.unwrap();
    assert_eq!(pull.number, 1);
    assert_eq!(pull.changed_files, Some(250));
    let first = octo.pulls("o", "r").list_files(1).await.unwrap();
    assert_eq!(first.items[0].patch.as_deref(), Some("@@ -1 +1,2 @@"));
    let all = octo.all_pages(first).await.unwrap();
    assert_eq!(all.len(), 250);

    let labels = octo
        .issues("o", "r")
        .add_labels(1, &["size/XL".to_owned()])
        .await
        .unwrap();
    assert_eq!(
        labels.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(),
        ["bug", "size/XL"]
    );
    let comment = octo
        .issues("o", "r")
        .create_comment(1, "hello")
        .await
        .unwrap();
    assert_eq!(comment.user.login, "github-actions[bot]");
    let comments = octo.issues("o", "r").list_comments(1).send().await.unwrap();
    assert_eq!(comments.items[0].body.as_deref(), Some("hello"));

    let content = octo
        .repos("o", "r")
        .get_content()
        .path("dir/config.yml")
        .r#ref("main")
        .send()
        .await
        .unwrap();
    assert_eq!(
        content.items[0].decoded_content().as_deref(),
        Some("a: 1\n")
    );
    let listing = octo
        .repos("o", "r")
        .get_content()
        .path("dir")
        .send()
        .await
        .unwrap();
    assert_eq!(listing.items.len(), 1);

    let run: Run = octo.workflows("o", "r").get(77u64.into()).await.unwrap();
    assert_eq!(run.id.0, 77);
    let jobs = octo
        .workflows("o", "r")
        .list_jobs(77u64.into())
        .send()
        .await
        .unwrap();
    assert_eq!(jobs.items[0].name, "build");

    let deployment: Deployment = octo
        .post(
            "/repos/o/r/deployments",
            Some(&serde_json::json!({"ref": "main", "environment": "pr-1"})),
        )
        .await
        .unwrap();
    assert_eq!(deployment.environment, "pr-1");
}
