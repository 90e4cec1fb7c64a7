//! When to try a delivery again, and how long to wait first.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use jiff::Timestamp;

/// Bounded exponential backoff; a server's `Retry-After` is a floor, `max_delay` a cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// The wait before attempt `next_attempt` (2 for the first retry).
    pub fn delay(&self, next_attempt: u32, retry_after: Option<Duration>) -> Duration {
        let exponent = next_attempt.saturating_sub(2).min(16);
        let backoff = self.base_delay.saturating_mul(1 << exponent);
        backoff
            .max(retry_after.unwrap_or_default())
            .min(self.max_delay)
    }
}

/// What a response status means for the delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusClass {
    Delivered,
    /// 408, 429 and 5xx: the server may accept the same batch later.
    Retryable,
    /// Any other 4xx (or an unexpected status): sending the same batch again cannot help.
    Terminal,
}

pub fn classify_status(status: u16) -> StatusClass {
    match status {
        200..=299 => StatusClass::Delivered,
        408 | 429 | 500..=599 => StatusClass::Retryable,
        _ => StatusClass::Terminal,
    }
}

/// Parses `Retry-After`: delay-seconds, or an HTTP date (as a delay from `now`).
pub fn parse_retry_after(value: &str, now: Timestamp) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = jiff::fmt::strtime::parse("%a, %d %b %Y %H:%M:%S GMT", value)
        .ok()?
        .to_datetime()
        .ok()?
        .to_zoned(jiff::tz::TimeZone::UTC)
        .ok()?
        .timestamp();
    let seconds = at.as_second() - now.as_second();
    Some(Duration::from_secs(seconds.max(0).unsigned_abs()))
}

/// Waits between attempts; injected so tests record the waits instead of sleeping them.
pub trait Sleeper: Send + Sync {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

/// Really waits.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleeper;

impl Sleeper for TokioSleeper {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_retry_after_is_a_floor_and_the_cap_wins() {
        let policy = RetryPolicy {
            max_attempts: 6,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
        };
        assert_eq!(policy.delay(2, None), Duration::from_millis(500));
        assert_eq!(policy.delay(3, None), Duration::from_secs(1));
        assert_eq!(policy.delay(4, None), Duration::from_secs(2));
        assert_eq!(
            policy.delay(2, Some(Duration::from_secs(7))),
            Duration::from_secs(7)
        );
        assert_eq!(
            policy.delay(2, Some(Duration::from_secs(3600))),
            Duration::from_secs(30)
        );
        assert_eq!(policy.delay(40, None), Duration::from_secs(30));
    }

    #[test]
    fn statuses_are_classified_as_posthog_and_http_mean_them() {
        assert_eq!(classify_status(200), StatusClass::Delivered);
        for s in [408, 429, 500, 502, 503, 504] {
            assert_eq!(classify_status(s), StatusClass::Retryable, "{s}");
        }
        for s in [400, 401, 403, 404, 413, 301] {
            assert_eq!(classify_status(s), StatusClass::Terminal, "{s}");
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now: Timestamp = "2026-11-22T10:00:00Z".parse().unwrap();
        assert_eq!(
            parse_retry_after(" 12 ", now),
            Some(Duration::from_secs(12))
        );
        assert_eq!(
            parse_retry_after("Sun, 22 Nov 2026 10:00:45 GMT", now),
            Some(Duration::from_secs(45))
        );
        assert_eq!(
            parse_retry_after("Sun, 22 Nov 2026 09:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
