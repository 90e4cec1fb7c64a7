//! Which pull request a run checks: the event's, or on `workflow_run` (the fork-safe two-workflow
//! setup) the one named by the `pr-number` input.

use guardians_core::event::{Event, PullRequest};

use crate::RECHECK_ON_ACTIONS;

/// The pull request to check and what the trigger already says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub number: u64,
    /// The PR as the payload describes it (`pull_request` events); `None` on `workflow_run`,
    /// where the PR is read first to learn its base branch.
    pub payload: Option<PullRequest>,
    /// The PR's comment count from the payload, so our comment's pages are fetched at once.
    pub comment_count: Option<u64>,
}

/// Why a run has nothing to do (reported as a notice; the step passes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip(pub String);

/// Picks the PR from the event. `pr_number` is the `pr-number` input, already parsed.
pub fn select(event: &Event, event_name: &str, pr_number: Option<u64>) -> Result<Target, Skip> {
    match (event, pr_number) {
        (Event::PullRequest(event), _) if RECHECK_ON_ACTIONS.contains(&event.action.as_str()) => {
            Ok(Target {
                number: event.number,
                payload: Some(event.pull_request.clone()),
                comment_count: None,
            })
        }
        (Event::PullRequest(event), _) => Err(Skip(format!(
            "pr-critic has nothing to do for `{}` pull requests; it runs on {}.",
            event.action,
            RECHECK_ON_ACTIONS.join(", ")
        ))),
        (Event::WorkflowRun(_) | Event::Other { .. }, Some(number)) => Ok(Target {
            number,
            payload: None,
            comment_count: None,
        }),
        (Event::WorkflowRun(_), None) => Err(Skip(
            "pr-critic on `workflow_run` needs the `pr-number` input (the PR the triggering run was for); nothing to do."
                .to_owned(),
        )),
        _ => Err(Skip(format!(
            "pr-critic runs on `pull_request` and `pull_request_target` (or `workflow_run` with `pr-number`); this is `{event_name}`, so there is nothing to do."
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_events_and_actions_are_skipped() {
        let closed = Event::parse(
            "pull_request",
            br#"{"action":"closed","number":3,"pull_request":{"number":3,"head":{"ref":"f","sha":"a"},"base":{"ref":"main","sha":"b"}},"repository":{"full_name":"o/r"}}"#,
        )
        .unwrap();
        assert!(select(&closed, "pull_request", None).is_err());
        let push = Event::Other {
            name: "workflow_dispatch".into(),
        };
        assert!(select(&push, "workflow_dispatch", None).is_err());
        assert_eq!(
            select(&push, "workflow_dispatch", Some(5)).unwrap().number,
            5
        );
    }
}
