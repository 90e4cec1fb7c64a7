//! The GitHub REST client: `reqwest` (hyper + rustls/ring) with our own retry policy, request
//! limits and headers.
//!
//! Why reqwest and not octocrab: we only ever used octocrab as a transport (its raw `_get` /
//! `_post`), never its typed API, and paid for it with about 270 CPU-seconds of a cold build on
//! the critical path, a second copy of the HTTP stack's configuration, and duplicated
//! `X-GitHub-Api-Version` and `User-Agent` headers (octocrab sets both, we set them again).
//! reqwest is already in the workspace (telemetry-emitter, preview-commenter), so one HTTP stack
//! serves every crate, and every header below is set in exactly one place.
//!
//! What GitHub requires of a well-behaved client, and where it lives here:
//! - each request carries `Accept`, `X-GitHub-Api-Version`, `User-Agent` and `Authorization`
//!   exactly once ([`GitHub::new`]);
//! - a renamed or transferred repository answers 301 (GET) or 307 (other methods): reqwest follows
//!   at most [`MAX_REDIRECTS`], keeps method and body on 307, and drops `Authorization` when the
//!   target is another host (so the token never leaves the API host);
//! - content-creating writes go one at a time ([`GitHub`]'s write permit), reads at most
//!   [`MAX_CONCURRENT_READS`] at once, both far under GitHub's secondary limits (100 concurrent
//!   requests; 80 content-creating requests a minute);
//! - rate limits wait as GitHub documents (see [`super::retry`]), through an injectable
//!   [`Sleeper`], and say so in the step's log.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use http::{HeaderMap, HeaderName, HeaderValue, Method};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::Semaphore;

use super::error::ApiError;
use super::retry::{ResponseSignals, RetryAdvice, RetryPolicy, Sleeper, TokioSleeper, advise};

/// The default API root; GitHub Enterprise Server uses `https://HOST/api/v3`.
pub const DEFAULT_API_URL: &str = "https://api.github.com";

/// The REST API version every request pins.
pub const API_VERSION: &str = "2022-11-28";

/// Redirects followed per request: a rename, then a transfer, with room to spare.
pub const MAX_REDIRECTS: usize = 5;

/// Reads in flight at once. GitHub allows 100 concurrent requests across REST and GraphQL; 8
/// keeps a PR's 30 file pages to four round trips and several guardians in one workflow far
/// below the limit.
pub const MAX_CONCURRENT_READS: usize = 8;

/// The most reads [`GitHub::allow_concurrent_reads`] lets one client have in flight: room
/// under GitHub's 100 concurrent requests for the writes and another guardian's reads.
pub(super) const MAX_READS_CEILING: usize = 90;

const USER_AGENT_VALUE: &str = concat!("guardians/", env!("CARGO_PKG_VERSION"));

/// Called with a line for the step's log when the client waits on a rate limit.
pub type WaitNotice = Arc<dyn Fn(&str) + Send + Sync>;

