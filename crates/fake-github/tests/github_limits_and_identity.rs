//! GitHub's unkind parts as the fake models them: App installation identities, secondary rate
//! limits, and renamed repositories, steered through the control endpoints too.

mod support;

use fake_github::{FakeGitHub, PullSeed};
use reqwest::Method;
use serde_json::json;
use support::Api;

#[tokio::test(flavor = "multi_thread")]
async fn an_app_installation_token_is_its_bot_everywhere_but_get_user() {
    let github = FakeGitHub::start();
    github.state().add_pull("o/r", PullSeed::new(1));
    let login = github.add_app_installation("ghs_app", "my-app");
    assert_eq!(login, "my-app[bot]");
    let api = Api::with_token(&github.url(), Some("ghs_app"));
    let (status, body) = api.json(Method::GET, "/user", None).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["message"], "Resource not accessible by integration");
    let (status, body) = api
        .json(
            Method::POST,
            "/graphql",
            Some(json!({"query": "query { viewer { login } }"})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body, json!({"data": {"viewer": {"login": "my-app[bot]"}}}));
    let (status, body) = api
        .json(
            Method::POST,
            "/repos/o/r/issues/1/comments",
            Some(json!({"body": "hi"})),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(body["user"]["login"], "my-app[bot]");
    assert_eq!(body["user"]["type"], "Bot");
    // A query GitHub could not answer comes back in GraphQL's error shape.
    let (status, body) = api
        .json(Method::POST, "/graphql", Some(json!({"query": "{ nope }"})))
        .await;
    assert_eq!(status, 200);
    assert!(body["errors"][0]["message"].is_string(), "{body}");
    // A GraphQL query is not a write.
    assert!(github.writes().iter().all(|c| c.path != "/graphql"));
}

#[tokio::test(flavor = "multi_thread")]
async fn secondary_limits_are_off_by_default_and_enforced_when_set() {
    let github = FakeGitHub::start();
    github.state().add_pull("o/r", PullSeed::new(1));
    let api = Api::new(&github.url());
    for n in 0..5 {
        let (status, _) = api
            .json(
                Method::POST,
                "/repos/o/r/issues/1/comments",
                Some(json!({"body": format!("c{n}")})),
            )
            .await;
        assert_eq!(status, 201);
    }
    let control = support::client();
    let set = control
        .post(format!("{}/_fake/secondary-limits", github.url()))
        .json(&json!({"content_writes_per_minute": 1, "status": 429, "retry_after": 7}))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), 200);
    let body = json!({"body": "one"});
    let first = api.post("/repos/o/r/issues/1/comments", body.clone()).await;
    assert_eq!(first.status(), 201);
    let second = api.post("/repos/o/r/issues/1/comments", body.clone()).await;
    assert_eq!(second.status(), 429);
    assert_eq!(second.headers()["retry-after"], "7");
    let message: serde_json::Value = second.json().await.unwrap();
    assert_eq!(
        message["message"],
        fake_github::SECONDARY_RATE_LIMIT_MESSAGE
    );
    // Reads are not content-creating.
    assert_eq!(api.get("/repos/o/r/issues/1/comments").await.status(), 200);
    // The refused write changed nothing.
    assert_eq!(github.state().repo("o/r").unwrap().comments_on(1).len(), 6);
    github.reset_write_budget();
    assert_eq!(
        api.post("/repos/o/r/issues/1/comments", body)
            .await
            .status(),
        201
    );
    let bad = control
        .post(format!("{}/_fake/secondary-limits", github.url()))
        .json(&json!({"max_concurent": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400, "unknown keys are refused");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_renamed_repository_answers_301_for_get_and_307_for_writes() {
    let github = FakeGitHub::start();
    github.state().add_pull("o/old", PullSeed::new(1));
    let control = support::client();
    let renamed = control
        .post(format!("{}/_fake/rename", github.url()))
        .json(&json!({"from": "o/old", "to": "o/new"}))
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.status(), 204);
    let no_follow = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let get = no_follow
        .get(format!("{}/repos/O/Old/pulls/1?x=1", github.url()))
        .bearer_auth(fake_github::DEFAULT_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(get.status(), 301);
    assert_eq!(
        get.headers()["location"],
        format!("{}/repos/o/new/pulls/1?x=1", github.url()).as_str()
    );
    let post = no_follow
        .post(format!("{}/repos/o/old/issues/1/comments", github.url()))
        .bearer_auth(fake_github::DEFAULT_TOKEN)
        .json(&json!({"body": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 307);
    assert!(
        github
            .state()
            .repo("o/new")
            .unwrap()
            .comments_on(1)
            .is_empty()
    );
    // Without a token, the old name is no more visible than the new one.
    let anonymous = no_follow
        .get(format!("{}/repos/o/old", github.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}
