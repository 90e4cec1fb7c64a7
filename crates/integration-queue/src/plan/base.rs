//! One base branch's queue: react to what CI said on the integration head (land, retry,
//! eject, bisect, rebuild), then build the next batch, then tell each PR where it stands.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::manifest::{Manifest, Pinned};
use crate::state::{CheckOutcome, CheckResult, PullRequest, QueueState, Sha};

use super::build::{self, Group, Known, Lane};
use super::ci::{CiVerdict, verdict};
use super::entry::{Entry, entry};
use super::lanes::{self, Slot};
use super::order::in_queue_order;
use super::render;
use super::{Event, Landed, QueuePlan, QueueStatus, Stuck, Write};

/// Closed PRs still carrying the label: a run cancelled after landing left them; finish the
/// landing (comment, status) if the idle integration branch says the queue landed them.
pub(super) fn finish_closed(state: &QueueState, out: &mut QueuePlan) {
    let label = &state.config.label;
    for pr in state.prs.iter().filter(|p| !p.open && p.has_label(label)) {
        let landed_by_queue = pr.merged
            && lanes::landed_manifests(state, &pr.base).iter().any(|m| {
                m.prs
                    .iter()
                    .any(|p| p.number == pr.number && p.sha == pr.head_sha)
            });
        if landed_by_queue {
            let sha = state.bases.get(&pr.base).cloned().unwrap_or_default();
            out.writes.push(Write::Comment {
                pr: pr.number,
                body: render::merged_comment(state, pr, &sha),
            });
            set_status(state, pr, QueueStatus::Merged { sha }, out);
        }
        out.writes.push(Write::RemoveLabel {
            pr: pr.number,
            label: label.clone(),
        });
    }
}

/// Labelled open PRs that target a base the queue does not serve.
pub(super) fn reject_unserved(state: &QueueState, out: &mut QueuePlan) {
    let cfg = &state.config;
    for pr in state
        .prs
        .iter()
        .filter(|p| p.open && p.has_label(&cfg.label) && !cfg.bases.contains(&p.base))
    {
        if let Entry::Rejected { reason, fix } = entry(state, pr, &[]) {
            reject(state, pr, &reason, &fix, out);
        }
    }
}

fn reject(state: &QueueState, pr: &PullRequest, reason: &str, fix: &str, out: &mut QueuePlan) {
    out.writes.push(Write::Comment {
        pr: pr.number,
        body: render::rejected_comment(reason, fix),
    });
    set_status(
        state,
        pr,
        QueueStatus::Failed {
            reason: reason.to_string(),
        },
        out,
    );
    out.writes.push(Write::RemoveLabel {
        pr: pr.number,
        label: state.config.label.clone(),
    });
    out.ejected.push(pr.number);
}

/// Whether this plan is the first to see the PR in line (its check run does not say so yet).
fn entered(state: &QueueState, pr: &PullRequest) -> bool {
    !state.statuses.get(&pr.number).is_some_and(|s| {
        s.sha == pr.head_sha
            && matches!(
                s.status,
                QueueStatus::Queued { .. } | QueueStatus::Testing { .. }
            )
    })
}

fn set_status(state: &QueueState, pr: &PullRequest, status: QueueStatus, out: &mut QueuePlan) {
    let seen = state.statuses.get(&pr.number);
    if seen.is_some_and(|s| s.sha == pr.head_sha && s.status == status) {
        return;
    }
    out.writes.push(Write::SetStatus {
        pr: pr.number,
        sha: pr.head_sha.clone(),
        status,
    });
}

/// The lineage groups a manifest still owes, with what is known about the first one.
fn then_groups(m: &Manifest, first_known: Known) -> VecDeque<Group> {
    let sibling = m
        .batch
        .strip_suffix(".L")
        .map(|parent| format!("{parent}.R"));
    m.then
        .iter()
        .enumerate()
        .map(|(i, prs)| Group {
            prs: prs.clone(),
            known: if i == 0 { first_known } else { Known::Untested },
            batch: match (&sibling, i) {
                (Some(s), 0) => s.clone(),
                _ => prs
                    .first()
                    .map_or_else(String::new, |p| p.number.to_string()),
            },
            round: m.round + 1,
            evidence: if i == 0 && first_known == Known::Failing {
                m.evidence.clone()
            } else {
                None
            },
        })
        .collect()
}

