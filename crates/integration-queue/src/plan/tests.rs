//! One test per rule, each on a hand-built state named after its case.

use jiff::Timestamp;

use super::*;
use crate::manifest::{Manifest, Pinned};
use crate::state::{
    CheckOutcome, CheckResult, IntegrationBranch, Mergeable, PullRequest, QueueConfig, StatusSeen,
};

fn sha(c: char) -> String {
    std::iter::repeat_n(c, 40).collect()
}

fn t(s: i64) -> Timestamp {
    Timestamp::from_second(s).expect("valid time")
}

const BASE: char = '0';

/// A change to the state that makes a case.
type Edit = Box<dyn Fn(&mut QueueState)>;

fn pr(n: u64, head: char) -> PullRequest {
    PullRequest {
        number: n,
        title: format!("PR {n}"),
        head_sha: sha(head),
        base: "main".into(),
        open: true,
        merged: false,
        draft: false,
        mergeable: Mergeable::Clean,
        labels: vec!["ready-to-queue".into()],
        labeled_at: Some(t(1000 + n as i64)),
        head_pushed_at: None,
    }
}

fn results(outcome: CheckOutcome, attempt: u32) -> Vec<CheckResult> {
    ["build", "test"]
        .iter()
        .map(|n| CheckResult {
            name: (*n).into(),
            outcome: if *n == "build" && outcome == CheckOutcome::Failed {
                CheckOutcome::Passed
            } else {
                outcome
            },
            url: format!("https://ci/{n}"),
            attempt,
        })
        .collect()
}

/// PRs with green heads on `main` at `BASE`, no integration branch.
fn state(prs: Vec<PullRequest>) -> QueueState {
    let mut s = QueueState {
        now: t(10_000),
        config: QueueConfig::default(),
        prs: Vec::new(),
        bases: [("main".to_string(), sha(BASE))].into(),
        required_checks: [("main".to_string(), vec!["build".into(), "test".into()])].into(),
        checks: Default::default(),
        integration: Default::default(),
        lanes: Default::default(),
        failed_branches: Default::default(),
        statuses: Default::default(),
    };
    for p in prs {
        s.checks
            .insert(p.head_sha.clone(), results(CheckOutcome::Passed, 1));
        s.prs.push(p);
    }
    s
}

fn pin(n: u64, head: char) -> Pinned {
    Pinned {
        number: n,
        sha: sha(head),
    }
}

/// An integration head `head` built by the queue on `base` with these PRs.
fn with_batch(s: &mut QueueState, base: char, prs: &[Pinned], then: Vec<Vec<Pinned>>, head: char) {
    let m = Manifest {
        base: sha(base),
        batch: prs[0].number.to_string(),
        round: 1,
        step: prs.len(),
        left_of_failed: false,
        evidence: None,
        prs: prs.to_vec(),
        then,
    };
    set_manifest(s, &m, head);
}

fn set_manifest(s: &mut QueueState, m: &Manifest, head: char) {
    s.integration.insert(
        "main".into(),
        IntegrationBranch {
            head_sha: sha(head),
            head_message: m.commit_message(m.prs[0].number, "t", "integration/main"),
            head_by_queue: true,
            head_committed_at: t(9_000),
            merged_heads: Some(m.prs[..m.step].iter().map(|p| p.sha.clone()).collect()),
            ci_started: true,
        },
    );
}

fn ci(s: &mut QueueState, head: char, outcome: CheckOutcome, attempt: u32) {
    s.checks.insert(sha(head), results(outcome, attempt));
}

fn merges(p: &QueuePlan) -> Vec<u64> {
    p.writes
        .iter()
        .filter_map(|w| match w {
            Write::Merge { pr, .. } => Some(*pr),
            _ => None,
        })
        .collect()
}

fn comments(p: &QueuePlan, n: u64) -> Vec<String> {
    p.writes
        .iter()
        .filter_map(|w| match w {
            Write::Comment { pr, body } if *pr == n => Some(body.clone()),
            _ => None,
        })
        .collect()
}

fn label_removed(p: &QueuePlan, n: u64) -> bool {
    p.writes
        .iter()
        .any(|w| matches!(w, Write::RemoveLabel { pr, .. } if *pr == n))
}

fn base_moves(p: &QueuePlan) -> Vec<&Write> {
    p.writes
        .iter()
        .filter(|w| matches!(w, Write::UpdateRef { branch, .. } if branch == "main"))
        .collect()
}

