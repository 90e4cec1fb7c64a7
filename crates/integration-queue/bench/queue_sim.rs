//! The queue simulator benchmark: PRs landed per hour and time in queue, for a serial queue
//! (batch 1), this queue's batching with bisection (the real `plan`, applied to a simulated
//! GitHub), and a GitHub-style queue (each PR tested on top of those ahead, up to 5 builds at
//! once; a model, not our code). Same arrivals for every mode.
//!
//! `cargo bench -p integration-queue --bench queue_sim` (add `-- --quick` for the goal point's
//! rows only, `-- --seed N` for other arrivals). Prints a Markdown table.

#![allow(clippy::print_stdout)]

use std::collections::VecDeque;

use integration_queue::sim::{CiModel, World};
use integration_queue::state::QueueConfig;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[derive(Clone, Copy)]
struct Scenario {
    per_day: f64,
    ci_min: i64,
    bad: f64,
    flaky: f64,
    /// Instead of arrivals over two days, this many PRs queued at once (capacity).
    backlog: Option<usize>,
}

/// Two days of arrivals (Poisson), each bad with the scenario's probability.
fn arrivals(s: Scenario, seed: u64) -> Vec<(i64, bool)> {
    let mut rng = StdRng::seed_from_u64(seed);
    if let Some(n) = s.backlog {
        return (0..n).map(|_| (0, rng.random_bool(s.bad))).collect();
    }
    let mean_gap = 86_400.0 / s.per_day;
    let mut t = 0.0;
    let mut out = Vec::new();
    loop {
        let u: f64 = rng.random_range(f64::EPSILON..1.0);
        t += -u.ln() * mean_gap;
        if t > 2.0 * 86_400.0 {
            return out;
        }
        out.push((t as i64, rng.random_bool(s.bad)));
    }
}

#[derive(Default)]
struct Result {
    good: usize,
    good_landed: usize,
    bad_landed: usize,
    busy_hours: f64,
    mean_wait_h: f64,
    rounds: u64,
}

impl Result {
    fn per_hour(&self) -> f64 {
        if self.busy_hours > 0.0 {
            self.good_landed as f64 / self.busy_hours
        } else {
            0.0
        }
    }
}

/// The real plan on the simulated repository.
fn ours(s: Scenario, batch: usize, lanes: usize, retry: u32, seed: u64) -> Result {
    let config = QueueConfig {
        batch_size: batch,
        lanes,
        retry_failed: retry,
        ..QueueConfig::default()
    };
    let ci = CiModel {
        duration: s.ci_min * 60,
        pr_duration: 0,
        flaky_rate: s.flaky,
        ..CiModel::default()
    };
    let mut w = World::new(config, ci, seed);
    let arrivals = arrivals(s, seed);
    let mut next = 0;
    let mut busy = 0i64;
    let horizon = 60 * 86_400;
    loop {
        let queued = w
            .prs
            .values()
            .any(|p| p.pr.open && p.pr.has_label("ready-to-queue"));
        let t_arr = arrivals.get(next).map(|a| a.0);
        let t_ci = w.next_ci_finish();
        let t = match (t_arr, t_ci) {
            (Some(a), Some(c)) => a.min(c),
            (Some(a), None) => a,
            (None, Some(c)) => c,
            (None, None) => break,
        };
        if t > horizon {
            break;
        }
        if queued {
            busy += t - w.now;
        }
        w.advance_to(t);
        while arrivals.get(next).is_some_and(|a| a.0 <= t) {
            let n = w.open_pr(arrivals[next].1, false, None);
            w.label(n);
            next += 1;
        }
        w.settle();
    }
    assert!(w.violations.is_empty(), "{:?}", w.violations);
    let mut r = Result {
        busy_hours: busy as f64 / 3600.0,
        rounds: w.ci_rounds,
        ..Result::default()
    };
    let mut waits = Vec::new();
    for p in w.prs.values() {
        if !p.bad {
            r.good += 1;
        }
        if let Some(at) = p.landed_at {
            if p.bad {
                r.bad_landed += 1;
            } else {
                r.good_landed += 1;
            }
            waits.push((at - p.created_at) as f64 / 3600.0);
        }
    }
    r.mean_wait_h = waits.iter().sum::<f64>() / waits.len().max(1) as f64;
    r
}

