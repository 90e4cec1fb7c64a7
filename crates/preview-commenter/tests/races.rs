//! Two runs interleaved in a fixed order against the fake GitHub: run 100 for commit H1 is
//! held inside its health check (the preview at `/hold/{short_sha}` waits for the test), the
//! PR's head moves to H2 and run 101 writes, then run 100 is let go. Whatever run 100 gathered,
//! it reads the head and the comment again before each write and writes nothing.

#![allow(clippy::unwrap_used)]

mod support;

use fake_github::{FakeGitHub, PullState};
use support::*;

fn meta(sha: &str, run_id: u64) -> String {
    format!(
        r#"<!-- preview-commenter:meta {{"sha":"{sha}","run_id":{run_id},"run_attempt":1,"updated_at":"2026-11-22T10:00:00Z"}} -->"#
    )
}

/// PR #42 open at `OLDER` (H1), with a preview that holds checks of H1.
fn fake_at_older(previews: &Previews) -> FakeGitHub {
    let fake = fake_with_pr(&config_yaml(&[("Web", previews.url("/hold/{short_sha}"))]));
    seed_pull(&fake, OLDER, PullState::Open);
    previews.hold(&OLDER[..7]);
    fake
}

/// Run 100 for H1 is held in its checks; meanwhile the head moves to H2 (`HEAD`) and run 101
/// runs to the end; then run 100 finishes. Returns run 100 and run 101.
fn interleave(fake: &FakeGitHub, previews: &Previews) -> (Run, Run) {
    std::thread::scope(|scope| {
        let older = Step::new(
            "pull_request",
            pull_request_payload("synchronize", OLDER, None),
        )
        .run_id(100);
        let running = scope.spawn(move || older.run(fake));
        previews.wait_until_held();
        // Its deployment is created alongside the held check; the head moves once it shows.
        wait_until(|| deployment_states(fake, OLDER) == [["in_progress"]]);
        fake.state()
            .repo_mut(REPO)
            .pulls
            .get_mut(&NUMBER)
            .unwrap()
            .head
            .sha = HEAD.to_owned();
        let newer = Step::new(
            "pull_request",
            pull_request_payload("synchronize", HEAD, None),
        )
        .run_id(101)
        .run(fake);
        previews.release();
        (running.join().unwrap(), newer)
    })
}

/// Blocks until `done` holds (polling the fake's state), failing the test after a minute: a
/// wait for a state, never a sleep that races the run.
fn wait_until(done: impl Fn() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !done() {
        assert!(
            std::time::Instant::now() < deadline,
            "the awaited state never came"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

fn deployment_states(fake: &FakeGitHub, sha: &str) -> Vec<Vec<String>> {
    fake.state()
        .repo(REPO)
        .unwrap()
        .deployments
        .iter()
        .filter(|d| d.sha == sha)
        .map(|d| d.statuses.iter().map(|s| s.state.clone()).collect())
        .collect()
}

#[test]
fn the_older_run_does_not_converge_onto_the_newer_runs_new_comment() {
    let previews = Previews::start();
    let fake = fake_at_older(&previews);
    let (older, newer) = interleave(&fake, &previews);
    assert_eq!(newer.code, 0, "{}", newer.stdout);
    assert_eq!(older.code, 0, "{}", older.stdout);
    let comments = our_comments(&fake);
    assert_eq!(comments.len(), 1, "{comments:#?}");
    assert!(
        comments[0]
            .1
            .contains(&format!(r#""sha":"{HEAD}","run_id":101"#)),
        "{}",
        comments[0].1
    );
    assert!(
        older.stdout.contains("describes commit 1111111"),
        "{}",
        older.stdout
    );
    // Run 100 neither created a comment nor touched run 101's.
    let older_writes: Vec<_> = fake
        .writes()
        .iter()
        .filter(|c| c.path.contains("/comments"))
        .map(|c| c.method.clone())
        .collect();
    assert_eq!(older_writes, ["POST"], "only run 101's creation");
    // Run 100's deployment got no outcome once its commit was superseded; run 101's did.
    assert_eq!(deployment_states(&fake, OLDER), [["in_progress"]]);
    assert_eq!(deployment_states(&fake, HEAD), [["in_progress", "success"]]);
}

#[test]
fn the_older_run_does_not_update_the_comment_the_newer_run_updated() {
    let previews = Previews::start();
    let fake = fake_at_older(&previews);
    let id = fake.state().add_comment(
        REPO,
        NUMBER,
        "github-actions[bot]",
        &format!("{MARKER}\n{}\nfrom run 99", meta(OLDER, 99)),
    );
    // Quick checks (the hold is released at once after run 101) once skipped the re-read.
    let (older, newer) = interleave(&fake, &previews);
    assert_eq!(newer.code, 0, "{}", newer.stdout);
    assert_eq!(older.code, 0, "{}", older.stdout);
    let comments = our_comments(&fake);
    assert_eq!(comments.len(), 1);
    assert_eq!(comments[0].0, id);
    assert!(
        comments[0]
            .1
            .contains(&format!(r#""sha":"{HEAD}","run_id":101"#)),
        "{}",
        comments[0].1
    );
    let patches = fake.writes().iter().filter(|c| c.method == "PATCH").count();
    assert_eq!(patches, 1, "run 101's update only: {:#?}", fake.writes());
}

#[test]
fn a_run_that_is_still_the_head_writes_after_its_checks() {
    // The guard does not stop the run that may write: held and released with nothing in
    // between, it updates the comment and records its deployment.
    let previews = Previews::start();
    let fake = fake_at_older(&previews);
    let run = std::thread::scope(|scope| {
        let step = Step::new(
            "pull_request",
            pull_request_payload("synchronize", OLDER, None),
        )
        .run_id(100);
        let fake = &fake;
        let running = scope.spawn(move || step.run(fake));
        previews.wait_until_held();
        previews.release();
        running.join().unwrap()
    });
    assert_eq!(run.code, 0, "{}", run.stdout);
    let comments = our_comments(&fake);
    assert_eq!(comments.len(), 1);
    assert!(
        comments[0]
            .1
            .contains(&format!(r#""sha":"{OLDER}","run_id":100"#))
    );
    assert_eq!(
        deployment_states(&fake, OLDER),
        [["in_progress", "success"]]
    );
}