#[test]
fn entry_rejections_say_why_and_how_to_fix_and_remove_the_label() {
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "draft",
            Box::new(|s| s.prs[0].draft = true),
            "it is a draft",
        ),
        (
            "conflicting",
            Box::new(|s| s.prs[0].mergeable = Mergeable::Conflicting),
            "conflicts with `main`",
        ),
        (
            "failing required check",
            Box::new(|s| ci(s, 'a', CheckOutcome::Failed, 1)),
            "[`test`](https://ci/test)",
        ),
        (
            "retargeted to an unserved base",
            Box::new(|s| s.prs[0].base = "develop".into()),
            "targets `develop`",
        ),
    ];
    for (case, edit, says) in cases {
        let mut s = state(vec![pr(1, 'a')]);
        edit(&mut s);
        let p = plan(&s);
        let c = comments(&p, 1);
        assert_eq!(c.len(), 1, "{case}: one comment");
        assert!(c[0].contains(says), "{case}: {}", c[0]);
        assert!(c[0].contains("To queue it"), "{case}: says the fix");
        assert!(label_removed(&p, 1), "{case}");
        assert!(merges(&p).is_empty(), "{case}: not built");
        assert_eq!(p.ejected, vec![1], "{case}");
    }
}

#[test]
fn entry_waits_quietly_on_pending_checks_and_unknown_mergeability() {
    let cases: Vec<(&str, Edit)> = vec![
        (
            "pending check",
            Box::new(|s| ci(s, 'a', CheckOutcome::Pending, 1)),
        ),
        (
            "cancelled check",
            Box::new(|s| ci(s, 'a', CheckOutcome::Cancelled, 1)),
        ),
        (
            "no result yet",
            Box::new(|s| {
                s.checks.clear();
            }),
        ),
        (
            "mergeability unknown",
            Box::new(|s| s.prs[0].mergeable = Mergeable::Unknown),
        ),
    ];
    for (case, edit) in cases {
        let mut s = state(vec![pr(1, 'a')]);
        s.now = t(1500);
        edit(&mut s);
        let p = plan(&s);
        assert!(comments(&p, 1).is_empty(), "{case}");
        assert!(!label_removed(&p, 1), "{case}");
        assert!(merges(&p).is_empty(), "{case}");
        assert!(
            p.writes.iter().any(|w| matches!(
                w,
                Write::SetStatus {
                    status: QueueStatus::Waiting { .. },
                    ..
                }
            )),
            "{case}: {:?}",
            p.writes
        );
    }
}

#[test]
fn a_required_check_that_never_reports_on_the_head_is_named_with_where_it_must_run() {
    let mut s = state(vec![pr(1, 'a')]);
    s.checks
        .get_mut(&sha('a'))
        .expect("checks")
        .retain(|c| c.name != "test");
    let p = plan(&s);
    assert_eq!(p.stuck.len(), 1);
    assert!(p.stuck[0].message.contains("`test`"));
    assert!(
        p.stuck[0]
            .message
            .contains("`pull_request` for the base `main`")
    );
    assert!(
        !p.failed(),
        "one PR's missing check does not fail the queue"
    );
}

#[test]
fn order_is_priority_then_label_time_then_number_and_a_push_goes_to_the_back() {
    let mut a = pr(1, 'a');
    a.head_pushed_at = Some(t(5000));
    let b = pr(2, 'b');
    let mut c = pr(3, 'c');
    c.labels.push("queue:high".into());
    c.labeled_at = Some(t(4000));
    let mut d = pr(4, 'd');
    d.labeled_at = b.labeled_at;
    let mut s = state(vec![a, b, c, d]);
    s.config.batch_size = 1;
    let p = plan(&s);
    assert_eq!(merges(&p), vec![3]);
    assert_eq!(p.queue["main"], vec![2, 4, 1]);
}

#[test]
fn a_batch_takes_batch_size_prs_in_order_onto_the_base_and_starts_ci() {
    let s = state((1..=6).map(|n| pr(n, char::from(b'a' + n as u8))).collect());
    let p = plan(&s);
    assert_eq!(
        p.writes[0],
        Write::CreateRef {
            branch: "integration/main".into(),
            sha: sha(BASE)
        }
    );
    assert_eq!(merges(&p), vec![1, 2, 3, 4]);
    assert!(
        p.writes
            .iter()
            .any(|w| matches!(w, Write::Dispatch { branch, .. } if branch == "integration/main"))
    );
    let Some(Write::Merge { message, .. }) =
        p.writes.iter().rfind(|w| matches!(w, Write::Merge { .. }))
    else {
        panic!("no merge")
    };
    let m = Manifest::parse(message).expect("manifest");
    assert_eq!((m.step, m.prs.len(), m.base.clone()), (4, 4, sha(BASE)));
}

