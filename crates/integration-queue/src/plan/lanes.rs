//! Speculative lanes, as read. Lane 1 (`integration/<base>`) is built on the base; each further
//! lane (`integration/<base>.lane-<k>`) on the head of the lane below, its manifest's base
//! being that head. The stack is found by following manifest bases up from the base's head,
//! not by branch names: when the bottom lane lands, the lane above it sits on the new base and
//! becomes the bottom without any ref moving (a moved ref could start CI again).

use crate::manifest::Manifest;
use crate::state::{IntegrationBranch, QueueState, Sha};

/// One existing lane branch of a base.
#[derive(Debug, Clone)]
pub struct Slot<'a> {
    pub branch: String,
    /// 1 for `integration/<base>`, k for `integration/<base>.lane-<k>`.
    pub number: usize,
    pub ib: &'a IntegrationBranch,
    /// The manifest, only when the queue's own identity made the head.
    pub manifest: Option<Manifest>,
}

impl Slot<'_> {
    pub fn head(&self) -> &Sha {
        &self.ib.head_sha
    }
}

fn slot<'a>(branch: String, number: usize, ib: &'a IntegrationBranch) -> Slot<'a> {
    let manifest = if ib.head_by_queue {
        Manifest::parse(&ib.head_message).ok()
    } else {
        None
    };
    Slot {
        branch,
        number,
        ib,
        manifest,
    }
}

/// Every lane branch of `base` that exists, by lane number.
pub fn slots<'a>(state: &'a QueueState, base: &str) -> Vec<Slot<'a>> {
    let cfg = &state.config;
    let mut out = Vec::new();
    if let Some(ib) = state.integration.get(base) {
        out.push(slot(cfg.integration_branch(base), 1, ib));
    }
    for (branch, ib) in &state.lanes {
        if let Some(n) = cfg.lane_number(base, branch).filter(|n| *n >= 2) {
            out.push(slot(branch.clone(), n, ib));
        }
    }
    out.sort_by_key(|s| s.number);
    out
}

/// The manifests from the base up to the lane whose head is `tested`, bottom first: what a
/// fast-forward of the base to `tested` lands. `None` unless each lane sits on the one below
/// and the bottom one on the base's current head.
pub fn tested_stack(state: &QueueState, base: &str, tested: &str) -> Option<Vec<Manifest>> {
    let base_sha = state.bases.get(base)?;
    let slots = slots(state, base);
    let mut out = Vec::new();
    let mut at = tested.to_string();
    while at != *base_sha {
        if out.len() >= slots.len() {
            return None;
        }
        let m = slots
            .iter()
            .find(|s| *s.head() == at)
            .and_then(|s| s.manifest.clone())?;
        at = m.base.clone();
        out.push(m);
    }
    out.reverse();
    (!out.is_empty()).then_some(out)
}

/// The manifests of the lanes the base's head landed, top first: the lane whose head is the
/// base's head, the lane under it, and so on while their branches still exist (a run cut
/// after the fast-forward leaves them for the next run to finish the landing).
pub(super) fn landed_manifests(state: &QueueState, base: &str) -> Vec<Manifest> {
    let Some(base_sha) = state.bases.get(base) else {
        return Vec::new();
    };
    let slots = slots(state, base);
    let mut out: Vec<Manifest> = Vec::new();
    let mut at = base_sha.clone();
    while out.len() < slots.len() {
        let Some(m) = slots
            .iter()
            .find(|s| *s.head() == at)
            .and_then(|s| s.manifest.clone())
        else {
            break;
        };
        at = m.base.clone();
        out.push(m);
    }
    out
}