/// GitHub-style: each entry is built on top of all entries ahead of it, up to `lanes` builds
/// at once; the front lands when green; a failed front leaves and every build behind it
/// restarts.
fn github_style(s: Scenario, lanes: usize, seed: u64) -> Result {
    struct Entry {
        enq: i64,
        bad: bool,
        started: Option<i64>,
    }
    let arrivals = arrivals(s, seed);
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed);
    let d = s.ci_min * 60;
    let mut q: VecDeque<Entry> = VecDeque::new();
    let mut next = 0;
    let mut now = 0i64;
    let mut r = Result::default();
    let mut busy = 0i64;
    let mut waits = Vec::new();
    loop {
        let t_arr = arrivals.get(next).map(|a| a.0);
        let t_front = q.front().and_then(|e| e.started).map(|st| st + d);
        let t = match (t_arr, t_front) {
            (Some(a), Some(f)) => a.min(f),
            (Some(a), None) => a,
            (None, Some(f)) => f,
            (None, None) => break,
        };
        if !q.is_empty() {
            busy += t - now;
        }
        now = t;
        while arrivals.get(next).is_some_and(|a| a.0 <= now) {
            let (at, bad) = arrivals[next];
            q.push_back(Entry {
                enq: at,
                bad,
                started: None,
            });
            if !bad {
                r.good += 1;
            }
            next += 1;
        }
        while let Some(front) = q.front() {
            let Some(st) = front.started else { break };
            if st + d > now {
                break;
            }
            let flaky = s.flaky > 0.0 && rng.random_bool(s.flaky);
            let pass = !front.bad && !flaky;
            let Some(front) = q.pop_front() else { break };
            if pass {
                r.good_landed += 1;
                waits.push((now - front.enq) as f64 / 3600.0);
            } else {
                for e in q.iter_mut() {
                    if e.started.is_some() {
                        e.started = Some(now);
                        r.rounds += 1;
                    }
                }
            }
        }
        for e in q.iter_mut().take(lanes) {
            if e.started.is_none() {
                e.started = Some(now);
                r.rounds += 1;
            }
        }
    }
    r.busy_hours = busy as f64 / 3600.0;
    r.mean_wait_h = waits.iter().sum::<f64>() / waits.len().max(1) as f64;
    r
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    // `--seed N`: other arrivals and other bad PRs (the table is measured with 42).
    let seed: u64 = args
        .iter()
        .position(|a| a == "--seed")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(42);
    let mut scenarios = vec![Scenario {
        per_day: 100.0,
        ci_min: 30,
        bad: 0.10,
        flaky: 0.0,
        backlog: None,
    }];
    if !quick {
        for per_day in [20.0, 100.0, 500.0] {
            for ci_min in [10, 30] {
                for bad in [0.05, 0.15] {
                    scenarios.push(Scenario {
                        per_day,
                        ci_min,
                        bad,
                        flaky: 0.0,
                        backlog: None,
                    });
                }
            }
        }
        scenarios.push(Scenario {
            per_day: 100.0,
            ci_min: 30,
            bad: 0.10,
            flaky: 0.03,
            backlog: None,
        });
    }
    println!(
        "| PRs/day | CI | bad | flaky | mode | good landed | mean time in queue | landed/h (busy) | capacity landed/h | × serial | CI rounds |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for s in scenarios {
        let retry = u32::from(s.flaky > 0.0);
        // Capacity: 200 PRs queued at once, drained; landed per hour until the last one.
        let cap = Scenario {
            backlog: Some(200),
            ..s
        };
        let modes: [(&str, Result, Result); 6] = [
            (
                "serial (batch 1)",
                ours(s, 1, 1, retry, seed),
                ours(cap, 1, 1, retry, seed),
            ),
            (
                "batch 4 + bisection",
                ours(s, 4, 1, retry, seed),
                ours(cap, 4, 1, retry, seed),
            ),
            (
                "batch 8 + bisection",
                ours(s, 8, 1, retry, seed),
                ours(cap, 8, 1, retry, seed),
            ),
            (
                "batch 4 + bisection, 2 lanes",
                ours(s, 4, 2, retry, seed),
                ours(cap, 4, 2, retry, seed),
            ),
            (
                "batch 4 + bisection, 4 lanes",
                ours(s, 4, 4, retry, seed),
                ours(cap, 4, 4, retry, seed),
            ),
            (
                "GitHub-style, 5 builds",
                github_style(s, 5, seed),
                github_style(cap, 5, seed),
            ),
        ];
        let base = modes[0].2.per_hour();
        for (name, r, c) in &modes {
            println!(
                "| {} | {} min | {:.0}% | {:.0}% | {name} | {}/{}{} | {:.1} h | {:.2} | {:.2} | {:.2} | {} |",
                s.per_day,
                s.ci_min,
                s.bad * 100.0,
                s.flaky * 100.0,
                r.good_landed,
                r.good,
                if r.bad_landed > 0 {
                    format!(" (+{} bad!)", r.bad_landed)
                } else {
                    String::new()
                },
                r.mean_wait_h,
                r.per_hour(),
                c.per_hour(),
                if base > 0.0 { c.per_hour() / base } else { 0.0 },
                r.rounds
            );
        }
    }
}