#[test]
fn green_ci_lands_by_fast_forward_then_comments_then_builds_the_next() {
    let mut s = state(vec![pr(1, 'a'), pr(2, 'b'), pr(3, 'c')]);
    s.config.batch_size = 2;
    with_batch(&mut s, BASE, &[pin(1, 'a'), pin(2, 'b')], vec![], 'f');
    ci(&mut s, 'f', CheckOutcome::Passed, 1);
    let p = plan(&s);
    assert_eq!(
        p.writes[0],
        Write::UpdateRef {
            branch: "main".into(),
            sha: sha('f'),
            force: false
        }
    );
    assert!(comments(&p, 1)[0].contains(&format!("as `{}`", sha('f'))));
    assert!(label_removed(&p, 1) && label_removed(&p, 2));
    assert_eq!(
        merges(&p),
        vec![3],
        "the next batch goes onto the landed head"
    );
    assert!(
        !p.writes
            .iter()
            .any(|w| matches!(w, Write::UpdateRef { branch, .. } if branch == "integration/main"))
    );
    assert_eq!(p.landed.len(), 2);
}

#[test]
fn nothing_lands_unless_the_batch_still_holds() {
    let cases: Vec<(&str, Edit, Vec<u64>)> = vec![
        (
            "base moved",
            Box::new(|s| {
                s.bases.insert("main".into(), sha('9'));
            }),
            vec![1, 2],
        ),
        (
            "a PR was pushed to",
            Box::new(|s| s.prs[1].head_sha = sha('e')),
            vec![1],
        ),
        (
            "a PR was unlabelled",
            Box::new(|s| s.prs[1].labels.clear()),
            vec![1],
        ),
        (
            "a PR was closed",
            Box::new(|s| s.prs[1].open = false),
            vec![1],
        ),
        (
            "a PR was retargeted",
            Box::new(|s| s.prs[1].base = "release".into()),
            vec![1],
        ),
        (
            "a PR became a draft",
            Box::new(|s| s.prs[1].draft = true),
            vec![1],
        ),
        (
            "the head is not the queue's",
            Box::new(|s| {
                if let Some(ib) = s.integration.get_mut("main") {
                    ib.head_by_queue = false
                }
            }),
            vec![1, 2],
        ),
        (
            "the branch was rewritten",
            Box::new(|s| {
                if let Some(ib) = s.integration.get_mut("main") {
                    ib.merged_heads = None
                }
            }),
            vec![1, 2],
        ),
    ];
    for (case, edit, rebuilt) in cases {
        let mut s = state(vec![pr(1, 'a'), pr(2, 'b')]);
        with_batch(&mut s, BASE, &[pin(1, 'a'), pin(2, 'b')], vec![], 'f');
        ci(&mut s, 'f', CheckOutcome::Passed, 1);
        edit(&mut s);
        s.checks.insert(sha('e'), results(CheckOutcome::Pending, 1));
        let p = plan(&s);
        assert!(base_moves(&p).is_empty(), "{case}: {:?}", p.writes);
        assert!(p.landed.is_empty(), "{case}");
        assert_eq!(merges(&p), rebuilt, "{case}");
        let base_now = s.bases["main"].clone();
        assert_eq!(
            p.writes[p
                .writes
                .iter()
                .position(|w| matches!(w, Write::UpdateRef { .. }))
                .unwrap_or(0)],
            Write::UpdateRef {
                branch: "integration/main".into(),
                sha: base_now,
                force: true
            },
            "{case}: the branch is reset to the base first"
        );
    }
}

#[test]
fn a_failed_batch_of_one_leaves_with_links_and_a_kept_branch() {
    let mut s = state(vec![pr(7, 'a')]);
    with_batch(&mut s, BASE, &[pin(7, 'a')], vec![], 'f');
    ci(&mut s, 'f', CheckOutcome::Failed, 1);
    let p = plan(&s);
    let kept = format!("integration-failed/pr-7-{}", &sha('a')[..7]);
    assert!(p.writes.contains(&Write::CreateRef {
        branch: kept.clone(),
        sha: sha('f')
    }));
    let c = comments(&p, 7);
    assert!(
        c[0].contains("[`test`](https://ci/test) failed") && c[0].contains(&kept),
        "{}",
        c[0]
    );
    assert!(label_removed(&p, 7));
    assert!(p.writes.contains(&Write::DeleteRef {
        branch: "integration/main".into()
    }));
    assert!(base_moves(&p).is_empty());
}

