//! How many attempts, how long each may take, and how long to wait between them.
//!
//! This is not the GitHub client's retry policy (`guardians_core::github::retry`): a preview
//! has a per-attempt time limit and one budget for all attempts, and a preview that is still
//! deploying is worth waiting for up to that budget. What the two share — the sleeper and the
//! `Retry-After` parser — is core's.

use std::time::Duration;

use crate::config::HealthCheckConfig;

/// Attempts, limits and waits of one preview's health check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HealthPolicy {
    /// Attempts before giving up (at least 1).
    pub attempts: u32,
    /// Time limit of one attempt, connection and response headers included.
    pub per_try_timeout: Duration,
    /// Time limit of all attempts and waits together.
    pub budget: Duration,
    /// Wait before the first retry; doubles for each further retry.
    pub initial_backoff: Duration,
    /// Cap on one wait, also on a wait the preview asks for with `Retry-After`.
    pub max_backoff: Duration,
}

impl From<&HealthCheckConfig> for HealthPolicy {
    fn from(config: &HealthCheckConfig) -> Self {
        Self {
            attempts: config.attempts.max(1),
            per_try_timeout: Duration::from_secs(config.timeout_seconds),
            budget: Duration::from_secs(config.budget_seconds),
            initial_backoff: Duration::from_millis(config.initial_backoff_ms),
            max_backoff: Duration::from_millis(config.max_backoff_ms),
        }
    }
}

impl HealthPolicy {
    /// The wait after failed attempt `attempt` (1-based). `jitter` in `[0, 1)` shortens the
    /// exponential step by up to half, so runs that failed together do not retry in lockstep.
    pub fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let doublings = attempt.saturating_sub(1).min(30);
        let step = self
            .initial_backoff
            .saturating_mul(1 << doublings)
            .min(self.max_backoff);
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        step.mul_f64(1.0 - jitter / 2.0)
    }

    /// The wait after failed attempt `attempt`: the backoff, or longer when the preview asked
    /// for it with `Retry-After` (a platform scaling up says how long it needs), never more
    /// than `max_backoff`.
    pub fn wait(&self, attempt: u32, jitter: f64, retry_after: Option<Duration>) -> Duration {
        let backoff = self.backoff(attempt, jitter);
        match retry_after {
            Some(asked) => backoff.max(asked.min(self.max_backoff)),
            None => backoff,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> HealthPolicy {
        HealthPolicy::from(&HealthCheckConfig::default())
    }

    #[test]
    fn defaults_are_five_attempts_of_ten_seconds_within_two_minutes() {
        let policy = policy();
        assert_eq!(policy.attempts, 5);
        assert_eq!(policy.per_try_timeout, Duration::from_secs(10));
        assert_eq!(policy.budget, Duration::from_secs(120));
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let policy = policy();
        let waits: Vec<_> = (1..=6)
            .map(|attempt| policy.backoff(attempt, 0.0).as_millis())
            .collect();
        assert_eq!(waits, [1_000, 2_000, 4_000, 8_000, 15_000, 15_000]);
        assert_eq!(policy.backoff(u32::MAX, 0.0), Duration::from_secs(15));
    }

    #[test]
    fn jitter_shortens_by_at_most_half() {
        let policy = policy();
        assert_eq!(policy.backoff(2, 0.5), Duration::from_millis(1_500));
        assert_eq!(policy.backoff(2, 0.999_999).as_millis(), 1_000);
        assert_eq!(policy.backoff(2, f64::NAN), Duration::from_secs(2));
        assert_eq!(policy.backoff(2, 7.0), Duration::from_secs(1));
    }

    #[test]
    fn retry_after_lengthens_the_wait_up_to_the_cap() {
        let policy = policy();
        let secs = Duration::from_secs;
        assert_eq!(policy.wait(1, 0.0, Some(secs(5))), secs(5));
        assert_eq!(policy.wait(1, 0.0, Some(secs(3600))), secs(15), "capped");
        assert_eq!(policy.wait(3, 0.0, Some(secs(1))), secs(4), "never shorter");
        assert_eq!(policy.wait(2, 0.0, None), secs(2));
    }
}
