//! Speculative lanes: lane k+1 is built on lane k's head, lands only with every lane below it,
//! and is discarded when a lane below it fails or no longer holds.

use super::*;

/// A lane above lane 1: `integration/main.lane-<n>` built by the queue on `on` with these PRs.
fn with_lane(s: &mut QueueState, n: usize, on: char, prs: &[Pinned], head: char) {
    let m = Manifest {
        base: sha(on),
        batch: prs[0].number.to_string(),
        round: 1,
        step: prs.len(),
        left_of_failed: false,
        evidence: None,
        prs: prs.to_vec(),
        then: vec![],
    };
    let branch = format!("integration/main.lane-{n}");
    s.lanes.insert(
        branch.clone(),
        IntegrationBranch {
            head_sha: sha(head),
            head_message: m.commit_message(prs[0].number, "t", &branch),
            head_by_queue: true,
            head_committed_at: t(9_000),
            merged_heads: Some(prs.iter().map(|p| p.sha.clone()).collect()),
            ci_started: true,
        },
    );
}

/// Six green PRs, batches of two, `lanes` lanes; lane 1 holds [1 2] on the base at `f`.
fn stacked(lanes: usize) -> QueueState {
    let heads = ['a', 'b', 'c', 'd', 'e', 'p'];
    let mut s = state((1..=6).map(|n| pr(n, heads[n as usize - 1])).collect());
    s.config.batch_size = 2;
    s.config.lanes = lanes;
    with_batch(&mut s, BASE, &[pin(1, 'a'), pin(2, 'b')], vec![], 'f');
    s
}

fn created(p: &QueuePlan) -> Vec<(String, Sha)> {
    p.writes
        .iter()
        .filter_map(|w| match w {
            Write::CreateRef { branch, sha } => Some((branch.clone(), sha.clone())),
            _ => None,
        })
        .collect()
}

fn deleted(p: &QueuePlan) -> Vec<String> {
    p.writes
        .iter()
        .filter_map(|w| match w {
            Write::DeleteRef { branch } => Some(branch.clone()),
            _ => None,
        })
        .collect()
}

