//! Errors a caller branches on.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum EmitError {
    #[error(
        "unknown event name `{0}`; use one of: dev_pr_opened, dev_ci_started, dev_ci_passed, dev_ci_failed, dev_integration_queue_entered, dev_integration_ci_passed, dev_integration_ci_failed, dev_deploy_succeeded, dev_deploy_failed"
    )]
    UnknownEventName(String),
    #[error(
        "invalid glob `{pattern}` in `{key}`: {message}; fix the pattern in .github/guardians.yml"
    )]
    Glob {
        key: &'static str,
        pattern: String,
        message: String,
    },
}
