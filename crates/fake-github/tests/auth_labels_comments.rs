//! Authentication, labels and issue comments, with the status codes and bodies GitHub documents.

mod support;

use fake_github::{FakeGitHub, Permission, PullSeed, TokenKind};
use reqwest::Method;
use serde_json::json;
use support::Api;

#[tokio::test(flavor = "multi_thread")]
async fn missing_or_unknown_tokens_get_401_bad_credentials() {
    let github = FakeGitHub::start();
    github.state().repo_mut("o/r");
    for token in [None, Some("ghp_nobody")] {
        let (status, body) = Api::with_token(&github.url(), token)
            .json(Method::GET, "/repos/o/r", None)
            .await;
        assert_eq!(status, 401);
        assert_eq!(body["message"], "Bad credentials");
        assert!(body["documentation_url"].is_string());
    }
    let (status, repo) = Api::new(&github.url())
        .json(Method::GET, "/repos/o/r", None)
        .await;
    assert_eq!((status, repo["full_name"].as_str()), (200, Some("o/r")));
    let calls = github.calls();
    assert_eq!(
        calls.iter().map(|c| c.status).collect::<Vec<_>>(),
        [401, 401, 200]
    );
    assert_eq!(calls[1].token.as_deref(), Some("ghp_nobody"));
}

