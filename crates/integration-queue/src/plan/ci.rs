//! What the required checks say about one integration commit. A failure is acted on at once
//! (the batch cannot pass any more); a cancelled run is not a failure, only unjudged.

use crate::state::{CheckOutcome, CheckResult, QueueState};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CiVerdict {
    Passed,
    Failed(Vec<CheckResult>),
    Pending,
    /// Required checks that have not reported at all.
    Missing(Vec<String>),
    Cancelled,
}

pub fn verdict(state: &QueueState, sha: &str, required: &[String]) -> CiVerdict {
    let results: Vec<Option<&CheckResult>> =
        required.iter().map(|name| state.check(sha, name)).collect();
    let failed: Vec<CheckResult> = results
        .iter()
        .flatten()
        .filter(|c| c.outcome == CheckOutcome::Failed)
        .map(|c| (*c).clone())
        .collect();
    if !failed.is_empty() {
        return CiVerdict::Failed(failed);
    }
    if results
        .iter()
        .flatten()
        .any(|c| c.outcome == CheckOutcome::Pending)
    {
        return CiVerdict::Pending;
    }
    let missing: Vec<String> = required
        .iter()
        .zip(&results)
        .filter(|(_, r)| r.is_none())
        .map(|(n, _)| n.clone())
        .collect();
    if !missing.is_empty() {
        return CiVerdict::Missing(missing);
    }
    if results
        .iter()
        .flatten()
        .any(|c| c.outcome == CheckOutcome::Cancelled)
    {
        return CiVerdict::Cancelled;
    }
    CiVerdict::Passed
}
