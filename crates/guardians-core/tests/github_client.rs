//! The client and helpers against the fake GitHub: retries, final statuses, pagination, labels,
//! sticky comments converging when runs race, and GHES base paths.

#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::Duration;

use fake_github::{FakeGitHub, FileSeed, Permission, PullSeed, TokenKind};
use guardians_core::context::RepoName;
use guardians_core::github::labels::{self, LabelSpec};
use guardians_core::github::retry::RetryPolicy;
use guardians_core::github::{GitHub, Identity, StickyComment, contents, pulls};

const REPO: &str = "octo/demo";

fn repo() -> RepoName {
    REPO.parse().unwrap()
}

fn fast_policy() -> RetryPolicy {
    RetryPolicy {
        base_delay: Duration::from_millis(10),
        ..RetryPolicy::default()
    }
}

fn client(fake: &FakeGitHub) -> GitHub {
    GitHub::new(&fake.url(), fake_github::DEFAULT_TOKEN)
        .unwrap()
        .with_retry_policy(fast_policy())
}

/// Each test drives the client on its own current-thread runtime.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn server_errors_rate_limits_and_secondary_limits_are_retried() {
    let rt = runtime();
    let _entered = rt.enter();
    let fake = FakeGitHub::start();
    fake.state().add_pull(REPO, PullSeed::new(1));
    fake.inject(
        fake_github::Fault::status(503)
            .on("/repos/*/*/pulls/1")
            .times(1),
    );
    fake.inject(
        fake_github::Fault::secondary_rate_limit()
            .on("/repos/*/*/pulls/1")
            .header("retry-after", "1")
            .times(1),
    );
    fake.inject(
        fake_github::Fault::too_many_requests()
            .on("/repos/*/*/pulls/1")
            .times(1),
    );
    let gh = client(&fake);
    let pr = rt.block_on(pulls::pull_request(&gh, &repo(), 1)).unwrap();
    assert_eq!(pr.number, 1);
    let stats = gh.stats();
    assert_eq!((stats.requests, stats.retries), (4, 3));
    assert!(
        stats.waited >= Duration::from_secs(1),
        "Retry-After honoured: {:?}",
        stats.waited
    );
}

#[test]
fn final_statuses_are_not_retried() {
    let rt = runtime();
    let _entered = rt.enter();
    let fake = FakeGitHub::start();
    fake.state().add_pull(REPO, PullSeed::new(1));
    let gh = client(&fake);
    let err = rt
        .block_on(pulls::pull_request(&gh, &repo(), 99))
        .unwrap_err();
    assert!(err.is_not_found());
    assert!(err.to_string().contains("HTTP 404"), "{err}");
    fake.inject(
        fake_github::Fault::status(422)
            .on("/repos/*/*/pulls/1")
            .times(1),
    );
    assert_eq!(
        rt.block_on(pulls::pull_request(&gh, &repo(), 1))
            .unwrap_err()
            .status(),
        Some(422)
    );
    assert_eq!(gh.stats().retries, 0);
}

#[test]
fn a_read_only_refusal_is_recognised_and_not_retried() {
    let rt = runtime();
    let _entered = rt.enter();
    let fake = FakeGitHub::start();
    fake.state().add_token(
        "ghs_ro",
        "github-actions[bot]",
        TokenKind::Bot,
        Permission::ReadOnly,
    );
    fake.state().add_pull(REPO, PullSeed::new(1));
    let gh = GitHub::new(&fake.url(), "ghs_ro")
        .unwrap()
        .with_retry_policy(fast_policy());
    let spec = LabelSpec {
        name: "size/S".into(),
        color: "5d9801".into(),
        description: String::new(),
    };
    let err = rt
        .block_on(labels::ensure_label(&gh, &repo(), &spec))
        .unwrap_err();
    assert!(err.is_write_refused(), "{err}");
    assert!(
        err.to_string().contains("permissions:"),
        "the hint names the fix: {err}"
    );
    assert_eq!(gh.stats().requests, 1);
}

#[test]
fn waiting_is_capped() {
    let rt = runtime();
    let _entered = rt.enter();
    let fake = FakeGitHub::start();
    fake.state().add_pull(REPO, PullSeed::new(1));
    fake.inject(
        fake_github::Fault::too_many_requests()
            .on("/repos/*/*/pulls/1")
            .header("retry-after", "3600")
            .times(1),
    );
    let gh = client(&fake);
    let started = std::time::Instant::now();
    let err = rt
        .block_on(pulls::pull_request(&gh, &repo(), 1))
        .unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn unreachable_github_is_a_transport_error_naming_the_url() {
    let rt = runtime();
    let _entered = rt.enter();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let gh = GitHub::new(&url, "ghs_x")
        .unwrap()
        .with_retry_policy(RetryPolicy {
            base_delay: Duration::from_millis(1),
            max_attempts: 2,
            ..RetryPolicy::default()
        });
    let err = rt
        .block_on(pulls::pull_request(&gh, &repo(), 1))
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("could not reach GitHub"), "{text}");
    assert!(text.contains(&url), "{text}");
}

