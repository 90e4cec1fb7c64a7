//! Why one attempt failed, in the words a reviewer needs: DNS, refused, TLS, timeout, status.

use std::error::Error as StdError;
use std::time::Duration;

use serde::Serialize;

use crate::environments::ExpectedStatus;

/// Longest detail kept from an error message; the comment's table cell must stay readable.
const MAX_DETAIL: usize = 160;

/// Why a health check attempt failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HealthFailure {
    /// The host name did not resolve (preview not deployed yet, or a typo in the URL template).
    #[error("DNS lookup failed")]
    Dns { detail: String },
    /// Nothing listens on the port.
    #[error("connection refused")]
    Refused,
    /// The TLS handshake failed (certificate not issued yet, wrong host, plain HTTP on 443...).
    #[error("TLS error: {detail}")]
    Tls { detail: String },
    /// No response headers within the attempt's time limit.
    #[error("timed out after {}", seconds(*after_ms))]
    Timeout { after_ms: u64 },
    /// The preview answered, but not with the expected status.
    #[error("HTTP {status}, expected {expected}")]
    UnexpectedStatus {
        status: u16,
        expected: ExpectedStatus,
    },
    /// The connection failed another way (reset, unreachable network...).
    #[error("connection failed: {detail}")]
    Connection { detail: String },
    /// Anything else the HTTP client reported.
    #[error("request failed: {detail}")]
    Other { detail: String },
}

impl HealthFailure {
    pub(crate) fn timeout(after: Duration) -> Self {
        Self::Timeout {
            after_ms: u64::try_from(after.as_millis()).unwrap_or(u64::MAX),
        }
    }

    /// Sorts a client error into the kinds above by walking its chain of sources; `limit` is
    /// the attempt's time limit, reported when the client timed out.
    pub(crate) fn classify(error: &reqwest::Error, limit: Duration) -> Self {
        if error.is_timeout() {
            return Self::timeout(limit);
        }
        if error.is_dns() {
            return Self::Dns {
                detail: innermost_message(error),
            };
        }
        let mut source: Option<&(dyn StdError + 'static)> = Some(error);
        while let Some(err) = source {
            if let Some(found) = Self::from_cause(err) {
                return found;
            }
            // `io::Error::source` skips the error it wraps; look inside it too.
            source = match err
                .downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
            {
                Some(inner) => Some(inner as &(dyn StdError + 'static)),
                None => err.source(),
            };
        }
        if error.is_connect() {
            Self::Connection {
                detail: innermost_message(error),
            }
        } else {
            Self::Other {
                detail: innermost_message(error),
            }
        }
    }

    /// A refused connection or a TLS failure, recognised by the type of one cause.
    fn from_cause(err: &(dyn StdError + 'static)) -> Option<Self> {
        if let Some(tls) = err.downcast_ref::<rustls::Error>() {
            return Some(Self::Tls {
                detail: one_line(&tls.to_string()),
            });
        }
        match err.downcast_ref::<std::io::Error>() {
            Some(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => Some(Self::Refused),
            _ => None,
        }
    }
}

/// The deepest cause's message: "Connection reset by peer" says more than "error sending request".
fn innermost_message(error: &(dyn StdError + 'static)) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(err) = source {
        message = err.to_string();
        source = err.source();
    }
    one_line(&message)
}

fn one_line(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(MAX_DETAIL) {
        Some((cut, _)) => format!("{}…", &flat[..cut]),
        None => flat,
    }
}

fn seconds(millis: u64) -> String {
    if millis.is_multiple_of(1_000) {
        format!("{} s", millis / 1_000)
    } else {
        format!("{:.1} s", millis as f64 / 1_000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_as_a_reviewer_needs_them() {
        let cases = [
            (
                HealthFailure::Dns { detail: "x".into() },
                "DNS lookup failed",
            ),
            (HealthFailure::Refused, "connection refused"),
            (
                HealthFailure::timeout(Duration::from_secs(10)),
                "timed out after 10 s",
            ),
            (
                HealthFailure::timeout(Duration::from_millis(250)),
                "timed out after 0.2 s",
            ),
            (
                HealthFailure::UnexpectedStatus {
                    status: 503,
                    expected: ExpectedStatus::AnySuccess,
                },
                "HTTP 503, expected 2xx",
            ),
            (
                HealthFailure::UnexpectedStatus {
                    status: 200,
                    expected: ExpectedStatus::Exactly(204),
                },
                "HTTP 200, expected 204",
            ),
        ];
        for (failure, text) in cases {
            assert_eq!(failure.to_string(), text);
        }
    }

    #[test]
    fn details_are_one_short_line() {
        assert_eq!(one_line("a\n  b\r\nc"), "a b c");
        let long = "é".repeat(500);
        let cut = one_line(&long);
        assert_eq!(cut.chars().count(), MAX_DETAIL + 1);
        assert!(cut.ends_with('…'));
    }
}
