//! The real binary against fake-github's git model: each test is named after the case of
//! issue 12 it reproduces, and asserts on the repository's final state.

mod support;

use fake_github::PullState;
use support::*;

#[test]
fn happy_path_of_one_pr_lands_by_fast_forward_to_exactly_the_tested_commit() {
    let w = world(ci());
    let head = w.pr(1, &[("one.txt", "one\n")]);
    let base = w.sha("main").unwrap();
    let rounds = w.ci_rounds();

    // Run 1 builds the batch and dispatches CI on it (simulated CI answers at once).
    let run = w.run(&[]);
    assert_eq!(run.code, 0, "{run:?}");
    let tested = w
        .sha("integration/main")
        .expect("the integration branch was built");
    assert_eq!(w.sha("main").unwrap(), base, "nothing lands before CI");
    assert!(
        run.outputs["events"].contains("dev_integration_queue_entered"),
        "{:?}",
        run.outputs
    );
    assert_eq!(run.outputs["testing"], "1");
    assert_eq!(
        w.ci_rounds() - rounds,
        1,
        "one CI round, dispatched on the integration branch"
    );

    // Run 2 sees `ci` green on the integration head and fast-forwards main to it.
    let run = w.run(&[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        w.sha("main").unwrap(),
        tested,
        "main is exactly the tested commit"
    );
    let pull = w.pull(1);
    assert!(
        pull.merged,
        "GitHub marks the PR merged: its head is in main"
    );
    assert_eq!(pull.state, PullState::Closed);
    assert!(w.labels(1).is_empty(), "label removed");
    let comments = w.comments(1);
    assert_eq!(comments.len(), 1, "{comments:#?}");
    assert!(comments[0].contains(&tested), "{}", comments[0]);
    assert_eq!(
        w.sha("integration/main"),
        None,
        "integration branch deleted"
    );
    assert_eq!(run.outputs["landed"], "1");
    assert_eq!(run.outputs["landed-sha"], tested);
    assert!(run.outputs["events"].contains("dev_integration_ci_passed"));
    let _ = head;

    // A third run has nothing to do and writes nothing.
    w.fake.clear_calls();
    let run = w.run(&[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(w.fake.writes().is_empty(), "{:#?}", w.fake.writes());
}

#[test]
fn five_prs_with_batch_4_and_one_bad_pr_land_the_4_good_ones_and_name_the_bad_one() {
    let w = world(ci());
    // Opened in number order: a PR's place is when CI first reported on its head (wall-clock
    // seconds), so opening #3 last would send it to the back whenever a second ticks over.
    for n in 1..=5 {
        if n == 3 {
            // Green on its own head, red once integrated: the simulated CI fails a tree with
            // BROKEN.
            w.pr(3, &[("BROKEN", "bad\n")]);
        } else {
            w.pr(n, &[(&format!("f{n}.txt"), "good\n")]);
        }
    }
    let rounds = w.ci_rounds();
    let runs = w.settle(&[("batch-size", "4")]);
    let ci_rounds = w.ci_rounds() - rounds;
    eprintln!("5 PRs, batch 4, one bad: {ci_rounds} CI rounds, {runs} runs");
    for n in [1, 2, 4, 5] {
        assert!(w.pull(n).merged, "#{n} landed");
        assert!(w.labels(n).is_empty(), "#{n} label removed");
    }
    assert!(!w.pull(3).merged, "the bad PR never lands");
    assert!(w.labels(3).is_empty(), "the bad PR left the queue");
    let comments = w.comments(3);
    assert_eq!(comments.len(), 1, "{comments:#?}");
    assert!(
        comments[0].contains("`ci`") && comments[0].contains("failed"),
        "{}",
        comments[0]
    );
    let kept = format!("integration-failed/pr-3-{}", &w.pull(3).head.sha[..7]);
    assert!(comments[0].contains(&kept), "{}", comments[0]);
    assert!(
        w.sha(&kept).is_some(),
        "the failed commit is kept on {kept}"
    );
    // The simulator's bound for this case is 5 rounds (tests/scenarios.rs); measured here on
    // real git: [1,2,3,4] fails, [1,2] passes and lands, then [3,4] splits down to [3].
    assert_eq!(ci_rounds, 5, "CI rounds bisection needed");
    // main only ever moved to commits whose CI passed ([1,2], then the rest as bisection
    // cleared them: 3 moves measured).
    let landings = w.landings();
    assert_eq!(landings.len(), 3, "{landings:?}");
    for sha in &landings {
        assert!(w.passed(sha), "main moved to {sha}, which CI did not pass");
    }
}

#[test]
fn two_queued_prs_that_conflict_the_second_leaves_with_a_comment_the_first_lands() {
    let w = world(ci());
    w.pr(1, &[("shared.txt", "one\n")]);
    w.pr(2, &[("shared.txt", "two\n")]);
    let run = w.run(&[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("#2 conflicts with its batch"),
        "{}",
        run.stdout
    );
    assert!(w.labels(2).is_empty(), "the conflicting PR lost the label");
    let comments = w.comments(2);
    assert_eq!(comments.len(), 1, "{comments:#?}");
    assert!(
        comments[0].contains("conflicts with the batch"),
        "{}",
        comments[0]
    );
    w.settle(&[]);
    assert!(w.pull(1).merged);
    assert!(!w.pull(2).merged);
    assert_eq!(w.comments(2).len(), 1, "still one comment");
}

#[test]
fn a_pr_pushed_while_its_batch_is_testing_never_lands_stale() {
    let w = world(ci().manual());
    w.pr(1, &[("one.txt", "first\n")]);
    assert_eq!(w.run(&[]).code, 0);
    let stale = w.sha("integration/main").unwrap();
    // The author pushes while CI runs; the new head is green on its own.
    let new_head = w.push("pr/1", &[("one.txt", "second\n")]);
    w.status(&new_head, "ci", "success");
    w.finish_ci();
    assert!(w.passed(&stale), "the stale batch passed CI");
    w.settle(&[]);
    let history = w.main_history();
    assert!(!history.contains(&stale), "the stale batch never landed");
    assert!(w.pull(1).merged);
    assert_eq!(w.pull(1).head.sha, new_head);
    let git_has_new = {
        let mut state = w.fake.state();
        let git = state.git_repo(REPO).unwrap();
        git.repo()
            .unwrap()
            .is_ancestor(&new_head, "refs/heads/main")
            .unwrap()
    };
    assert!(git_has_new, "main holds the pushed head");
    assert!(!w.landings().is_empty());
    for sha in w.landings() {
        assert!(w.passed(&sha), "main moved to {sha}, which CI did not pass");
    }
}

#[test]
fn the_base_moved_by_a_person_during_ci_is_rebuilt_and_never_lands_untested() {
    let w = world(ci().manual());
    w.pr(1, &[("one.txt", "one\n")]);
    assert_eq!(w.run(&[]).code, 0);
    let first = w.sha("integration/main").unwrap();
    let person = w.push("main", &[("hotfix.txt", "urgent\n")]);
    w.finish_ci();
    let run = w.run(&[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        w.sha("main").unwrap(),
        person,
        "nothing landed on the moved base"
    );
    w.settle(&[]);
    let history = w.main_history();
    assert!(
        !history.contains(&first),
        "the batch built on the old base never landed"
    );
    assert!(history.contains(&person));
    assert!(w.pull(1).merged);
    assert!(!w.landings().is_empty());
    for sha in w.landings() {
        assert!(w.passed(&sha), "main moved to {sha}, which CI did not pass");
    }
}

#[test]
fn two_runs_at_once_on_the_same_state_build_one_batch_and_land_once() {
    let w = world(ci().manual());
    w.pr(1, &[("one.txt", "one\n")]);
    w.pr(2, &[("two.txt", "two\n")]);
    // Both runs read the same state before either writes.
    w.fake.set_latency(std::time::Duration::from_millis(40));
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| w.run(&[]));
        let b = s.spawn(|| w.run(&[]));
        (a.join().unwrap(), b.join().unwrap())
    });
    w.fake.set_latency(std::time::Duration::ZERO);
    assert_eq!((a.code, b.code), (0, 0), "{a:?}\n{b:?}");
    let creates: Vec<u16> = w
        .fake
        .calls()
        .iter()
        .filter(|c| c.method == "POST" && c.path == format!("/repos/{REPO}/git/refs"))
        .map(|c| c.status)
        .collect();
    assert_eq!(
        creates.iter().filter(|s| **s == 201).count(),
        1,
        "{creates:?}"
    );
    assert!(
        creates.contains(&422),
        "the second run met the lock: {creates:?}"
    );
    let said = format!("{}{}", a.stdout, b.stdout);
    assert!(
        said.contains("another queue run is building a batch"),
        "{said}"
    );
    let merges = w
        .fake
        .calls()
        .iter()
        .filter(|c| c.path == format!("/repos/{REPO}/merges") && c.status == 201)
        .count();
    assert_eq!(merges, 2, "one batch of two merges");
    w.settle(&[]);
    assert!(w.pull(1).merged && w.pull(2).merged);
    assert_eq!(w.landings().len(), 1, "landed once: {:?}", w.landings());
    assert_eq!(w.comments(1).len(), 1);
    assert_eq!(w.comments(2).len(), 1);
}

#[test]
fn the_integration_branch_deleted_by_hand_aborts_the_batch_and_requeues_its_prs() {
    let w = world(ci().manual());
    w.pr(1, &[("one.txt", "one\n")]);
    assert_eq!(w.run(&[]).code, 0);
    assert!(w.sha("integration/main").is_some());
    w.delete_branch("integration/main");
    w.fake.clear_calls();
    let run = w.run(&[]);
    assert_eq!(run.code, 0, "{run:?}");
    let writes: Vec<String> = w
        .fake
        .writes()
        .iter()
        .map(|c| format!("{} {} {}", c.method, c.path, c.status))
        .collect();
    assert!(
        writes.contains(&format!("POST /repos/{REPO}/git/refs 201")),
        "the branch was created again: {writes:#?}"
    );
    assert!(
        writes.contains(&format!("POST /repos/{REPO}/merges 201")),
        "the PR was merged into it again: {writes:#?}"
    );
    assert!(
        writes.iter().any(|w| w.contains("/dispatches")),
        "CI was started on the rebuilt batch: {writes:#?}"
    );
    assert!(
        w.landings().is_empty(),
        "nothing landed from the lost batch"
    );
    w.settle(&[]);
    assert!(w.pull(1).merged, "the PR was requeued, rebuilt and landed");
    assert_eq!(w.landings().len(), 1);
    assert!(w.passed(&w.landings()[0]));
}

#[test]
fn protection_refusing_the_fast_forward_names_the_rule_and_the_two_fixes() {
    let w = world(ci());
    {
        let mut state = w.fake.state();
        let mut git = state.git_repo(REPO).unwrap();
        git.protect_branch(
            "main",
            fake_github::git::BranchProtection::new()
                .required_checks(&["ci"])
                .require_pull_request(),
        )
        .unwrap();
    }
    w.pr(1, &[("one.txt", "one\n")]);
    let base = w.sha("main").unwrap();
    assert_eq!(w.run(&[]).code, 0);
    let run = w.run(&[]);
    assert_eq!(run.code, 2, "a configuration problem: {run:?}");
    let said = format!("{}{}", run.stdout, run.stderr);
    assert!(
        said.contains("Changes must be made through a pull request"),
        "{said}"
    );
    assert!(said.contains("bypass list"), "{said}");
    assert!(said.contains("landing: merge-api"), "{said}");
    assert_eq!(
        said.matches("was refused by its protection").count(),
        1,
        "said once: {said}"
    );
    assert_eq!(w.sha("main").unwrap(), base, "nothing landed");
    assert!(!w.pull(1).merged);

    // The second fix: merge-api lands each PR through the PR merge API at its tested head.
    let run = w.run(&[("landing", "merge-api")]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(w.pull(1).merged);
    assert!(w.labels(1).is_empty());
    assert_eq!(w.comments(1).len(), 1);
}

#[test]
fn required_checks_pending_then_green_the_pr_waits_then_enters() {
    let w = world(ci());
    let head = w.pr(1, &[("one.txt", "one\n")]);
    w.status(&head, "ci", "pending");
    let run = w.run(&[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        w.sha("integration/main"),
        None,
        "a pending PR does not enter"
    );
    let own = queue_check(&w, &head);
    assert!(own.contains("waiting") && own.contains("ci"), "{own}");
    assert!(w.comments(1).is_empty(), "waiting is not a rejection");
    assert_eq!(w.labels(1), vec![LABEL]);
    w.status(&head, "ci", "success");
    w.settle(&[]);
    assert!(w.pull(1).merged);
}

#[test]
fn a_required_check_that_never_reports_is_named_with_the_branch_it_must_run_on() {
    let w = world(ci());
    {
        let mut state = w.fake.state();
        let mut git = state.git_repo(REPO).unwrap();
        git.add_ruleset(
            "e2e gate",
            &["~DEFAULT_BRANCH"],
            vec![
                serde_json::json!({"type": "required_status_checks", "parameters": {
                "required_status_checks": [{"context": "e2e"}],
                "strict_required_status_checks_policy": false}}),
            ],
            &[],
        )
        .unwrap();
    }
    // A repository that calls a check stuck as soon as it is missing; `e2e` never reports on
    // the PR's head.
    w.push(
        "main",
        &[(
            ".github/guardians.yml",
            "integration-queue:\n  stuck-after-minutes: 0\n",
        )],
    );
    let head = w.pr(1, &[("one.txt", "one\n")]);
    let run = w.run(&[]);
    let own = queue_check(&w, &head);
    assert!(own.contains("`e2e`") && own.contains("`main`"), "{own}");
    assert!(run.outputs["stuck"].contains("e2e"), "{:?}", run.outputs);
    assert!(run.outputs["stuck"].contains("main"), "{:?}", run.outputs);
    assert_eq!(w.sha("integration/main"), None);
}

/// The title of the queue's latest `integration-queue` check run on `sha`.
fn queue_check(w: &World, sha: &str) -> String {
    let mut state = w.fake.state();
    let git = state.git_repo(REPO).expect("the git-backed repository");
    git.check_runs(sha)
        .iter()
        .rev()
        .find(|r| r.name == "integration-queue")
        .and_then(|r| r.output_title.clone())
        .unwrap_or_default()
}

#[test]
fn slack_gets_one_message_per_outcome_and_none_when_nothing_happened() {
    let slack = support::Receiver::start();
    let w = world(ci());
    w.pr(1, &[("one.txt", "one\n")]);
    w.pr(2, &[("BROKEN", "bad\n")]);
    let url = slack.url();
    let inputs = [("slack-webhook-url", url.as_str()), ("batch-size", "1")];
    w.settle(&inputs);
    let bodies = slack.bodies();
    assert_eq!(bodies.len(), 2, "{bodies:#?}");
    assert!(bodies[0].contains("merged #1 into `main`"), "{}", bodies[0]);
    assert!(
        bodies[1].contains("#2 left the integration queue"),
        "{}",
        bodies[1]
    );
    assert!(w.pull(1).merged);
}

/// The budget: at most 3 round trips of reads for 50 queued PRs. Rounds are dependency
/// stages (each round's reads go out together, at most 80 at once, under GitHub's 100
/// concurrent requests). The wall time with 50 ms of latency per request is printed, not
/// asserted (a slow machine must not fail a test).
#[test]
fn fifty_queued_prs_are_read_in_three_rounds_of_requests() {
    let w = world(ci().manual());
    for n in 1..=50 {
        w.pr(n, &[(&format!("f{n}.txt"), "x\n")]);
    }
    // A first run builds a batch, so that the integration branch is read too.
    assert_eq!(w.run(&[]).code, 0);
    // The same dry run without latency: what the process costs apart from waiting on GitHub.
    let started = std::time::Instant::now();
    assert_eq!(w.run(&[("dry-run", "true")]).code, 0);
    let baseline = started.elapsed();
    w.fake.clear_calls();
    w.fake.set_latency(std::time::Duration::from_millis(50));
    let started = std::time::Instant::now();
    let run = w.run(&[("dry-run", "true")]);
    let elapsed = started.elapsed().saturating_sub(baseline);
    w.fake.set_latency(std::time::Duration::ZERO);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("read the queue in 3 round(s)"),
        "{}",
        run.stdout
    );
    let calls = w.fake.calls();
    assert!(
        calls.iter().all(|c| c.method == "GET"),
        "a dry run only reads"
    );
    // select: the repository and the config file; round 1: open PRs, main, its rules and
    // protection, the two ref prefixes; round 2: per PR its details, events, check runs and
    // statuses, and the integration head's commit, checks and runs; round 3: its chain.
    let per_pr = 4 * 50;
    assert_eq!(calls.len(), 2 + 6 + per_pr + 4 + 1, "{}", calls.len());
    let (peak, _) = w.fake.peak_concurrency();
    assert!(
        peak <= 100,
        "at most GitHub's 100 concurrent requests: {peak}"
    );
    assert!(
        peak > 8,
        "a round's reads go out together, past the client's default 8: {peak}"
    );
    eprintln!(
        "50 queued PRs: {} GET requests in 3 rounds, peak {peak} in flight; the dry run took \
         {:.2}s longer with 50 ms of latency per request than with none",
        calls.len(),
        elapsed.as_secs_f64()
    );
}

#[test]
fn exit_1_when_no_required_checks_are_known_the_queue_fails_closed() {
    let w = world(ci());
    {
        let mut state = w.fake.state();
        let mut git = state.git_repo(REPO).unwrap();
        git.protect_branch("main", fake_github::git::BranchProtection::new())
            .unwrap();
    }
    w.pr(1, &[("one.txt", "one\n")]);
    let run = w.run(&[]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(w.sha("integration/main"), None, "nothing is built untested");
    assert!(run.summary.contains("required"), "{}", run.summary);
}

#[test]
fn exit_2_for_an_unknown_config_key_a_bad_input_or_a_malformed_payload() {
    let w = world(ci());
    w.pr(1, &[("one.txt", "one\n")]);

    let run = w.run(&[("batch-size", "0")]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stdout.contains("input `batch-size`"), "{}", run.stdout);
    assert_eq!(run.stdout.matches("::error").count(), 1, "{}", run.stdout);

    let run = w.run(&[("lanes", "9")]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stdout.contains("input `lanes`") && run.stdout.contains("from 1 to 8"),
        "{}",
        run.stdout
    );

    let run = w.run(&[("landing", "squash")]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stdout.contains("`fast-forward` or `merge-api`"),
        "{}",
        run.stdout
    );

    let run = w.run_event(
        "pull_request_target",
        &serde_json::json!({"action": "labeled"}),
        &[],
        &[],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(run.stdout.matches("::error").count(), 1, "{}", run.stdout);

    w.push(
        "main",
        &[(
            ".github/guardians.yml",
            "integration-queue:\n  batch-sise: 2\n",
        )],
    );
    let run = w.run(&[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stdout.contains("batch-sise"), "{}", run.stdout);
    assert_eq!(run.stdout.matches("::error").count(), 1, "{}", run.stdout);

    w.push(
        "main",
        &[(".github/guardians.yml", "integration-queue:\n  lanes: 0\n")],
    );
    let run = w.run(&[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stdout.contains("`lanes` is 0"), "{}", run.stdout);
    assert_eq!(w.sha("integration/main"), None);
}

#[test]
fn exit_3_when_github_keeps_answering_502() {
    let w = world(ci());
    w.pr(1, &[("one.txt", "one\n")]);
    w.fake.inject(fake_github::Fault::status(502).times(1_000));
    let run = w.run(&[]);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.stdout.contains("502"), "{}", run.stdout);
    assert_eq!(run.stdout.matches("::error").count(), 1, "{}", run.stdout);
}

#[test]
fn status_prints_the_queue_in_order_and_writes_nothing() {
    let w = world(ci().manual());
    for n in 1..=3 {
        w.pr(n, &[(&format!("f{n}.txt"), "x\n")]);
    }
    assert_eq!(w.run(&[("batch-size", "2")]).code, 0);
    // From a terminal: the subcommand, with flags instead of the runner's environment.
    let dir = tempfile::tempdir().unwrap();
    let event = dir.path().join("event.json");
    std::fs::write(&event, "{}").unwrap();
    w.fake.clear_calls();
    let out = std::process::Command::new(bin())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("GITHUB_TOKEN", fake_github::DEFAULT_TOKEN)
        .env("INPUT_BATCH-SIZE", "2")
        .args(["status", "--event"])
        .arg(&event)
        .args([
            "--event-name",
            "workflow_dispatch",
            "--repo",
            REPO,
            "--api-url",
        ])
        .arg(w.fake.url())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("integration/main"), "{stdout}");
    assert!(stdout.contains("#1, #2"), "the batch under test: {stdout}");
    assert!(
        stdout.contains("| 1 | #3 | Change 3 |"),
        "the queue in order: {stdout}"
    );
    assert!(stdout.contains("`ci`"), "links to the batch's CI: {stdout}");
    assert!(w.fake.writes().is_empty(), "{:#?}", w.fake.writes());
}

/// A run cut between two writes (GitHub failing every retry of the next write, exit 3) leaves
/// half-done work; the next sweep finishes it: a half-built batch is completed, a landing whose
/// comments and labels were cut is finished, once.
#[test]
fn a_run_cut_between_writes_is_finished_by_the_next_sweep() {
    let w = world(ci());
    w.pr(1, &[("one.txt", "one\n")]);
    w.pr(2, &[("two.txt", "two\n")]);
    // Cut the build after its first write: the branch exists, every merge fails.
    w.fake.inject(
        fake_github::Fault::status(502)
            .on("/repos/*/*/merges")
            .method("POST")
            .times(1_000),
    );
    let before = w.fake.calls().len();
    let run = w.run(&[]);
    assert_eq!(run.code, 3, "{run:?}");
    w.fake.clear_faults();
    assert!(
        w.sha("integration/main").is_some(),
        "the branch was created"
    );
    let merged = w.fake.calls()[before..]
        .iter()
        .filter(|c| c.path.ends_with("/merges") && c.status == 201)
        .count();
    assert_eq!(merged, 0, "cut before any merge landed");

    // Cut the landing after the fast-forward: comments fail.
    let run = w.run(&[]);
    assert_eq!(run.code, 0, "the sweep finishes the build: {run:?}");
    w.fake.inject(
        fake_github::Fault::status(502)
            .on("/repos/*/*/issues/*/comments")
            .times(1_000),
    );
    let run = w.run(&[]);
    assert_eq!(run.code, 3, "{run:?}");
    w.fake.clear_faults();
    assert_eq!(w.landings().len(), 1, "main moved before the cut");
    assert!(w.pull(1).merged && w.pull(2).merged);
    assert_eq!(
        w.labels(1),
        vec![LABEL],
        "the cut run never removed the label"
    );

    w.settle(&[]);
    for n in [1, 2] {
        assert!(w.labels(n).is_empty(), "#{n}: label removed by the sweep");
        assert_eq!(w.comments(n).len(), 1, "#{n}: one comment");
    }
    assert_eq!(w.landings().len(), 1, "landed once");
    assert_eq!(
        w.sha("integration/main"),
        None,
        "the integration branch is gone"
    );
}

#[test]
fn five_runs_at_once_build_one_batch_and_land_once() {
    let w = world(ci().manual());
    for n in 1..=3 {
        w.pr(n, &[(&format!("f{n}.txt"), "x\n")]);
    }
    w.fake.set_latency(std::time::Duration::from_millis(40));
    let runs: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..5).map(|_| s.spawn(|| w.run(&[]))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    w.fake.set_latency(std::time::Duration::ZERO);
    for run in &runs {
        assert_eq!(run.code, 0, "{run:?}");
    }
    let created = w
        .fake
        .calls()
        .iter()
        .filter(|c| {
            c.method == "POST" && c.path == format!("/repos/{REPO}/git/refs") && c.status == 201
        })
        .count();
    assert_eq!(created, 1, "one batch");
    w.settle(&[]);
    assert!((1..=3).all(|n| w.pull(n).merged));
    assert_eq!(w.landings().len(), 1, "landed once: {:?}", w.landings());
    for n in 1..=3 {
        assert_eq!(w.comments(n).len(), 1, "#{n}: one comment");
    }
}

#[test]
fn a_queued_pr_pushed_to_goes_to_the_back_of_the_queue() {
    let w = world(ci());
    w.pr(1, &[("one.txt", "one\n")]);
    w.pr(2, &[("two.txt", "two\n")]);
    // GitHub's times have whole seconds: the push comes visibly later.
    std::thread::sleep(std::time::Duration::from_millis(1_100));
    let pushed = w.push("pr/1", &[("one.txt", "one, again\n")]);
    w.status(&pushed, "ci", "success");
    let run = w.run(&[("batch-size", "1")]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.outputs["testing"], "2",
        "#2 goes first: {:?}",
        run.outputs
    );
    w.settle(&[("batch-size", "1")]);
    assert!(w.pull(1).merged && w.pull(2).merged);
    assert_eq!(w.pull(1).head.sha, pushed);
}

#[test]
fn retry_failed_re_runs_the_failed_jobs_once_before_the_batch_counts_as_failed() {
    let w = world(ci());
    w.pr(1, &[("BROKEN", "bad\n")]);
    let inputs = [("retry-failed", "1")];
    w.settle(&inputs);
    assert_eq!(w.reruns(), 1, "the failed jobs were re-run once");
    assert!(!w.pull(1).merged);
    assert!(w.labels(1).is_empty(), "failed twice: it left the queue");
    let comments = w.comments(1);
    assert_eq!(comments.len(), 1, "{comments:#?}");
    assert!(comments[0].contains("failed"), "{}", comments[0]);
}

/// Whether `ancestor` is in `of`'s history (git's own answer).
fn in_history(w: &World, ancestor: &str, of: &str) -> bool {
    let mut state = w.fake.state();
    let git = state.git_repo(REPO).expect("the git-backed repository");
    git.repo()
        .expect("a git repository")
        .is_ancestor(ancestor, of)
        .expect("git merge-base")
}

const TWO_LANES: [(&str, &str); 2] = [("batch-size", "2"), ("lanes", "2")];

#[test]
fn two_lanes_green_land_both_batches_by_one_fast_forward_in_queue_order() {
    let w = world(ci().manual());
    for n in 1..=4 {
        w.pr(n, &[(&format!("f{n}.txt"), "good\n")]);
    }
    let base = w.sha("main").unwrap();
    let rounds = w.ci_rounds();

    // One run builds lane 1 on main, reads it back, and stacks lane 2 on lane 1's head.
    let run = w.run(&TWO_LANES);
    assert_eq!(run.code, 0, "{run:?}");
    let lane1 = w.sha("integration/main").expect("lane 1 built");
    let lane2 = w.sha("integration/main.lane-2").expect("lane 2 built");
    assert!(in_history(&w, &lane1, &lane2), "lane 2 is built on lane 1");
    assert!(
        run.stdout.contains("stacking the next lane"),
        "{}",
        run.stdout
    );
    assert_eq!(w.ci_rounds() - rounds, 2, "one CI round per lane, at once");
    // The next run finds both lanes under test and writes nothing.
    w.fake.clear_calls();
    let run = w.run(&TWO_LANES);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(w.fake.writes().is_empty(), "{:#?}", w.fake.writes());
    assert_eq!(run.outputs["testing"], "1,2,3,4", "{:?}", run.outputs);
    assert_eq!(
        w.sha("integration/main").unwrap(),
        lane1,
        "lane 1 untouched"
    );
    assert_eq!(w.sha("main").unwrap(), base, "nothing lands before CI");
    assert!(
        queue_check(&w, &w.pull(3).head.sha).starts_with("testing in batch 3"),
        "{}",
        queue_check(&w, &w.pull(3).head.sha)
    );

    // Both lanes green: one fast-forward to lane 2's tested commit lands both batches.
    w.finish_ci();
    let run = w.run(&TWO_LANES);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        w.landings(),
        vec![lane2.clone()],
        "main moved once, to exactly lane 2's tested commit"
    );
    assert!(w.passed(&lane1) && w.passed(&lane2));
    assert_eq!(run.outputs["landed"], "1,2,3,4");
    // In queue order: main's first-parent history passes lane 1's batch, then lane 2's.
    let history = w.main_history();
    let at = |sha: &str| history.iter().position(|h| h == sha).expect("in main");
    assert!(
        at(&lane2) < at(&lane1) && at(&lane1) < at(&base),
        "{history:?}"
    );
    for n in 1..=4 {
        assert!(w.pull(n).merged, "#{n} landed");
        assert!(w.labels(n).is_empty(), "#{n} label removed");
        let comments = w.comments(n);
        assert_eq!(comments.len(), 1, "{comments:#?}");
        assert!(comments[0].contains(&lane2), "{}", comments[0]);
    }
    assert_eq!(w.sha("integration/main"), None, "lanes deleted");
    assert_eq!(w.sha("integration/main.lane-2"), None, "lanes deleted");

    w.fake.clear_calls();
    let run = w.run(&TWO_LANES);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(w.fake.writes().is_empty(), "{:#?}", w.fake.writes());
}

#[test]
fn a_failed_lower_lane_discards_the_upper_lane_and_its_prs_land_later() {
    let w = world(ci().manual());
    w.pr(1, &[("f1.txt", "good\n")]);
    // Green on its own head, red once integrated.
    w.pr(2, &[("BROKEN", "bad\n")]);
    w.pr(3, &[("f3.txt", "good\n")]);
    w.pr(4, &[("f4.txt", "good\n")]);
    let base = w.sha("main").unwrap();
    assert_eq!(w.run(&TWO_LANES).code, 0);
    let lane2 = w.sha("integration/main.lane-2").expect("lane 2 built");

    // Lane 1 ([1 2]) fails; lane 2 ([3 4] on top of it) fails too, for lane 1's sake.
    w.finish_ci();
    assert!(!w.passed(&lane2));
    let run = w.run(&TWO_LANES);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(w.sha("main").unwrap(), base, "nothing lands");
    assert_eq!(
        w.sha("integration/main.lane-2"),
        None,
        "the lane on the failed one is discarded"
    );
    assert_eq!(run.outputs["ejected"], "", "lane 2's PRs are not blamed");
    for n in [3, 4] {
        assert_eq!(w.labels(n), vec![LABEL.to_string()], "#{n} stays queued");
        assert!(w.comments(n).is_empty(), "#{n} gets no comment");
        let status = queue_check(&w, &w.pull(n).head.sha);
        assert!(status.starts_with("queued, position"), "#{n}: {status}");
    }
    assert_eq!(
        run.outputs["testing"], "1",
        "bisection: the left half first"
    );

    // The good PRs land later; the bad one is named; main only moved to commits that passed.
    w.settle(&TWO_LANES);
    for n in [1, 3, 4] {
        assert!(w.pull(n).merged, "#{n} landed");
    }
    assert!(!w.pull(2).merged, "the bad PR never lands");
    assert!(w.labels(2).is_empty());
    let comments = w.comments(2);
    assert!(
        comments.len() == 1 && comments[0].contains("`ci`"),
        "{comments:#?}"
    );
    assert!(
        !w.main_history().contains(&lane2),
        "the discarded lane never landed"
    );
    assert!(!w.landings().is_empty());
    for sha in w.landings() {
        assert!(w.passed(&sha), "main moved to {sha}, which CI did not pass");
    }
}

#[test]
fn two_runs_at_once_stack_one_lane_not_two() {
    let w = world(ci().manual());
    for n in 1..=4 {
        w.pr(n, &[(&format!("f{n}.txt"), "good\n")]);
    }
    // Lane 1 alone first; then two runs with two lanes both want lane 2.
    let run = w.run(&[("batch-size", "2")]);
    assert_eq!(run.code, 0, "{run:?}");
    let lane1 = w.sha("integration/main").expect("lane 1 built");
    assert_eq!(w.sha("integration/main.lane-2"), None);
    w.fake.clear_calls();
    // Both runs read lane 1 under test before either writes; both want lane 2.
    w.fake.set_latency(std::time::Duration::from_millis(40));
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| w.run(&TWO_LANES));
        let b = s.spawn(|| w.run(&TWO_LANES));
        (a.join().unwrap(), b.join().unwrap())
    });
    w.fake.set_latency(std::time::Duration::ZERO);
    assert_eq!((a.code, b.code), (0, 0), "{a:?}\n{b:?}");
    let creates: Vec<u16> = w
        .fake
        .calls()
        .iter()
        .filter(|c| c.method == "POST" && c.path == format!("/repos/{REPO}/git/refs"))
        .map(|c| c.status)
        .collect();
    assert_eq!(creates, vec![201, 422], "creating lane 2 is the lock");
    let said = format!("{}{}", a.stdout, b.stdout);
    assert!(
        said.contains("another queue run is building a batch"),
        "{said}"
    );
    let merges = w
        .fake
        .calls()
        .iter()
        .filter(|c| c.path == format!("/repos/{REPO}/merges") && c.status == 201)
        .count();
    assert_eq!(merges, 2, "lane 2 built once: two merges");
    assert_eq!(w.sha("integration/main").unwrap(), lane1);
    w.settle(&TWO_LANES);
    for n in 1..=4 {
        assert!(w.pull(n).merged, "#{n} landed");
        assert_eq!(w.comments(n).len(), 1);
    }
}
