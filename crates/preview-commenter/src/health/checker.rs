//! The retry loop of one preview, and all previews at once.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::future::join_all;
use guardians_core::github::retry::{Sleeper, TokioSleeper, parse_retry_after};

use super::{HealthFailure, HealthPolicy, HealthReport, StopReason};
use crate::environments::Environment;

/// Redirects a health URL may take (e.g. `/` to `/login`) before the final status counts.
const MAX_REDIRECTS: usize = 5;

/// The HTTP client for health checks: rustls with the ring provider, no cookies, a few
/// redirects, and a user agent that tells preview operators who is knocking.
pub fn http_client() -> Result<reqwest::Client, reqwest::Error> {
    // Installing twice is refused harmlessly: another part of the binary may have done it.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .user_agent(concat!(
            "guardians-preview-commenter/",
            env!("CARGO_PKG_VERSION")
        ))
        .redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS))
        .build()
}

/// Runs the health checks of a PR's previews.
pub struct HealthChecker {
    client: reqwest::Client,
    policy: HealthPolicy,
    sleeper: Arc<dyn Sleeper>,
    jitter: Arc<dyn Fn() -> f64 + Send + Sync>,
}

/// One attempt's answer: the status, the time to response headers, and the wait the preview
/// asked for with `Retry-After` (a 503 or 429 while it deploys or scales up).
struct Answer {
    status: u16,
    latency: Duration,
    retry_after: Option<Duration>,
}

impl HealthChecker {
    /// A checker with real time and random jitter.
    pub fn new(client: reqwest::Client, policy: HealthPolicy) -> Self {
        Self {
            client,
            policy,
            sleeper: Arc::new(TokioSleeper),
            jitter: Arc::new(rand::random::<f64>),
        }
    }

    /// Replaces the waits between attempts (core's [`Sleeper`], the one the GitHub client uses
    /// too): tests record them instead of waiting them out.
    pub fn with_sleeper(mut self, sleeper: Arc<dyn Sleeper>) -> Self {
        self.sleeper = sleeper;
        self
    }

    /// Replaces the jitter source, a function returning values in `[0, 1)`.
    pub fn with_jitter(mut self, jitter: impl Fn() -> f64 + Send + Sync + 'static) -> Self {
        self.jitter = Arc::new(jitter);
        self
    }

    /// Checks every environment concurrently; reports come back in the environments' order.
    pub async fn check_all(&self, environments: &[Environment]) -> Vec<HealthReport> {
        join_all(environments.iter().map(|env| self.check(env))).await
    }

    /// GETs the environment's health URL until it answers as expected, attempts run out, or the
    /// next attempt could not finish within the budget.
    ///
    /// The budget counts the attempts as measured and the waits as asked of the sleeper, so
    /// that a test's sleeper that returns at once still sees the budget spent.
    pub async fn check(&self, env: &Environment) -> HealthReport {
        let mut spent = Duration::ZERO;
        let mut report = HealthReport {
            environment: env.name.clone(),
            health_url: env.health_url.clone(),
            healthy: false,
            status: None,
            latency: None,
            attempts: 0,
            last_error: None,
            stopped_by: None,
        };
        loop {
            let remaining = self.policy.budget.saturating_sub(spent);
            if remaining.is_zero() {
                report.stopped_by = Some(StopReason::Budget);
                return report;
            }
            report.attempts += 1;
            let limit = self.policy.per_try_timeout.min(remaining);
            let sent = Instant::now();
            let attempt = self.attempt(env, limit).await;
            spent += sent.elapsed();
            let (failure, asked) = match attempt {
                Ok(answer) => {
                    report.status = Some(answer.status);
                    report.latency = Some(answer.latency);
                    if env.expected_status.accepts(answer.status) {
                        report.healthy = true;
                        return report;
                    }
                    let failure = HealthFailure::UnexpectedStatus {
                        status: answer.status,
                        expected: env.expected_status,
                    };
                    (failure, answer.retry_after)
                }
                Err(failure) => (failure, None),
            };
            report.last_error = Some(failure);
            if report.attempts >= self.policy.attempts {
                report.stopped_by = Some(StopReason::Attempts);
                return report;
            }
            let wait = self.policy.wait(report.attempts, (self.jitter)(), asked);
            if spent + wait >= self.policy.budget {
                report.stopped_by = Some(StopReason::Budget);
                return report;
            }
            self.sleeper.sleep(wait).await;
            spent += wait;
        }
    }

    /// One GET: the status and the time to response headers, or why there was none.
    async fn attempt(&self, env: &Environment, limit: Duration) -> Result<Answer, HealthFailure> {
        let sent = Instant::now();
        let request = self.client.get(env.health_url.clone()).send();
        match tokio::time::timeout(limit, request).await {
            Ok(Ok(response)) => {
                let status = response.status().as_u16();
                // Only "come back later" answers carry a wait worth honouring.
                let retry_after = matches!(status, 429 | 503)
                    .then(|| response.headers().get(reqwest::header::RETRY_AFTER))
                    .flatten()
                    .and_then(|value| value.to_str().ok())
                    .and_then(|value| parse_retry_after(value, now_epoch()));
                Ok(Answer {
                    status,
                    latency: sent.elapsed(),
                    retry_after,
                })
            }
            Ok(Err(error)) => Err(HealthFailure::classify(&error, limit)),
            Err(_elapsed) => Err(HealthFailure::timeout(limit)),
        }
    }
}

/// Seconds since the Unix epoch, for a `Retry-After` given as an HTTP date.
fn now_epoch() -> u64 {
    u64::try_from(jiff::Timestamp::now().as_second()).unwrap_or(0)
}
