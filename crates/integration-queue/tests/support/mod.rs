//! A git-backed fake GitHub with a queue-ready repository, and the real binary run against it.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use fake_github::git::{BranchProtection, CiSimulator};
use fake_github::{FakeGitHub, PullSeed};
use guardians_core::step_harness::{StepEnv, StepRun, run_step};
use serde_json::{Value, json};

pub(crate) const REPO: &str = "o/r";
pub(crate) const LABEL: &str = "ready-to-queue";

pub(crate) struct World {
    pub fake: FakeGitHub,
    /// Every commit `main` was moved to through the API, in order (from the call log).
    landings: std::sync::Mutex<Vec<String>>,
    /// Re-runs of failed jobs the queue asked for (from the call log).
    reruns: std::sync::Mutex<usize>,
}

/// `main` with one file per future PR's area, protected by the required check `ci`; simulated
/// CI reports `ci` on pushes to `pr/*` and on every dispatch (a root file `BROKEN` fails it).
pub(crate) fn world(ci: CiSimulator) -> World {
    let fake = FakeGitHub::start();
    {
        let mut state = fake.state();
        let mut git = state.git_repo(REPO).unwrap();
        git.commit("main", "initial", &[("README.md", "hello\n")])
            .unwrap();
        git.simulate_ci(ci).unwrap();
        git.protect_branch("main", BranchProtection::new().required_checks(&["ci"]))
            .unwrap();
    }
    World {
        fake,
        landings: Default::default(),
        reruns: Default::default(),
    }
}

/// Simulated CI on the integration branch only (it runs when dispatched); PR heads get their
/// `ci` status from [`World::pr`], so a "bad" PR is one green alone and red once integrated.
pub(crate) fn ci() -> CiSimulator {
    CiSimulator::new(&["ci"], &[])
}

impl World {
    /// Opens PR `n` from `pr/<n>` changing `path` to `text`, labelled for the queue at minute `n`.
    pub(crate) fn pr(&self, n: u64, files: &[(&str, &str)]) -> String {
        let mut state = self.fake.state();
        let mut git = state.git_repo(REPO).unwrap();
        let branch = format!("pr/{n}");
        git.branch(&branch, "main").unwrap();
        let head = git.commit(&branch, &format!("change {n}"), files).unwrap();
        git.open_pull(
            PullSeed::new(n)
                .title(&format!("Change {n}"))
                .labels(&[LABEL]),
            &branch,
            "main",
        )
        .unwrap();
        let mut git = state.git_repo(REPO).unwrap();
        let at =
            jiff::Timestamp::from_second(1_700_000_000 + i64::try_from(n).unwrap() * 60).unwrap();
        git.label_event(n, "labeled", LABEL, "maintainer", at);
        drop(state);
        self.status(&head, "ci", "success");
        head
    }

    /// Posts a commit status through the API, as a CI service would.
    pub(crate) fn status(&self, sha: &str, context: &str, state: &str) {
        let gh = guardians_core::github::GitHub::new(&self.fake.url(), fake_github::DEFAULT_TOKEN)
            .unwrap();
        let body =
            json!({"state": state, "context": context, "target_url": "https://ci.example/1"});
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(gh.post::<_, Value>(&format!("/repos/{REPO}/statuses/{sha}"), &body))
            .unwrap();
    }

    /// Deletes a branch as a person would on github.com.
    pub(crate) fn delete_branch(&self, branch: &str) {
        let mut state = self.fake.state();
        let git = state.git_repo(REPO).unwrap();
        git.repo()
            .unwrap()
            .delete_ref(&format!("refs/heads/{branch}"))
            .unwrap();
    }

    /// Runs the queue (finishing manual CI before each run) until a run writes nothing; returns
    /// the runs it took. Every run must exit `code`.
    pub(crate) fn settle(&self, inputs: &[(&str, &str)]) -> usize {
        for i in 1..=30 {
            // CI answers before each run, so a run that writes nothing means the queue is idle.
            self.finish_ci();
            self.fake.clear_calls();
            let run = self.run(inputs);
            assert!(run.code == 0, "run {i}: {run:?}");
            if self.fake.writes().is_empty() {
                return i;
            }
        }
        panic!("the queue did not settle in 30 runs");
    }

