//! The exit-code table every guardian shares, end to end (the real binary against the fake
//! GitHub and local previews):
//!
//! | exit | meaning |
//! |---|---|
//! | 0 | passed, or nothing to do |
//! | 1 | the guardian's check failed (its verdict) |
//! | 2 | bad input or configuration (names the input and the fix) |
//! | 3 | GitHub or the network failed after bounded retries |

#![allow(clippy::unwrap_used)]

mod support;

use fake_github::Fault;
use support::*;

/// How often `needle` appears in everything the run printed: an error is printed once.
fn printed(run: &Run, needle: &str) -> usize {
    run.stdout.matches(needle).count() + run.stderr.matches(needle).count()
}

#[test]
fn exit_0_when_every_preview_is_up_or_there_is_nothing_to_do() {
    let previews = Previews::start();
    let fake = fake_with_pr(&healthy_config(&previews));
    let run = Step::new("pull_request", pull_request_payload("opened", HEAD, None))
        .input("deployments", "false")
        .run(&fake);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(our_comments(&fake).len(), 1);

    let labeled = Step::new("pull_request", pull_request_payload("labeled", HEAD, None)).run(&fake);
    assert_eq!(labeled.code, 0, "{}", labeled.stdout);
    assert!(
        labeled.stdout.contains("nothing to do"),
        "{}",
        labeled.stdout
    );
}

#[test]
fn exit_1_when_a_preview_is_unhealthy_and_fail_on_unhealthy_holds() {
    let previews = Previews::start();
    let config = config_yaml(&[
        ("Frontend", previews.url("/healthy")),
        ("API", previews.url("/broken")),
    ]);
    let fake = fake_with_pr(&config);
    let payload = pull_request_payload("opened", HEAD, None);
    let failed = Step::new("pull_request", payload.clone())
        .input("deployments", "false")
        .run(&fake);
    assert_eq!(failed.code, 1, "{}", failed.stdout);
    assert!(
        failed
            .stdout
            .contains("::error title=Preview not healthy::Unhealthy preview(s): API"),
        "{}",
        failed.stdout
    );
    // The verdict is not an error: the comment still tells reviewers what is down.
    assert!(our_comments(&fake)[0].1.contains("❌ HTTP 500"));

    let dry = Step::new("pull_request", payload.clone())
        .arg("--dry-run")
        .run(&fake);
    assert_eq!(
        dry.code, 1,
        "a dry run exits per the verdict\n{}",
        dry.stdout
    );
    assert!(
        dry.stdout.contains("::error title=Preview not healthy::"),
        "and says why: {}",
        dry.stdout
    );

    let reported = Step::new("pull_request", payload)
        .run_id(7002)
        .input("deployments", "false")
        .input("fail-on-unhealthy", "false")
        .run(&fake);
    assert_eq!(reported.code, 0, "{}", reported.stdout);
    assert!(
        reported
            .stdout
            .contains("::warning title=Preview not healthy::"),
        "{}",
        reported.stdout
    );
}

#[test]
fn exit_2_for_an_unknown_config_key_named_in_words_not_rust_types() {
    let fake = fake_with_pr("preview-commenter:\n  deployment: false\n");
    let run = Step::new("pull_request", pull_request_payload("opened", HEAD, None)).run(&fake);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stdout.contains("`deployment`"), "{}", run.stdout);
    assert!(
        !run.stdout.contains("PreviewCommenterConfig") && !run.stdout.contains("struct "),
        "{}",
        run.stdout
    );
    assert_eq!(
        printed(&run, "unknown field `deployment`"),
        1,
        "{}",
        run.stdout
    );
    assert!(fake.writes().is_empty());
}

#[test]
fn exit_2_for_a_malformed_payload() {
    let fake = fake_with_pr("preview-commenter:\n  environments: []\n");
    let payload = serde_json::json!({
        "action": "opened",
        "number": NUMBER,
        "pull_request": "not an object",
        "repository": {"full_name": REPO, "name": "myapp"},
    });
    let run = Step::new("pull_request", payload).run(&fake);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stdout.contains("pull_request"), "{}", run.stdout);
    assert!(!run.stdout.contains("panicked"), "{}", run.stderr);
    assert!(fake.calls().is_empty(), "{:#?}", fake.calls());
}

#[test]
fn exit_2_for_a_bad_input_value() {
    let previews = Previews::start();
    let fake = fake_with_pr(&healthy_config(&previews));
    let run = Step::new("pull_request", pull_request_payload("opened", HEAD, None))
        .input("deployments", "yes")
        .run(&fake);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stdout.contains("deployments"), "{}", run.stdout);
    assert_eq!(previews.hits(), 0, "nothing is checked on bad input");
    assert!(fake.writes().is_empty());
}

#[test]
fn exit_2_for_a_url_template_mistake() {
    let fake = fake_with_pr(&config_yaml(&[(
        "Web",
        "https://app-{nope}.example.dev".to_owned(),
    )]));
    let run = Step::new("pull_request", pull_request_payload("opened", HEAD, None)).run(&fake);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stdout.contains("{nope}"), "{}", run.stdout);
    assert!(fake.writes().is_empty());
}

#[test]
fn exit_3_when_github_answers_502_on_every_try() {
    let previews = Previews::start();
    let fake = fake_with_pr(&healthy_config(&previews));
    // `retry-after: 0`: the client retries at once, so the test never waits out a backoff.
    fake.inject(
        Fault::status(502)
            .on("/repos/*/*/pulls/*")
            .header("retry-after", "0")
            .times(1000),
    );
    let run = Step::new("pull_request", pull_request_payload("opened", HEAD, None)).run(&fake);
    assert_eq!(run.code, 3, "{}", run.stdout);
    assert!(run.stdout.contains("502"), "{}", run.stdout);
    assert_eq!(
        printed(&run, "::error::"),
        1,
        "printed once: {}",
        run.stdout
    );
    let pull_reads = fake
        .calls()
        .iter()
        .filter(|c| c.path == format!("/repos/{REPO}/pulls/{NUMBER}"))
        .count();
    assert!(pull_reads > 1, "retried before giving up: {pull_reads}");
    assert!(fake.writes().is_empty(), "{:#?}", fake.writes());
    assert!(our_comments(&fake).is_empty());
}
