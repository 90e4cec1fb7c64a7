//! Over random sequences of what people and CI do — label, push, close, retarget, draft, push
//! to the base by hand, delete the integration branch, cancel CI, runs of the queue cut between
//! two writes — the queue keeps its promises: the base only ever moves by fast-forward to a
//! commit whose manifest passed CI on that base (checked by the simulator on every move), no PR
//! lands twice, and once people stop, every good queued PR lands and the queue empties. The
//! same with speculative lanes (several batches under test, each on the one below).

use integration_queue::sim::{CiModel, World};
use integration_queue::state::QueueConfig;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Step {
    Open {
        bad: bool,
        fails_own: bool,
        conflict: Option<u32>,
    },
    Label(usize),
    Priority(usize),
    Unlabel(usize),
    Push(usize, bool),
    Close(usize),
    Draft(usize, bool),
    Retarget(usize),
    HumanPushBase,
    /// A person deletes one of the lane branches.
    DeleteIntegration(usize),
    /// CI on one of the lanes is cancelled.
    CancelCi(usize),
    Advance(i64),
    Run(Option<usize>),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (prop::bool::weighted(0.25), prop::bool::weighted(0.1), prop::option::weighted(0.15, 0u32..2))
            .prop_map(|(bad, fails_own, conflict)| Step::Open { bad, fails_own, conflict }),
        5 => any::<usize>().prop_map(Step::Label),
        1 => any::<usize>().prop_map(Step::Priority),
        1 => any::<usize>().prop_map(Step::Unlabel),
        2 => (any::<usize>(), prop::bool::weighted(0.3)).prop_map(|(i, b)| Step::Push(i, b)),
        1 => any::<usize>().prop_map(Step::Close),
        1 => (any::<usize>(), any::<bool>()).prop_map(|(i, d)| Step::Draft(i, d)),
        1 => any::<usize>().prop_map(Step::Retarget),
        1 => Just(Step::HumanPushBase),
        1 => any::<usize>().prop_map(Step::DeleteIntegration),
        1 => any::<usize>().prop_map(Step::CancelCi),
        5 => (60i64..1500).prop_map(Step::Advance),
        6 => prop::option::weighted(0.4, 0usize..12).prop_map(Step::Run),
    ]
}

fn pick(w: &World, i: usize) -> Option<u64> {
    let keys: Vec<u64> = w.prs.keys().copied().collect();
    if keys.is_empty() {
        None
    } else {
        Some(keys[i % keys.len()])
    }
}

fn play(steps: &[Step], batch: usize, lanes: usize, retry: u32) -> Result<(), TestCaseError> {
    let config = QueueConfig {
        batch_size: batch,
        lanes,
        retry_failed: retry,
        ..QueueConfig::default()
    };
    let ci = CiModel {
        duration: 600,
        pr_duration: 120,
        ..CiModel::default()
    };
    let mut w = World::new(config, ci, 11);
    for s in steps {
        match s {
            Step::Open {
                bad,
                fails_own,
                conflict,
            } => {
                w.open_pr(*bad, *fails_own, *conflict);
            }
            Step::Label(i) => {
                if let Some(n) = pick(&w, *i) {
                    w.label(n)
                }
            }
            Step::Priority(i) => {
                if let Some(n) = pick(&w, *i) {
                    w.add_label(n, "queue:high")
                }
            }
            Step::Unlabel(i) => {
                if let Some(n) = pick(&w, *i) {
                    w.unlabel(n)
                }
            }
            Step::Push(i, bad) => {
                if let Some(n) = pick(&w, *i) {
                    w.push(n, *bad)
                }
            }
            Step::Close(i) => {
                if let Some(n) = pick(&w, *i) {
                    w.close(n)
                }
            }
            Step::Draft(i, d) => {
                if let Some(n) = pick(&w, *i) {
                    w.set_draft(n, *d)
                }
            }
            Step::Retarget(i) => {
                if let Some(n) = pick(&w, *i) {
                    w.retarget(n, "develop")
                }
            }
            Step::HumanPushBase => w.human_push_base(),
            Step::DeleteIntegration(i) => w.delete_lane_by_hand(*i),
            Step::CancelCi(i) => w.cancel_lane_ci(*i),
            Step::Advance(dt) => {
                let t = w.now + dt;
                w.advance_to(t)
            }
            Step::Run(cut) => {
                w.run_queue(*cut);
            }
        }
        prop_assert_eq!(&w.violations, &Vec::<String>::new());
    }
    // People stop. Which PRs must land: queued, good code, nothing against them.
    let must_land: Vec<u64> = w
        .prs
        .values()
        .filter(|p| {
            p.pr.open
                && !p.pr.draft
                && p.pr.has_label("ready-to-queue")
                && p.pr.base == "main"
                && !p.bad
                && !p.fails_own
                && p.conflict_group.is_none()
        })
        .map(|p| p.pr.number)
        .collect();
    for _ in 0..400 {
        w.settle();
        match w.next_ci_finish() {
            Some(t) => w.advance_to(t),
            None => break,
        }
    }
    // A sweep after the stuck timeout, then settle once more.
    let t = w.now + 3700;
    w.advance_to(t);
    w.settle();
    prop_assert_eq!(&w.violations, &Vec::<String>::new());
    for n in &must_land {
        prop_assert!(
            w.landed.contains(n),
            "good PR #{} did not land; landed {:?}",
            n,
            w.landed
        );
    }
    let left: Vec<u64> = w
        .prs
        .values()
        .filter(|p| {
            p.pr.open && p.pr.has_label("ready-to-queue") && p.pr.base == "main" && !p.pr.draft
        })
        .map(|p| p.pr.number)
        .collect();
    prop_assert!(left.is_empty(), "still queued after draining: {:?}", left);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn batching_keeps_its_promises(steps in prop::collection::vec(step(), 1..80)) {
        play(&steps, 4, 1, 0)?;
    }

    #[test]
    fn serial_keeps_its_promises(steps in prop::collection::vec(step(), 1..60)) {
        play(&steps, 1, 1, 0)?;
    }

    #[test]
    fn retrying_failed_jobs_keeps_its_promises(steps in prop::collection::vec(step(), 1..60)) {
        play(&steps, 3, 1, 1)?;
    }

    /// Speculative lanes: each batch tested on the head of the one below; the simulator checks
    /// that a move of the base lands only lanes that all passed, each on the one below.
    #[test]
    fn three_lanes_keep_their_promises(steps in prop::collection::vec(step(), 1..80)) {
        play(&steps, 3, 3, 0)?;
    }

    #[test]
    fn two_lanes_of_one_with_retries_keep_their_promises(steps in prop::collection::vec(step(), 1..60)) {
        play(&steps, 1, 2, 1)?;
    }
}
