//! Pull requests, their files and commits, and GitHub's pagination with `Link` headers.

mod support;

use fake_github::{CommitSeed, FakeGitHub, FileSeed, PullSeed};
use serde_json::Value;
use support::{Api, link, rels};

#[tokio::test(flavor = "multi_thread")]
async fn walking_next_links_lists_all_2500_files_100_a_page() {
    let github = FakeGitHub::start();
    github
        .state()
        .add_pull("o/r", PullSeed::new(7).generated_files(2_500, 3, 1));
    let api = Api::new(&github.url());

    let first = api.get("/repos/o/r/pulls/7/files?per_page=100").await;
    assert_eq!(first.status(), 200);
    assert_eq!(rels(&first), ["next", "last"]);
    assert_eq!(
        link(&first, "last").unwrap(),
        format!(
            "{}/repos/o/r/pulls/7/files?per_page=100&page=25",
            github.url()
        )
    );

    let mut names = Vec::new();
    let mut next = Some(format!(
        "{}/repos/o/r/pulls/7/files?per_page=100",
        github.url()
    ));
    let mut pages = 0;
    while let Some(url) = next {
        let response = api.get(&url).await;
        next = link(&response, "next");
        if next.is_none() {
            assert_eq!(rels(&response), ["prev", "first"]);
        }
        let page: Vec<Value> = response.json().await.unwrap();
        names.extend(
            page.iter()
                .map(|f| f["filename"].as_str().unwrap().to_owned()),
        );
        pages += 1;
    }
    assert_eq!(pages, 25);
    assert_eq!(names.len(), 2_500);
    names.dedup();
    assert_eq!(names.len(), 2_500);

    let middle = api
        .get("/repos/o/r/pulls/7/files?per_page=100&page=12")
        .await;
    assert_eq!(rels(&middle), ["prev", "next", "last", "first"]);

    let (_, pull) = api
        .json(reqwest::Method::GET, "/repos/o/r/pulls/7", None)
        .await;
    assert_eq!(pull["changed_files"], 2_500);
    assert_eq!(pull["additions"], 7_500);
    assert_eq!(pull["deletions"], 2_500);
}

#[tokio::test(flavor = "multi_thread")]
async fn files_stop_at_githubs_3000_cap() {
    let github = FakeGitHub::start();
    github
        .state()
        .add_pull("o/r", PullSeed::new(1).generated_files(3_500, 1, 0));
    let api = Api::new(&github.url());

    let first = api.get("/repos/o/r/pulls/1/files?per_page=100").await;
    assert!(link(&first, "last").unwrap().ends_with("page=30"));
    let page_30: Vec<Value> = api
        .get("/repos/o/r/pulls/1/files?per_page=100&page=30")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page_30.len(), 100);
    assert_eq!(page_30[99]["filename"], "src/generated/file_03000.rs");
    let page_31: Vec<Value> = api
        .get("/repos/o/r/pulls/1/files?per_page=100&page=31")
        .await
        .json()
        .await
        .unwrap();
    assert!(page_31.is_empty());
    // The PR itself still reports the real count, which is how clients detect truncation.
    let (_, pull) = api
        .json(reqwest::Method::GET, "/repos/o/r/pulls/1", None)
        .await;
    assert_eq!(pull["changed_files"], 3_500);
}

