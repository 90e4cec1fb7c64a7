//! What real GitHub requires of the client, against the fake that now requires it too: one of
//! each header, API-version refusals, redirects of renamed repositories, malformed tokens,
//! secondary rate limits (waits through an injected sleeper, never the wall clock), writes one at
//! a time, bounded concurrent reads, and paging bounded by GitHub's `Link` header rather than by
//! payload numbers.

#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use fake_github::{FakeGitHub, Fault, PullSeed, SecondaryLimits};
use guardians_core::context::RepoName;
use guardians_core::github::retry::{RetryPolicy, SECONDARY_LIMIT_WAIT, Sleeper};
use guardians_core::github::{ApiError, GitHub, Identity, StickyComment, pulls};

const REPO: &str = "octo/demo";

fn repo() -> RepoName {
    REPO.parse().unwrap()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Records every wait instead of sleeping it; `on_sleep` lets a test move the fake's clock.
#[derive(Default)]
struct RecordingSleeper {
    waits: Mutex<Vec<Duration>>,
    on_sleep: Option<Box<dyn Fn() + Send + Sync>>,
}

impl Sleeper for RecordingSleeper {
    fn sleep(
        &self,
        duration: Duration,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>> {
        self.waits.lock().unwrap().push(duration);
        if let Some(hook) = &self.on_sleep {
            hook();
        }
        Box::pin(std::future::ready(()))
    }
}

fn client_with(fake: &FakeGitHub, sleeper: Arc<RecordingSleeper>) -> GitHub {
    GitHub::new(&fake.url(), fake_github::DEFAULT_TOKEN)
        .unwrap()
        .with_sleeper(sleeper)
}

#[test]
fn every_request_carries_each_required_header_exactly_once() {
    let rt = runtime();
    let fake = FakeGitHub::start();
    fake.state().add_pull(REPO, PullSeed::new(1));
    let gh = GitHub::new(&fake.url(), fake_github::DEFAULT_TOKEN).unwrap();
    let repo = repo();
    rt.block_on(async {
        pulls::pull_request(&gh, &repo, 1).await.unwrap();
        let sticky = StickyComment::new(&gh, &repo, 1, "test", Identity::actions_bot());
        sticky.upsert("hello", &[]).await.unwrap();
    });
    let calls = fake.calls();
    assert!(calls.len() >= 3, "{calls:#?}");
    for call in &calls {
        let mut names: Vec<&str> = call.headers.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        let expected: &[&str] = if call.method == "GET" {
            &[
                "accept",
                "authorization",
                "host",
                "user-agent",
                "x-github-api-version",
            ]
        } else {
            &[
                "accept",
                "authorization",
                "content-length",
                "content-type",
                "host",
                "user-agent",
                "x-github-api-version",
            ]
        };
        assert_eq!(names, expected, "{}", call.line());
        assert_eq!(
            call.header_values("accept"),
            ["application/vnd.github+json"]
        );
        assert_eq!(call.header_values("x-github-api-version"), ["2022-11-28"]);
        assert_eq!(call.header_values("authorization"), ["Bearer ghs_test"]);
        assert!(
            call.header_values("user-agent")[0].starts_with("guardians/"),
            "{:?}",
            call.headers
        );
    }
}

#[test]
fn the_fake_refuses_a_repeated_or_unknown_api_version_as_github_does() {
    let rt = runtime();
    let fake = FakeGitHub::start();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let send = |versions: &'static [&'static str]| {
        let mut request = http
            .get(format!("{}/repos/octo/demo", fake.url()))
            .header("authorization", "Bearer ghs_test");
        for version in versions {
            request = request.header("x-github-api-version", *version);
        }
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let body: serde_json::Value = response.json().await.unwrap();
            (
                status,
                body["message"].as_str().unwrap_or_default().to_owned(),
            )
        }
    };
    fake.state().add_pull(REPO, PullSeed::new(1));
    let (status, message) = rt.block_on(send(&["2022-11-28", "2022-11-28"]));
    assert_eq!(status, 400);
    assert!(
        message.starts_with(
            "The version you specified in the \"X-GitHub-Api-Version\" request header, \"2022-11-28, 2022-11-28\", is not a supported version."
        ),
        "{message}"
    );
    assert_eq!(rt.block_on(send(&["v3"])).0, 400);
    assert_eq!(rt.block_on(send(&["2022-11-28"])).0, 200);
    // No header: GitHub's default version.
    assert_eq!(rt.block_on(send(&[])).0, 200);
}

