//! The shared handle behind the server and the [`crate::FakeGitHub`] test API.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::call_log::Call;
use crate::fault::ArmedFault;
use crate::state::State;

/// Everything requests share. Locks are taken one at a time and never held across an `.await`.
#[derive(Clone, Default)]
pub struct App {
    state: Arc<Mutex<State>>,
    calls: Arc<Mutex<Vec<Call>>>,
    faults: Arc<Mutex<Vec<ArmedFault>>>,
    latency: Arc<Mutex<Duration>>,
    request_counter: Arc<AtomicU64>,
}

/// A panicking test thread must not make every later request fail, so poisoned locks are used as they are.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl App {
    pub fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    pub fn calls(&self) -> Vec<Call> {
        lock(&self.calls).clone()
    }

    pub fn record(&self, call: Call) {
        lock(&self.calls).push(call);
    }

    pub fn clear_calls(&self) {
        lock(&self.calls).clear();
    }

    pub fn arm(&self, fault: ArmedFault) {
        lock(&self.faults).push(fault);
    }

    pub fn clear_faults(&self) {
        lock(&self.faults).clear();
    }

    /// Uses up one application of the first live fault matching this request, if any.
    pub fn take_fault(&self, method: &str, path: &str) -> Option<crate::fault::Fault> {
        let mut faults = lock(&self.faults);
        let armed = faults.iter_mut().find(|f| f.matches(method, path))?;
        armed.remaining -= 1;
        let fault = armed.fault.clone();
        faults.retain(|f| f.remaining > 0);
        Some(fault)
    }

    pub fn latency(&self) -> Duration {
        *lock(&self.latency)
    }

    pub fn set_latency(&self, latency: Duration) {
        *lock(&self.latency) = latency;
    }

    /// A fresh `x-github-request-id`-style number.
    pub fn next_request_number(&self) -> u64 {
        self.request_counter.fetch_add(1, Ordering::Relaxed) + 1
    }
}
