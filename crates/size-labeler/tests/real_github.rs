//! The binary against GitHub's unkind parts, as the fake now models them: an App installation
//! token without `comment-author`, a payload whose comment count is a lie, and a malformed token.

mod support;

use fake_github::{FileSeed, PullSeed};
use support::*;

const COMMENT_ON_XL: [(&str, &str); 1] = [("INPUT_COMMENT-ON", "XL")];

fn xl_pull(fake: &fake_github::FakeGitHub) {
    seed_pull(
        fake,
        PullSeed::new(NUMBER).file(FileSeed::new("src/a.rs", 900, 200)),
    );
}

#[test]
fn an_app_installation_token_updates_its_own_comment_instead_of_posting_another() {
    let fake = fake_github::FakeGitHub::start();
    xl_pull(&fake);
    let login = fake.add_app_installation("ghs_app_installation", "guardians-app");
    for action in ["opened", "synchronize"] {
        let run = run_labeler(
            &fake,
            &payload_for(&fake, action),
            "ghs_app_installation",
            // The workflow's own token is another one; ours is the App's.
            &[
                COMMENT_ON_XL[0],
                ("GUARDIANS_WORKFLOW_TOKEN", fake_github::DEFAULT_TOKEN),
            ],
        );
        assert_eq!(run.code, 0, "{run:?}");
    }
    assert_eq!(fake.pull(REPO, NUMBER).only_comment().user, login);
    // The App's identity came from GraphQL's `viewer`, not from `GET /user` (which refuses it).
    let calls = fake.calls();
    assert!(calls.iter().all(|c| c.path != "/user"), "{calls:#?}");
    assert_eq!(calls.iter().filter(|c| c.path == "/graphql").count(), 2);
}

#[test]
fn the_workflow_token_is_github_actions_bot_without_a_call() {
    let fake = fake_github::FakeGitHub::start();
    xl_pull(&fake);
    for action in ["opened", "synchronize"] {
        let run = run_labeler(
            &fake,
            &payload_for(&fake, action),
            fake_github::DEFAULT_TOKEN,
            &COMMENT_ON_XL,
        );
        assert_eq!(run.code, 0, "{run:?}");
    }
    assert_eq!(fake.pull(REPO, NUMBER).comments.len(), 1);
    let calls = fake.calls();
    assert!(
        calls
            .iter()
            .all(|c| c.path != "/graphql" && c.path != "/user"),
        "{calls:#?}"
    );
}

#[test]
fn a_payload_claiming_a_hundred_million_comments_costs_a_bounded_number_of_requests() {
    let fake = fake_github::FakeGitHub::start();
    xl_pull(&fake);
    let mut payload = payload_for(&fake, "opened");
    payload["pull_request"]["comments"] = serde_json::json!(99_999_999);
    let run = run_labeler(&fake, &payload, fake_github::DEFAULT_TOKEN, &COMMENT_ON_XL);
    assert_eq!(run.code, 0, "{run:?}");
    let comment_pages = fake
        .calls()
        .iter()
        .filter(|c| c.method == "GET" && c.path.ends_with("/comments"))
        .count();
    assert!(
        comment_pages <= 12,
        "{comment_pages} comment pages for an empty conversation"
    );
    assert!(fake.calls().len() < 30, "{:#?}", fake.calls());
    assert_eq!(fake.pull(REPO, NUMBER).comments.len(), 1);
}

#[test]
fn a_malformed_token_is_a_clear_error_not_a_panic() {
    let fake = fake_github::FakeGitHub::start();
    xl_pull(&fake);
    let run = run_labeler(
        &fake,
        &payload_for(&fake, "opened"),
        "ghs_first\nghs_second",
        &[],
    );
    assert_ne!(run.code, 101, "a panic: {run:?}");
    assert_ne!(run.code, 0, "{run:?}");
    let log = format!("{}{}", run.stdout, run.stderr);
    assert!(log.contains("github-token"), "{log}");
    assert!(log.contains("GITHUB_TOKEN"), "{log}");
    assert!(log.contains("line break"), "{log}");
    assert!(!log.contains("panicked"), "{log}");
    assert!(
        fake.calls().is_empty(),
        "nothing was sent: {:#?}",
        fake.calls()
    );
}
