//! Fault injection, latency, GitHub's common headers, and use from a plain synchronous test.

mod support;

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use fake_github::{FakeGitHub, Fault, PullSeed};
use reqwest::Method;
use serde_json::json;
use support::Api;

#[tokio::test(flavor = "multi_thread")]
async fn a_fault_answers_exactly_times_matching_requests_then_normal_service_resumes() {
    let github = FakeGitHub::start();
    github
        .state()
        .add_pull("o/r", PullSeed::new(1).generated_files(3, 1, 0));
    github.inject(
        Fault::secondary_rate_limit()
            .on("/repos/*/*/pulls/*/files")
            .times(2),
    );
    let api = Api::new(&github.url());

    for _ in 0..2 {
        let response = api.get("/repos/o/r/pulls/1/files").await;
        assert_eq!(response.status(), 403);
        assert_eq!(response.headers()["retry-after"], "1");
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains("secondary rate limit")
        );
    }
    // Other paths are not affected while the fault is live.
    assert_eq!(api.get("/repos/o/r/pulls/1").await.status(), 200);
    assert_eq!(api.get("/repos/o/r/pulls/1/files").await.status(), 200);
    assert_eq!(api.get("/repos/o/r/pulls/1/files").await.status(), 200);
    let statuses: Vec<u16> = github.calls().iter().map(|c| c.status).collect();
    assert_eq!(statuses, [403, 403, 200, 200, 200]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_faulted_write_changes_nothing() {
    let github = FakeGitHub::start();
    github.state().add_pull("o/r", PullSeed::new(1));
    github.inject(
        Fault::too_many_requests()
            .method("POST")
            .on("/repos/o/r/issues/*/comments"),
    );
    let api = Api::new(&github.url());
    let (status, _) = api
        .json(
            Method::POST,
            "/repos/o/r/issues/1/comments",
            Some(json!({"body": "a"})),
        )
        .await;
    assert_eq!(status, 429);
    assert!(github.state().repo("o/r").unwrap().comments.is_empty());
    // A GET on the same path does not match a POST fault, and the fault was used up anyway.
    let (status, _) = api
        .json(
            Method::POST,
            "/repos/o/r/issues/1/comments",
            Some(json!({"body": "a"})),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(github.state().repo("o/r").unwrap().comments.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn custom_faults_carry_their_status_body_and_headers() {
    let github = FakeGitHub::start();
    github.inject(
        Fault::status(502)
            .on("/repos/**")
            .header("x-custom", "yes")
            .body(json!({"message": "Server Error"})),
    );
    let api = Api::new(&github.url());
    let response = api.get("/repos/o/r/pulls/1/files").await;
    assert_eq!(response.status(), 502);
    assert_eq!(response.headers()["x-custom"], "yes");
    assert!(response.headers().contains_key("x-github-request-id"));
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["message"], "Server Error");
    assert!(github.try_inject(Fault::status(700)).is_err());
    assert!(
        github
            .try_inject(Fault::status(500).on("/repos/["))
            .is_err()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_response_carries_rate_limit_request_id_and_json_content_type() {
    let github = FakeGitHub::start();
    github.state().repo_mut("o/r");
    let api = Api::new(&github.url());
    for path in ["/repos/o/r", "/repos/o/missing"] {
        let response = api.get(path).await;
        let headers = response.headers();
        assert_eq!(headers["content-type"], "application/json; charset=utf-8");
        for name in [
            "x-ratelimit-remaining",
            "x-ratelimit-reset",
            "x-github-request-id",
        ] {
            assert!(headers.contains_key(name), "{name} missing on {path}");
        }
    }
    let first = api.get("/repos/o/r").await;
    let second = api.get("/repos/o/r").await;
    assert_ne!(
        first.headers()["x-github-request-id"],
        second.headers()["x-github-request-id"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn latency_delays_every_response_by_at_least_the_setting() {
    let github = FakeGitHub::start();
    github.state().repo_mut("o/r");
    github.set_latency(Duration::from_millis(150));
    let api = Api::new(&github.url());
    let started = Instant::now();
    assert_eq!(api.get("/repos/o/r").await.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(150));
}

/// Tests without an async runtime can use the fake too.
#[test]
fn works_from_a_synchronous_test_and_stops_on_drop() {
    let github = FakeGitHub::start();
    github.state().repo_mut("o/r");
    let addr = github.addr();
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET /repos/o/r HTTP/1.1\r\nHost: {addr}\r\nAuthorization: token ghs_test\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"full_name\":\"o/r\""));
    drop(github);
    assert!(std::net::TcpStream::connect(addr).is_err());
}