/// GitHub Enterprise Server serves the API under `/api/v3` (GraphQL under `/api/graphql`); the
/// client keeps that prefix.
#[test]
fn a_ghes_api_url_keeps_its_path() {
    let rt = runtime();
    let _entered = rt.enter();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/api/v3", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request_line = String::new();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        reader.read_line(&mut request_line).unwrap();
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line.trim().is_empty() {
                break;
            }
            headers.push(line.trim().to_lowercase());
        }
        let body = "{\"data\":{\"viewer\":{\"login\":\"octocat\"}}}";
        write!(stream, "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len()).unwrap();
        (request_line, headers)
    });
    let gh = GitHub::new(&url, "ghp_token").unwrap();
    let identity = rt
        .block_on(Identity::resolve(&gh, "ghp_token", None))
        .unwrap();
    assert_eq!(identity.login, "octocat");
    let (request_line, headers) = server.join().unwrap();
    // GHES serves REST under /api/v3 and GraphQL beside it, at /api/graphql.
    assert!(
        request_line.starts_with("POST /api/graphql "),
        "{request_line}"
    );
    assert!(
        headers
            .iter()
            .any(|h| h == "authorization: bearer ghp_token"),
        "{headers:?}"
    );
    assert!(
        headers
            .iter()
            .any(|h| h == "x-github-api-version: 2022-11-28"),
        "{headers:?}"
    );
}

#[test]
fn pr_files_are_fetched_page_concurrently_and_truncation_is_detected() {
    let rt = runtime();
    let _entered = rt.enter();
    let fake = FakeGitHub::start();
    fake.state()
        .add_pull(REPO, PullSeed::new(1).files(FileSeed::generate(250, 1, 1)));
    fake.state()
        .add_pull(REPO, PullSeed::new(2).files(FileSeed::generate(3100, 1, 0)));
    let gh = client(&fake);
    let files = rt
        .block_on(pulls::pull_files(&gh, &repo(), 1, Some(250)))
        .unwrap();
    assert_eq!(files.files.len(), 250);
    assert!(!files.truncated);
    // The payload said 100, the PR has 250 now: the rest are followed by Link.
    let files = rt
        .block_on(pulls::pull_files(&gh, &repo(), 1, Some(100)))
        .unwrap();
    assert_eq!(files.files.len(), 250);
    let files = rt
        .block_on(pulls::pull_files(&gh, &repo(), 1, None))
        .unwrap();
    assert_eq!(files.files.len(), 250);
    let capped = rt
        .block_on(pulls::pull_files(&gh, &repo(), 2, Some(3100)))
        .unwrap();
    assert_eq!(capped.files.len(), 3000);
    assert!(capped.truncated);
}

#[test]
fn labels_are_created_once_and_deleting_a_missing_label_succeeds() {
    let rt = runtime();
    let _entered = rt.enter();
    let fake = FakeGitHub::start();
    fake.state()
        .add_pull(REPO, PullSeed::new(1).labels(&["size/S", "bug"]));
    let gh = client(&fake);
    let spec = LabelSpec {
        name: "size/M".into(),
        color: "7f7203".into(),
        description: "🐰 Medium".into(),
    };
    let changes = labels::reconcile(
        &["size/S".to_string(), "bug".to_string()],
        std::slice::from_ref(&spec),
        &["size/S".to_string(), "size/M".to_string()],
    );
    rt.block_on(labels::apply_changes(&gh, &repo(), 1, &changes, None))
        .unwrap();
    assert_eq!(
        fake.state().repo(REPO).unwrap().issue_labels(1).unwrap(),
        ["bug", "size/M"]
    );
    assert_eq!(
        fake.state()
            .repo(REPO)
            .unwrap()
            .label("size/M")
            .unwrap()
            .color,
        "7f7203"
    );
    // Once the label is known to exist, adding it and removing a stale one go out together,
    // with no creation attempt.
    fake.state()
        .repo_mut(REPO)
        .pulls
        .get_mut(&1)
        .unwrap()
        .labels = vec!["size/S".into()];
    let known = rt.block_on(labels::known_labels(&gh, &repo())).unwrap();
    assert_eq!(known.exists("SIZE/M"), Some(true));
    assert_eq!(known.exists("size/XXL"), Some(false));
    fake.clear_calls();
    rt.block_on(labels::apply_changes(
        &gh,
        &repo(),
        1,
        &changes,
        Some(&known),
    ))
    .unwrap();
    let writes: Vec<String> = fake
        .writes()
        .iter()
        .map(|c| format!("{} {}", c.method, c.path))
        .collect();
    assert_eq!(writes.len(), 2, "{writes:?}");
    assert!(
        writes
            .iter()
            .all(|w| !w.ends_with("/repos/octo/demo/labels")),
        "{writes:?}"
    );
    assert_eq!(
        fake.state().repo(REPO).unwrap().issue_labels(1).unwrap(),
        ["size/M"]
    );
    // Existing label: 422 already_exists is success; removing a label that is gone: 404 is success.
    rt.block_on(labels::ensure_label(&gh, &repo(), &spec))
        .unwrap();
    rt.block_on(labels::remove_label(&gh, &repo(), 1, "size/XL"))
        .unwrap();
}

