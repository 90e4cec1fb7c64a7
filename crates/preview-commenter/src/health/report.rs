//! What a health check found out about one preview.

use std::time::Duration;

use serde::{Serialize, Serializer};
use url::Url;

use super::HealthFailure;

/// The outcome of one preview's health check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HealthReport {
    /// The environment's name from the config.
    pub environment: String,
    pub health_url: Url,
    pub healthy: bool,
    /// The last HTTP status received, if any attempt got a response.
    pub status: Option<u16>,
    /// Time to response headers of the last attempt that got a response.
    #[serde(rename = "latency_ms", serialize_with = "millis")]
    pub latency: Option<Duration>,
    /// Attempts made.
    pub attempts: u32,
    /// Why the last failed attempt failed (also kept when a later attempt succeeded).
    pub last_error: Option<HealthFailure>,
    /// Why the checker stopped trying, when it gave up.
    pub stopped_by: Option<StopReason>,
}

/// Why an unhealthy preview was given up on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// Every allowed attempt failed.
    Attempts,
    /// The overall time budget would have run out before another attempt.
    Budget,
}

fn millis<S: Serializer>(duration: &Option<Duration>, serializer: S) -> Result<S::Ok, S::Error> {
    duration
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .serialize(serializer)
}
