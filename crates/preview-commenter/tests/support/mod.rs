//! Running the real `preview-commenter` binary as a step would, against the fake GitHub and a
//! local server playing the previews.

#![allow(dead_code, clippy::unwrap_used)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::routing::get;
use fake_github::{FakeGitHub, PullSeed, PullState};
use serde_json::{Value, json};

pub(crate) const REPO: &str = "octo-org/myapp";
pub(crate) const NUMBER: u64 = 42;
pub(crate) const HEAD: &str = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";
pub(crate) const OLDER: &str = "1111111111111111111111111111111111111111";
pub(crate) const BRANCH: &str = "feature/Login-Page";
pub(crate) const MARKER: &str = "<!-- guardians:preview-commenter -->";

/// The previews: `/healthy`, `/slow` (300 ms, healthy), `/hold/{key}` (healthy; held until
/// [`Previews::release`] when `key` is the one given to [`Previews::hold`]), `/hung` (never
/// answers in time), `/flaky` (503 twice, then 200), `/broken` (always 500). Every request is
/// counted.
pub(crate) struct Previews {
    pub addr: SocketAddr,
    pub hits: Arc<AtomicUsize>,
    gate: Arc<Gate>,
    _runtime: tokio::runtime::Runtime,
}

#[derive(Clone)]
struct Counters {
    hits: Arc<AtomicUsize>,
    flaky: Arc<AtomicUsize>,
    gate: Arc<Gate>,
}

/// Holds a run inside its health check, so that a test can interleave runs in a fixed order
/// (no sleeps racing the run): which key is held, how many requests arrived, and whether the
/// held ones may go.
#[derive(Default)]
struct Gate {
    state: Mutex<GateState>,
    changed: Condvar,
}

#[derive(Default)]
struct GateState {
    key: Option<String>,
    arrived: usize,
    released: bool,
}

/// A failsafe against a test hanging forever if a run never arrives; never reached when the
/// code under test works.
const GATE_FAILSAFE: Duration = Duration::from_secs(60);

impl Gate {
    /// Called by the preview for `/hold/{key}`: waits while `key` is held.
    fn pass(&self, key: &str) {
        let mut state = self.state.lock().unwrap();
        if state.key.as_deref() != Some(key) {
            return;
        }
        state.arrived += 1;
        self.changed.notify_all();
        let (_state, _timeout) = self
            .changed
            .wait_timeout_while(state, GATE_FAILSAFE, |s| !s.released)
            .unwrap();
    }
}

