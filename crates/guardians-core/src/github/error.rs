//! Errors from the GitHub API, classified so that callers can branch on them and people can act
//! on them.

/// A failed API call. `Display` is written for the person reading the job log.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// GitHub answered with an error status (after any retries).
    #[error("{method} {path} failed with HTTP {status}: {message}{}", hint_suffix(*.status, .message))]
    Status {
        method: String,
        path: String,
        status: u16,
        message: String,
    },
    /// GitHub could not be reached (DNS, connection, TLS, timeout), after retries.
    #[error(
        "{method} {path}: could not reach GitHub at {base}: {detail}. Check GITHUB_API_URL / --api-url and the network"
    )]
    Transport {
        method: String,
        path: String,
        base: String,
        detail: String,
    },
    /// GitHub answered 2xx with a body we could not read.
    #[error("{method} {path}: unexpected response from GitHub: {detail}")]
    Decode {
        method: String,
        path: String,
        detail: String,
    },
    /// The token cannot be sent in an HTTP header (a line break or control character, usually
    /// from pasting it into a secret with the line it was copied from).
    #[error(
        "the GitHub token is malformed: {detail}. Check the `github-token` input or GITHUB_TOKEN: \
         paste the token again as one line with nothing around it"
    )]
    InvalidToken { detail: String },
    /// The request could not even be built (an invalid path or body).
    #[error("could not build the request {method} {path}: {detail}")]
    Request {
        method: String,
        path: String,
        detail: String,
    },
}

fn hint_suffix(status: u16, message: &str) -> &'static str {
    match status {
        401 => {
            " (the token is missing, invalid or expired: pass `github-token` or set GITHUB_TOKEN)"
        }
        403 if is_integration_refusal(message) => {
            " (the token may not write here: grant the job the `permissions:` this action documents; \
             pull requests from forks only get a read-only token under `pull_request`)"
        }
        404 => " (check the repository, the PR number and that the token can read the repository)",
        _ => "",
    }
}

fn is_integration_refusal(message: &str) -> bool {
    message
        .to_ascii_lowercase()
        .contains("resource not accessible")
}

impl ApiError {
    /// The HTTP status, when GitHub answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// A write refused because the token is read-only (typically a fork PR under
    /// `pull_request`): the guardian degrades to its step summary instead of failing.
    pub fn is_write_refused(&self) -> bool {
        match self {
            ApiError::Status {
                status: 403,
                message,
                ..
            } => is_integration_refusal(message),
            _ => false,
        }
    }

    /// A 422 whose errors say the thing already exists (for example a label).
    pub fn is_already_exists(&self) -> bool {
        match self {
            ApiError::Status {
                status: 422,
                message,
                ..
            } => message.contains("already_exists"),
            _ => false,
        }
    }
}