#[test]
fn contents_are_decoded_and_absent_files_are_none() {
    let rt = runtime();
    let _entered = rt.enter();
    let fake = FakeGitHub::start();
    fake.state().put_content(
        REPO,
        "main",
        ".github/guardians.yml",
        "size-labeler: {}\n# ünïcode\n",
    );
    let gh = client(&fake);
    let text = rt
        .block_on(contents::file_text(
            &gh,
            &repo(),
            ".github/guardians.yml",
            "main",
        ))
        .unwrap();
    assert_eq!(text.as_deref(), Some("size-labeler: {}\n# ünïcode\n"));
    let none = rt
        .block_on(contents::file_text(&gh, &repo(), ".gitattributes", "main"))
        .unwrap();
    assert_eq!(none, None);
}

#[test]
fn racing_sticky_comments_converge_to_one() {
    for round in 0..5 {
        let fake = FakeGitHub::start();
        fake.state().add_pull(REPO, PullSeed::new(1));
        fake.set_latency(Duration::from_millis(20));
        let url = fake.url();
        let outcomes: Vec<_> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..3)
                .map(|i| {
                    let url = url.clone();
                    scope.spawn(move || {
                        let rt = runtime();
                        let _entered = rt.enter();
                        let gh = GitHub::new(&url, fake_github::DEFAULT_TOKEN).unwrap();
                        let repo = repo();
                        rt.block_on(async {
                            let sticky =
                                StickyComment::new(&gh, &repo, 1, "test", Identity::actions_bot());
                            let existing = sticky.find(None).await.unwrap();
                            sticky.upsert(&format!("run {i}"), &existing).await.unwrap()
                        })
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let state = fake.state();
        let comments = state.repo(REPO).unwrap().comments_on(1);
        assert_eq!(comments.len(), 1, "round {round}: {comments:#?}");
        assert!(
            outcomes.iter().all(|o| o.id == comments[0].id),
            "round {round}: all runs agree"
        );
        assert!(
            comments[0]
                .body
                .starts_with("<!-- guardians:test -->\nrun ")
        );
    }
}

#[test]
fn a_sticky_comment_is_updated_in_place_and_others_comments_are_ignored() {
    let rt = runtime();
    let _entered = rt.enter();
    let fake = FakeGitHub::start();
    fake.state().add_pull(REPO, PullSeed::new(1));
    // Someone pasted our marker: not ours, never touched.
    let foreign = fake
        .state()
        .add_comment(REPO, 1, "mallory", "<!-- guardians:test -->\nfake");
    for n in 0..150 {
        fake.state()
            .add_comment(REPO, 1, "alice", &format!("comment {n}"));
    }
    let gh = client(&fake);
    let repo = repo();
    let sticky = StickyComment::new(&gh, &repo, 1, "test", Identity::actions_bot());
    let first = rt.block_on(async {
        let existing = sticky.find(Some(151)).await.unwrap();
        sticky.upsert("v1", &existing).await.unwrap()
    });
    assert_eq!(first.action, guardians_core::github::CommentAction::Created);
    fake.clear_calls();
    let second = rt.block_on(async {
        let existing = sticky.find(Some(152)).await.unwrap();
        sticky.upsert("v2", &existing).await.unwrap()
    });
    assert_eq!(second.id, first.id);
    assert_eq!(
        second.action,
        guardians_core::github::CommentAction::Updated
    );
    // Two pages of comments and one PATCH.
    assert_eq!(fake.calls().len(), 3, "{:#?}", fake.calls());
    let unchanged = rt.block_on(async {
        let existing = sticky.find(None).await.unwrap();
        sticky.upsert("v2", &existing).await.unwrap()
    });
    assert_eq!(
        unchanged.action,
        guardians_core::github::CommentAction::Unchanged
    );
    let state = fake.state();
    let bodies: Vec<_> = state
        .repo(REPO)
        .unwrap()
        .comments_on(1)
        .iter()
        .map(|c| (c.id, c.body.clone()))
        .collect();
    assert!(bodies.contains(&(foreign, "<!-- guardians:test -->\nfake".to_string())));
}

#[test]
fn an_oversized_comment_body_is_cut_and_accepted() {
    let rt = runtime();
    let _entered = rt.enter();
    let fake = FakeGitHub::start();
    fake.state().add_pull(REPO, PullSeed::new(1));
    let gh = client(&fake);
    let repo = repo();
    let sticky = StickyComment::new(&gh, &repo, 1, "test", Identity::actions_bot());
    let body = "| row | 🐘 |\n".repeat(20_000);
    rt.block_on(sticky.upsert(&body, &[])).unwrap();
    let state = fake.state();
    let stored = &state.repo(REPO).unwrap().comments_on(1)[0].body;
    assert!(stored.chars().count() <= 65_536);
    assert!(stored.contains("This report was cut here"));
}