#[test]
fn a_failed_batch_of_several_is_bisected_left_half_first() {
    let mut s = state((1..=4).map(|n| pr(n, char::from(b'a' + n as u8))).collect());
    let pins: Vec<Pinned> = (1..=4)
        .map(|n| pin(n, char::from(b'a' + n as u8)))
        .collect();
    with_batch(&mut s, BASE, &pins, vec![], 'f');
    ci(&mut s, 'f', CheckOutcome::Failed, 1);
    let p = plan(&s);
    assert_eq!(merges(&p), vec![1, 2]);
    assert!(p.ejected.is_empty());
    let Some(Write::Merge { message, .. }) =
        p.writes.iter().rfind(|w| matches!(w, Write::Merge { .. }))
    else {
        panic!("no merge")
    };
    let m = Manifest::parse(message).expect("manifest");
    assert!(m.left_of_failed);
    assert_eq!(m.batch, "1.L");
    assert_eq!(m.then, vec![pins[2..].to_vec()]);
}

#[test]
fn when_the_left_half_passes_the_right_half_is_split_without_a_ci_round() {
    let mut s = state((1..=4).map(|n| pr(n, char::from(b'a' + n as u8))).collect());
    let pins: Vec<Pinned> = (1..=4)
        .map(|n| pin(n, char::from(b'a' + n as u8)))
        .collect();
    let m = Manifest {
        base: sha(BASE),
        batch: "1.L".into(),
        round: 2,
        step: 2,
        left_of_failed: true,
        evidence: None,
        prs: pins[..2].to_vec(),
        then: vec![pins[2..].to_vec()],
    };
    set_manifest(&mut s, &m, 'f');
    ci(&mut s, 'f', CheckOutcome::Passed, 1);
    let p = plan(&s);
    assert_eq!(base_moves(&p).len(), 1);
    assert_eq!(
        merges(&p),
        vec![3],
        "[3 4] is known to fail: test [3] alone"
    );
}

#[test]
fn retry_failed_reruns_once_then_counts_the_failure() {
    let mut s = state(vec![pr(1, 'a'), pr(2, 'b')]);
    s.config.retry_failed = 1;
    with_batch(&mut s, BASE, &[pin(1, 'a'), pin(2, 'b')], vec![], 'f');
    ci(&mut s, 'f', CheckOutcome::Failed, 1);
    let p = plan(&s);
    assert_eq!(
        p.writes.first(),
        Some(&Write::RerunFailed { sha: sha('f') })
    );
    assert!(merges(&p).is_empty());
    ci(&mut s, 'f', CheckOutcome::Failed, 2);
    assert_eq!(merges(&plan(&s)), vec![1], "second failure bisects");
}

#[test]
fn cancelled_ci_is_dispatched_again_not_counted_as_a_failure() {
    let mut s = state(vec![pr(1, 'a')]);
    with_batch(&mut s, BASE, &[pin(1, 'a')], vec![], 'f');
    ci(&mut s, 'f', CheckOutcome::Cancelled, 1);
    let p = plan(&s);
    assert!(p.ejected.is_empty() && !label_removed(&p, 1));
    assert!(p.writes.iter().any(|w| matches!(w, Write::Dispatch { .. })));
}

#[test]
fn ci_never_started_is_dispatched_and_a_check_that_never_reports_is_stuck() {
    let mut s = state(vec![pr(1, 'a')]);
    with_batch(&mut s, BASE, &[pin(1, 'a')], vec![], 'f');
    if let Some(ib) = s.integration.get_mut("main") {
        ib.ci_started = false;
    }
    assert!(
        plan(&s)
            .writes
            .iter()
            .any(|w| matches!(w, Write::Dispatch { .. }))
    );
    if let Some(ib) = s.integration.get_mut("main") {
        ib.ci_started = true;
        ib.head_committed_at = t(1000);
    }
    s.checks
        .insert(sha('f'), vec![results(CheckOutcome::Passed, 1).remove(0)]);
    let p = plan(&s);
    assert!(p.failed());
    assert_eq!(p.stuck.len(), 1);
    assert!(
        p.stuck[0].message.contains("`test`") && p.stuck[0].message.contains("`integration/main`")
    );
    assert!(p.writes.iter().any(|w| matches!(w, Write::SetStatus { status: QueueStatus::Stuck { check, .. }, .. } if check == "test")));
}