#[test]
fn a_renamed_repository_is_followed_keeping_method_and_body() {
    let rt = runtime();
    let fake = FakeGitHub::start();
    fake.state().add_pull("octo/old-name", PullSeed::new(1));
    fake.rename_repo("octo/old-name", "octo/new-name");
    let gh = GitHub::new(&fake.url(), fake_github::DEFAULT_TOKEN).unwrap();
    let old: RepoName = "octo/old-name".parse().unwrap();
    let pr = rt.block_on(pulls::pull_request(&gh, &old, 1)).unwrap();
    assert_eq!(pr.number, 1);
    let sticky = StickyComment::new(&gh, &old, 1, "test", Identity::actions_bot());
    let created = rt.block_on(sticky.upsert("v1", &[])).unwrap();
    let patched = rt.block_on(sticky.update(created.id, "<!-- guardians:test -->\nv2"));
    patched.unwrap();
    let lines: Vec<String> = fake.calls().iter().map(|c| c.line()).collect();
    assert!(
        lines.contains(&"GET /repos/octo/old-name/pulls/1 -> 301".to_owned()),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&"GET /repos/octo/new-name/pulls/1 -> 200".to_owned()),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&"POST /repos/octo/old-name/issues/1/comments -> 307".to_owned()),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&"POST /repos/octo/new-name/issues/1/comments -> 201".to_owned()),
        "{lines:#?}"
    );
    let patch = fake
        .calls()
        .into_iter()
        .find(|c| c.method == "PATCH" && c.path.starts_with("/repos/octo/new-name/"))
        .expect("the PATCH was repeated at the new name, not turned into a GET");
    assert!(patch.body.contains("v2"), "{}", patch.body);
    let state = fake.state();
    let bodies: Vec<&str> = state
        .repo("octo/new-name")
        .unwrap()
        .comments_on(1)
        .iter()
        .map(|c| c.body.as_str())
        .collect();
    assert_eq!(bodies, ["<!-- guardians:test -->\nv2"]);
}

#[test]
fn redirects_are_bounded_and_the_token_never_goes_to_another_host() {
    let rt = runtime();
    let api = FakeGitHub::start();
    let elsewhere = FakeGitHub::start();
    elsewhere.state().add_pull(REPO, PullSeed::new(1));
    // The API host sends us to another host: the request goes, the token does not.
    api.inject(Fault::status(301).on("/repos/octo/demo/pulls/1").header(
        "location",
        &format!("{}/repos/octo/demo/pulls/1", elsewhere.url()),
    ));
    let gh = GitHub::new(&api.url(), fake_github::DEFAULT_TOKEN).unwrap();
    let err = rt
        .block_on(pulls::pull_request(&gh, &repo(), 1))
        .unwrap_err();
    assert_eq!(err.status(), Some(401), "{err}");
    let other = elsewhere.calls();
    assert_eq!(other.len(), 1, "{other:#?}");
    assert_eq!(other[0].token, None, "the token stayed on the API host");

    // A redirect loop ends after a bounded number of hops, as an error.
    let fake = FakeGitHub::start();
    fake.inject(
        Fault::status(301)
            .on("/repos/octo/demo/pulls/1")
            .header(
                "location",
                &format!("{}/repos/octo/demo/pulls/1", fake.url()),
            )
            .times(100),
    );
    let gh = GitHub::new(&fake.url(), fake_github::DEFAULT_TOKEN)
        .unwrap()
        .with_retry_policy(RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        });
    let err = rt
        .block_on(pulls::pull_request(&gh, &repo(), 1))
        .unwrap_err();
    assert!(err.to_string().contains("redirect"), "{err}");
    assert_eq!(fake.calls().len(), 6, "the request and five redirects");
}

#[test]
fn a_malformed_token_is_a_clear_error_naming_the_input() {
    for token in ["ghs_abc\ndef", "ghs_abc\u{7}", "ghs_a b", "ghs_abc\r"] {
        let err = GitHub::new("https://api.github.com", token)
            .err()
            .expect("a malformed token is refused");
        assert!(matches!(err, ApiError::InvalidToken { .. }), "{err:?}");
        let text = err.to_string();
        assert!(text.contains("github-token"), "{text}");
        assert!(text.contains("GITHUB_TOKEN"), "{text}");
        assert!(!text.contains("ghs_abc"), "the token is not echoed: {text}");
    }
}

#[test]
fn a_secondary_limit_without_retry_after_waits_a_minute_and_says_so() {
    let rt = runtime();
    let fake = FakeGitHub::start();
    fake.state().add_pull(REPO, PullSeed::new(1));
    fake.inject(
        Fault::status(403)
            .on("/repos/*/*/pulls/1")
            .body(serde_json::json!({"message": fake_github::SECONDARY_RATE_LIMIT_MESSAGE})),
    );
    fake.inject(Fault::status(429).on("/repos/*/*/pulls/1"));
    fake.inject(
        Fault::status(429)
            .on("/repos/*/*/pulls/1")
            .header("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"),
    );
    let sleeper = Arc::new(RecordingSleeper::default());
    let notices = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = notices.clone();
    let gh = client_with(&fake, sleeper.clone()).with_wait_notice(Arc::new(move |line: &str| {
        sink.lock().unwrap().push(line.to_owned())
    }));
    let started = std::time::Instant::now();
    let pr = rt.block_on(pulls::pull_request(&gh, &repo(), 1)).unwrap();
    assert_eq!(pr.number, 1);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "no real waiting"
    );
    assert_eq!(
        *sleeper.waits.lock().unwrap(),
        [SECONDARY_LIMIT_WAIT, SECONDARY_LIMIT_WAIT, Duration::ZERO],
        "403 and 429 without retry-after wait a minute; an HTTP-date in the past waits nothing"
    );
    let notices = notices.lock().unwrap();
    assert_eq!(notices.len(), 3, "{notices:?}");
    assert!(notices[0].contains("waiting 60s"), "{notices:?}");
}

