//! The clock and the sleep of the retry loop, replaceable so tests need not wait out backoffs.

use std::time::{Duration, Instant};

use futures::future::BoxFuture;

/// Time as the retry loop sees it.
pub trait Timer: Send + Sync {
    fn now(&self) -> Instant;
    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()>;
}

/// Real time.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioTimer;

impl Timer for TokioTimer {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}