struct BasePlanner<'a> {
    state: &'a QueueState,
    base: &'a str,
    required: &'a [String],
    entries: BTreeMap<u64, Entry>,
    /// PRs that left the queue in this plan (landed, ejected, rejected).
    gone: BTreeSet<u64>,
}

impl BasePlanner<'_> {
    /// A pinned PR may stay in a batch: still open, labelled, on this base, same head.
    fn still_valid(&self, p: &Pinned) -> bool {
        !self.gone.contains(&p.number)
            && self.state.pr(p.number).is_some_and(|pr| {
                pr.open
                    && !pr.draft
                    && pr.has_label(&self.state.config.label)
                    && pr.base == self.base
                    && pr.head_sha == p.sha
            })
    }

    fn pr(&self, n: u64) -> Option<&PullRequest> {
        self.state.pr(n)
    }
}

/// A lane under test after this plan: what its PRs' statuses say.
#[derive(Debug, Clone)]
struct Busy {
    prs: Vec<u64>,
    batch: String,
    round: u32,
}

impl Busy {
    fn of(m: &Manifest) -> Busy {
        Busy {
            prs: m.prs.iter().map(|p| p.number).collect(),
            batch: m.batch.clone(),
            round: m.round,
        }
    }
}

/// The lanes after reacting to CI: what stays under test, what is owed next, where the next
/// lane goes.
struct Stack {
    /// Lanes under test, bottom first (a lane this plan builds included).
    busy: Vec<Busy>,
    /// The head the next lane is stacked on when some lane is under test; `None` when nothing
    /// may be stacked this run (a lane is being built, or one failed and waits for those below).
    top: Option<Sha>,
    /// Lane branches that stay (under test, or built on by this plan); every other is deleted.
    kept: BTreeSet<String>,
    /// Groups owed before fresh PRs, after the top lane under test (or on the base).
    groups: VecDeque<Group>,
    /// The base's head once this plan's landing is done.
    base_sha: Sha,
}

/// What a manifest's next group is known to be if this manifest's batch passes.
fn first_known(m: &Manifest) -> Known {
    if m.left_of_failed {
        Known::Failing
    } else {
        Known::Untested
    }
}