    /// The commits `main` has pointed at, oldest first (its first-parent history).
    pub(crate) fn main_history(&self) -> Vec<String> {
        let mut state = self.fake.state();
        let git = state.git_repo(REPO).unwrap();
        let out = git
            .repo()
            .unwrap()
            .run(&["rev-list", "--first-parent", "refs/heads/main"], None)
            .unwrap();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// Whether CI's `ci` check passed on `sha`.
    pub(crate) fn passed(&self, sha: &str) -> bool {
        let mut state = self.fake.state();
        let git = state.git_repo(REPO).unwrap();
        git.check_runs(sha)
            .iter()
            .any(|r| r.name == "ci" && r.conclusion.as_deref() == Some("success"))
    }

    /// A commit pushed to a branch by a person.
    pub(crate) fn push(&self, branch: &str, files: &[(&str, &str)]) -> String {
        let mut state = self.fake.state();
        let mut git = state.git_repo(REPO).unwrap();
        git.commit(branch, "a person's push", files).unwrap()
    }

    pub(crate) fn sha(&self, spec: &str) -> Option<String> {
        let mut state = self.fake.state();
        let git = state.git_repo(REPO).unwrap();
        git.sha(spec).ok()
    }

    pub(crate) fn finish_ci(&self) {
        let mut state = self.fake.state();
        state.git_repo(REPO).unwrap().finish_ci();
    }

    pub(crate) fn ci_rounds(&self) -> u64 {
        let mut state = self.fake.state();
        state.git_repo(REPO).unwrap().ci_rounds()
    }

    pub(crate) fn pull(&self, n: u64) -> fake_github::Pull {
        let state = self.fake.state();
        state.repo(REPO).unwrap().pulls.get(&n).unwrap().clone()
    }

    pub(crate) fn labels(&self, n: u64) -> Vec<String> {
        self.fake
            .state()
            .repo(REPO)
            .unwrap()
            .issue_labels(n)
            .map(<[String]>::to_vec)
            .unwrap_or_default()
    }

    pub(crate) fn comments(&self, n: u64) -> Vec<String> {
        let state = self.fake.state();
        state
            .repo(REPO)
            .unwrap()
            .comments
            .iter()
            .filter(|c| c.issue_number == n)
            .map(|c| c.body.clone())
            .collect()
    }

    /// One queue run (a `schedule` sweep), with inputs as `INPUT_*`.
    pub(crate) fn run(&self, inputs: &[(&str, &str)]) -> StepRun {
        self.run_event("schedule", &json!({"schedule": "*/5 * * * *"}), inputs, &[])
    }

    pub(crate) fn run_event(
        &self,
        event: &str,
        payload: &Value,
        inputs: &[(&str, &str)],
        args: &[&str],
    ) -> StepRun {
        let dir = tempfile::tempdir().unwrap();
        let api_url = self.fake.url();
        let step = StepEnv {
            event_name: event,
            payload,
            repository: REPO,
            api_url: &api_url,
            token: fake_github::DEFAULT_TOKEN,
            workspace: None,
        };
        let mut env: Vec<(String, String)> = vec![("INPUT_CI-WORKFLOWS".into(), "ci.yml".into())];
        for (k, v) in inputs {
            env.push((format!("INPUT_{}", k.to_uppercase()), (*v).to_string()));
        }
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let _ = args;
        let before = self.fake.calls().len();
        let run = run_step(bin(), dir.path(), &step, &env).unwrap();
        self.record_landings(before);
        run
    }

    fn record_landings(&self, from: usize) {
        for call in self.fake.calls().iter().skip(from) {
            if call.path.ends_with("/rerun-failed-jobs") && call.status == 201 {
                *self.reruns.lock().unwrap() += 1;
            }
            if call.method == "PATCH"
                && call.path == format!("/repos/{REPO}/git/refs/heads/main")
                && call.status == 200
            {
                let body: Value = serde_json::from_str(&call.body).unwrap();
                self.landings
                    .lock()
                    .unwrap()
                    .push(body["sha"].as_str().unwrap().to_string());
            }
        }
    }

    pub(crate) fn reruns(&self) -> usize {
        *self.reruns.lock().unwrap()
    }

    /// The commits the queue moved `main` to, in order.
    pub(crate) fn landings(&self) -> Vec<String> {
        self.landings.lock().unwrap().clone()
    }
}

pub(crate) fn bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_integration-queue"))
}

/// A tiny HTTP endpoint that answers 200 to every request and keeps the bodies (a Slack
/// incoming webhook's stand-in).
pub(crate) struct Receiver {
    addr: std::net::SocketAddr,
    bodies: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Receiver {
    pub(crate) fn start() -> Receiver {
        use std::io::{BufRead, BufReader, Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let bodies = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let kept = bodies.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    let lower = line.to_ascii_lowercase();
                    if let Some(v) = lower.strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                kept.lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&body).into_owned());
                let _ = stream.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
                );
            }
        });
        Receiver { addr, bodies }
    }

    pub(crate) fn url(&self) -> String {
        format!("http://{}/services/T0/B0/x", self.addr)
    }

    pub(crate) fn bodies(&self) -> Vec<String> {
        self.bodies.lock().unwrap().clone()
    }
}
