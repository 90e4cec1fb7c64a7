//! Delivery to PostHog's batch endpoint: one gzip request per run, retried when it may help.

use std::sync::{Arc, Once};
use std::time::Duration;

use thiserror::Error;
use url::Url;

use super::api_key::ApiKey;
use super::batch::{BatchBody, gzip};
use super::retry::{
    RetryPolicy, Sleeper, StatusClass, TokioSleeper, classify_status, delivery_advice,
    parse_retry_after,
};
use crate::plan::TelemetryEvent;

#[derive(Debug, Error)]
pub enum PosthogError {
    #[error(
        "`{0}` is not a valid PostHog host; use https://us.i.posthog.com, https://eu.i.posthog.com or your instance's URL"
    )]
    Host(String),
    #[error(
        "PostHog refused the events with HTTP {status} ({body}); this will not pass on retry: check posthog-api-key (a project API key, `phc_...`) and posthog-host"
    )]
    Refused { status: u16, body: String },
    #[error("PostHog did not accept the events after {attempts} attempts; last error: {last}")]
    GaveUp { attempts: u32, last: String },
    #[error("could not prepare the request: {0}")]
    Prepare(String),
}

/// What a successful delivery took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivered {
    pub attempts: u32,
    pub waits: Vec<Duration>,
}

/// Seconds since the epoch, for `Retry-After` dates.
fn now_epoch() -> u64 {
    u64::try_from(jiff::Timestamp::now().as_second()).unwrap_or(0)
}

/// Installs rustls' ring provider once per process (reqwest is built without one).
pub(crate) fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // An error means another part of the process installed one first, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

pub struct PosthogSink {
    endpoint: Url,
    api_key: ApiKey,
    client: reqwest::Client,
    policy: RetryPolicy,
    sleeper: Arc<dyn Sleeper>,
}

impl std::fmt::Debug for PosthogSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PosthogSink")
            .field("endpoint", &self.endpoint.as_str())
            .field("api_key", &self.api_key)
            .finish_non_exhaustive()
    }
}

/// `{host}/batch/`, whether or not the host ends with a slash or carries a path prefix.
pub fn batch_endpoint(host: &str) -> Result<Url, PosthogError> {
    let mut base = Url::parse(host.trim()).map_err(|_| PosthogError::Host(host.to_owned()))?;
    if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
        return Err(PosthogError::Host(host.to_owned()));
    }
    if !base.path().ends_with('/') {
        let path = format!("{}/", base.path());
        base.set_path(&path);
    }
    base.join("batch/")
        .map_err(|_| PosthogError::Host(host.to_owned()))
}

impl PosthogSink {
    pub fn new(host: &str, api_key: ApiKey, policy: RetryPolicy) -> Result<Self, PosthogError> {
        install_crypto_provider();
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .user_agent(concat!(
                "guardians-telemetry-emitter/",
                env!("CARGO_PKG_VERSION")
            ))
            .build()
            .map_err(|e| PosthogError::Prepare(e.to_string()))?;
        Ok(Self {
            endpoint: batch_endpoint(host)?,
            api_key,
            client,
            policy,
            sleeper: Arc::new(TokioSleeper),
        })
    }

    /// Replaces the real waits (tests record them instead).
    pub fn with_sleeper(mut self, sleeper: Arc<dyn Sleeper>) -> Self {
        self.sleeper = sleeper;
        self
    }

    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    pub async fn send(&self, events: &[TelemetryEvent]) -> Result<Delivered, PosthogError> {
        let json = BatchBody::new(self.api_key.expose(), events).to_json();
        let body = gzip(json.as_bytes()).map_err(|e| PosthogError::Prepare(e.to_string()))?;
        let max_attempts = self.policy.max_attempts.max(1);
        let mut waits = Vec::new();
        let mut last = String::new();
        for attempt in 1..=max_attempts {
            let mut retry_after = None;
            let response = self
                .client
                .post(self.endpoint.clone())
                .header("content-type", "application/json")
                .header("content-encoding", "gzip")
                .body(body.clone())
                .send()
                .await;
            match response {
                Ok(response) => {
                    let status = response.status().as_u16();
                    retry_after = response
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| parse_retry_after(v, now_epoch()));
                    match classify_status(status) {
                        StatusClass::Delivered => {
                            return Ok(Delivered {
                                attempts: attempt,
                                waits,
                            });
                        }
                        StatusClass::Terminal => {
                            let text = response.text().await.unwrap_or_default();
                            return Err(PosthogError::Refused {
                                status,
                                body: self.redact(&text),
                            });
                        }
                        StatusClass::Retryable => last = format!("HTTP {status}"),
                    }
                }
                // Connection refused, reset, timed out: the network, not the batch.
                Err(error) => last = self.redact(&error.to_string()),
            }
            let advice = delivery_advice(retry_after, attempt - 1, &self.policy);
            let waited = waits.iter().sum();
            match self.policy.next_wait(advice, attempt - 1, waited) {
                Some(wait) => {
                    waits.push(wait);
                    self.sleeper.sleep(wait).await;
                }
                None => {
                    return Err(PosthogError::GaveUp {
                        attempts: attempt,
                        last,
                    });
                }
            }
        }
        Err(PosthogError::GaveUp {
            attempts: max_attempts,
            last,
        })
    }

    /// Server text shown to the user: the key masked, and cut short.
    fn redact(&self, text: &str) -> String {
        let masked = text.replace(self.api_key.expose(), &self.api_key.masked());
        let short: String = masked.chars().take(300).collect();
        short.replace(['\r', '\n'], " ")
    }
}