#[test]
fn writes_go_one_at_a_time_and_reads_stay_within_the_documented_bound() {
    let rt = runtime();
    let fake = FakeGitHub::start();
    fake.state().add_pull(REPO, PullSeed::new(1));
    fake.set_latency(Duration::from_millis(30));
    // The fake refuses what exceeds the client's documented read bound.
    fake.set_secondary_limits(SecondaryLimits {
        max_concurrent: Some(guardians_core::github::MAX_CONCURRENT_READS),
        ..SecondaryLimits::default()
    });
    for n in 0..2500 {
        fake.state().add_comment(REPO, 1, "alice", &format!("c{n}"));
    }
    let gh = GitHub::new(&fake.url(), fake_github::DEFAULT_TOKEN).unwrap();
    let repo = repo();
    rt.block_on(async {
        let sticky = StickyComment::new(&gh, &repo, 1, "test", Identity::actions_bot());
        let found = sticky.find(Some(2500)).await.unwrap();
        assert!(found.is_empty());
        let posts = (0..6).map(|i| {
            let gh = &gh;
            let repo = &repo;
            async move {
                gh.post::<_, serde_json::Value>(
                    &format!("/repos/{repo}/issues/1/comments"),
                    &serde_json::json!({"body": format!("w{i}")}),
                )
                .await
            }
        });
        for result in futures::future::join_all(posts).await {
            result.unwrap();
        }
    });
    let refused = fake.calls().iter().filter(|c| c.status == 403).count();
    assert_eq!(refused, 0, "no request exceeded the concurrency limit");
    let (peak, peak_writes) = fake.peak_concurrency();
    assert_eq!(peak_writes, 1, "content-creating writes go one at a time");
    assert!(peak > 1, "reads still go out together: {peak}");
    assert!(
        peak <= guardians_core::github::MAX_CONCURRENT_READS,
        "{peak}"
    );
}

#[test]
fn the_fake_content_budget_is_waited_out_and_then_the_write_lands() {
    let rt = runtime();
    let fake = Arc::new(FakeGitHub::start());
    fake.state().add_pull(REPO, PullSeed::new(1));
    fake.set_secondary_limits(SecondaryLimits {
        content_writes_per_minute: Some(2),
        status: Some(429),
        retry_after: None,
        ..SecondaryLimits::default()
    });
    let clock = fake.clone();
    let sleeper = Arc::new(RecordingSleeper {
        waits: Mutex::default(),
        // Waiting the minute out is what makes the budget come back.
        on_sleep: Some(Box::new(move || clock.reset_write_budget())),
    });
    let gh = client_with(&fake, sleeper.clone());
    rt.block_on(async {
        for i in 0..3 {
            gh.post::<_, serde_json::Value>(
                &format!("/repos/{REPO}/issues/1/comments"),
                &serde_json::json!({"body": format!("w{i}")}),
            )
            .await
            .unwrap();
        }
    });
    assert_eq!(*sleeper.waits.lock().unwrap(), [SECONDARY_LIMIT_WAIT]);
    assert_eq!(fake.state().repo(REPO).unwrap().comments_on(1).len(), 3);
    let statuses: Vec<u16> = fake.calls().iter().map(|c| c.status).collect();
    assert_eq!(statuses, [201, 201, 429, 201]);
}

#[test]
fn a_payload_count_does_not_become_a_million_requests() {
    let rt = runtime();
    let fake = FakeGitHub::start();
    fake.state().add_pull(REPO, PullSeed::new(1));
    fake.state().add_comment(
        REPO,
        1,
        "github-actions[bot]",
        "<!-- guardians:test -->\nold",
    );
    let gh = GitHub::new(&fake.url(), fake_github::DEFAULT_TOKEN).unwrap();
    let repo = repo();
    let sticky = StickyComment::new(&gh, &repo, 1, "test", Identity::actions_bot());
    let found = rt.block_on(sticky.find(Some(99_999_999))).unwrap();
    assert_eq!(found.len(), 1);
    let requests = fake.calls().len();
    assert!(
        requests <= guardians_core::github::pagination::MAX_PREFETCH_PAGES as usize + 1,
        "{requests} requests for one comment"
    );
}
