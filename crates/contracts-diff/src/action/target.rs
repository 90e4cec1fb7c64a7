//! Which pull request a run checks: the event's, or on `workflow_run` (the fork-safe
//! two-workflow setup) the one named by the `pr-number` input.

use guardians_core::event::Event;

/// The `pull_request` actions after which the contracts or the approval may have changed.
pub const TRIGGER_ACTIONS: &[&str] = &[
    "opened",
    "reopened",
    "synchronize",
    "edited",
    "ready_for_review",
    "labeled",
    "unlabeled",
];

/// The pull request to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub number: u64,
    /// The base branch from the payload, so the config is read alongside the PR; None on
    /// `workflow_run`, where the PR is read first to learn it.
    pub base_ref: Option<String>,
    /// `changed_files` from the payload: the file pages are then fetched at once.
    pub changed_files: Option<u64>,
    /// The PR's comment count from the payload, for the same reason.
    pub comment_count: Option<u64>,
}

/// Why a run has nothing to do (a notice; the step passes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip(pub String);

/// Picks the PR from the event. `pr_number` is the parsed `pr-number` input.
pub fn select(event: &Event, event_name: &str, pr_number: Option<u64>) -> Result<Target, Skip> {
    match (event, pr_number) {
        (Event::PullRequest(event), _) if TRIGGER_ACTIONS.contains(&event.action.as_str()) => {
            Ok(Target {
                number: event.number,
                base_ref: Some(event.pull_request.base.ref_.clone()),
                changed_files: event.pull_request.changed_files,
                comment_count: event.pull_request.comments,
            })
        }
        (Event::PullRequest(event), _) => Err(Skip(format!(
            "nothing to do for `{}` pull requests; it runs on {}.",
            event.action,
            TRIGGER_ACTIONS.join(", ")
        ))),
        (Event::WorkflowRun(_) | Event::Other { .. }, Some(number)) => Ok(Target {
            number,
            base_ref: None,
            changed_files: None,
            comment_count: None,
        }),
        (Event::WorkflowRun(_), None) => Err(Skip(
            "on `workflow_run` it needs the `pr-number` input (the PR the triggering run was for); nothing to do."
                .to_owned(),
        )),
        _ => Err(Skip(format!(
            "it runs on `pull_request` and `pull_request_target` (or `workflow_run` with `pr-number`); this is `{event_name}`, so there is nothing to do."
        ))),
    }
}
