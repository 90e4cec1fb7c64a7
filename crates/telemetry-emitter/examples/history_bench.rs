//! Benchmark of `report --github` (run by `bench/history.sh`, not a test): 90 days of a busy
//! repository (1,000 merged PRs, 300 production deployments, 5,000 workflow runs with their
//! jobs) in fake-github with a fixed latency per request, read by the real binary twice: cold,
//! then with the cache the first run filled. Prints requests and wall time of each.
//!
//!   cargo run --release --example history_bench -- target/release/telemetry-emitter [latency-ms]
// A benchmark's output is its point; its fixture panics where it is broken.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

#[path = "../tests/support/history.rs"]
mod history;

use std::process::Command;
use std::time::{Duration, Instant};

use fake_github::{FakeGitHub, fake_sha};
use history::{Deploy, Pr, Run, seed};
use jiff::{SignedDuration, Timestamp};

const REPO: &str = "octo/busy";

fn main() {
    let mut args = std::env::args().skip(1);
    let binary = args
        .next()
        .expect("usage: history_bench PATH/TO/telemetry-emitter [latency-ms]");
    let latency: u64 = args.next().map_or(100, |l| l.parse().unwrap());
    let now: Timestamp = "2026-04-01T00:00:00Z".parse().unwrap();
    let start = now - SignedDuration::from_hours(89 * 24);
    let at = |minutes: i64| start + SignedDuration::from_mins(minutes);
    // 89 days = 128,160 minutes: a PR every 128 minutes, a deployment every 427, a run every 25.
    let prs: Vec<Pr> = (1..=1000u64)
        .map(|n| Pr {
            number: n,
            title: if n % 97 == 0 {
                format!("Revert \"Change {}\"", n - 1)
            } else {
                format!("Change {n}")
            },
            opened: at(n as i64 * 128 - 100),
            merged: Some(at(n as i64 * 128)),
            commits: 1,
        })
        .collect();
    let deploys: Vec<Deploy> = (1..=300u64)
        .map(|k| {
            let created = at(k as i64 * 427 + 5);
            let shipped = ((k as i64 * 427) / 128).clamp(1, 1000) as usize;
            let state = if k % 16 == 0 { "failure" } else { "success" };
            Deploy {
                id: 10_000 + k,
                sha: prs[shipped - 1].head(),
                environment: "production".into(),
                created,
                statuses: vec![
                    ("in_progress".into(), created + SignedDuration::from_mins(1)),
                    (state.into(), created + SignedDuration::from_mins(9)),
                ],
            }
        })
        .collect();
    let runs: Vec<Run> = (1..=5000u64)
        .map(|i| Run {
            id: 100_000 + i,
            pr: Some(1 + (i % 1000)),
            sha: fake_sha(&format!("run-{i}")),
            created: at(i as i64 * 25),
            conclusion: if i % 9 == 0 {
                "failure".into()
            } else {
                "success".into()
            },
            job_seconds: 300 + (i % 7) as i64 * 60,
        })
        .collect();
    let fake = FakeGitHub::start();
    seed(&fake, REPO, &prs, &deploys, &runs);
    fake.set_latency(Duration::from_millis(latency));
    let cache = tempfile::tempdir().unwrap();
    println!(
        "history: 1,000 merged PRs, 300 production deployments, 5,000 workflow runs (one job each); {latency} ms a request"
    );
    for label in ["cold", "cached"] {
        fake.clear_calls();
        let started = Instant::now();
        // The binary's own CPU time, apart from fake-github's (which renders every item of a
        // listing for each page it serves, and dominates the wall time at 0 ms latency).
        let cpu_file = cache.path().join(format!("cpu-{label}"));
        let timed = std::path::Path::new("/usr/bin/time").exists();
        let mut command = if timed {
            let mut c = Command::new("/usr/bin/time");
            c.args(["-f", "%U %S", "-o"]).arg(&cpu_file).arg(&binary);
            c
        } else {
            Command::new(&binary)
        };
        let out = command
            .args([
                "report", "--github", REPO, "--since", "90d", "--format", "json",
            ])
            .args(["--api-url", &fake.url(), "--now", &now.to_string()])
            .arg("--cache")
            .arg(cache.path().join("answers"))
            .env_clear()
            .env("GITHUB_TOKEN", "ghs_test")
            .output()
            .unwrap();
        let wall = started.elapsed();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let cpu = std::fs::read_to_string(&cpu_file)
            .ok()
            .and_then(|t| {
                let mut parts = t.split_whitespace().map(|p| p.parse::<f64>().ok());
                Some(parts.next()?? + parts.next()??)
            })
            .map_or_else(|| "?".to_owned(), |s| format!("{s:.1}"));
        println!(
            "{label:>6}: {:>5} requests, {:>6.1} s wall, {cpu} s CPU in telemetry-emitter; {} deploys ({} failed), lead time p50 {} s over {} PRs, {} CI runs",
            fake.calls().len(),
            wall.as_secs_f64(),
            report["deploys"]["succeeded"],
            report["deploys"]["failed"],
            report["lead_time"]["p50_s"],
            report["lead_time"]["count"],
            report["ci"]["passed"].as_u64().unwrap_or(0)
                + report["ci"]["failed"].as_u64().unwrap_or(0),
        );
    }
}