#[tokio::test(flavor = "multi_thread")]
async fn per_page_defaults_to_30_caps_at_100_and_links_keep_other_parameters() {
    let github = FakeGitHub::start();
    github
        .state()
        .add_pull("o/r", PullSeed::new(1).generated_files(250, 1, 0));
    let api = Api::new(&github.url());

    let default_page: Vec<Value> = api
        .get("/repos/o/r/pulls/1/files")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(default_page.len(), 30);
    let capped = api
        .get("/repos/o/r/pulls/1/files?per_page=500&foo=bar")
        .await;
    assert_eq!(
        link(&capped, "next").unwrap(),
        format!(
            "{}/repos/o/r/pulls/1/files?per_page=500&foo=bar&page=2",
            github.url()
        )
    );
    let capped: Vec<Value> = capped.json().await.unwrap();
    assert_eq!(capped.len(), 100);
    let single = api
        .get("/repos/o/r/pulls/1/files?per_page=100&page=3")
        .await;
    assert_eq!(rels(&single), ["prev", "first"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_small_list_has_no_link_header() {
    let github = FakeGitHub::start();
    github
        .state()
        .add_pull("o/r", PullSeed::new(1).file(FileSeed::new("a.rs", 1, 1)));
    let response = Api::new(&github.url())
        .get("/repos/o/r/pulls/1/files")
        .await;
    assert!(response.headers().get("link").is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn pull_json_has_the_fields_clients_read() {
    let github = FakeGitHub::start();
    github.state().add_pull(
        "o/r",
        PullSeed::new(3)
            .title("Add size labels")
            .head("feature", "1111111111111111111111111111111111111111")
            .base("main", "2222222222222222222222222222222222222222")
            .head_repo("contributor/r")
            .label("bug")
            .draft(true)
            .user("alice")
            .file(
                FileSeed::new("new.rs", 5, 0)
                    .status("added")
                    .patch("@@ -0,0 +1,5 @@"),
            )
            .file(FileSeed::new("b.rs", 0, 0).renamed_from("a.rs"))
            .commit(
                CommitSeed::new("Fix\n\nSigned-off-by: A <a@example.com>")
                    .sha("1111111111111111111111111111111111111111"),
            ),
    );
    let api = Api::new(&github.url());
    let (status, pull) = api
        .json(reqwest::Method::GET, "/repos/o/r/pulls/3", None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(pull["number"], 3);
    assert_eq!(pull["state"], "open");
    assert_eq!(pull["title"], "Add size labels");
    assert_eq!(pull["body"], Value::Null);
    assert_eq!(pull["draft"], true);
    assert_eq!(pull["merged"], false);
    assert_eq!(pull["user"]["login"], "alice");
    assert_eq!(pull["user"]["type"], "User");
    assert_eq!(pull["head"]["ref"], "feature");
    assert_eq!(pull["head"]["repo"]["full_name"], "contributor/r");
    assert_eq!(pull["head"]["repo"]["fork"], true);
    assert_eq!(pull["base"]["repo"]["full_name"], "o/r");
    assert_eq!(pull["labels"][0]["name"], "bug");
    assert_eq!(pull["additions"], 5);
    assert_eq!(pull["changed_files"], 2);
    assert_eq!(pull["html_url"], "https://github.com/o/r/pull/3");

    let (_, files) = api
        .json(reqwest::Method::GET, "/repos/o/r/pulls/3/files", None)
        .await;
    assert_eq!(files[0]["patch"], "@@ -0,0 +1,5 @@");
    assert_eq!(files[0]["status"], "added");
    assert!(files[1].get("patch").is_none());
    assert_eq!(files[1]["previous_filename"], "a.rs");

    let (_, commits) = api
        .json(reqwest::Method::GET, "/repos/o/r/pulls/3/commits", None)
        .await;
    assert_eq!(
        commits[0]["commit"]["message"],
        "Fix\n\nSigned-off-by: A <a@example.com>"
    );
    assert_eq!(
        commits[0]["parents"][0]["sha"],
        "2222222222222222222222222222222222222222"
    );

    let (_, associated) = api
        .json(
            reqwest::Method::GET,
            "/repos/o/r/commits/1111111111111111111111111111111111111111/pulls",
            None,
        )
        .await;
    assert_eq!(associated[0]["number"], 3);
    let (status, _) = api
        .json(reqwest::Method::GET, "/repos/o/r/pulls/4", None)
        .await;
    assert_eq!(status, 404);
    let (status, body) = api
        .json(reqwest::Method::GET, "/repos/o/missing/pulls/3", None)
        .await;
    assert_eq!((status, body["message"].as_str()), (404, Some("Not Found")));
}
