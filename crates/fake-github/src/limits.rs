//! GitHub's secondary rate limits, as the fake enforces them when a test asks: a cap on
//! concurrent requests and a per-minute budget of content-creating requests. Off by default, so
//! that tests which do not care keep their behaviour.
//!
//! GitHub documents (REST API "Rate limits", secondary rate limits): no more than 100 concurrent
//! requests, no more than 80 content-creating requests a minute; an exceeded limit answers 403 or
//! 429 with the secondary-rate-limit message, with `retry-after` sometimes and sometimes not.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// What the fake enforces; `None` is "no limit".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecondaryLimits {
    /// API requests in flight at once (GitHub: 100).
    #[serde(default)]
    pub max_concurrent: Option<usize>,
    /// Content-creating requests (POST, PATCH, PUT, DELETE) per rolling minute (GitHub: 80).
    #[serde(default)]
    pub content_writes_per_minute: Option<usize>,
    /// 403 (default) or 429.
    #[serde(default)]
    pub status: Option<u16>,
    /// Seconds sent as `retry-after`; `None` sends no `retry-after` header, as GitHub sometimes
    /// does.
    #[serde(default)]
    pub retry_after: Option<u64>,
}

impl SecondaryLimits {
    /// GitHub's documented limits: 100 concurrent requests, 80 content-creating requests a
    /// minute, 403 without `retry-after`.
    pub fn github() -> SecondaryLimits {
        SecondaryLimits {
            max_concurrent: Some(100),
            content_writes_per_minute: Some(80),
            status: None,
            retry_after: None,
        }
    }
}

/// The fake's bookkeeping for [`SecondaryLimits`].
#[derive(Debug, Default)]
pub(crate) struct LimitState {
    pub limits: SecondaryLimits,
    pub in_flight: usize,
    pub max_in_flight: usize,
    pub writes_in_flight: usize,
    pub max_writes_in_flight: usize,
    /// When each content-creating request of the last minute was accepted.
    pub recent_writes: VecDeque<Instant>,
}

const WINDOW: Duration = Duration::from_secs(60);

impl LimitState {
    /// Counts a request in; `Err(())` when it exceeds the concurrency limit (it is then not
    /// counted and must not be counted out).
    pub(crate) fn enter(&mut self, is_write: bool) -> Result<(), ()> {
        if self
            .limits
            .max_concurrent
            .is_some_and(|max| self.in_flight >= max)
        {
            return Err(());
        }
        self.in_flight += 1;
        self.max_in_flight = self.max_in_flight.max(self.in_flight);
        if is_write {
            self.writes_in_flight += 1;
            self.max_writes_in_flight = self.max_writes_in_flight.max(self.writes_in_flight);
        }
        Ok(())
    }

    pub(crate) fn leave(&mut self, is_write: bool) {
        self.in_flight = self.in_flight.saturating_sub(1);
        if is_write {
            self.writes_in_flight = self.writes_in_flight.saturating_sub(1);
        }
    }

    /// Spends one content-creating request of the minute's budget, or refuses it.
    pub(crate) fn spend_write(&mut self, now: Instant) -> Result<(), ()> {
        let Some(budget) = self.limits.content_writes_per_minute else {
            return Ok(());
        };
        while self
            .recent_writes
            .front()
            .is_some_and(|t| now.duration_since(*t) >= WINDOW)
        {
            self.recent_writes.pop_front();
        }
        if self.recent_writes.len() >= budget {
            return Err(());
        }
        self.recent_writes.push_back(now);
        Ok(())
    }
}
