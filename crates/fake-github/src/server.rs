//! [`FakeGitHub`]: the fake served on a background thread with its own tokio runtime, so it works the same
//! from a synchronous test, from inside a `#[tokio::test]`, and from the `fake-github` binary.

use std::net::{SocketAddr, TcpListener};
use std::sync::MutexGuard;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::oneshot;

use crate::app::App;
use crate::call_log::Call;
use crate::fault::{ArmedFault, Fault, FaultError, escaped};
use crate::seed_file::{SeedDocument, SeedError};
use crate::state::State;

/// A running fake GitHub. Dropping it stops the server.
pub struct FakeGitHub {
    app: App,
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl FakeGitHub {
    /// Serves on `127.0.0.1` at a free port.
    pub fn start() -> FakeGitHub {
        let loopback = SocketAddr::from(([127, 0, 0, 1], 0));
        FakeGitHub::bind(loopback).expect(
            "binding a free loopback port and starting a runtime succeed on a working machine",
        )
    }

    /// Serves on `addr` (port 0 picks a free one).
    pub fn bind(addr: SocketAddr) -> std::io::Result<FakeGitHub> {
        let listener = TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let app = App::default();
        let (shutdown, stop) = oneshot::channel::<()>();
        let (ready_tx, ready_rx) = mpsc::channel::<std::io::Result<()>>();
        let served = app.clone();
        let thread = std::thread::Builder::new()
            .name(format!("fake-github-{}", addr.port()))
            .spawn(move || serve(served, listener, stop, ready_tx))?;
        ready_rx.recv().unwrap_or_else(|_| {
            Err(std::io::Error::other(
                "the fake's server thread ended before it was ready",
            ))
        })?;
        Ok(FakeGitHub {
            app,
            addr,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The API base URL, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The `pull_request` webhook payload GitHub would send for PR `number` of `repo` as the fake
    /// holds it now: `action`, `number`, the PR in the REST shape (which webhooks share), the
    /// repository and the sender. `None` when there is no such PR.
    pub fn pull_request_event(
        &self,
        repo: &str,
        number: u64,
        action: &str,
    ) -> Option<serde_json::Value> {
        let api = self.url();
        let state = self.state();
        let repository = state.repo(repo)?;
        let pull = repository.pulls.get(&number)?;
        Some(serde_json::json!({
            "action": action,
            "number": number,
            "pull_request": crate::render::pull_full(&state, &api, repository, pull),
            "repository": crate::render::repository(&state, &api, repository),
            "sender": crate::render::user(&state, &api, &pull.user),
        }))
    }

    /// The state, locked: seed it before a run and inspect it after. Do not hold it across a request.
    pub fn state(&self) -> MutexGuard<'_, State> {
        self.app.state()
    }

    /// Every API request so far (control endpoints excluded), in order.
    pub fn calls(&self) -> Vec<Call> {
        self.app.calls()
    }

    /// The calls that were not GET/HEAD/OPTIONS.
    pub fn writes(&self) -> Vec<Call> {
        self.app
            .calls()
            .into_iter()
            .filter(Call::is_write)
            .collect()
    }

    pub fn clear_calls(&self) {
        self.app.clear_calls();
    }

    /// Queues a fault. A path that is not a valid glob is matched literally; use [`FakeGitHub::try_inject`]
    /// to be told instead.
    pub fn inject(&self, fault: Fault) {
        let armed = match ArmedFault::new(fault.clone()) {
            Ok(armed) => Some(armed),
            Err(FaultError::BadGlob { .. }) => ArmedFault::new(Fault {
                path: escaped(&fault.path),
                ..fault
            })
            .ok(),
            Err(FaultError::BadStatus(_)) => None,
        };
        if let Some(armed) = armed {
            self.app.arm(armed);
        }
    }

    /// Queues a fault, or says why it cannot be (bad glob, status outside 100..=599).
    pub fn try_inject(&self, fault: Fault) -> Result<(), FaultError> {
        self.app.arm(ArmedFault::new(fault)?);
        Ok(())
    }

    /// Drops every queued fault.
    pub fn clear_faults(&self) {
        self.app.clear_faults();
    }

    /// Delay added before every API response (for round-trip benchmarks).
    pub fn set_latency(&self, latency: Duration) {
        self.app.set_latency(latency);
    }

    /// Enforces GitHub's secondary rate limits as configured (none by default).
    pub fn set_secondary_limits(&self, limits: crate::limits::SecondaryLimits) {
        self.app.set_secondary_limits(limits);
    }

    /// Forgets the content-creating requests of the current minute, as if it had passed.
    pub fn reset_write_budget(&self) {
        self.app.reset_write_budget();
    }

    /// The most API requests, and the most content-creating ones, that were in flight at once.
    pub fn peak_concurrency(&self) -> (usize, usize) {
        self.app.peak_concurrency()
    }

    /// Renames (or transfers) repository `old` to `new` (`owner/name` both): the state moves to
    /// the new name and requests to the old one are redirected as GitHub redirects them (301 for
    /// GET, 307 for other methods).
    pub fn rename_repo(&self, old: &str, new: &str) {
        self.app.rename_repo(old, new);
    }

    /// Registers `token` as an installation token of GitHub App `slug`, as GitHub issues them: it
    /// starts `ghs_` like `GITHUB_TOKEN`, acts as `<slug>[bot]` (its comments' `user.login`),
    /// `GET /user` refuses it (403), and GraphQL's `viewer` answers `<slug>[bot]`.
    pub fn add_app_installation(&self, token: &str, slug: &str) -> String {
        let login = format!("{slug}[bot]");
        self.app.state().add_token(
            token,
            &login,
            crate::state::TokenKind::Bot,
            crate::state::Permission::Write,
        );
        login
    }

    /// Merges a seed document into the state (a test helper: a seed git refuses panics, naming why).
    pub fn seed(&self, seed: SeedDocument) {
        if let Err(error) = self.try_seed(seed) {
            panic!("{error}");
        }
    }

    /// Merges a seed document into the state; a `git` part git refuses is an error naming it.
    pub fn try_seed(&self, seed: SeedDocument) -> Result<(), SeedError> {
        self.app.state().apply_seed(seed)
    }

    /// Merges a JSON seed (the format in the README) into the state.
    pub fn seed_json(&self, json: &str) -> Result<(), SeedError> {
        self.try_seed(SeedDocument::from_json(json)?)
    }
}

impl Drop for FakeGitHub {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(
    app: App,
    listener: TcpListener,
    stop: oneshot::Receiver<()>,
    ready: mpsc::Sender<std::io::Result<()>>,
) {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("fake-github-worker")
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            let _ = ready.send(Err(error));
            return;
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::from_std(listener) {
            Ok(listener) => listener,
            Err(error) => {
                let _ = ready.send(Err(error));
                return;
            }
        };
        let _ = ready.send(Ok(()));
        let router = crate::routes::router(app);
        // Dropping the server future on shutdown closes the listener; open connections end with the runtime.
        tokio::select! {
            _ = axum::serve(listener, router) => {}
            _ = stop => {}
        }
    });
    runtime.shutdown_background();
}
