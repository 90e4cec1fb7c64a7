//! When to retry a GitHub request, and how long to wait first.
//!
//! GitHub documents three kinds of "try again later": server errors (5xx), 429, and 403 for a
//! secondary rate limit or an exhausted primary limit. Everything else is final: retrying a 401,
//! 404, 422 or a 403 "Resource not accessible by integration" only burns the run's time.
//!
//! For rate limits GitHub's documentation ("Best practices for using the REST API") says: honour
//! `retry-after` when present; otherwise, when `x-ratelimit-remaining` is 0, wait until
//! `x-ratelimit-reset`; otherwise wait at least one minute. A 429 is always a rate limit; a 403
//! is one when its message or headers say so.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use rand::Rng;

/// GitHub's floor for a rate-limited request that names no wait: "wait for at least one minute".
pub const SECONDARY_LIMIT_WAIT: Duration = Duration::from_secs(60);

/// Bounds on retrying: how many attempts, and how long the whole run may spend waiting.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts per request, the first included.
    pub max_attempts: u32,
    /// The first backoff step; each further step doubles it (full jitter applied).
    pub base_delay: Duration,
    /// No single wait is longer than this, whatever `Retry-After` says.
    pub max_single_wait: Duration,
    /// A request gives up once its waiting would exceed this in total.
    pub max_total_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base_delay: Duration::from_millis(500),
            // One documented minute for a secondary limit fits; an hour-long reset does not.
            max_single_wait: Duration::from_secs(90),
            max_total_wait: Duration::from_secs(180),
        }
    }
}

/// What the response says about trying again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAdvice {
    /// Final: do not retry.
    Final,
    /// Retry after a backoff step we choose.
    Backoff,
    /// Retry after at least this long, as the server asked (or GitHub's documentation says).
    After(Duration),
}

impl RetryAdvice {
    /// Whether this is a rate limit the step should announce (a wait people would notice).
    pub fn is_rate_limit(self) -> bool {
        matches!(self, RetryAdvice::After(_))
    }
}

/// The parts of a response that decide a retry.
#[derive(Debug, Default, Clone, Copy)]
pub struct ResponseSignals<'a> {
    pub status: u16,
    pub retry_after: Option<&'a str>,
    pub ratelimit_remaining: Option<&'a str>,
    pub ratelimit_reset: Option<&'a str>,
    pub body: &'a str,
    /// Seconds since the Unix epoch, for `x-ratelimit-reset` and HTTP-date `Retry-After`.
    pub now_epoch: u64,
}

/// Classify a response. Pure, so that the whole table is unit-tested.
pub fn advise(signals: &ResponseSignals<'_>) -> RetryAdvice {
    match signals.status {
        500..=599 => {
            server_requested_wait(signals).map_or(RetryAdvice::Backoff, RetryAdvice::After)
        }
        429 => RetryAdvice::After(rate_limit_wait(signals)),
        403 => {
            let body = signals.body.to_ascii_lowercase();
            if body.contains("resource not accessible") {
                return RetryAdvice::Final;
            }
            let exhausted = signals.ratelimit_remaining.map(str::trim) == Some("0");
            let limited = body.contains("secondary rate limit")
                || body.contains("rate limit exceeded")
                || body.contains("abuse")
                || exhausted
                // A 403 that carries Retry-After is a rate limit whatever its text says.
                || signals.retry_after.is_some_and(|v| parse_retry_after(v, signals.now_epoch).is_some());
            if limited {
                RetryAdvice::After(rate_limit_wait(signals))
            } else {
                RetryAdvice::Final
            }
        }
        _ => RetryAdvice::Final,
    }
}

/// GitHub's documented order for a rate-limited response: `retry-after`, then the primary
/// limit's reset, then at least a minute.
fn rate_limit_wait(signals: &ResponseSignals<'_>) -> Duration {
    server_requested_wait(signals).unwrap_or(SECONDARY_LIMIT_WAIT)
}

/// `Retry-After` (seconds or HTTP date) wins; otherwise an exhausted primary limit waits for its
/// reset.
fn server_requested_wait(signals: &ResponseSignals<'_>) -> Option<Duration> {
    if let Some(wait) = signals
        .retry_after
        .and_then(|v| parse_retry_after(v, signals.now_epoch))
    {
        return Some(wait);
    }
    if signals.ratelimit_remaining.map(str::trim) == Some("0") {
        let reset = signals.ratelimit_reset?.trim().parse::<u64>().ok()?;
        return Some(Duration::from_secs(
            reset.saturating_sub(signals.now_epoch) + 1,
        ));
    }
    None
}

/// Parses `Retry-After` (RFC 9110): delay-seconds, or an HTTP date, as a wait from `now_epoch`
/// (a date in the past is no wait). Anything else is `None`.
pub fn parse_retry_after(value: &str, now_epoch: u64) -> Option<Duration> {
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
        .timestamp()
        .as_second();
    let now = i64::try_from(now_epoch).unwrap_or(i64::MAX);
    Some(Duration::from_secs(
        at.saturating_sub(now).max(0).unsigned_abs(),
    ))
}

