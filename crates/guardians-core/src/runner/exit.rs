//! The exit codes every guardian shares, and which failures map to which.
//!
//! | exit | meaning |
//! |---|---|
//! | 0 | passed, or nothing to do |
//! | 1 | the guardian's check failed (its verdict) |
//! | 2 | bad input or configuration (the message names the input and the fix) |
//! | 3 | GitHub or the network failed after bounded retries |

use std::process::ExitCode;

use crate::github::ApiError;

use super::RunError;

/// How a run ends, as the step (or the shell) sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Exit {
    /// The check passed, or there was nothing to do.
    Passed,
    /// The guardian's own check failed: its verdict, not an error.
    CheckFailed,
    /// An input, flag, payload or setting is wrong; the message says which and how to fix it.
    BadInput,
    /// GitHub or the network failed after the client's bounded retries.
    GitHubFailed,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Passed => 0,
            Exit::CheckFailed => 1,
            Exit::BadInput => 2,
            Exit::GitHubFailed => 3,
        }
    }

    /// `CheckFailed` when the check failed, `Passed` otherwise.
    pub fn verdict(failed: bool) -> Exit {
        if failed {
            Exit::CheckFailed
        } else {
            Exit::Passed
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit.code())
    }
}

impl RunError {
    /// Which exit code this error ends the run with.
    pub fn exit(&self) -> Exit {
        match self {
            RunError::Api(err) => api_exit(err),
            RunError::Unavailable(_) => Exit::GitHubFailed,
            // `Other` carries a guardian's own input or settings error, in words for people.
            RunError::Context(_)
            | RunError::Config(_)
            | RunError::Input(_)
            | RunError::MissingToken
            | RunError::Other(_) => Exit::BadInput,
        }
    }
}

/// A request GitHub refused as wrong (bad credentials, no permission, no such PR, invalid data)
/// is fixed by changing the input or the workflow: exit 2. What is left — 5xx, rate limits,
/// the network, an unreadable answer — persisted through the retries: exit 3.
pub fn api_exit(err: &ApiError) -> Exit {
    match err {
        ApiError::Status { status, .. } if (400..500).contains(status) && *status != 429 => {
            if is_rate_limited(err) {
                Exit::GitHubFailed
            } else {
                Exit::BadInput
            }
        }
        // A malformed token is the user's input to fix, like a request we could not build.
        ApiError::Request { .. } | ApiError::InvalidToken { .. } => Exit::BadInput,
        _ => Exit::GitHubFailed,
    }
}

fn is_rate_limited(err: &ApiError) -> bool {
    match err {
        ApiError::Status {
            status: 403,
            message,
            ..
        } => message.to_ascii_lowercase().contains("rate limit"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: u16, message: &str) -> ApiError {
        ApiError::Status {
            method: "GET".into(),
            path: "/x".into(),
            status,
            message: message.into(),
        }
    }

    #[test]
    fn refusals_are_bad_input_and_outages_are_github_failures() {
        assert_eq!(api_exit(&status(401, "Bad credentials")), Exit::BadInput);
        assert_eq!(api_exit(&status(404, "Not Found")), Exit::BadInput);
        assert_eq!(api_exit(&status(422, "Validation Failed")), Exit::BadInput);
        assert_eq!(
            api_exit(&status(403, "Resource not accessible by integration")),
            Exit::BadInput
        );
        assert_eq!(
            api_exit(&status(403, "You have exceeded a secondary rate limit")),
            Exit::GitHubFailed
        );
        assert_eq!(
            api_exit(&status(429, "Too Many Requests")),
            Exit::GitHubFailed
        );
        assert_eq!(api_exit(&status(502, "Bad Gateway")), Exit::GitHubFailed);
        let transport = ApiError::Transport {
            method: "GET".into(),
            path: "/x".into(),
            base: "http://127.0.0.1:1".into(),
            detail: "connection refused".into(),
        };
        assert_eq!(api_exit(&transport), Exit::GitHubFailed);
    }

    #[test]
    fn another_service_down_is_an_outage_like_github() {
        let err = RunError::Unavailable("PostHog did not accept the events".into());
        assert_eq!(err.exit(), Exit::GitHubFailed);
        assert_eq!(RunError::Other("bad input".into()).exit(), Exit::BadInput);
    }

    #[test]
    fn codes_are_the_documented_table() {
        let codes: Vec<u8> = [
            Exit::Passed,
            Exit::CheckFailed,
            Exit::BadInput,
            Exit::GitHubFailed,
        ]
        .into_iter()
        .map(Exit::code)
        .collect();
        assert_eq!(codes, [0, 1, 2, 3]);
    }
}