pub(super) fn plan_base(state: &QueueState, base: &str, out: &mut QueuePlan) {
    let cfg = &state.config;
    let Some(base_sha) = state.bases.get(base) else {
        out.problems.push(format!(
            "the base branch `{base}` does not exist; remove it from `bases` or create it"
        ));
        return;
    };
    let required: &[String] = state.required_checks.get(base).map_or(&[], Vec::as_slice);
    if required.is_empty() {
        // Fail closed: with nothing to wait for, the queue would land untested code.
        out.problems.push(format!(
            "no required checks are known for `{base}`: add required status checks to its \
             branch rules (or `required-checks` to the queue's config) so the queue has CI to wait for"
        ));
        return;
    }
    let queued: Vec<&PullRequest> = state
        .prs
        .iter()
        .filter(|p| p.open && p.has_label(&cfg.label) && p.base == base)
        .collect();
    let mut planner = BasePlanner {
        state,
        base,
        required,
        entries: queued
            .iter()
            .map(|p| (p.number, entry(state, p, required)))
            .collect(),
        gone: BTreeSet::new(),
    };

    for pr in &queued {
        if let Some(Entry::Rejected { reason, fix }) = planner.entries.get(&pr.number) {
            reject(state, pr, reason, fix, out);
            planner.gone.insert(pr.number);
        }
    }

    let slots = lanes::slots(state, base);
    let mut stack = react(&mut planner, &slots, base_sha, out);
    build_next(&mut planner, &slots, &mut stack, out);
    for s in &slots {
        if !stack.kept.contains(&s.branch) {
            // Landed, failed, discarded, or from a larger `lanes`: what it held is requeued.
            out.writes.push(Write::DeleteRef {
                branch: s.branch.clone(),
            });
        }
    }

    // Where each PR stands.
    let testing: Vec<u64> = stack.busy.iter().flat_map(|b| b.prs.clone()).collect();
    let waiting_in_line: Vec<&PullRequest> = in_queue_order(
        cfg,
        queued
            .iter()
            .copied()
            .filter(|p| {
                !planner.gone.contains(&p.number)
                    && !testing.contains(&p.number)
                    && planner.entries.get(&p.number) == Some(&Entry::Ready)
            })
            .collect(),
    );
    for (i, pr) in waiting_in_line.iter().enumerate() {
        if entered(state, pr) {
            out.events.push(Event::Entered { pr: pr.number });
        }
        set_status(state, pr, QueueStatus::Queued { position: i + 1 }, out);
    }
    for Busy { prs, batch, round } in &stack.busy {
        for n in prs {
            if let Some(pr) = planner.pr(*n) {
                if entered(state, pr) {
                    out.events.push(Event::Entered { pr: *n });
                }
                let status = match out
                    .stuck
                    .iter()
                    .find(|s| s.integration && s.prs.contains(n))
                {
                    Some(s) => QueueStatus::Stuck {
                        check: s.check.clone(),
                        branch: s.branch.clone(),
                    },
                    None => QueueStatus::Testing {
                        batch: batch.clone(),
                        round: *round,
                    },
                };
                set_status(state, pr, status, out);
            }
        }
    }
    for pr in &queued {
        if planner.gone.contains(&pr.number) || testing.contains(&pr.number) {
            continue;
        }
        match planner.entries.get(&pr.number) {
            Some(Entry::Waiting { pending }) => set_status(
                state,
                pr,
                QueueStatus::Waiting {
                    checks: pending.clone(),
                },
                out,
            ),
            Some(Entry::Stuck { missing }) => {
                out.stuck.push(Stuck {
                    check: missing.clone(),
                    branch: pr.base.clone(),
                    prs: vec![pr.number],
                    integration: false,
                    message: render::stuck_on_pr(state, pr, missing),
                });
                set_status(
                    state,
                    pr,
                    QueueStatus::Stuck {
                        check: missing.clone(),
                        branch: format!("the head of #{} (pull_request on `{base}`)", pr.number),
                    },
                    out,
                );
            }
            _ => {}
        }
    }
    out.testing.insert(base.to_string(), testing);
    out.queue.insert(
        base.to_string(),
        waiting_in_line.iter().map(|p| p.number).collect(),
    );
}

impl BasePlanner<'_> {
    /// A lane may be built on, landed or judged: its branch merged exactly what its manifest
    /// lists, and every PR in it may still land.
    fn lane_holds(&self, slot: &Slot<'_>, m: &Manifest) -> bool {
        let chain_ok = slot.ib.merged_heads.as_ref().is_some_and(|heads| {
            heads.len() == m.step && heads.iter().zip(&m.prs).all(|(h, p)| *h == p.sha)
        });
        chain_ok && m.prs.iter().all(|p| self.still_valid(p))
    }
}