/// An authenticated client for one API root.
pub struct GitHub {
    http: reqwest::Client,
    api_url: String,
    policy: RetryPolicy,
    sleeper: Arc<dyn Sleeper>,
    wait_notice: Option<WaitNotice>,
    /// The token is the workflow's own `GITHUB_TOKEN` (see [`super::identity`]).
    workflow_token: bool,
    /// GitHub: "make requests for a single user or client ID serially" for content-creating
    /// requests; one permit makes every write wait for the previous one.
    writes: Semaphore,
    reads: Semaphore,
    /// How many read permits `reads` was given in all (see [`GitHub::allow_concurrent_reads`]).
    read_limit: std::sync::atomic::AtomicUsize,
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
    /// A client for `api_url` (trailing slash ignored) authenticating with `token`.
    pub fn new(api_url: &str, token: &str) -> Result<Self, ApiError> {
        let api_url = api_url.trim_end_matches('/').to_string();
        let build_error = |detail: String| ApiError::Request {
            method: "-".into(),
            path: api_url.clone(),
            detail,
        };
        let authorization = authorization(token)?;
        url::Url::parse(&api_url).map_err(|e| {
            build_error(format!(
                "invalid API URL ({e}); set GITHUB_API_URL / --api-url to e.g. {DEFAULT_API_URL}"
            ))
        })?;
        let mut headers = HeaderMap::new();
        headers.insert(
            ACCEPT,
            HeaderValue::from_static("application/vnd.github+json"),
        );
        headers.insert(
            HeaderName::from_static("x-github-api-version"),
            HeaderValue::from_static(API_VERSION),
        );
        headers.insert(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE));
        headers.insert(AUTHORIZATION, authorization);
        // reqwest is built without a default crypto provider (one stack: ring, shared with the
        // other crates); installing it twice is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS))
            .connect_timeout(Duration::from_secs(10))
            .read_timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| build_error(error_chain(&e)))?;
        Ok(Self {
            http,
            api_url,
            policy: RetryPolicy::default(),
            sleeper: Arc::new(TokioSleeper),
            wait_notice: None,
            workflow_token: false,
            writes: Semaphore::new(1),
            reads: Semaphore::new(MAX_CONCURRENT_READS),
            read_limit: std::sync::atomic::AtomicUsize::new(MAX_CONCURRENT_READS),
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

    /// Replace how the client waits between attempts (tests record waits instead of sleeping).
    pub fn with_sleeper(mut self, sleeper: Arc<dyn Sleeper>) -> Self {
        self.sleeper = sleeper;
        self
    }

    /// Where to say that the run is waiting on a rate limit (the runner passes the step log).
    pub fn with_wait_notice(mut self, notice: WaitNotice) -> Self {
        self.wait_notice = Some(notice);
        self
    }

    /// Mark the token as the workflow's own `GITHUB_TOKEN`, whose identity is known without a
    /// call (`github-actions[bot]`).
    pub fn with_workflow_token(mut self, is_workflow_token: bool) -> Self {
        self.workflow_token = is_workflow_token;
        self
    }

    /// Raise the reads in flight at once to `limit` (capped at [`MAX_READS_CEILING`], under
    /// GitHub's 100 concurrent requests), for a guardian whose one round of reads fans out over
    /// many subjects (the integration queue reads 4 things per queued PR at once). Never lowers
    /// it. Works on the session's shared client.
    pub fn allow_concurrent_reads(&self, limit: usize) {
        let limit = limit.min(MAX_READS_CEILING);
        let before = self.read_limit.fetch_max(limit, Ordering::Relaxed);
        if limit > before {
            self.reads.add_permits(limit - before);
        }
    }

    pub fn is_workflow_token(&self) -> bool {
        self.workflow_token
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

    /// A GraphQL query, answered as `{"data": ..., "errors": [...]}`. A query is a read: it
    /// takes a read permit, not the write one.
    pub async fn graphql<T: DeserializeOwned>(&self, query: &str) -> Result<T, ApiError> {
        #[derive(Serialize)]
        struct Query<'q> {
            query: &'q str,
        }
        let url = self.graphql_url();
        let response = self
            .send_as(Method::POST, "/graphql", url, Some(&Query { query }), false)
            .await?;
        decode("POST", "/graphql", &response.body)
    }

    /// GitHub serves GraphQL at `/graphql` beside the REST root, except on GitHub Enterprise
    /// Server, where REST is `/api/v3` and GraphQL is `/api/graphql`.
    pub fn graphql_url(&self) -> String {
        match self.api_url.strip_suffix("/api/v3") {
            Some(host) => format!("{host}/api/graphql"),
            None => format!("{}/graphql", self.api_url),
        }
    }

    pub async fn patch<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        let response = self.send(Method::PATCH, path, Some(body)).await?;
        decode("PATCH", path, &response.body)
    }

    pub async fn put<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        let response = self.send(Method::PUT, path, Some(body)).await?;
        decode("PUT", path, &response.body)
    }

    pub async fn delete(&self, path: &str) -> Result<(), ApiError> {
        self.send(Method::DELETE, path, None::<&()>).await.map(drop)
    }

    async fn send<B: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<RawResponse, ApiError> {
        let is_write = method != Method::GET && method != Method::HEAD;
        let url = format!("{}{}", self.api_url, path);
        self.send_as(method, path, url, body, is_write).await
    }

    /// Send with retries, holding the write permit (writes) or a read permit for the whole
    /// exchange, waits included, so that a rate-limited write is not overtaken by the next.
    async fn send_as<B: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        url: String,
        body: Option<&B>,
        is_write: bool,
    ) -> Result<RawResponse, ApiError> {
        let body = match body {
            Some(body) => Some(serde_json::to_vec(body).map_err(|e| ApiError::Request {
                method: method.to_string(),
                path: path.to_string(),
                detail: e.to_string(),
            })?),
            None => None,
        };
        let permits = if is_write { &self.writes } else { &self.reads };
        // The semaphores are never closed, so acquiring only fails if that changes.
        let _permit = permits.acquire().await.map_err(|e| ApiError::Request {
            method: method.to_string(),
            path: path.to_string(),
            detail: e.to_string(),
        })?;
        let mut attempt = 0u32;
        loop {
            self.requests.fetch_add(1, Ordering::Relaxed);
            let (advice, failure) = match self.send_once(&method, &url, body.as_deref()).await {
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
            if advice.is_rate_limit()
                && let Some(notice) = &self.wait_notice
            {
                notice(&format!(
                    "GitHub rate-limited {method} {path} (HTTP {}); waiting {}s before trying again",
                    failure.status().unwrap_or_default(),
                    wait.as_secs_f32().ceil() as u64,
                ));
            }
            self.retries.fetch_add(1, Ordering::Relaxed);
            self.waited_ms
                .fetch_add(wait.as_millis() as u64, Ordering::Relaxed);
            self.sleeper.sleep(wait).await;
            attempt += 1;
        }
    }

    async fn send_once(
        &self,
        method: &Method,
        url: &str,
        body: Option<&[u8]>,
    ) -> Result<RawResponse, String> {
        let mut request = self.http.request(method.clone(), url);
        if let Some(body) = body {
            request = request
                .header(CONTENT_TYPE, "application/json")
                .body(body.to_vec());
        }
        let response = request.send().await.map_err(|e| error_chain(&e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.text().await.map_err(|e| error_chain(&e))?;
        Ok(RawResponse {
            status,
            headers,
            body,
        })
    }
}

/// `Authorization: Bearer <token>`, marked sensitive so that it is never logged. A token with a
/// line break, a control character or inner whitespace (a bad copy-paste into a secret) cannot
/// form a header: say so, and where it came from, instead of failing deep inside the client.
fn authorization(token: &str) -> Result<HeaderValue, ApiError> {
    if let Some((position, character)) = token
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_control() || c.is_whitespace() || !c.is_ascii())
    {
        let what = match character {
            '\n' | '\r' => "a line break",
            c if c.is_whitespace() => "a space",
            c if c.is_control() => "a control character",
            _ => "a non-ASCII character",
        };
        return Err(ApiError::InvalidToken {
            detail: format!("it contains {what} at character {}", position + 1),
        });
    }
    if token.is_empty() {
        return Err(ApiError::InvalidToken {
            detail: "it is empty".into(),
        });
    }
    let mut value =
        HeaderValue::from_str(&format!("Bearer {token}")).map_err(|e| ApiError::InvalidToken {
            detail: e.to_string(),
        })?;
    value.set_sensitive(true);
    Ok(value)
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn now_epoch() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Errors nest their cause; people need the innermost reason ("connection refused").
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut detail = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !detail.contains(&text) {
            detail = format!("{detail}: {text}");
        }
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
