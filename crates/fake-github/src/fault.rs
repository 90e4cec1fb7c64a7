//! Scripted failures: a request whose method and path match a queued fault gets the fault's response, and
//! the fake's state is left untouched, until the fault has been used `times` times.

use globset::GlobMatcher;
use serde::{Deserialize, Serialize};

/// The message GitHub sends with a secondary rate limit 403.
pub const SECONDARY_RATE_LIMIT_MESSAGE: &str = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.";

/// A failure to serve instead of the normal response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// `GET`, `POST`, ... (case-insensitive); `None` matches every method.
    #[serde(default)]
    pub method: Option<String>,
    /// A glob over the request path (`*` stays within one segment, `**` crosses them), e.g.
    /// `/repos/*/*/pulls/*/files`. Percent-encoded characters are matched as sent.
    #[serde(default = "any_path")]
    pub path: String,
    pub status: u16,
    /// The JSON body; defaults to `{"message": <reason>, "documentation_url": ...}`.
    #[serde(default)]
    pub body: Option<serde_json::Value>,
    /// Extra response headers, e.g. `("retry-after", "1")`.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// How many matching requests fail before the fault is used up.
    #[serde(default = "once")]
    pub times: u32,
}

fn any_path() -> String {
    "**".to_owned()
}

fn once() -> u32 {
    1
}

impl Fault {
    /// Every request answers `status` once, with a default body.
    pub fn status(status: u16) -> Fault {
        Fault {
            method: None,
            path: any_path(),
            status,
            body: None,
            headers: Vec::new(),
            times: once(),
        }
    }

    /// GitHub's secondary rate limit: 403 with `retry-after: 1` and the documented message.
    pub fn secondary_rate_limit() -> Fault {
        Fault::status(403)
            .header("retry-after", "1")
            .body(serde_json::json!({
                "message": SECONDARY_RATE_LIMIT_MESSAGE,
                "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
                "status": "403",
            }))
    }

    /// 429 Too Many Requests with `retry-after: 1`.
    pub fn too_many_requests() -> Fault {
        Fault::status(429).header("retry-after", "1")
    }

    /// The primary rate limit is spent: 403, `x-ratelimit-remaining: 0`, reset at `reset_epoch_seconds`.
    pub fn primary_rate_limit(reset_epoch_seconds: i64) -> Fault {
        Fault::status(403)
            .header("x-ratelimit-remaining", "0")
            .header("x-ratelimit-reset", &reset_epoch_seconds.to_string())
            .body(serde_json::json!({
                "message": "API rate limit exceeded for installation. If you reach out to GitHub Support for help, please include the request ID.",
                "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit",
                "status": "403",
            }))
    }

    /// Restricts the fault to paths matching `glob`.
    pub fn on(mut self, glob: &str) -> Fault {
        self.path = glob.to_owned();
        self
    }

    /// Restricts the fault to one HTTP method.
    pub fn method(mut self, method: &str) -> Fault {
        self.method = Some(method.to_owned());
        self
    }

    pub fn times(mut self, times: u32) -> Fault {
        self.times = times;
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Fault {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn body(mut self, body: serde_json::Value) -> Fault {
        self.body = Some(body);
        self
    }

    /// The body served: the one given, or GitHub's usual `message` + `documentation_url`.
    pub fn response_body(&self) -> serde_json::Value {
        self.body.clone().unwrap_or_else(|| {
            let reason = axum::http::StatusCode::from_u16(self.status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("Injected fault");
            serde_json::json!({
                "message": reason,
                "documentation_url": "https://docs.github.com/rest",
                "status": self.status.to_string(),
            })
        })
    }
}

/// Why a fault could not be queued.
#[derive(Debug, thiserror::Error)]
pub enum FaultError {
    #[error(
        "fault path {path:?} is not a valid glob ({source}); use `*` for one path segment and `**` for any"
    )]
    BadGlob {
        path: String,
        source: globset::Error,
    },
    #[error("fault status {0} is not an HTTP status code; use 100..=599")]
    BadStatus(u16),
}

/// A queued fault with its compiled path matcher and remaining uses.
#[derive(Debug, Clone)]
pub(crate) struct ArmedFault {
    pub fault: Fault,
    matcher: GlobMatcher,
    pub remaining: u32,
}

impl ArmedFault {
    pub(crate) fn new(fault: Fault) -> Result<ArmedFault, FaultError> {
        if !(100..=599).contains(&fault.status) {
            return Err(FaultError::BadStatus(fault.status));
        }
        let matcher = globset::GlobBuilder::new(&fault.path)
            .literal_separator(true)
            .build()
            .map_err(|source| FaultError::BadGlob {
                path: fault.path.clone(),
                source,
            })?
            .compile_matcher();
        Ok(ArmedFault {
            remaining: fault.times,
            fault,
            matcher,
        })
    }

    pub(crate) fn matches(&self, method: &str, path: &str) -> bool {
        self.remaining > 0
            && self
                .fault
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self.matcher.is_match(path)
    }
}

/// Literal glob for a path, used when a test hands `inject` a pattern that does not compile.
pub(crate) fn escaped(path: &str) -> String {
    globset::escape(path)
}