fn merge_messages(p: &QueuePlan) -> Vec<String> {
    p.writes
        .iter()
        .filter_map(|w| match w {
            Write::Merge { message, .. } => Some(message.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn the_next_batch_is_stacked_on_the_lane_under_test_as_a_new_lane() {
    let mut s = stacked(2);
    ci(&mut s, 'f', CheckOutcome::Pending, 1);
    let p = plan(&s);
    assert!(base_moves(&p).is_empty());
    // Creating the lane's branch is the lock, at lane 1's head.
    assert_eq!(
        created(&p),
        vec![("integration/main.lane-2".to_string(), sha('f'))]
    );
    assert_eq!(merges(&p), vec![3, 4], "the next PRs in queue order");
    let m = Manifest::parse(merge_messages(&p).last().expect("a merge")).expect("manifest");
    assert_eq!(m.base, sha('f'), "the manifest's base is lane 1's head");
    assert!(p.writes.contains(&Write::Dispatch {
        workflow: "ci.yml".into(),
        branch: "integration/main.lane-2".into()
    }));
    assert_eq!(p.testing["main"], vec![1, 2, 3, 4]);
    assert_eq!(p.queue["main"], vec![5, 6]);
    // One lane: the same state waits for lane 1.
    s.config.lanes = 1;
    assert!(merges(&plan(&s)).is_empty());
}

#[test]
fn a_full_stack_under_test_plans_no_writes() {
    let mut s = stacked(2);
    ci(&mut s, 'f', CheckOutcome::Pending, 1);
    with_lane(&mut s, 2, 'f', &[pin(3, 'c'), pin(4, 'd')], 'g');
    ci(&mut s, 'g', CheckOutcome::Pending, 1);
    for (n, batch) in [(1, "1"), (2, "1"), (3, "3"), (4, "3")] {
        let head = s.pr(n).expect("pr").head_sha.clone();
        s.statuses.insert(
            n,
            StatusSeen {
                sha: head,
                status: QueueStatus::Testing {
                    batch: batch.into(),
                    round: 1,
                },
            },
        );
    }
    for (n, position) in [(5, 1), (6, 2)] {
        let head = s.pr(n).expect("pr").head_sha.clone();
        s.statuses.insert(
            n,
            StatusSeen {
                sha: head,
                status: QueueStatus::Queued { position },
            },
        );
    }
    assert_eq!(plan(&s).writes, Vec::new());
}

#[test]
fn lanes_land_bottom_first_and_a_green_lane_waits_for_the_ones_below() {
    let mut s = stacked(2);
    with_lane(&mut s, 2, 'f', &[pin(3, 'c'), pin(4, 'd')], 'g');
    // Lane 2 passed, lane 1 still testing: nothing lands.
    ci(&mut s, 'f', CheckOutcome::Pending, 1);
    ci(&mut s, 'g', CheckOutcome::Passed, 1);
    let p = plan(&s);
    assert!(base_moves(&p).is_empty() && p.landed.is_empty());
    assert!(deleted(&p).is_empty());

    // Lane 1 passed, lane 2 testing: lane 1 lands alone; lane 2 is now the bottom lane.
    ci(&mut s, 'f', CheckOutcome::Passed, 1);
    ci(&mut s, 'g', CheckOutcome::Pending, 1);
    let p = plan(&s);
    assert_eq!(
        base_moves(&p),
        vec![&Write::UpdateRef {
            branch: "main".into(),
            sha: sha('f'),
            force: false
        }]
    );
    assert_eq!(
        p.landed.iter().map(|l| l.pr).collect::<Vec<_>>(),
        vec![1, 2]
    );
    assert_eq!(p.testing["main"], vec![3, 4]);
    // Lane 1's branch is deleted; the next run creates it again (the lock) on lane 2's head.
    assert_eq!(deleted(&p), vec!["integration/main".to_string()]);
    assert!(merges(&p).is_empty());
    let mut after = s.clone();
    after.bases.insert("main".into(), sha('f'));
    after.integration.clear();
    after.prs.retain(|p| p.number > 2);
    let next = plan(&after);
    assert_eq!(
        created(&next),
        vec![("integration/main".to_string(), sha('g'))]
    );
    assert_eq!(merges(&next), vec![5, 6]);

    // Both passed: one fast-forward to lane 2's head lands both batches, in order.
    ci(&mut s, 'g', CheckOutcome::Passed, 1);
    let p = plan(&s);
    assert_eq!(
        base_moves(&p),
        vec![&Write::UpdateRef {
            branch: "main".into(),
            sha: sha('g'),
            force: false
        }]
    );
    assert_eq!(
        p.landed
            .iter()
            .map(|l| (l.pr, l.sha.clone()))
            .collect::<Vec<_>>(),
        (1..=4).map(|n| (n, sha('g'))).collect::<Vec<_>>()
    );
    assert!(comments(&p, 1)[0].contains(&format!("as `{}`", sha('g'))));
    assert_eq!(
        p.events
            .iter()
            .filter(|e| matches!(e, Event::CiPassed { .. }))
            .count(),
        2,
        "one ci_passed per lane"
    );
    // The next batch goes onto the landed head, in the branch already there.
    assert_eq!(merges(&p), vec![5, 6]);
    assert!(created(&p).is_empty());
}

#[test]
fn a_failed_lower_lane_discards_the_lanes_above_and_bisects() {
    let mut s = stacked(3);
    with_lane(&mut s, 2, 'f', &[pin(3, 'c'), pin(4, 'd')], 'g');
    ci(&mut s, 'f', CheckOutcome::Failed, 1);
    ci(&mut s, 'g', CheckOutcome::Passed, 1);
    let p = plan(&s);
    assert!(
        base_moves(&p).is_empty() && p.landed.is_empty(),
        "nothing lands"
    );
    // The left half goes on the base in a lane branch created for it (creating is the lock);
    // the failed lane and lane 2, stacked on it, are deleted.
    assert_eq!(
        created(&p),
        vec![("integration/main.lane-3".to_string(), sha(BASE))]
    );
    assert_eq!(
        merges(&p),
        vec![1],
        "bisection goes on: the left half on the base"
    );
    assert_eq!(
        deleted(&p),
        vec![
            "integration/main".to_string(),
            "integration/main.lane-2".to_string()
        ],
    );
    assert_eq!(p.testing["main"], vec![1]);
    // Lane 2's PRs are queued again, behind what bisection still owes (PR 2).
    assert_eq!(p.queue["main"], vec![2, 3, 4, 5, 6]);
    assert!(!label_removed(&p, 3) && !label_removed(&p, 4));
}

#[test]
fn a_failed_upper_lane_waits_for_the_lanes_below_and_nothing_is_stacked_on_it() {
    let mut s = stacked(3);
    with_lane(&mut s, 2, 'f', &[pin(3, 'c'), pin(4, 'd')], 'g');
    with_lane(&mut s, 3, 'g', &[pin(5, 'e')], 'h');
    ci(&mut s, 'f', CheckOutcome::Pending, 1);
    ci(&mut s, 'g', CheckOutcome::Failed, 1);
    ci(&mut s, 'h', CheckOutcome::Pending, 1);
    let p = plan(&s);
    assert!(base_moves(&p).is_empty());
    assert!(p.ejected.is_empty(), "not judged before lane 1 is");
    assert_eq!(deleted(&p), vec!["integration/main.lane-3".to_string()]);
    assert!(merges(&p).is_empty());
    // Lane 1 passes: it lands, and lane 2's failure is now its own: bisected on the new base.
    ci(&mut s, 'f', CheckOutcome::Passed, 1);
    let p = plan(&s);
    assert_eq!(base_moves(&p).len(), 1);
    assert_eq!(merges(&p), vec![3], "the left half of the failed lane");
}

#[test]
fn a_base_moved_by_a_person_invalidates_every_lane() {
    let mut s = stacked(2);
    with_lane(&mut s, 2, 'f', &[pin(3, 'c'), pin(4, 'd')], 'g');
    ci(&mut s, 'f', CheckOutcome::Passed, 1);
    ci(&mut s, 'g', CheckOutcome::Passed, 1);
    s.bases.insert("main".into(), sha('9'));
    let p = plan(&s);
    assert!(
        base_moves(&p).is_empty() && p.landed.is_empty(),
        "untested code never lands"
    );
    assert_eq!(
        merges(&p),
        vec![1, 2],
        "lane 1's batch rebuilt on the new base"
    );
    let m = Manifest::parse(merge_messages(&p).last().expect("a merge")).expect("manifest");
    assert_eq!(m.base, sha('9'));
    assert_eq!(deleted(&p), vec!["integration/main.lane-2".to_string()]);
}

#[test]
fn a_pr_pushed_in_an_upper_lane_discards_that_lane_only() {
    let mut s = stacked(2);
    with_lane(&mut s, 2, 'f', &[pin(3, 'c'), pin(4, 'd')], 'g');
    ci(&mut s, 'f', CheckOutcome::Passed, 1);
    ci(&mut s, 'g', CheckOutcome::Passed, 1);
    s.prs[2].head_sha = sha('x');
    let p = plan(&s);
    assert_eq!(
        base_moves(&p),
        vec![&Write::UpdateRef {
            branch: "main".into(),
            sha: sha('f'),
            force: false
        }],
        "lane 1 still holds and lands; lane 2 does not"
    );
    assert!(!p.landed.iter().any(|l| l.pr == 3 || l.pr == 4));
    assert!(deleted(&p).contains(&"integration/main.lane-2".to_string()));
}

#[test]
fn a_landing_of_two_lanes_cut_after_the_fast_forward_is_finished_for_both() {
    let mut s = stacked(2);
    // Lane 1's manifest still lists groups ([3 4], then [5] alone) that lane 2, stacked on it
    // and landed with it, superseded: lane 2 owes nothing.
    let m = Manifest {
        base: sha(BASE),
        batch: "1".into(),
        round: 1,
        step: 2,
        left_of_failed: false,
        evidence: None,
        prs: vec![pin(1, 'a'), pin(2, 'b')],
        then: vec![vec![pin(3, 'c'), pin(4, 'd')], vec![pin(5, 'e')]],
    };
    set_manifest(&mut s, &m, 'f');
    with_lane(&mut s, 2, 'f', &[pin(3, 'c'), pin(4, 'd')], 'g');
    // main was moved to lane 2's head; the run stopped before any comment.
    s.bases.insert("main".into(), sha('g'));
    for p in s.prs.iter_mut().filter(|p| p.number <= 4) {
        p.open = false;
        p.merged = true;
    }
    let p = plan(&s);
    for n in 1..=4 {
        let said = comments(&p, n);
        assert!(
            said.len() == 1 && said[0].contains(&format!("as `{}`", sha('g'))),
            "#{n}: {said:?}"
        );
        assert!(label_removed(&p, n));
    }
    assert!(base_moves(&p).is_empty());
    assert_eq!(
        merges(&p),
        vec![5, 6],
        "the queue goes on from the landed head"
    );
}

#[test]
fn lane_1_deleted_by_hand_requeues_both_lanes_in_queue_order() {
    let mut s = stacked(2);
    with_lane(&mut s, 2, 'f', &[pin(3, 'c'), pin(4, 'd')], 'g');
    ci(&mut s, 'g', CheckOutcome::Passed, 1);
    s.integration.clear();
    let p = plan(&s);
    assert!(
        base_moves(&p).is_empty(),
        "lane 2 never lands without lane 1"
    );
    assert_eq!(merges(&p), vec![1, 2], "lane 1's PRs first, as queued");
    assert_eq!(
        created(&p),
        vec![("integration/main".to_string(), sha(BASE))]
    );
    assert_eq!(deleted(&p), vec!["integration/main.lane-2".to_string()]);
    assert_eq!(p.queue["main"], vec![3, 4, 5, 6]);
}