/// Waits between attempts; injected so that tests record the waits instead of sleeping them.
pub trait Sleeper: Send + Sync {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

/// Really waits, on the Tokio timer.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleeper;

impl Sleeper for TokioSleeper {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

impl RetryPolicy {
    /// How long to wait before attempt number `attempt + 1` (the first attempt is 0), or `None`
    /// when the policy says to give up. `waited` is the time already spent waiting.
    pub fn next_wait(
        &self,
        advice: RetryAdvice,
        attempt: u32,
        waited: Duration,
    ) -> Option<Duration> {
        if attempt + 1 >= self.max_attempts {
            return None;
        }
        let wait = match advice {
            RetryAdvice::Final => return None,
            RetryAdvice::After(wait) => wait,
            RetryAdvice::Backoff => {
                let ceiling = self.base_delay.saturating_mul(1u32 << attempt.min(16));
                // Full jitter in [ceiling/2, ceiling]: concurrent runs spread out, none waits 0.
                let half = ceiling / 2;
                let jitter_ms = rand::rng().random_range(0..=half.as_millis() as u64);
                half + Duration::from_millis(jitter_ms)
            }
        };
        if wait > self.max_single_wait || waited + wait > self.max_total_wait {
            return None;
        }
        Some(wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: u16, body: &str) -> ResponseSignals<'_> {
        ResponseSignals {
            status,
            body,
            ..Default::default()
        }
    }

    #[test]
    fn server_errors_and_429_are_retried() {
        for code in [500, 502, 503, 504] {
            assert_eq!(advise(&status(code, "")), RetryAdvice::Backoff, "{code}");
        }
        // A 429 without retry-after waits GitHub's documented minute, not a short backoff.
        assert_eq!(
            advise(&status(429, "")),
            RetryAdvice::After(SECONDARY_LIMIT_WAIT)
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        // Sun, 22 Nov 2026 10:00:00 GMT
        let now = 1_795_341_600;
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
        let signals = ResponseSignals {
            status: 403,
            body: r#"{"message":"You have exceeded a secondary rate limit."}"#,
            retry_after: Some("Sun, 22 Nov 2026 10:00:30 GMT"),
            now_epoch: now,
            ..Default::default()
        };
        assert_eq!(
            advise(&signals),
            RetryAdvice::After(Duration::from_secs(30))
        );
    }

    #[test]
    fn final_statuses_are_never_retried() {
        for code in [400, 401, 404, 409, 410, 422] {
            assert_eq!(advise(&status(code, "")), RetryAdvice::Final, "{code}");
        }
        let refused = r#"{"message":"Resource not accessible by integration"}"#;
        assert_eq!(advise(&status(403, refused)), RetryAdvice::Final);
        // A plain 403 (no rate-limit signal) is a permission problem.
        assert_eq!(
            advise(&status(403, r#"{"message":"Forbidden"}"#)),
            RetryAdvice::Final
        );
    }

    #[test]
    fn secondary_rate_limit_honours_retry_after() {
        let body = r#"{"message":"You have exceeded a secondary rate limit."}"#;
        let signals = ResponseSignals {
            status: 403,
            body,
            retry_after: Some("7"),
            ..Default::default()
        };
        assert_eq!(advise(&signals), RetryAdvice::After(Duration::from_secs(7)));
        // Without retry-after: at least a minute, as GitHub documents.
        assert_eq!(
            advise(&status(403, body)),
            RetryAdvice::After(SECONDARY_LIMIT_WAIT)
        );
    }

    #[test]
    fn exhausted_primary_limit_waits_for_reset() {
        let signals = ResponseSignals {
            status: 403,
            body: r#"{"message":"API rate limit exceeded"}"#,
            ratelimit_remaining: Some("0"),
            ratelimit_reset: Some("1000"),
            now_epoch: 990,
            ..Default::default()
        };
        assert_eq!(
            advise(&signals),
            RetryAdvice::After(Duration::from_secs(11))
        );
    }

    #[test]
    fn retry_after_on_429_is_used() {
        let signals = ResponseSignals {
            status: 429,
            retry_after: Some("3"),
            ..Default::default()
        };
        assert_eq!(advise(&signals), RetryAdvice::After(Duration::from_secs(3)));
    }

    #[test]
    fn backoff_grows_and_stays_within_bounds() {
        let policy = RetryPolicy::default();
        for attempt in 0..4 {
            let wait = policy
                .next_wait(RetryAdvice::Backoff, attempt, Duration::ZERO)
                .expect("within attempts");
            let ceiling = policy.base_delay * (1 << attempt);
            assert!(
                wait >= ceiling / 2 && wait <= ceiling,
                "{attempt}: {wait:?}"
            );
        }
        assert_eq!(
            policy.next_wait(RetryAdvice::Backoff, 4, Duration::ZERO),
            None
        );
    }

    #[test]
    fn waits_are_capped() {
        let policy = RetryPolicy::default();
        let too_long = RetryAdvice::After(Duration::from_secs(3600));
        assert_eq!(policy.next_wait(too_long, 0, Duration::ZERO), None);
        let fits = RetryAdvice::After(Duration::from_secs(30));
        assert_eq!(policy.next_wait(fits, 0, Duration::from_secs(160)), None);
        assert_eq!(
            policy.next_wait(RetryAdvice::After(SECONDARY_LIMIT_WAIT), 0, Duration::ZERO),
            Some(SECONDARY_LIMIT_WAIT),
            "the documented minute is within the cap"
        );
        assert_eq!(
            policy.next_wait(fits, 0, Duration::ZERO),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            policy.next_wait(RetryAdvice::Final, 0, Duration::ZERO),
            None
        );
    }
}
