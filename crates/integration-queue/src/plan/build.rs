//! Building a batch: the integration branch is set to the base, each PR's pinned head is merged
//! in queue order with a merge commit that records the manifest, and CI is started.

use crate::manifest::{Manifest, Pinned};
use crate::state::{QueueState, Sha};

use super::{QueuePlan, Write};

/// A group of PRs to test together, and what is already known about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Group {
    pub prs: Vec<Pinned>,
    pub known: Known,
    pub batch: String,
    pub round: u32,
    /// For `Failing` (and `LeftOfFailing`: for the group after it), the failed commit that
    /// proves it.
    pub evidence: Option<Sha>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Known {
    Untested,
    /// This exact group on this exact base is known to fail (its sibling passed and landed):
    /// split it without spending a CI round on it.
    Failing,
    /// The left half of a failed group: if it passes, the next group is `Failing`.
    LeftOfFailing,
}

impl Group {
    /// Splits into halves: the left one, if it passes, proves the right one failing.
    pub(super) fn halves(&self) -> (Group, Group) {
        let mid = self.prs.len() / 2;
        (
            Group {
                prs: self.prs[..mid].to_vec(),
                known: Known::LeftOfFailing,
                batch: format!("{}.L", self.batch),
                round: self.round + 1,
                evidence: self.evidence.clone(),
            },
            Group {
                prs: self.prs[mid..].to_vec(),
                known: Known::Untested,
                batch: format!("{}.R", self.batch),
                round: self.round + 1,
                evidence: None,
            },
        )
    }
}

/// Where the integration branch stands before a build.
pub(super) struct Lane<'a> {
    pub base: &'a str,
    pub base_sha: &'a Sha,
    pub branch: String,
    pub head: Option<&'a Sha>,
}

/// Writes that build `group` on the base (with `then` remembered in its manifest).
pub(super) fn build(
    state: &QueueState,
    lane: &Lane<'_>,
    group: &Group,
    then: &[Group],
    out: &mut QueuePlan,
) {
    match lane.head {
        None => out.writes.push(Write::CreateRef {
            branch: lane.branch.clone(),
            sha: lane.base_sha.clone(),
        }),
        Some(head) if head != lane.base_sha => out.writes.push(Write::UpdateRef {
            branch: lane.branch.clone(),
            sha: lane.base_sha.clone(),
            force: true,
        }),
        Some(_) => {}
    }
    let manifest = Manifest {
        base: lane.base_sha.clone(),
        batch: group.batch.clone(),
        round: group.round,
        step: 1,
        left_of_failed: group.known == Known::LeftOfFailing,
        evidence: if group.known == Known::LeftOfFailing {
            group.evidence.clone()
        } else {
            None
        },
        prs: group.prs.clone(),
        then: then.iter().map(|g| g.prs.clone()).collect(),
    };
    merge_from(state, lane, &manifest, 0, out);
}

/// The merges from `from` (0-based) to the end of the manifest, then CI.
pub(super) fn merge_from(
    state: &QueueState,
    lane: &Lane<'_>,
    manifest: &Manifest,
    from: usize,
    out: &mut QueuePlan,
) {
    for (i, p) in manifest.prs.iter().enumerate().skip(from) {
        let step = Manifest {
            step: i + 1,
            ..manifest.clone()
        };
        let title = state.pr(p.number).map_or("", |pr| pr.title.as_str());
        out.writes.push(Write::Merge {
            into: lane.branch.clone(),
            pr: p.number,
            head: p.sha.clone(),
            message: step.commit_message(p.number, title, &lane.branch),
            conflict_comment: super::render::conflict_comment(lane.base, p, &manifest.prs),
        });
    }
    dispatch(state, &lane.branch, out);
}

pub(super) fn dispatch(state: &QueueState, branch: &str, out: &mut QueuePlan) {
    for workflow in &state.config.dispatch_workflows {
        out.writes.push(Write::Dispatch {
            workflow: workflow.clone(),
            branch: branch.to_string(),
        });
    }
}
