//! The shared handle behind the server and the [`crate::FakeGitHub`] test API.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::call_log::Call;
use crate::fault::ArmedFault;
use crate::limits::{LimitState, SecondaryLimits};
use crate::state::State;

/// Everything requests share. Locks are taken one at a time and never held across an `.await`.
#[derive(Clone, Default)]
pub(crate) struct App {
    state: Arc<Mutex<State>>,
    calls: Arc<Mutex<Vec<Call>>>,
    faults: Arc<Mutex<Vec<ArmedFault>>>,
    latency: Arc<Mutex<Duration>>,
    request_counter: Arc<AtomicU64>,
    limits: Arc<Mutex<LimitState>>,
    /// Renamed or transferred repositories: lower-cased old `owner/name` to the new one.
    renamed: Arc<Mutex<BTreeMap<String, String>>>,
}

/// A panicking test thread must not make every later request fail, so poisoned locks are used as they are.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl App {
    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    pub(crate) fn calls(&self) -> Vec<Call> {
        lock(&self.calls).clone()
    }

    pub(crate) fn record(&self, call: Call) {
        lock(&self.calls).push(call);
    }

    pub(crate) fn clear_calls(&self) {
        lock(&self.calls).clear();
    }

    pub(crate) fn arm(&self, fault: ArmedFault) {
        lock(&self.faults).push(fault);
    }

    pub(crate) fn clear_faults(&self) {
        lock(&self.faults).clear();
    }

    /// Uses up one application of the first live fault matching this request, if any.
    pub(crate) fn take_fault(&self, method: &str, path: &str) -> Option<crate::fault::Fault> {
        let mut faults = lock(&self.faults);
        let armed = faults.iter_mut().find(|f| f.matches(method, path))?;
        armed.remaining -= 1;
        let fault = armed.fault.clone();
        faults.retain(|f| f.remaining > 0);
        Some(fault)
    }

    pub(crate) fn latency(&self) -> Duration {
        *lock(&self.latency)
    }

    pub(crate) fn set_latency(&self, latency: Duration) {
        *lock(&self.latency) = latency;
    }

    /// A fresh `x-github-request-id`-style number.
    pub(crate) fn next_request_number(&self) -> u64 {
        self.request_counter.fetch_add(1, Ordering::Relaxed) + 1
    }

    pub(crate) fn limits(&self) -> MutexGuard<'_, LimitState> {
        lock(&self.limits)
    }

    pub(crate) fn set_secondary_limits(&self, limits: SecondaryLimits) {
        lock(&self.limits).limits = limits;
    }

    /// Forgets the minute's content-creating requests, as if the minute had passed.
    pub(crate) fn reset_write_budget(&self) {
        lock(&self.limits).recent_writes.clear();
    }

    /// The most requests, and the most writes, that were in flight at once.
    pub(crate) fn peak_concurrency(&self) -> (usize, usize) {
        let limits = lock(&self.limits);
        (limits.max_in_flight, limits.max_writes_in_flight)
    }

    /// Moves repository `old` to `new` (both `owner/name`) and redirects the old name.
    pub(crate) fn rename_repo(&self, old: &str, new: &str) {
        {
            let mut state = self.state();
            let key = state
                .repos
                .keys()
                .find(|k| k.eq_ignore_ascii_case(old))
                .cloned();
            if let Some(mut repo) = key.and_then(|k| state.repos.remove(&k)) {
                if let Some((owner, name)) = new.split_once('/') {
                    repo.owner = owner.to_owned();
                    repo.name = name.to_owned();
                }
                state.repos.insert(new.to_owned(), repo);
            }
        }
        self.add_rename(old, new);
    }

    fn add_rename(&self, old: &str, new: &str) {
        let mut renamed = lock(&self.renamed);
        // A repository renamed twice redirects from every old name straight to the newest.
        for target in renamed.values_mut() {
            if target.eq_ignore_ascii_case(old) {
                *target = new.to_owned();
            }
        }
        renamed.remove(&new.to_ascii_lowercase());
        renamed.insert(old.to_ascii_lowercase(), new.to_owned());
    }

    /// The new `owner/name` of a renamed repository.
    pub(crate) fn renamed_to(&self, owner: &str, name: &str) -> Option<String> {
        lock(&self.renamed)
            .get(&format!("{owner}/{name}").to_ascii_lowercase())
            .cloned()
    }
}
