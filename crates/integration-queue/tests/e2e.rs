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