/// React to the lanes as they stand: land what passed from the bottom up, retry, eject or
/// bisect a failed bottom lane, discard what sits on a failed or invalid lane, rebuild what
/// the base moved under.
fn react(
    planner: &mut BasePlanner<'_>,
    slots: &[Slot<'_>],
    base_sha: &Sha,
    out: &mut QueuePlan,
) -> Stack {
    let state = planner.state;
    let cfg = &state.config;
    let mut stack = Stack {
        busy: Vec::new(),
        top: None,
        kept: BTreeSet::new(),
        groups: VecDeque::new(),
        base_sha: base_sha.clone(),
    };

    // The live stack: lane 1 on the base, each next lane on the head of the one below.
    let mut live: Vec<(&Slot<'_>, &Manifest)> = Vec::new();
    let mut on = base_sha.clone();
    while live.len() < cfg.lanes.max(1) {
        let next = slots.iter().find_map(|s| {
            let m = s.manifest.as_ref()?;
            let fits = *s.head() != on
                && m.base == on
                && !live.iter().any(|(l, _)| l.number == s.number)
                && planner.lane_holds(s, m);
            fits.then_some((s, m))
        });
        let Some((s, m)) = next else { break };
        on = s.head().clone();
        live.push((s, m));
    }

    if live.is_empty() {
        // Nothing under test holds. The lowest lane that does not hold (the base moved, a PR
        // left or was pushed, the branch was rewritten) is rebuilt on the current base without
        // what left; what bisection had inferred held only on the old base. An idle lane at
        // the base carries only the rest of a bisection.
        // Lanes the base already holds (a landing cut short after the fast-forward) are done,
        // not stale: the lane at the base's head carries what is still owed.
        let mut landed: BTreeSet<&Sha> = BTreeSet::new();
        let mut at = base_sha;
        while let Some(m) = slots
            .iter()
            .find(|s| s.head() == at && !landed.contains(s.head()))
            .and_then(|s| s.manifest.as_ref())
        {
            landed.insert(at);
            at = &m.base;
        }
        let stale = |s: &&Slot<'_>| !landed.contains(s.head()) && *s.head() != *base_sha;
        let root = slots.iter().filter(stale).find_map(|s| {
            let m = s.manifest.as_ref()?;
            let on_another = slots
                .iter()
                .filter(stale)
                .any(|o| o.number != s.number && *o.head() == m.base);
            (!on_another).then_some(m)
        });
        if let Some(m) = root {
            let mut groups = VecDeque::from([Group {
                prs: m.prs.clone(),
                known: Known::Untested,
                batch: m.batch.clone(),
                round: m.round + 1,
                evidence: None,
            }]);
            groups.extend(then_groups(m, Known::Untested));
            if cfg.lanes <= 1 || !jumps_the_queue(planner, &groups) {
                stack.groups = groups;
            }
        } else if let Some(m) = slots
            .iter()
            .find(|s| *s.head() == *base_sha)
            .and_then(|s| s.manifest.as_ref())
        {
            stack.groups = then_groups(m, first_known(m));
        }
        return stack;
    }

    // Land every lane from the bottom whose CI passed, with one fast-forward to the highest:
    // its commit holds them all, and each was tested on exactly the one below.
    let landing = live
        .iter()
        .take_while(|(s, m)| {
            m.step == m.prs.len() && verdict(state, s.head(), planner.required) == CiVerdict::Passed
        })
        .count();
    if landing > 0 {
        land(planner, &live[..landing], out);
        let (top, m) = live[landing - 1];
        stack.base_sha = top.head().clone();
        stack.groups = then_groups(m, first_known(m));
    }

    for (j, (s, m)) in live.iter().enumerate().skip(landing) {
        let bottom = j == landing;
        let lane_ref = Lane {
            base: planner.base,
            base_sha: &m.base,
            branch: s.branch.clone(),
            head: Some(s.head()),
        };
        if m.step < m.prs.len() {
            // A run was cancelled half-way through the build: finish it. Nothing is stacked
            // on a head that is about to change.
            build::merge_from(state, &lane_ref, m, m.step, out);
            stack.busy.push(Busy::of(m));
            stack.kept.insert(s.branch.clone());
            stack.top = None;
            stack.groups.clear();
            return stack;
        }
        match verdict(state, s.head(), planner.required) {
            CiVerdict::Passed => {
                // Above a lane still under test: it lands with that one.
            }
            CiVerdict::Failed(failed) if failed.iter().all(|c| c.attempt <= cfg.retry_failed) => {
                out.writes.push(Write::RerunFailed {
                    sha: s.head().clone(),
                });
            }
            CiVerdict::Failed(_) if !bottom => {
                // It cannot land, nor can anything built on it. Whether its own PRs or a lane
                // below broke it is known once those below are judged: it waits, and the
                // lanes above it are discarded.
                stack.busy.push(Busy::of(m));
                stack.kept.insert(s.branch.clone());
                stack.top = None;
                stack.groups.clear();
                return stack;
            }
            CiVerdict::Failed(failed) => {
                fail_bottom(planner, s, m, &failed, &mut stack, out);
                // Every lane stacked on it is discarded: its PRs are queued again.
                stack.top = None;
                return stack;
            }
            CiVerdict::Pending => {}
            CiVerdict::Cancelled => {
                if cfg.dispatch_workflows.is_empty() {
                    out.problems.push(format!(
                        "CI on `{}` was cancelled and the queue dispatches no workflows: re-run it, or set `dispatch-workflows`",
                        s.branch
                    ));
                } else {
                    build::dispatch(state, &s.branch, out);
                }
            }
            CiVerdict::Missing(missing) => {
                let numbers: Vec<u64> = m.prs.iter().map(|p| p.number).collect();
                if !s.ib.ci_started && !cfg.dispatch_workflows.is_empty() {
                    build::dispatch(state, &s.branch, out);
                } else if state.now.duration_since(s.ib.head_committed_at) > cfg.stuck_after {
                    for check in &missing {
                        out.stuck.push(Stuck {
                            check: check.clone(),
                            branch: s.branch.clone(),
                            prs: numbers.clone(),
                            integration: true,
                            message: render::stuck_on_integration(
                                state,
                                &s.branch,
                                s.head(),
                                check,
                            ),
                        });
                    }
                }
            }
        }
        stack.busy.push(Busy::of(m));
        stack.kept.insert(s.branch.clone());
        stack.top = Some(s.head().clone());
        // Owed after this lane, if it passes.
        stack.groups = then_groups(m, first_known(m));
    }
    stack
}

/// Whether rebuilding `groups` first would put them ahead of a ready PR that comes before them
/// in queue order and is in none of them: with lanes, what was stacked on a lane deleted by hand
/// is all that is left of the stack, and rebuilding it first would jump that lane's PRs. Then
/// every PR is queued again in order instead (what bisection knew is lost, never the order).
fn jumps_the_queue(planner: &BasePlanner<'_>, groups: &VecDeque<Group>) -> bool {
    let state = planner.state;
    let cfg = &state.config;
    let held: BTreeSet<u64> = groups
        .iter()
        .flat_map(|g| g.prs.iter())
        .filter(|p| planner.still_valid(p))
        .map(|p| p.number)
        .collect();
    let ready: Vec<&PullRequest> = in_queue_order(
        cfg,
        state
            .prs
            .iter()
            .filter(|p| {
                p.open
                    && p.base == planner.base
                    && p.has_label(&cfg.label)
                    && !planner.gone.contains(&p.number)
                    && planner.entries.get(&p.number) == Some(&Entry::Ready)
            })
            .collect(),
    );
    let first_held = groups
        .iter()
        .flat_map(|g| g.prs.iter())
        .find(|p| planner.still_valid(p))
        .map(|p| p.number);
    match first_held {
        Some(first) => ready
            .iter()
            .take_while(|p| p.number != first)
            .any(|p| !held.contains(&p.number)),
        None => false,
    }
}

/// The base fast-forwarded to the highest of `lanes` (all passed, bottom first): every PR in
/// them is merged as that commit.
fn land(planner: &mut BasePlanner<'_>, lanes: &[(&Slot<'_>, &Manifest)], out: &mut QueuePlan) {
    let state = planner.state;
    let cfg = &state.config;
    let base = planner.base;
    let Some((top, _)) = lanes.last() else {
        return;
    };
    let landed_sha = top.head().clone();
    out.writes.push(Write::UpdateRef {
        branch: base.to_string(),
        sha: landed_sha.clone(),
        force: false,
    });
    for (s, m) in lanes {
        out.events.push(Event::CiPassed {
            base: base.to_string(),
            sha: s.head().clone(),
            prs: m.prs.iter().map(|p| p.number).collect(),
        });
    }
    for p in lanes.iter().flat_map(|(_, m)| &m.prs) {
        if let Some(pr) = planner.pr(p.number) {
            out.writes.push(Write::Comment {
                pr: p.number,
                body: render::merged_comment(state, pr, &landed_sha),
            });
            set_status(
                state,
                pr,
                QueueStatus::Merged {
                    sha: landed_sha.clone(),
                },
                out,
            );
            out.writes.push(Write::RemoveLabel {
                pr: p.number,
                label: cfg.label.clone(),
            });
        }
        out.landed.push(Landed {
            pr: p.number,
            base: base.to_string(),
            sha: landed_sha.clone(),
        });
        planner.gone.insert(p.number);
    }
}

