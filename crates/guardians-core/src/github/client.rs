//! The GitHub REST client: octocrab's HTTP stack (hyper + rustls/ring) with our own retry
//! policy, because octocrab's retry layer neither honours `Retry-After` nor caps waiting.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::{HeaderMap, HeaderName, Method};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error::ApiError;
use super::retry::{ResponseSignals, RetryAdvice, RetryPolicy, advise};

/// The default API root; GitHub Enterprise Server uses `https://HOST/api/v3`.
pub const DEFAULT_API_URL: &str = "https://api.github.com";

/// An authenticated client for one API root.
pub struct GitHub {
    octo: octocrab::Octocrab,
    api_url: String,
    policy: RetryPolicy,
    requests: AtomicU32,
    retries: AtomicU32,
    waited_ms: AtomicU64,
}

/// What a run spent on the API, for logs and benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallStats {
    pub requests: u32,
    pub retries: u32,
    pub waited: Duration,
}

/// A response that GitHub answered with a success status.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl GitHub {
    /// A client for `api_url` (trailing slash ignored) authenticating with `token`. Must be
    /// called inside a Tokio runtime: octocrab spawns its connection service on it.
    pub fn new(api_url: &str, token: &str) -> Result<Self, ApiError> {
        let api_url = api_url.trim_end_matches('/').to_string();
        let build_error = |detail: String| ApiError::Request {
            method: "-".into(),
            path: api_url.clone(),
            detail,
        };
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(build_error(
                "the GitHub client must be created inside a Tokio runtime".into(),
            ));
        }
        let octo = octocrab::Octocrab::builder()
            .base_uri(api_url.as_str())
            .map_err(|e| build_error(format!("invalid API URL: {e}")))?
            .personal_token(token.to_string())
            .add_header(
                HeaderName::from_static("accept"),
                "application/vnd.github+json".into(),
            )
            .add_header(
                HeaderName::from_static("x-github-api-version"),
                "2022-11-28".into(),
            )
            .add_header(
                HeaderName::from_static("user-agent"),
                concat!("guardians/", env!("CARGO_PKG_VERSION")).into(),
            )
            .set_connect_timeout(Some(Duration::from_secs(10)))
            .set_read_timeout(Some(Duration::from_secs(30)))
            .build()
            .map_err(|e| build_error(e.to_string()))?;
        Ok(Self {
            octo,
            api_url,
            policy: RetryPolicy::default(),
            requests: AtomicU32::new(0),
            retries: AtomicU32::new(0),
            waited_ms: AtomicU64::new(0),
        })
    }

    /// Replace the retry policy (tests use short waits).
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    pub fn api_url(&self) -> &str {
        &self.api_url
    }

    pub fn stats(&self) -> CallStats {
        CallStats {
            requests: self.requests.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
            waited: Duration::from_millis(self.waited_ms.load(Ordering::Relaxed)),
        }
    }

    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        let response = self.send(Method::GET, path, None::<&()>).await?;
        decode("GET", path, &response.body)
    }

    /// A GET whose 404 means "absent" rather than failure.
    pub async fn get_optional<T: DeserializeOwned>(
        &self,
        path: &str,
    ) -> Result<Option<T>, ApiError> {
        match self.get(path).await {
            Ok(value) => Ok(Some(value)),
            Err(err) if err.is_not_found() => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// A GET that also returns the response headers (for `Link` pagination).
    pub async fn get_raw(&self, path: &str) -> Result<RawResponse, ApiError> {
        self.send(Method::GET, path, None::<&()>).await
    }

    pub async fn post<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        let response = self.send(Method::POST, path, Some(body)).await?;
        decode("POST", path, &response.body)
    }

    pub async fn patch<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        let response = self.send(Method::PATCH, path, Some(body)).await?;
        decode("PATCH", path, &response.body)
    }

    pub async fn delete(&self, path: &str) -> Result<(), ApiError> {
        self.send(Method::DELETE, path, None::<&()>).await.map(drop)
    }

    /// Send with retries. Every attempt is counted; waiting is capped per request and per run.
    async fn send<B: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<RawResponse, ApiError> {
        let mut attempt = 0u32;
        loop {
            self.requests.fetch_add(1, Ordering::Relaxed);
            let (advice, failure) = match self.send_once(&method, path, body).await {
                Ok(response) if (200..300).contains(&response.status) => return Ok(response),
                Ok(response) => {
                    let signals = ResponseSignals {
                        status: response.status,
                        retry_after: header(&response.headers, "retry-after"),
                        ratelimit_remaining: header(&response.headers, "x-ratelimit-remaining"),
                        ratelimit_reset: header(&response.headers, "x-ratelimit-reset"),
                        body: &response.body,
                        now_epoch: now_epoch(),
                    };
                    let advice = advise(&signals);
                    let failure = ApiError::Status {
                        method: method.to_string(),
                        path: path.to_string(),
                        status: response.status,
                        message: error_message(&response.body),
                    };
                    (advice, failure)
                }
                // Connection-level failures are transient more often than not.
                Err(detail) => (
                    RetryAdvice::Backoff,
                    ApiError::Transport {
                        method: method.to_string(),
                        path: path.to_string(),
                        base: self.api_url.clone(),
                        detail,
                    },
                ),
            };
            let waited = Duration::from_millis(self.waited_ms.load(Ordering::Relaxed));
            let Some(wait) = self.policy.next_wait(advice, attempt, waited) else {
                return Err(failure);
            };
            self.retries.fetch_add(1, Ordering::Relaxed);
            self.waited_ms
                .fetch_add(wait.as_millis() as u64, Ordering::Relaxed);
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    async fn send_once<B: Serialize + ?Sized>(
        &self,
        method: &Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<RawResponse, String> {
        let response = match *method {
            Method::GET => self.octo._get(path).await,
            Method::POST => self.octo._post(path, body).await,
            Method::PATCH => self.octo._patch(path, body).await,
            Method::PUT => self.octo._put(path, body).await,
            Method::DELETE => self.octo._delete(path, body).await,
            _ => return Err(format!("unsupported method {method}")),
        }
        .map_err(|e| transport_detail(&e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = self
            .octo
            .body_to_string(response)
            .await
            .map_err(|e| transport_detail(&e))?;
        Ok(RawResponse {
            status,
            headers,
            body,
        })
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn now_epoch() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// octocrab's errors nest the cause; people need the innermost reason ("connection refused").
fn transport_detail(error: &octocrab::Error) -> String {
    let mut detail = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        detail = format!("{detail}: {cause}");
        source = cause.source();
    }
    detail
}

fn decode<T: DeserializeOwned>(method: &str, path: &str, body: &str) -> Result<T, ApiError> {
    let body = if body.trim().is_empty() { "null" } else { body };
    let mut deserializer = serde_json::Deserializer::from_str(body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| ApiError::Decode {
        method: method.to_string(),
        path: path.to_string(),
        detail: format!("at `{}`: {}", e.path(), e.inner()),
    })
}

/// GitHub's error body: `{"message": "...", "errors": [...]}`; keep both, compactly.
fn error_message(body: &str) -> String {
    #[derive(serde::Deserialize)]
    struct ErrorBody {
        message: Option<String>,
        errors: Option<serde_json::Value>,
    }
    match serde_json::from_str::<ErrorBody>(body) {
        Ok(ErrorBody {
            message: Some(message),
            errors,
        }) => match errors {
            Some(errors) => format!("{message} {errors}"),
            None => message,
        },
        _ => body.chars().take(300).collect(),
    }
}
