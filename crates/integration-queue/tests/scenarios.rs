//! The queue's behaviour end to end on the simulated repository: the real `plan`, its writes
//! applied as GitHub answers them, CI modelled.

use integration_queue::plan::{QueueStatus, Write};
use integration_queue::sim::{CiModel, World};
use integration_queue::state::QueueConfig;

fn world(batch: usize) -> World {
    World::new(
        QueueConfig {
            batch_size: batch,
            ..QueueConfig::default()
        },
        CiModel::default(),
        7,
    )
}

/// Runs CI and the queue until nothing is left to do.
fn drain(w: &mut World) {
    w.settle();
    for _ in 0..200 {
        let Some(t) = w.next_ci_finish() else { break };
        w.advance_to(t);
        w.settle();
    }
    assert_eq!(w.violations, Vec::<String>::new());
}

#[test]
fn happy_path_of_one_pr() {
    let mut w = world(4);
    let n = w.open_pr(false, false, None);
    w.label(n);
    drain(&mut w);
    assert_eq!(w.landed, vec![n]);
    assert!(w.prs[&n].pr.merged);
    assert!(w.prs[&n].pr.labels.is_empty());
    assert!(
        w.comments[&n]
            .last()
            .is_some_and(|c| c.contains("merged into `main`"))
    );
    assert!(
        !w.repo.refs.contains_key("integration/main"),
        "integration branch deleted"
    );
    assert_eq!(w.ci_rounds, 1);
}

#[test]
fn five_prs_with_batch_four_and_one_bad_lands_the_four_good_and_names_the_bad() {
    let mut w = world(4);
    let prs: Vec<u64> = (0..5).map(|i| w.open_pr(i == 2, false, None)).collect();
    for n in &prs {
        w.label(*n);
    }
    drain(&mut w);
    let mut landed = w.landed.clone();
    landed.sort_unstable();
    assert_eq!(landed, vec![prs[0], prs[1], prs[3], prs[4]]);
    let bad = prs[2];
    assert!(!w.prs[&bad].pr.merged);
    let comment = w.comments[&bad].last().cloned().unwrap_or_default();
    assert!(comment.contains("integration CI failed"), "{comment}");
    assert!(comment.contains("https://ci.example/test/"), "{comment}");
    assert!(comment.contains("CI rounds to find it"), "{comment}");
    assert!(
        w.repo
            .refs
            .keys()
            .any(|r| r.starts_with(&format!("integration-failed/pr-{bad}-")))
    );
    // [1 2 3 4] fails, [1 2] passes, so [3 4] is known to fail: [3] fails, [4], then [5].
    assert!(w.ci_rounds <= 5, "rounds: {}", w.ci_rounds);
}

#[test]
fn a_plan_on_the_state_after_its_own_writes_writes_nothing() {
    let mut w = world(2);
    for _ in 0..3 {
        let n = w.open_pr(false, false, None);
        w.label(n);
    }
    let (first, applied) = w.run_queue(None);
    assert!(applied.stopped.is_none());
    assert!(
        first
            .writes
            .iter()
            .any(|x| matches!(x, Write::Merge { .. }))
    );
    let (second, _) = w.run_queue(None);
    assert_eq!(second.writes, Vec::new());
    w.advance_to(600);
    let (landing, _) = w.run_queue(None);
    assert!(!landing.landed.is_empty());
    let (after, _) = w.run_queue(None);
    assert_eq!(after.writes, Vec::new());
}

#[test]
fn statuses_say_position_and_batch() {
    let mut w = world(1);
    let a = w.open_pr(false, false, None);
    let b = w.open_pr(false, false, None);
    w.label(a);
    w.label(b);
    let (plan, _) = w.run_queue(None);
    let statuses: Vec<(u64, QueueStatus)> = plan
        .writes
        .iter()
        .filter_map(|x| match x {
            Write::SetStatus { pr, status, .. } => Some((*pr, status.clone())),
            _ => None,
        })
        .collect();
    assert!(
        statuses.contains(&(b, QueueStatus::Queued { position: 1 })),
        "{statuses:?}"
    );
    assert!(statuses.contains(&(
        a,
        QueueStatus::Testing {
            batch: a.to_string(),
            round: 1
        }
    )));
}

#[test]
fn a_landing_with_fifty_queued_rewrites_only_what_changed() {
    let mut w = world(4);
    let prs: Vec<u64> = (0..54).map(|_| w.open_pr(false, false, None)).collect();
    for n in &prs {
        w.label(*n);
    }
    w.settle();
    w.advance_to(600);
    let (plan, _) = w.run_queue(None);
    let count = |f: fn(&Write) -> bool| plan.writes.iter().filter(|x| f(x)).count();
    let merges = count(|x| matches!(x, Write::Merge { .. }));
    let statuses = count(|x| matches!(x, Write::SetStatus { .. }));
    // 1 fast-forward, 4 × (comment, merged status, label), 4 merges + 1 dispatch for the next
    // batch, 4 testing statuses, and the 46 still waiting move up by 4 places.
    assert_eq!(merges, 4);
    assert_eq!(statuses, 4 + 4 + 46);
    assert_eq!(plan.writes.len(), 1 + 12 + 5 + 4 + 46);
}