/// The bottom lane failed for good: a batch of one leaves the queue (its commit kept), a
/// larger one is split in halves, left first.
fn fail_bottom(
    planner: &mut BasePlanner<'_>,
    s: &Slot<'_>,
    m: &Manifest,
    failed: &[CheckResult],
    stack: &mut Stack,
    out: &mut QueuePlan,
) {
    let state = planner.state;
    let cfg = &state.config;
    out.events.push(Event::CiFailed {
        base: planner.base.to_string(),
        sha: s.head().clone(),
        prs: m.prs.iter().map(|p| p.number).collect(),
    });
    if let [only] = m.prs.as_slice() {
        let kept = cfg.failed_branch(only.number, &only.sha);
        if !state.failed_branches.contains(&kept) {
            out.writes.push(Write::CreateRef {
                branch: kept.clone(),
                sha: s.head().clone(),
            });
        }
        if let Some(pr) = planner.pr(only.number) {
            let body = render::failed_comment(failed, &kept, m.round);
            out.writes.push(Write::Comment {
                pr: only.number,
                body,
            });
            set_status(
                state,
                pr,
                QueueStatus::Failed {
                    reason: format!(
                        "integration CI failed: {}",
                        failed
                            .iter()
                            .map(|c| c.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                },
                out,
            );
            out.writes.push(Write::RemoveLabel {
                pr: only.number,
                label: cfg.label.clone(),
            });
        }
        out.ejected.push(only.number);
        planner.gone.insert(only.number);
        stack.groups = then_groups(m, Known::Untested);
    } else {
        let failed_group = Group {
            prs: m.prs.clone(),
            known: Known::Failing,
            batch: m.batch.clone(),
            round: m.round,
            evidence: Some(s.head().clone()),
        };
        let (left, right) = failed_group.halves();
        let mut groups = VecDeque::from([left, right]);
        groups.extend(then_groups(m, Known::Untested));
        stack.groups = groups;
    }
}

/// Ejects a PR whose failure a failed batch already proves: the rest of that batch landed
/// without it, so that batch's tree is exactly the new base plus this PR. Its failed checks
/// are the evidence, and its commit is the branch kept. `false` when the evidence cannot be
/// read (then the PR is tested alone).
fn eject_on_evidence(
    planner: &mut BasePlanner<'_>,
    only: &Pinned,
    evidence: &Sha,
    round: u32,
    out: &mut QueuePlan,
) -> bool {
    let state = planner.state;
    let cfg = &state.config;
    let failed: Vec<CheckResult> = planner
        .required
        .iter()
        .filter_map(|name| state.check(evidence, name))
        .filter(|c| c.outcome == CheckOutcome::Failed)
        .cloned()
        .collect();
    let Some(pr) = planner.pr(only.number) else {
        return false;
    };
    if failed.is_empty() {
        return false;
    }
    let kept = cfg.failed_branch(only.number, &only.sha);
    if !state.failed_branches.contains(&kept) {
        out.writes.push(Write::CreateRef {
            branch: kept.clone(),
            sha: evidence.clone(),
        });
    }
    out.writes.push(Write::Comment {
        pr: only.number,
        body: render::failed_comment(&failed, &kept, round),
    });
    set_status(
        state,
        pr,
        QueueStatus::Failed {
            reason: format!(
                "integration CI failed: {}",
                failed
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
        out,
    );
    out.writes.push(Write::RemoveLabel {
        pr: only.number,
        label: cfg.label.clone(),
    });
    out.events.push(Event::CiFailed {
        base: planner.base.to_string(),
        sha: evidence.clone(),
        prs: vec![only.number],
    });
    out.ejected.push(only.number);
    planner.gone.insert(only.number);
    true
}

/// Build the next lane: on the base when nothing is under test, else on the top lane's head
/// (speculatively: as if every lane below passes). The rest of a bisection comes first, then
/// fresh PRs in queue order. One lane per run: the next one needs this one's head, which only
/// GitHub's merges make.
fn build_next(
    planner: &mut BasePlanner<'_>,
    slots: &[Slot<'_>],
    stack: &mut Stack,
    out: &mut QueuePlan,
) {
    let state = planner.state;
    let cfg = &state.config;
    let lanes = cfg.lanes.max(1);
    if stack.busy.len() >= lanes {
        return;
    }
    let speculative = !stack.busy.is_empty();
    let on = if speculative {
        match &stack.top {
            Some(top) => top.clone(),
            None => return,
        }
    } else {
        stack.base_sha.clone()
    };
    let Some((branch, head)) = lane_for(
        slots,
        &stack.kept,
        &on,
        speculative,
        lanes,
        cfg,
        planner.base,
    ) else {
        // Every lane branch exists: the ones not under test are deleted by this run, and the
        // next run creates one again (creating is the lock).
        return;
    };
    let lane_ref = Lane {
        base: planner.base,
        base_sha: &on,
        branch: branch.clone(),
        head: head.as_ref(),
    };
    let mut groups = std::mem::take(&mut stack.groups);
    while let Some(mut group) = groups.pop_front() {
        let before = group.prs.len();
        group.prs.retain(|p| planner.still_valid(p));
        if group.prs.len() != before {
            // Not the group that was judged any more: its verdict no longer holds.
            group.known = Known::Untested;
            group.evidence = None;
            if let Some(next) = groups.front_mut() {
                next.known = Known::Untested;
                next.evidence = None;
            }
        }
        if group.prs.is_empty() {
            continue;
        }
        if group.known == Known::Failing && group.prs.len() > 1 {
            let (left, right) = group.halves();
            groups.push_front(right);
            groups.push_front(left);
            continue;
        }
        if group.known == Known::Failing
            && let [only] = group.prs.as_slice()
            && let Some(evidence) = &group.evidence
        {
            if speculative {
                // Its failure is proven only once the lanes below land: wait for them.
                return;
            }
            if eject_on_evidence(planner, only, evidence, group.round, out) {
                // Its failure is already proven: no CI round spent on it alone.
                continue;
            }
        }
        // A group that passes makes the next one `Failing` only if it was the left half.
        if group.known != Known::LeftOfFailing
            && let Some(next) = groups.front_mut()
            && next.known == Known::Failing
        {
            next.known = Known::Untested;
        }
        let then: Vec<Group> = groups.iter().cloned().collect();
        build::build(state, &lane_ref, &group, &then, out);
        stack.kept.insert(branch);
        stack.busy.push(Busy {
            prs: group.prs.iter().map(|p| p.number).collect(),
            batch: group.batch,
            round: group.round,
        });
        return;
    }
    let in_lanes: BTreeSet<u64> = stack.busy.iter().flat_map(|b| b.prs.clone()).collect();
    let ready: Vec<&PullRequest> = in_queue_order(
        cfg,
        state
            .prs
            .iter()
            .filter(|p| {
                p.open
                    && p.base == planner.base
                    && p.has_label(&cfg.label)
                    && !planner.gone.contains(&p.number)
                    && !in_lanes.contains(&p.number)
                    && planner.entries.get(&p.number) == Some(&Entry::Ready)
            })
            .collect(),
    );
    let batch: Vec<Pinned> = ready
        .iter()
        .take(cfg.batch_size.max(1))
        .map(|p| Pinned {
            number: p.number,
            sha: p.head_sha.clone(),
        })
        .collect();
    if let Some(first) = batch.first() {
        let group = Group {
            batch: first.number.to_string(),
            prs: batch,
            known: Known::Untested,
            round: 1,
            evidence: None,
        };
        build::build(state, &lane_ref, &group, &[], out);
        stack.kept.insert(branch);
        stack.busy.push(Busy {
            prs: group.prs.iter().map(|p| p.number).collect(),
            batch: group.batch,
            round: group.round,
        });
    }
}

/// The branch the next lane is built in, and its head if it exists. A lane branch already at
/// `on` (the lane that just landed, now the base) takes merges with no ref write. Otherwise a
/// lane number with no branch: creating it is the lock two runs cannot both take. Only a lane
/// on the base may reuse a branch left over, by force (as with one lane).
fn lane_for(
    slots: &[Slot<'_>],
    kept: &BTreeSet<String>,
    on: &Sha,
    speculative: bool,
    lanes: usize,
    cfg: &crate::state::QueueConfig,
    base: &str,
) -> Option<(String, Option<Sha>)> {
    let free = |s: &&Slot<'_>| !kept.contains(&s.branch) && s.number <= lanes;
    if !speculative && let Some(s) = slots.iter().filter(free).find(|s| *s.head() == *on) {
        return Some((s.branch.clone(), Some(s.head().clone())));
    }
    if let Some(n) = (1..=lanes).find(|n| !slots.iter().any(|s| s.number == *n)) {
        return Some((cfg.lane_branch(base, n), None));
    }
    if !speculative && let Some(s) = slots.iter().find(free) {
        return Some((s.branch.clone(), Some(s.head().clone())));
    }
    None
}
