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
    for n in [1, 2, 4, 5] {
        w.pr(n, &[(&format!("f{n}.txt"), "good\n")]);
    }
    // Green on its own head, red once integrated: the simulated CI fails a tree with BROKEN.
    w.pr(3, &[("BROKEN", "bad\n")]);
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
