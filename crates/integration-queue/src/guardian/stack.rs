//! Stacking the rest of the speculative lanes in the same run. A lane is built on the head of
//! the lane below, which only GitHub's merges make, so one plan builds one lane, and a landed or
//! discarded lane's branch is deleted before a lane can be created there again; without this a
//! lane would wait for the next event or the 5-minute sweep. After a run that built a lane or
//! deleted one, the queue is read again and the next lane built, while a plan does nothing but
//! stack a lane
//! (anything else — a landing, an ejection, an event for telemetry — is left to the next run,
//! whose outputs report it).

use guardians_core::runner::{RunError, Session};
use jiff::Timestamp;

use crate::plan::{QueuePlan, Write, plan};

use super::QueueFacts;
use super::apply::{Applied, Writer};
use super::gather::gather;

/// Whether a plan builds a lane (merges PRs into a lane branch).
fn builds_lane(p: &QueuePlan) -> bool {
    p.writes.iter().any(|w| matches!(w, Write::Merge { .. }))
}

/// Whether a plan only stacks a lane: nothing landed, left, stuck or announced.
fn only_stacks(p: &QueuePlan) -> bool {
    builds_lane(p)
        && p.landed.is_empty()
        && p.ejected.is_empty()
        && p.events.is_empty()
        && p.problems.is_empty()
        && p.stuck.is_empty()
        && p.writes.iter().all(|w| {
            matches!(
                w,
                Write::CreateRef { .. }
                    | Write::Merge { .. }
                    | Write::Dispatch { .. }
                    | Write::SetStatus { .. }
            )
        })
}

/// Whether a plan made room for, or the base of, another lane: it built one or deleted one.
fn lanes_moved(p: &QueuePlan, prefix: &str) -> bool {
    builds_lane(p)
        || p.writes
            .iter()
            .any(|w| matches!(w, Write::DeleteRef { branch } if branch.starts_with(prefix)))
}

/// After `first` was applied in full: read, plan and apply again while each plan only stacks
/// the next lane, at most `lanes - 1` times. Returns how the last writes ended.
pub(super) async fn stack_lanes(
    session: &Session,
    facts: &QueueFacts,
    first: &QueuePlan,
) -> Result<Applied, RunError> {
    let config = &facts.gathered.state.config;
    let mut applied = Applied::Done;
    if config.lanes <= 1 || !lanes_moved(first, &config.integration_prefix) {
        return Ok(applied);
    }
    let gh = session.github()?;
    let repo = &session.context.repository;
    for _ in 1..config.lanes {
        let gathered = gather(
            gh,
            repo,
            &facts.settings,
            &facts.identity.login,
            Timestamp::now(),
        )
        .await?;
        let next = plan(&gathered.state);
        if !only_stacks(&next) {
            break;
        }
        session.toolkit.info(&format!(
            "integration-queue: stacking the next lane ({} writes)",
            next.writes.len()
        ));
        let writer = Writer {
            gh,
            repo,
            config: &gathered.state.config,
            identity: facts.identity.clone(),
            landing: facts.settings.landing,
            state: &gathered.state,
        };
        applied = writer.apply(&next.writes).await?;
        if matches!(applied, Applied::Stopped(_)) {
            break;
        }
    }
    Ok(applied)
}