/// Five PRs, one bad, batch 4, with CI done between runs; `cut` stops one run after that many
/// writes (a run cancelled between two writes).
fn run_with_cut_at(round: usize, cut: usize) -> World {
    let mut w = world(4);
    let prs: Vec<u64> = (0..5).map(|i| w.open_pr(i == 1, false, None)).collect();
    for n in &prs {
        w.label(*n);
    }
    for r in 0..12 {
        if r == round {
            w.run_queue(Some(cut));
        }
        w.settle();
        if let Some(t) = w.next_ci_finish() {
            w.advance_to(t);
        }
    }
    drain(&mut w);
    w
}

#[test]
fn a_run_killed_between_any_two_writes_is_finished_by_the_next_runs() {
    for round in 0..6 {
        for cut in 0..16 {
            let w = run_with_cut_at(round, cut);
            let mut landed = w.landed.clone();
            landed.sort_unstable();
            assert_eq!(
                landed,
                vec![1, 3, 4, 5],
                "cut after {cut} writes in round {round}"
            );
            assert!(
                w.prs.values().all(|p| !p.pr.has_label("ready-to-queue")),
                "round {round}, cut {cut}: labels left"
            );
            assert!(!w.repo.refs.contains_key("integration/main"));
        }
    }
}

#[test]
fn a_pr_pushed_to_while_its_batch_is_tested_never_lands_stale() {
    let mut w = world(4);
    let a = w.open_pr(false, false, None);
    let b = w.open_pr(false, false, None);
    w.label(a);
    w.label(b);
    w.settle();
    let stale = w.prs[&b].pr.head_sha.clone();
    w.push(b, false);
    w.advance_to(600);
    drain(&mut w);
    assert_eq!(w.landed, vec![a, b]);
    let base = w.repo.refs["main"].clone();
    let content = w
        .repo
        .commit(&base)
        .map(|c| c.content.clone())
        .unwrap_or_default();
    assert!(content.contains(&w.prs[&b].pr.head_sha));
    assert!(
        !content.contains(&stale),
        "the pushed-over change is not in main"
    );
}

#[test]
fn the_base_moved_by_a_person_during_ci_means_a_rebuild_never_an_untested_landing() {
    let mut w = world(4);
    let a = w.open_pr(false, false, None);
    w.label(a);
    w.settle();
    w.human_push_base();
    let hotfix = w.repo.refs["main"].clone();
    w.advance_to(600);
    let (plan, _) = w.run_queue(None);
    assert!(
        plan.landed.is_empty(),
        "the tested batch was built on the old base"
    );
    drain(&mut w);
    assert_eq!(w.landed, vec![a]);
    assert!(w.repo.is_ancestor(&hotfix, &w.repo.refs["main"]));
    assert_eq!(w.ci_rounds, 2);
}

#[test]
fn lanes_fill_one_per_run_then_a_plan_on_its_own_writes_writes_nothing() {
    let mut w = World::new(
        QueueConfig {
            batch_size: 2,
            lanes: 3,
            ..QueueConfig::default()
        },
        CiModel::default(),
        7,
    );
    for _ in 0..8 {
        let n = w.open_pr(false, false, None);
        w.label(n);
    }
    // Each lane needs the head of the one below, which only the merges make: one per run.
    for lane in [
        "integration/main",
        "integration/main.lane-2",
        "integration/main.lane-3",
    ] {
        let (p, applied) = w.run_queue(None);
        assert!(applied.stopped.is_none());
        assert!(
            p.writes
                .iter()
                .any(|x| matches!(x, Write::CreateRef { branch, .. } if branch == lane)),
            "{lane} created"
        );
    }
    let (full, _) = w.run_queue(None);
    assert_eq!(full.writes, Vec::new());
    assert_eq!(full.testing["main"], vec![1, 2, 3, 4, 5, 6]);
    assert_eq!(full.queue["main"], vec![7, 8]);
    // All three lanes pass at once: one fast-forward lands the six PRs.
    let t = w.next_ci_finish().expect("CI running");
    w.advance_to(t);
    let (landing, _) = w.run_queue(None);
    assert_eq!(landing.landed.len(), 6);
    assert_eq!(
        landing
            .writes
            .iter()
            .filter(|x| matches!(x, Write::UpdateRef { branch, .. } if branch == "main"))
            .count(),
        1
    );
    drain(&mut w);
    assert_eq!(w.landed, (1..=8).collect::<Vec<u64>>());
    let (after, _) = w.run_queue(None);
    assert_eq!(after.writes, Vec::new());
}
