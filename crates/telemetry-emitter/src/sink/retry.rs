//! When to try a delivery to PostHog again. The policy, the `Retry-After` parser and the
//! injectable sleeper are guardians-core's, the same the GitHub client uses; only what a status
//! means is PostHog's own (it has no secondary limits and answers 413 for a batch too large).

use std::time::Duration;

pub use guardians_core::github::retry::{
    RetryAdvice, RetryPolicy, Sleeper, TokioSleeper, parse_retry_after,
};

/// The policy for one delivery: `max_attempts` in all, backoff from half a second, each wait
/// (a server's `Retry-After` included) capped at `max_wait` rather than ending the retries.
pub fn delivery_policy(max_attempts: u32, max_wait: Duration) -> RetryPolicy {
    RetryPolicy {
        max_attempts: max_attempts.max(1),
        base_delay: Duration::from_millis(500),
        max_single_wait: max_wait,
        max_total_wait: max_wait.saturating_mul(max_attempts.max(1)),
    }
}

/// A server that asks for longer than we wait, or a backoff step that would grow past the cap,
/// gets our longest wait, not our giving up: a telemetry batch is worth one more try, and the
/// cap keeps the run short (a cap of 0 retries at once). `attempt` counts from 0.
pub fn delivery_advice(
    retry_after: Option<Duration>,
    attempt: u32,
    policy: &RetryPolicy,
) -> RetryAdvice {
    let cap = policy.max_single_wait;
    match retry_after {
        Some(wait) => RetryAdvice::After(wait.min(cap)),
        None if policy.base_delay.saturating_mul(1u32 << attempt.min(16)) > cap => {
            RetryAdvice::After(cap)
        }
        None => RetryAdvice::Backoff,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_retry_after_is_capped_and_a_missing_one_backs_off() {
        let policy = delivery_policy(4, Duration::from_secs(30));
        assert_eq!(
            delivery_advice(Some(Duration::from_secs(7)), 0, &policy),
            RetryAdvice::After(Duration::from_secs(7))
        );
        assert_eq!(
            delivery_advice(Some(Duration::from_secs(3600)), 0, &policy),
            RetryAdvice::After(Duration::from_secs(30))
        );
        assert_eq!(delivery_advice(None, 0, &policy), RetryAdvice::Backoff);
        // 0.5 s doubled 7 times passes 30 s: the cap, not the end of the retries.
        assert_eq!(
            delivery_advice(None, 7, &policy),
            RetryAdvice::After(Duration::from_secs(30))
        );
        // A cap of 0 retries at once.
        let at_once = delivery_policy(2, Duration::ZERO);
        assert_eq!(
            at_once.next_wait(delivery_advice(None, 0, &at_once), 0, Duration::ZERO),
            Some(Duration::ZERO)
        );
        // Every capped wait fits the total, so only the attempt budget ends the retries.
        for attempt in 0..3 {
            assert_eq!(
                policy.next_wait(
                    RetryAdvice::After(Duration::from_secs(30)),
                    attempt,
                    Duration::from_secs(30 * u64::from(attempt))
                ),
                Some(Duration::from_secs(30))
            );
        }
        assert_eq!(
            policy.next_wait(RetryAdvice::Backoff, 3, Duration::ZERO),
            None
        );
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
}
