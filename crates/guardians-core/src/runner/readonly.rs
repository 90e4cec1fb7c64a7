//! Read-only tokens: pull requests from forks under `pull_request` get a token that cannot
//! write. A guardian then still reports, in the step summary, and exits 0 unless asked to fail.

use crate::github::ApiError;
use crate::toolkit::{AnnotationProps, Toolkit};

/// What became of a refused write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadOnlyOutcome {
    /// Reported in the summary with a warning; the step passes.
    Degraded,
    /// `fail-on-readonly` is set: the step fails.
    Failed,
}

/// If `err` is a read-only refusal, write `summary` to the step summary, warn, and say what the
/// step should do; any other error is handed back.
pub fn degrade_read_only(
    toolkit: &Toolkit,
    err: ApiError,
    summary: &str,
    fail_on_readonly: bool,
) -> Result<ReadOnlyOutcome, ApiError> {
    if !err.is_write_refused() {
        return Err(err);
    }
    let message = "The token is read-only here (typical for pull requests from forks under \
                   `pull_request`), so nothing was written to the pull request; the result is in \
                   the step summary. To label and comment on fork PRs, run this guardian from a \
                   `workflow_run` or `pull_request_target` workflow (see the README).";
    let _ = toolkit.append_summary(summary);
    let props = AnnotationProps {
        title: Some("Read-only token".into()),
        ..Default::default()
    };
    if fail_on_readonly {
        toolkit.error(message, &props);
        Ok(ReadOnlyOutcome::Failed)
    } else {
        toolkit.warning(message, &props);
        Ok(ReadOnlyOutcome::Degraded)
    }
}