#[test]
fn a_half_built_batch_is_finished_not_restarted() {
    let mut s = state(vec![pr(1, 'a'), pr(2, 'b')]);
    let m = Manifest {
        base: sha(BASE),
        batch: "1".into(),
        round: 1,
        step: 1,
        left_of_failed: false,
        evidence: None,
        prs: vec![pin(1, 'a'), pin(2, 'b')],
        then: vec![],
    };
    set_manifest(&mut s, &m, 'f');
    let p = plan(&s);
    assert_eq!(merges(&p), vec![2]);
    assert!(
        !p.writes
            .iter()
            .any(|w| matches!(w, Write::UpdateRef { .. } | Write::CreateRef { .. }))
    );
}

#[test]
fn a_deleted_integration_branch_requeues_its_prs() {
    let s = state(vec![pr(1, 'a'), pr(2, 'b')]);
    let p = plan(&s);
    assert_eq!(merges(&p), vec![1, 2]);
    assert!(matches!(p.writes[0], Write::CreateRef { .. }));
}

#[test]
fn no_required_checks_fails_closed() {
    let mut s = state(vec![pr(1, 'a')]);
    s.required_checks.clear();
    let p = plan(&s);
    assert!(p.failed());
    assert!(merges(&p).is_empty());
    assert!(p.problems[0].contains("no required checks"));
}

#[test]
fn a_landing_cut_short_after_the_fast_forward_is_finished_by_the_next_run() {
    let mut a = pr(1, 'a');
    a.open = false;
    a.merged = true;
    let mut s = state(vec![a]);
    with_batch(&mut s, BASE, &[pin(1, 'a')], vec![], 'f');
    s.bases.insert("main".into(), sha('f'));
    let p = plan(&s);
    assert!(comments(&p, 1)[0].contains("merged into `main`"));
    assert!(label_removed(&p, 1));
    assert!(p.writes.contains(&Write::DeleteRef {
        branch: "integration/main".into()
    }));
}

#[test]
fn statuses_already_shown_are_not_written_again() {
    let mut s = state(vec![pr(1, 'a'), pr(2, 'b')]);
    s.config.batch_size = 1;
    with_batch(&mut s, BASE, &[pin(1, 'a')], vec![], 'f');
    ci(&mut s, 'f', CheckOutcome::Pending, 1);
    s.statuses.insert(
        1,
        StatusSeen {
            sha: sha('a'),
            status: QueueStatus::Testing {
                batch: "1".into(),
                round: 1,
            },
        },
    );
    s.statuses.insert(
        2,
        StatusSeen {
            sha: sha('b'),
            status: QueueStatus::Queued { position: 1 },
        },
    );
    assert_eq!(plan(&s).writes, Vec::new());
}

#[test]
fn a_pr_whose_failure_is_proven_leaves_without_a_ci_round_of_its_own() {
    // [1 2] failed at commit e; [1] passed and landed as f; so [2] on f is e's tree.
    let mut s = state(vec![pr(1, 'a'), pr(2, 'b'), pr(3, 'c')]);
    let m = Manifest {
        base: sha(BASE),
        batch: "1.L".into(),
        round: 2,
        step: 1,
        left_of_failed: true,
        evidence: Some(sha('e')),
        prs: vec![pin(1, 'a')],
        then: vec![vec![pin(2, 'b')]],
    };
    set_manifest(&mut s, &m, 'f');
    ci(&mut s, 'f', CheckOutcome::Passed, 1);
    ci(&mut s, 'e', CheckOutcome::Failed, 1);
    let p = plan(&s);
    assert_eq!(base_moves(&p).len(), 1);
    let kept = format!("integration-failed/pr-2-{}", &sha('b')[..7]);
    assert!(p.writes.contains(&Write::CreateRef {
        branch: kept,
        sha: sha('e')
    }));
    assert!(comments(&p, 2)[0].contains("[`test`](https://ci/test) failed"));
    assert!(label_removed(&p, 2));
    assert_eq!(merges(&p), vec![3], "the queue goes on with the next PR");
    // Without readable evidence, the PR is tested alone instead.
    s.checks.remove(&sha('e'));
    assert_eq!(merges(&plan(&s)), vec![2]);
}

mod lanes;