impl Previews {
    pub(crate) fn start() -> Previews {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let counters = Counters {
            hits: Arc::default(),
            flaky: Arc::default(),
            gate: Arc::default(),
        };
        let app = Router::new()
            .route("/healthy", get(|| async { "ok" }))
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    "ok, slowly"
                }),
            )
            .route(
                "/hold/{key}",
                get(
                    |State(c): State<Counters>, UrlPath(key): UrlPath<String>| async move {
                        tokio::task::spawn_blocking(move || c.gate.pass(&key))
                            .await
                            .unwrap();
                        "ok, when let through"
                    },
                ),
            )
            .route(
                "/hung",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(30)).await;
                    "too late"
                }),
            )
            .route(
                "/flaky",
                get(|State(c): State<Counters>| async move {
                    if c.flaky.fetch_add(1, Ordering::SeqCst) < 2 {
                        StatusCode::SERVICE_UNAVAILABLE
                    } else {
                        StatusCode::OK
                    }
                }),
            )
            .route(
                "/broken",
                get(|| async { StatusCode::INTERNAL_SERVER_ERROR }),
            )
            .layer(axum::middleware::from_fn_with_state(
                counters.clone(),
                |State(c): State<Counters>,
                 request: axum::extract::Request,
                 next: axum::middleware::Next| async move {
                    c.hits.fetch_add(1, Ordering::SeqCst);
                    next.run(request).await
                },
            ))
            .with_state(counters.clone());
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        runtime.spawn(async move { axum::serve(listener, app).await });
        Previews {
            addr,
            hits: counters.hits,
            gate: counters.gate,
            _runtime: runtime,
        }
    }

    /// From now on, health checks of `/hold/{key}` wait until [`Previews::release`].
    pub(crate) fn hold(&self, key: &str) {
        let mut state = self.gate.state.lock().unwrap();
        state.key = Some(key.to_owned());
        state.released = false;
        state.arrived = 0;
    }

    /// Blocks until a health check is waiting at the held key.
    pub(crate) fn wait_until_held(&self) {
        let state = self.gate.state.lock().unwrap();
        let (state, _) = self
            .gate
            .changed
            .wait_timeout_while(state, GATE_FAILSAFE, |s| s.arrived == 0)
            .unwrap();
        assert!(state.arrived > 0, "no run reached the held preview");
    }

    /// Lets the held health checks answer.
    pub(crate) fn release(&self) {
        let mut state = self.gate.state.lock().unwrap();
        state.released = true;
        self.gate.changed.notify_all();
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub(crate) fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

/// A loopback port nothing listens on.
pub(crate) fn refused_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// The example shape (Frontend, API with `/health`), pointed at the local previews,
/// with quick retries.
pub(crate) fn config_yaml(environments: &[(&str, String)]) -> String {
    let mut yaml = String::from(
        "preview-commenter:\n  health-check:\n    attempts: 3\n    timeout-seconds: 1\n    initial-backoff-ms: 50\n    max-backoff-ms: 100\n  environments:\n",
    );
    for (name, url) in environments {
        yaml.push_str(&format!("    - name: {name}\n      url: {url}\n"));
    }
    yaml
}

/// Frontend at `/healthy`, API at `/healthy` too (both up).
pub(crate) fn healthy_config(previews: &Previews) -> String {
    config_yaml(&[
        ("Frontend", previews.url("/healthy")),
        ("API", previews.url("/healthy")),
    ])
}

/// The fake with PR #42 open at `HEAD` and the config on `main`.
pub(crate) fn fake_with_pr(config: &str) -> FakeGitHub {
    let fake = FakeGitHub::start();
    seed_pull(&fake, HEAD, PullState::Open);
    fake.state()
        .put_content(REPO, "main", ".github/guardians.yml", config);
    fake
}

pub(crate) fn seed_pull(fake: &FakeGitHub, head: &str, state: PullState) {
    fake.state().add_pull(
        REPO,
        PullSeed::new(NUMBER)
            .title("Add the login page")
            .head(BRANCH, head)
            .base("main", &fake_github::fake_sha("base"))
            .state(state),
    );
}

/// A `pull_request` payload for PR #42 at `sha`.
pub(crate) fn pull_request_payload(action: &str, sha: &str, comments: Option<u64>) -> Value {
    let state = if action == "closed" { "closed" } else { "open" };
    let mut pr = json!({
        "number": NUMBER,
        "state": state,
        "merged": action == "closed",
        "title": "Add the login page",
        "head": {"ref": BRANCH, "sha": sha, "repo": {"full_name": REPO, "name": "myapp"}},
        "base": {"ref": "main", "sha": fake_github::fake_sha("base"), "repo": {"full_name": REPO, "name": "myapp"}},
    });
    if let Some(count) = comments {
        pr["comments"] = count.into();
    }
    json!({
        "action": action,
        "number": NUMBER,
        "pull_request": pr,
        "repository": repository(),
    })
}

/// A `workflow_run` payload of the deploy workflow at `sha`; `listed` fills `pull_requests`
/// (GitHub leaves it empty for runs from forks).
pub(crate) fn workflow_run_payload(sha: &str, listed: bool) -> Value {
    let pull_requests = if listed {
        json!([{
            "number": NUMBER,
            "head": {"ref": BRANCH, "sha": sha},
            "base": {"ref": "main", "sha": fake_github::fake_sha("base")},
        }])
    } else {
        json!([])
    };
    json!({
        "action": "completed",
        "workflow_run": {
            "id": 8123,
            "name": "Deploy preview",
            "event": "pull_request",
            "status": "completed",
            "conclusion": "success",
            "head_branch": BRANCH,
            "head_sha": sha,
            "head_repository": {"full_name": REPO, "name": "myapp"},
            "pull_requests": pull_requests,
        },
        "repository": repository(),
    })
}

fn repository() -> Value {
    json!({
        "full_name": REPO,
        "name": "myapp",
        "owner": {"login": "octo-org", "type": "Organization"},
        "default_branch": "main",
    })
}

/// What a run left behind.
#[derive(Debug)]
pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub outputs: HashMap<String, String>,
    pub summary: String,
}

