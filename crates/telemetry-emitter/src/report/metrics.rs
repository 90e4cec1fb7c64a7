//! Delivery metrics (DORA's four keys, CI and queue health, cost) computed from events.

use std::collections::HashMap;

use jiff::Timestamp;
use serde::Serialize;

use crate::event_name::EventName;
use crate::plan::TelemetryEvent;

/// Count and nearest-rank percentiles of a set of durations, in seconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Distribution {
    pub count: usize,
    pub p50_s: Option<i64>,
    pub p90_s: Option<i64>,
    pub p95_s: Option<i64>,
}

impl Distribution {
    pub fn of(mut values: Vec<i64>) -> Self {
        values.sort_unstable();
        Self {
            count: values.len(),
            p50_s: percentile(&values, 50),
            p90_s: percentile(&values, 90),
            p95_s: percentile(&values, 95),
        }
    }
}

/// Nearest-rank percentile of sorted values: the smallest value with at least `p`% of the
/// values at or below it.
pub fn percentile(sorted: &[i64], p: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (sorted.len() * p as usize).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Window {
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    pub days: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Deploys {
    pub succeeded: usize,
    pub failed: usize,
    pub per_week: f64,
    /// Failed deploys over all deploys.
    pub change_failure_rate: Option<f64>,
    /// From a failed deploy to the next successful one.
    pub time_to_restore: Distribution,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CiRuns {
    pub passed: usize,
    pub failed: usize,
    pub success_rate: Option<f64>,
    pub duration: Distribution,
    /// Time the first job waited for a runner.
    pub runner_wait: Distribution,
    pub cost_usd: f64,
    /// Cost of the runs that failed.
    pub failed_cost_usd: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Queue {
    pub entered: usize,
    /// PRs that entered the queue and later passed integration CI.
    pub passed_through: usize,
    /// From entering the queue to the first passing integration run after it.
    pub time_in_queue: Distribution,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Metrics {
    pub window: Window,
    pub events: usize,
    pub prs_opened: usize,
    /// From a PR's opening to its first successful production deploy.
    pub lead_time: Distribution,
    pub deploys: Deploys,
    pub ci: CiRuns,
    pub integration: CiRuns,
    pub queue: Queue,
    pub total_cost_usd: f64,
}

type PrKey<'a> = (&'a str, u64);

fn of<'a>(
    events: &'a [TelemetryEvent],
    names: &'a [EventName],
) -> impl Iterator<Item = &'a TelemetryEvent> {
    events.iter().filter(move |e| names.contains(&e.event))
}

fn repo(e: &TelemetryEvent) -> &str {
    e.properties.repository.as_deref().unwrap_or_default()
}

fn seconds_between(from: Timestamp, to: Timestamp) -> i64 {
    to.as_second() - from.as_second()
}

fn rate(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn round_usd(usd: f64) -> f64 {
    (usd * 1_000_000.0).round() / 1_000_000.0
}

fn ci_runs<'a>(events: impl Iterator<Item = &'a TelemetryEvent>, passed: EventName) -> CiRuns {
    let mut runs = CiRuns::default();
    let (mut durations, mut waits) = (Vec::new(), Vec::new());
    for e in events {
        let cost = e.properties.est_cost_usd.unwrap_or(0.0);
        if e.event == passed {
            runs.passed += 1;
        } else {
            runs.failed += 1;
            runs.failed_cost_usd += cost;
        }
        runs.cost_usd += cost;
        durations.extend(e.properties.ci_duration_s);
        waits.extend(e.properties.queue_s);
    }
    runs.success_rate = rate(runs.passed, runs.passed + runs.failed);
    runs.duration = Distribution::of(durations);
    runs.runner_wait = Distribution::of(waits);
    runs.cost_usd = round_usd(runs.cost_usd);
    runs.failed_cost_usd = round_usd(runs.failed_cost_usd);
    runs
}

/// Computes the metrics of `events` (deduplicated, sorted by time). `window_days` is the
/// report's span (`--since`), or `None` to use the span of the events.
pub fn compute(events: &[TelemetryEvent], window_days: Option<f64>) -> Metrics {
    // The commit a PR's change lands as (the merge-queue commit) is known from any event that
    // carries both; a deploy names only its commit.
    let mut pr_of_sha: HashMap<(&str, &str), u64> = HashMap::new();
    let mut opened: HashMap<PrKey<'_>, Timestamp> = HashMap::new();
    let mut queued: HashMap<PrKey<'_>, Timestamp> = HashMap::new();
    for e in events {
        let (Some(pr), r) = (e.properties.pr, repo(e)) else {
            continue;
        };
        if let Some(sha) = e.properties.sha.as_deref() {
            pr_of_sha.entry((r, sha)).or_insert(pr);
        }
        match e.event {
            EventName::DevPrOpened => {
                opened.entry((r, pr)).or_insert(e.timestamp);
            }
            EventName::DevIntegrationQueueEntered => {
                queued.entry((r, pr)).or_insert(e.timestamp);
            }
            _ => {}
        }
    }

    // Lead time: PR opened -> its first successful deploy.
    let mut deployed: HashMap<PrKey<'_>, Timestamp> = HashMap::new();
    for e in of(events, &[EventName::DevDeploySucceeded]) {
        let r = repo(e);
        let pr = e.properties.pr.or_else(|| {
            let sha = e.properties.sha.as_deref()?;
            pr_of_sha.get(&(r, sha)).copied()
        });
        if let Some(pr) = pr {
            deployed.entry((r, pr)).or_insert(e.timestamp);
        }
    }
    let lead_times = deployed
        .iter()
        .filter_map(|(key, &at)| Some(seconds_between(*opened.get(key)?, at)))
        .filter(|&s| s >= 0)
        .collect();

    // Time to restore: the first failure of a streak -> the next success, per repository.
    let mut failing_since: HashMap<&str, Timestamp> = HashMap::new();
    let mut restores = Vec::new();
    let (mut succeeded, mut failed) = (0, 0);
    for e in of(
        events,
        &[EventName::DevDeploySucceeded, EventName::DevDeployFailed],
    ) {
        if e.event == EventName::DevDeployFailed {
            failed += 1;
            failing_since.entry(repo(e)).or_insert(e.timestamp);
        } else {
            succeeded += 1;
            if let Some(since) = failing_since.remove(repo(e)) {
                restores.push(seconds_between(since, e.timestamp));
            }
        }
    }

    // Queue: entered -> first passing integration run at or after entering.
    let mut through: HashMap<PrKey<'_>, Timestamp> = HashMap::new();
    for e in of(events, &[EventName::DevIntegrationCiPassed]) {
        let Some(pr) = e.properties.pr else { continue };
        let key = (repo(e), pr);
        if queued.get(&key).is_some_and(|&q| q <= e.timestamp) {
            through.entry(key).or_insert(e.timestamp);
        }
    }
    let time_in_queue = through
        .iter()
        .filter_map(|(key, &at)| Some(seconds_between(*queued.get(key)?, at)))
        .collect();

    let from = events.first().map(|e| e.timestamp);
    let to = events.last().map(|e| e.timestamp);
    let days = window_days.unwrap_or_else(|| match (from, to) {
        (Some(f), Some(t)) => (seconds_between(f, t) as f64 / 86_400.0).max(1.0),
        _ => 1.0,
    });

    let ci = ci_runs(
        of(events, &[EventName::DevCiPassed, EventName::DevCiFailed]),
        EventName::DevCiPassed,
    );
    let integration = ci_runs(
        of(
            events,
            &[
                EventName::DevIntegrationCiPassed,
                EventName::DevIntegrationCiFailed,
            ],
        ),
        EventName::DevIntegrationCiPassed,
    );
    Metrics {
        window: Window { from, to, days },
        events: events.len(),
        prs_opened: opened.len(),
        lead_time: Distribution::of(lead_times),
        deploys: Deploys {
            succeeded,
            failed,
            per_week: succeeded as f64 / days * 7.0,
            change_failure_rate: rate(failed, succeeded + failed),
            time_to_restore: Distribution::of(restores),
        },
        total_cost_usd: round_usd(ci.cost_usd + integration.cost_usd),
        ci,
        integration,
        queue: Queue {
            entered: queued.len(),
            passed_through: through.len(),
            time_in_queue: Distribution::of(time_in_queue),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<i64> = (1..=10).collect();
        assert_eq!(percentile(&v, 50), Some(5));
        assert_eq!(percentile(&v, 90), Some(9));
        assert_eq!(percentile(&v, 95), Some(10));
        assert_eq!(percentile(&[7], 95), Some(7));
        assert_eq!(percentile(&[], 50), None);
    }
}