#[tokio::test(flavor = "multi_thread")]
async fn read_only_tokens_can_read_but_writes_get_403() {
    let github = FakeGitHub::start();
    github.state().add_pull("o/r", PullSeed::new(1));
    github.state().add_token(
        "ghs_fork",
        "github-actions[bot]",
        TokenKind::Bot,
        Permission::ReadOnly,
    );
    let api = Api::with_token(&github.url(), Some("ghs_fork"));
    let (status, _) = api.json(Method::GET, "/repos/o/r/pulls/1", None).await;
    assert_eq!(status, 200);
    let (status, body) = api
        .json(
            Method::POST,
            "/repos/o/r/issues/1/comments",
            Some(json!({"body": "hi"})),
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(body["message"], "Resource not accessible by integration");
    assert!(github.state().repo("o/r").unwrap().comments.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn get_user_is_refused_to_installation_tokens_and_answers_user_tokens() {
    let github = FakeGitHub::start();
    github
        .state()
        .add_token("ghp_alice", "alice", TokenKind::User, Permission::Write);
    let (status, body) = Api::new(&github.url())
        .json(Method::GET, "/user", None)
        .await;
    assert_eq!(
        (status, body["message"].as_str()),
        (403, Some("Resource not accessible by integration"))
    );
    let (status, body) = Api::with_token(&github.url(), Some("ghp_alice"))
        .json(Method::GET, "/user", None)
        .await;
    assert_eq!(
        (status, body["login"].as_str(), body["type"].as_str()),
        (200, Some("alice"), Some("User"))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn creating_an_existing_label_in_any_case_is_422_already_exists() {
    let github = FakeGitHub::start();
    github.state().repo_mut("o/r");
    let api = Api::new(&github.url());
    let (status, label) = api
        .json(
            Method::POST,
            "/repos/o/r/labels",
            Some(json!({"name": "size/XS", "color": "3CBF00", "description": "tiny"})),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(
        (label["name"].as_str(), label["color"].as_str()),
        (Some("size/XS"), Some("3cbf00"))
    );
    let (status, body) = api
        .json(
            Method::POST,
            "/repos/o/r/labels",
            Some(json!({"name": "SIZE/xs", "color": "ffffff"})),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["message"], "Validation Failed");
    assert_eq!(
        body["errors"],
        json!([{"resource": "Label", "code": "already_exists", "field": "name"}])
    );
    let (status, label) = api
        .json(Method::GET, "/repos/o/r/labels/size%2FXS", None)
        .await;
    assert_eq!((status, label["description"].as_str()), (200, Some("tiny")));
    let (status, _) = api.json(Method::GET, "/repos/o/r/labels/nope", None).await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn adding_labels_auto_creates_unknown_ones_and_returns_the_full_list() {
    let github = FakeGitHub::start();
    github.state().add_label("o/r", "bug", "d73a4a", None);
    github
        .state()
        .add_pull("o/r", PullSeed::new(5).label("bug"));
    let api = Api::new(&github.url());
    let (status, labels) = api
        .json(
            Method::POST,
            "/repos/o/r/issues/5/labels",
            Some(json!({"labels": ["needs review 🚀", "BUG"]})),
        )
        .await;
    assert_eq!(status, 200);
    let names: Vec<&str> = labels
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["bug", "needs review 🚀"]);
    let state = github.state();
    let created = state.repo("o/r").unwrap().label("needs review 🚀").unwrap();
    assert_eq!(created.color, "ededed");
}

#[tokio::test(flavor = "multi_thread")]
async fn removing_a_label_answers_the_rest_and_404_when_it_is_not_on_the_issue() {
    let github = FakeGitHub::start();
    github.state().add_pull(
        "o/r",
        PullSeed::new(2).labels(&["size/M", "needs review 🚀", "keep"]),
    );
    let api = Api::new(&github.url());
    let (status, rest) = api
        .json(Method::DELETE, "/repos/o/r/issues/2/labels/size%2FM", None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(rest.as_array().unwrap().len(), 2);
    let (status, rest) = api
        .json(
            Method::DELETE,
            "/repos/o/r/issues/2/labels/needs%20review%20%F0%9F%9A%80",
            None,
        )
        .await;
    assert_eq!((status, rest[0]["name"].as_str()), (200, Some("keep")));
    let (status, body) = api
        .json(Method::DELETE, "/repos/o/r/issues/2/labels/size%2FM", None)
        .await;
    assert_eq!(
        (status, body["message"].as_str()),
        (404, Some("Label does not exist"))
    );
    assert_eq!(
        github.state().repo("o/r").unwrap().issue_labels(2).unwrap(),
        ["keep"]
    );
    let (status, listed) = api
        .json(Method::GET, "/repos/o/r/issues/2/labels", None)
        .await;
    assert_eq!((status, listed.as_array().unwrap().len()), (200, 1));
}

#[tokio::test(flavor = "multi_thread")]
async fn comments_are_created_listed_updated_and_deleted_as_the_token_user() {
    let github = FakeGitHub::start();
    github.state().add_pull("o/r", PullSeed::new(9));
    let first = github.state().add_comment("o/r", 9, "alice", "first");
    let api = Api::new(&github.url());
    let (status, created) = api
        .json(
            Method::POST,
            "/repos/o/r/issues/9/comments",
            Some(json!({"body": "<!-- marker -->\nhello"})),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(created["user"]["login"], "github-actions[bot]");
    assert_eq!(created["user"]["type"], "Bot");
    assert!(
        created["node_id"].is_string()
            && created["html_url"].is_string()
            && created["created_at"].is_string()
    );
    let id = created["id"].as_u64().unwrap();
    assert!(id > first);

    let (_, listed) = api
        .json(Method::GET, "/repos/o/r/issues/9/comments", None)
        .await;
    let ids: Vec<u64> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [first, id]);

    let path = format!("/repos/o/r/issues/comments/{id}");
    let (status, updated) = api
        .json(Method::PATCH, &path, Some(json!({"body": "edited"})))
        .await;
    assert_eq!((status, updated["body"].as_str()), (200, Some("edited")));
    let (status, fetched) = api.json(Method::GET, &path, None).await;
    assert_eq!((status, fetched["body"].as_str()), (200, Some("edited")));
    let (status, body) = api.json(Method::DELETE, &path, None).await;
    assert_eq!((status, body), (204, serde_json::Value::Null));
    let (status, _) = api.json(Method::GET, &path, None).await;
    assert_eq!(status, 404);
    let (status, _) = api.json(Method::DELETE, &path, None).await;
    assert_eq!(status, 404);
    assert_eq!(
        github
            .writes()
            .iter()
            .map(|c| c.method.as_str())
            .collect::<Vec<_>>(),
        ["POST", "PATCH", "DELETE", "DELETE"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn comment_bodies_over_65536_characters_are_422() {
    let github = FakeGitHub::start();
    github.state().add_pull("o/r", PullSeed::new(1));
    let api = Api::new(&github.url());
    // Characters, not bytes: 65,536 two-byte characters are accepted.
    let (status, _) = api
        .json(
            Method::POST,
            "/repos/o/r/issues/1/comments",
            Some(json!({"body": "é".repeat(65_536)})),
        )
        .await;
    assert_eq!(status, 201);
    let (status, body) = api
        .json(
            Method::POST,
            "/repos/o/r/issues/1/comments",
            Some(json!({"body": "x".repeat(65_537)})),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        body["errors"][0]["message"],
        "Body is too long (maximum is 65536 characters)"
    );
    assert_eq!(github.state().repo("o/r").unwrap().comments.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn comments_on_a_missing_pull_or_with_bad_json_are_refused() {
    let github = FakeGitHub::start();
    github.state().add_pull("o/r", PullSeed::new(1));
    let api = Api::new(&github.url());
    let (status, _) = api
        .json(
            Method::POST,
            "/repos/o/r/issues/2/comments",
            Some(json!({"body": "x"})),
        )
        .await;
    assert_eq!(status, 404);
    let response = api
        .client
        .post(format!("{}/repos/o/r/issues/1/comments", github.url()))
        .header("authorization", "token ghs_test")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pull_view_shows_labels_comments_and_deployments_as_a_user_sees_them() {
    let github = FakeGitHub::start();
    github.state().add_pull(
        "o/r",
        PullSeed::new(3).head("feature", &fake_github::fake_sha("head")),
    );
    let api = Api::new(&github.url());
    api.post("/repos/o/r/issues/3/labels", json!({"labels": ["size/S"]}))
        .await;
    api.post("/repos/o/r/issues/3/comments", json!({"body": "first"}))
        .await;
    let view = github.pull("o/r", 3);
    assert_eq!(view.labels, ["size/S"]);
    assert!(view.has_label("SIZE/s"));
    assert_eq!(view.comment_bodies(), ["first"]);
    assert_eq!(view.only_comment().body, "first");
    assert_eq!(view.comments_by(&view.only_comment().user).len(), 1);
    assert!(view.deployments.is_empty());
    // Nothing there is an empty page, not an error.
    assert_eq!(github.pull("o/none", 1).labels, Vec::<String>::new());
}
