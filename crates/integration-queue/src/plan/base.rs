//! One base branch's queue: react to what CI said on the integration head (land, retry,
//! eject, bisect, rebuild), then build the next batch, then tell each PR where it stands.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::manifest::{Manifest, Pinned};
use crate::state::{CheckOutcome, CheckResult, PullRequest, QueueState, Sha};

use super::build::{self, Group, Known, Lane};
use super::ci::{CiVerdict, verdict};
use super::entry::{Entry, entry};
use super::order::in_queue_order;
use super::render;
use super::{Event, Landed, QueuePlan, QueueStatus, Stuck, Write};

/// Closed PRs still carrying the label: a run cancelled after landing left them; finish the
/// landing (comment, status) if the idle integration branch says the queue landed them.
pub fn finish_closed(state: &QueueState, out: &mut QueuePlan) {
    let label = &state.config.label;
    for pr in state.prs.iter().filter(|p| !p.open && p.has_label(label)) {
        let landed_by_queue = pr.merged
            && state.bases.get(&pr.base).is_some_and(|base_sha| {
                state.integration.get(&pr.base).is_some_and(|ib| {
                    ib.head_sha == *base_sha
                        && trusted_manifest(state, &pr.base).is_some_and(|m| {
                            m.prs
                                .iter()
                                .any(|p| p.number == pr.number && p.sha == pr.head_sha)
                        })
                })
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
pub fn reject_unserved(state: &QueueState, out: &mut QueuePlan) {
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

fn trusted_manifest(state: &QueueState, base: &str) -> Option<Manifest> {
    let ib = state.integration.get(base)?;
    if !ib.head_by_queue {
        return None;
    }
    Manifest::parse(&ib.head_message).ok()
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

/// What happened on the integration lane before the next build.
struct LaneOutcome {
    /// A batch is being built or tested: nothing new may start.
    busy: Option<(Vec<u64>, String, u32)>,
    groups: VecDeque<Group>,
    base_sha: Sha,
    head: Option<Sha>,
}

pub fn plan_base(state: &QueueState, base: &str, out: &mut QueuePlan) {
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

    let lane = react(&mut planner, base_sha, out);
    let branch = cfg.integration_branch(base);
    let mut busy = lane.busy.clone();
    if busy.is_none() {
        busy = build_next(&mut planner, &lane, &branch, out);
    }

    // Where each PR stands.
    let testing: Vec<u64> = busy.as_ref().map(|b| b.0.clone()).unwrap_or_default();
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
    if let Some((prs, batch, round)) = &busy {
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

/// React to the integration branch as it stands.
fn react(planner: &mut BasePlanner<'_>, base_sha: &Sha, out: &mut QueuePlan) -> LaneOutcome {
    let state = planner.state;
    let cfg = &state.config;
    let base = planner.base;
    let branch = cfg.integration_branch(base);
    let mut lane = LaneOutcome {
        busy: None,
        groups: VecDeque::new(),
        base_sha: base_sha.clone(),
        head: None,
    };
    let Some(ib) = state.integration.get(base) else {
        return lane;
    };
    lane.head = Some(ib.head_sha.clone());
    let manifest = trusted_manifest(state, base);
    if ib.head_sha == *base_sha {
        // Idle at the base: all it can still tell is the rest of a bisection.
        if let Some(m) = manifest {
            let first = if m.left_of_failed {
                Known::Failing
            } else {
                Known::Untested
            };
            lane.groups = then_groups(&m, first);
        }
        return lane;
    }
    let Some(m) = manifest else {
        // A commit the queue did not make (or a broken block): never trusted, never landed.
        return lane;
    };
    let chain_ok = ib.merged_heads.as_ref().is_some_and(|heads| {
        heads.len() == m.step && heads.iter().zip(&m.prs).all(|(h, p)| *h == p.sha)
    });
    let all_valid = m.prs.iter().all(|p| planner.still_valid(p));
    if !chain_ok || m.base != *base_sha || !all_valid {
        // Rebuild the same lineage on the current base, without what left; what bisection
        // had inferred held only on the old base.
        let mut groups = VecDeque::from([Group {
            prs: m.prs.clone(),
            known: Known::Untested,
            batch: m.batch.clone(),
            round: m.round + 1,
            evidence: None,
        }]);
        groups.extend(then_groups(&m, Known::Untested));
        lane.groups = groups;
        return lane;
    }
    let numbers: Vec<u64> = m.prs.iter().map(|p| p.number).collect();
    let lane_ref = Lane {
        base,
        base_sha,
        branch: branch.clone(),
        head: Some(&ib.head_sha),
    };
    if m.step < m.prs.len() {
        // A run was cancelled half-way through the build: finish it.
        build::merge_from(state, &lane_ref, &m, m.step, out);
        lane.busy = Some((numbers, m.batch.clone(), m.round));
        return lane;
    }
    match verdict(state, &ib.head_sha, planner.required) {
        CiVerdict::Passed => {
            out.writes.push(Write::UpdateRef {
                branch: base.to_string(),
                sha: ib.head_sha.clone(),
                force: false,
            });
            out.events.push(Event::CiPassed {
                base: base.to_string(),
                sha: ib.head_sha.clone(),
                prs: numbers.clone(),
            });
            for p in &m.prs {
                if let Some(pr) = planner.pr(p.number) {
                    out.writes.push(Write::Comment {
                        pr: p.number,
                        body: render::merged_comment(state, pr, &ib.head_sha),
                    });
                    set_status(
                        state,
                        pr,
                        QueueStatus::Merged {
                            sha: ib.head_sha.clone(),
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
                    sha: ib.head_sha.clone(),
                });
                planner.gone.insert(p.number);
            }
            let first = if m.left_of_failed {
                Known::Failing
            } else {
                Known::Untested
            };
            lane.groups = then_groups(&m, first);
            lane.base_sha = ib.head_sha.clone();
        }
        CiVerdict::Failed(failed) => {
            let retry = failed.iter().all(|c| c.attempt <= cfg.retry_failed);
            if retry {
                out.writes.push(Write::RerunFailed {
                    sha: ib.head_sha.clone(),
                });
                lane.busy = Some((numbers, m.batch.clone(), m.round));
                return lane;
            }
            out.events.push(Event::CiFailed {
                base: base.to_string(),
                sha: ib.head_sha.clone(),
                prs: numbers.clone(),
            });
            if let [only] = m.prs.as_slice() {
                let kept = cfg.failed_branch(only.number, &only.sha);
                if !state.failed_branches.contains(&kept) {
                    out.writes.push(Write::CreateRef {
                        branch: kept.clone(),
                        sha: ib.head_sha.clone(),
                    });
                }
                if let Some(pr) = planner.pr(only.number) {
                    let body = render::failed_comment(&failed, &kept, m.round);
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
                lane.groups = then_groups(&m, Known::Untested);
            } else {
                let failed_group = Group {
                    prs: m.prs.clone(),
                    known: Known::Failing,
                    batch: m.batch.clone(),
                    round: m.round,
                    evidence: Some(ib.head_sha.clone()),
                };
                let (left, right) = failed_group.halves();
                let mut groups = VecDeque::from([left, right]);
                groups.extend(then_groups(&m, Known::Untested));
                lane.groups = groups;
            }
        }
        CiVerdict::Pending => lane.busy = Some((numbers, m.batch.clone(), m.round)),
        CiVerdict::Cancelled => {
            if cfg.dispatch_workflows.is_empty() {
                out.problems.push(format!(
                    "CI on `{branch}` was cancelled and the queue dispatches no workflows: re-run it, or set `dispatch-workflows`"
                ));
            } else {
                build::dispatch(state, &branch, out);
            }
            lane.busy = Some((numbers, m.batch.clone(), m.round));
        }
        CiVerdict::Missing(missing) => {
            if !ib.ci_started && !cfg.dispatch_workflows.is_empty() {
                build::dispatch(state, &branch, out);
            } else if state.now.duration_since(ib.head_committed_at) > cfg.stuck_after {
                for check in &missing {
                    out.stuck.push(Stuck {
                        check: check.clone(),
                        branch: branch.clone(),
                        prs: numbers.clone(),
                        integration: true,
                        message: render::stuck_on_integration(state, &branch, &ib.head_sha, check),
                    });
                }
            }
            lane.busy = Some((numbers, m.batch.clone(), m.round));
        }
    }
    lane
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

/// Build the next batch: the rest of a bisection first, then fresh PRs in queue order. With
/// nothing to build, an integration branch left over is deleted.
fn build_next(
    planner: &mut BasePlanner<'_>,
    lane: &LaneOutcome,
    branch: &str,
    out: &mut QueuePlan,
) -> Option<(Vec<u64>, String, u32)> {
    let state = planner.state;
    let cfg = &state.config;
    let lane_ref = Lane {
        base: planner.base,
        base_sha: &lane.base_sha,
        branch: branch.to_string(),
        head: lane.head.as_ref(),
    };
    let mut groups = lane.groups.clone();
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
            && eject_on_evidence(planner, only, evidence, group.round, out)
        {
            // Its failure is already proven: no CI round spent on it alone.
            continue;
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
        return Some((
            group.prs.iter().map(|p| p.number).collect(),
            group.batch,
            group.round,
        ));
    }
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
        return Some((
            group.prs.iter().map(|p| p.number).collect(),
            group.batch,
            group.round,
        ));
    }
    if lane.head.is_some() {
        out.writes.push(Write::DeleteRef {
            branch: branch.to_string(),
        });
    }
    None
}