/// One step: `event_name` with `payload`, as run `run_id`, with extra env (`INPUT_*`).
pub(crate) struct Step<'a> {
    pub event_name: &'a str,
    pub payload: Value,
    pub run_id: u64,
    pub token: &'a str,
    pub env: Vec<(&'a str, String)>,
    pub args: Vec<&'a str>,
}

impl<'a> Step<'a> {
    pub(crate) fn new(event_name: &'a str, payload: Value) -> Step<'a> {
        Step {
            event_name,
            payload,
            run_id: 7001,
            token: "ghs_test",
            env: Vec::new(),
            args: Vec::new(),
        }
    }

    pub(crate) fn run_id(mut self, run_id: u64) -> Self {
        self.run_id = run_id;
        self
    }

    pub(crate) fn token(mut self, token: &'a str) -> Self {
        self.token = token;
        self
    }

    pub(crate) fn input(mut self, name: &'a str, value: &str) -> Self {
        self.env.push((name, value.to_owned()));
        self
    }

    pub(crate) fn arg(mut self, arg: &'a str) -> Self {
        self.args.push(arg);
        self
    }

    pub(crate) fn run(&self, fake: &FakeGitHub) -> Run {
        let dir = tempfile::tempdir().unwrap();
        self.run_in(dir.path(), fake)
    }

    fn run_in(&self, dir: &Path, fake: &FakeGitHub) -> Run {
        let event = dir.join("event.json");
        let output = dir.join("output");
        let summary = dir.join("summary");
        std::fs::write(&event, serde_json::to_vec(&self.payload).unwrap()).unwrap();
        std::fs::write(&output, "").unwrap();
        std::fs::write(&summary, "").unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_preview-commenter"));
        command
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_EVENT_NAME", self.event_name)
            .env("GITHUB_EVENT_PATH", &event)
            .env("GITHUB_REPOSITORY", REPO)
            .env("GITHUB_API_URL", fake.url())
            .env("GITHUB_SERVER_URL", "https://github.com")
            .env("GITHUB_RUN_ID", self.run_id.to_string())
            .env("GITHUB_RUN_ATTEMPT", "1")
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("INPUT_GITHUB-TOKEN", self.token)
            // As the action passes `${{ github.token }}`: this token is the workflow's own.
            .env("GUARDIANS_WORKFLOW_TOKEN", self.token)
            .args(&self.args);
        for (name, value) in &self.env {
            command.env(format!("INPUT_{}", name.to_uppercase()), value);
        }
        let result = command.output().unwrap();
        Run {
            code: result.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&result.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&result.stderr).into_owned(),
            outputs: guardians_core::toolkit::read_output_file(
                &std::fs::read_to_string(&output).unwrap(),
            ),
            summary: std::fs::read_to_string(&summary).unwrap(),
        }
    }
}

/// Our comments on PR #42 (by the marker), oldest first: (id, body).
pub(crate) fn our_comments(fake: &FakeGitHub) -> Vec<(u64, String)> {
    fake.pull(REPO, NUMBER)
        .comments
        .into_iter()
        .filter(|c| c.body.starts_with(MARKER))
        .map(|c| (c.id, c.body))
        .collect()
}

/// `(method, path?query)` of every call the fake received, in order.
pub(crate) fn call_lines(fake: &FakeGitHub) -> Vec<String> {
    fake.calls()
        .into_iter()
        .map(|c| match c.query {
            Some(q) => format!("{} {}?{q}", c.method, c.path),
            None => format!("{} {}", c.method, c.path),
        })
        .collect()
}
