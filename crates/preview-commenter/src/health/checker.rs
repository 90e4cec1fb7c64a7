//! The retry loop of one preview, and all previews at once.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::future::join_all;

use super::{HealthFailure, HealthReport, RetryPolicy, StopReason, Timer, TokioTimer};
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
    policy: RetryPolicy,
    timer: Arc<dyn Timer>,
    jitter: Arc<dyn Fn() -> f64 + Send + Sync>,
}

impl HealthChecker {
    /// A checker with real time and random jitter.
    pub fn new(client: reqwest::Client, policy: RetryPolicy) -> Self {
        Self {
            client,
            policy,
            timer: Arc::new(TokioTimer),
            jitter: Arc::new(rand::random::<f64>),
        }
    }

    /// Replaces the clock and sleep (tests use a virtual clock).
    pub fn with_timer(mut self, timer: Arc<dyn Timer>) -> Self {
        self.timer = timer;
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
    pub async fn check(&self, env: &Environment) -> HealthReport {
        let started = self.timer.now();
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
            let remaining = self.policy.budget.saturating_sub(self.elapsed(started));
            if remaining.is_zero() {
                report.stopped_by = Some(StopReason::Budget);
                return report;
            }
            report.attempts += 1;
            let limit = self.policy.per_try_timeout.min(remaining);
            let failure = match self.attempt(env, limit).await {
                Ok((status, latency)) => {
                    report.status = Some(status);
                    report.latency = Some(latency);
                    if env.expected_status.accepts(status) {
                        report.healthy = true;
                        return report;
                    }
                    HealthFailure::UnexpectedStatus {
                        status,
                        expected: env.expected_status,
                    }
                }
                Err(failure) => failure,
            };
            report.last_error = Some(failure);
            if report.attempts >= self.policy.attempts {
                report.stopped_by = Some(StopReason::Attempts);
                return report;
            }
            let wait = self.policy.backoff(report.attempts, (self.jitter)());
            if self.elapsed(started) + wait >= self.policy.budget {
                report.stopped_by = Some(StopReason::Budget);
                return report;
            }
            self.timer.sleep(wait).await;
        }
    }

    /// One GET: the status and the time to response headers, or why there was none.
    async fn attempt(
        &self,
        env: &Environment,
        limit: Duration,
    ) -> Result<(u16, Duration), HealthFailure> {
        let sent = Instant::now();
        let request = self.client.get(env.health_url.clone()).send();
        match tokio::time::timeout(limit, request).await {
            Ok(Ok(response)) => Ok((response.status().as_u16(), sent.elapsed())),
            Ok(Err(error)) => Err(HealthFailure::classify(&error, limit)),
            Err(_elapsed) => Err(HealthFailure::timeout(limit)),
        }
    }

    fn elapsed(&self, started: Instant) -> Duration {
        self.timer.now().saturating_duration_since(started)
    }
}
