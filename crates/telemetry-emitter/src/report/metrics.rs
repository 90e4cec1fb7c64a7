//! Delivery metrics (DORA's four keys, CI and queue health, cost) computed from events.

use std::collections::HashMap;

use jiff::Timestamp;
use serde::Serialize;

use crate::event_name::EventName;
use crate::history::changes::{Delivery, Mode};
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
    /// Integration runs of distinct commits: each tested one batch (one or more PRs).
    pub batches: usize,
    pub batches_passed: usize,
    pub batch_success_rate: Option<f64>,
    /// Integration runs after a failed batch until the next pass: the rounds spent finding
    /// the culprit.
    pub bisection_rounds: usize,
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
    /// Where each of DORA's keys comes from, in words for the report.
    pub sources: Sources,
    /// What the history adds (rollbacks, reverts, how deployments were matched to PRs); `None`
    /// for a report from events alone.
    pub history: Option<HistoryCounts>,
    /// Per week (Monday to Sunday, UTC), oldest first.
    pub weekly: Vec<Week>,
    /// Listings that could not be read: the numbers above are without them.
    pub missing: Vec<String>,
}

/// Which proxy each key uses.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Sources {
    pub lead_time: String,
    pub deployments: String,
    pub change_failure_rate: String,
    pub time_to_restore: String,
}

impl Sources {
    fn events() -> Self {
        Self {
            lead_time:
                "PR opened -> first successful production deploy of the PR or its commit (events)"
                    .into(),
            deployments: "dev_deploy_succeeded events".into(),
            change_failure_rate: "failed / all production deploys (dev_deploy_failed events)"
                .into(),
            time_to_restore: "first failed deploy -> next successful deploy (events)".into(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct HistoryCounts {
    pub mode: String,
    pub rollbacks: usize,
    pub reverts: usize,
    pub failed_deploys: usize,
    pub contained_by_compare: usize,
    pub contained_by_merge_time: usize,
    pub not_yet_deployed: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Week {
    /// The Monday the week starts on, `YYYY-MM-DD`.
    pub start: String,
    pub deploys: usize,
    pub change_failures: usize,
    pub change_failure_rate: Option<f64>,
    pub lead_time_p50_s: Option<i64>,
    pub lead_time_p90_s: Option<i64>,
    pub ci_runs: usize,
    pub ci_duration_p50_s: Option<i64>,
    pub ci_cost_usd: f64,
}

/// The timed facts the weekly series and the keys are computed from.
#[derive(Debug, Clone, Default)]
struct Samples {
    /// `(at, succeeded)` for every production deploy that finished.
    deploys: Vec<(Timestamp, bool)>,
    /// Change failures that are not failed deploys (rollbacks, reverts).
    other_failures: Vec<Timestamp>,
    lead_times: Vec<(Timestamp, i64)>,
    restores: Vec<i64>,
    /// `(at, duration, cost)` of every CI and integration-CI outcome.
    ci: Vec<(Timestamp, Option<i64>, f64)>,
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
    // `+ 0.0` turns the -0.0 an empty f64 sum gives into 0.0, which prints as `0`.
    (usd * 1_000_000.0).round() / 1_000_000.0 + 0.0
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
    compute_inner(events, window_days, None, None)
}

/// As [`compute`]; with a repository's history, DORA's keys come from it (first commit ->
/// the deploy that first contained it; failed deploys, rollbacks and reverts) instead of from
/// the events, which still give CI, the queue and cost.
/// `window` is `(since, now)` when the report has a `--since`.
pub fn compute_with(
    events: &[TelemetryEvent],
    window: Option<(Timestamp, Timestamp)>,
    delivery: Option<&Delivery>,
) -> Metrics {
    let days = window.map(|(from, to)| seconds_between(from, to) as f64 / 86_400.0);
    compute_inner(events, days, window, delivery)
}

fn compute_inner(
    events: &[TelemetryEvent],
    window_days: Option<f64>,
    window: Option<(Timestamp, Timestamp)>,
    delivery: Option<&Delivery>,
) -> Metrics {
    let mut samples = Samples::default();
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
    samples.lead_times = deployed
        .iter()
        .filter_map(|(key, &at)| Some((at, seconds_between(*opened.get(key)?, at))))
        .filter(|&(_, s)| s >= 0)
        .collect();

    // Time to restore: the first failure of a streak -> the next success, per repository.
    let mut failing_since: HashMap<&str, Timestamp> = HashMap::new();
    let mut restores = Vec::new();
    let (mut succeeded, mut failed) = (0, 0);
    for e in of(
        events,
        &[EventName::DevDeploySucceeded, EventName::DevDeployFailed],
    ) {
        samples
            .deploys
            .push((e.timestamp, e.event == EventName::DevDeploySucceeded));
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
    let (window_from, window_to) = (window.map(|w| w.0), window.map(|w| w.1));
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
    samples.restores = restores;
    samples.ci = of(
        events,
        &[
            EventName::DevCiPassed,
            EventName::DevCiFailed,
            EventName::DevIntegrationCiPassed,
            EventName::DevIntegrationCiFailed,
        ],
    )
    .map(|e| {
        (
            e.timestamp,
            e.properties.ci_duration_s,
            e.properties.est_cost_usd.unwrap_or(0.0),
        )
    })
    .collect();
    let mut sources = Sources::events();
    let mut history = None;
    if let Some(d) = delivery {
        (sources, history) = from_history(&mut samples, d);
        succeeded = d.deploys.iter().filter(|(_, ok)| *ok).count();
        failed = d.deploys.len() - succeeded;
    }
    let change_failures = failed + samples.other_failures.len();
    let span = match (window_from, from, to) {
        (Some(start), _, Some(end)) | (Some(start), Some(end), None) => Some((start, end)),
        (None, Some(start), Some(end)) => Some((start, end)),
        _ => None,
    };
    let span = span.map(|(start, end)| (start, end.max(window_to.unwrap_or(end))));
    Metrics {
        window: Window { from, to, days },
        events: events.len(),
        prs_opened: opened.len(),
        lead_time: Distribution::of(samples.lead_times.iter().map(|(_, s)| *s).collect()),
        deploys: Deploys {
            succeeded,
            failed,
            per_week: succeeded as f64 / days * 7.0,
            change_failure_rate: rate(change_failures, succeeded + failed),
            time_to_restore: Distribution::of(samples.restores.clone()),
        },
        total_cost_usd: round_usd(ci.cost_usd + integration.cost_usd),
        ci,
        integration,
        queue: Queue {
            entered: queued.len(),
            passed_through: through.len(),
            time_in_queue: Distribution::of(time_in_queue),
            ..queue_batches(events)
        },
        sources,
        history,
        weekly: span
            .map(|(a, b)| weekly(&samples, a, b))
            .unwrap_or_default(),
        missing: Vec::new(),
    }
}

/// Batches and bisection from integration-CI events: a batch is one integration commit (its
/// last outcome counts, so a re-run that passed is a pass); after a failed batch, every
/// integration run until the next pass is a bisection round.
fn queue_batches(events: &[TelemetryEvent]) -> Queue {
    let runs: Vec<&TelemetryEvent> = of(
        events,
        &[
            EventName::DevIntegrationCiPassed,
            EventName::DevIntegrationCiFailed,
        ],
    )
    .collect();
    let mut outcome: HashMap<(&str, &str), bool> = HashMap::new();
    let mut bisection_rounds = 0;
    let mut bisecting: HashMap<&str, bool> = HashMap::new();
    for e in &runs {
        let passed = e.event == EventName::DevIntegrationCiPassed;
        let key = (
            repo(e),
            e.properties
                .sha
                .as_deref()
                .unwrap_or(e.properties.branch.as_deref().unwrap_or_default()),
        );
        let state = bisecting.entry(repo(e)).or_insert(false);
        if *state {
            bisection_rounds += 1;
        }
        *state = !passed;
        outcome.insert(key, passed);
    }
    let batches = outcome.len();
    let batches_passed = outcome.values().filter(|p| **p).count();
    Queue {
        batches,
        batches_passed,
        batch_success_rate: rate(batches_passed, batches),
        bisection_rounds,
        ..Queue::default()
    }
}

fn from_history(samples: &mut Samples, d: &Delivery) -> (Sources, Option<HistoryCounts>) {
    samples.deploys = d.deploys.clone();
    samples.lead_times = d.lead_times.clone();
    samples.restores = d.restores.iter().map(|(_, s)| *s).collect();
    samples.other_failures = d.rollbacks.iter().chain(&d.reverts).copied().collect();
    let failed_deploys = d.deploys.iter().filter(|(_, ok)| !ok).count();
    let (lead_time, deployments) = match d.mode {
        Mode::Deployments => (
            format!(
                "first commit -> the production deploy that first contained the PR (DORA); contents by comparing consecutive deployed SHAs for {} deploy(s), by merge time for {}",
                d.contained_by_compare, d.contained_by_merge_time
            ),
            "successful production deployments (deployment statuses)".to_owned(),
        ),
        Mode::MergeIsDeploy => (
            "first commit -> merge into the default branch (push-is-deploy: no production deployments)".to_owned(),
            "merges into the default branch (push-is-deploy)".to_owned(),
        ),
    };
    let sources = Sources {
        lead_time,
        deployments,
        change_failure_rate: "(failed deploys + rollbacks + revert PRs) / production deploys".into(),
        time_to_restore: "failed deploy -> next success; rolled-back deploy -> the rollback; reverted PR's deploy -> the revert's deploy".into(),
    };
    let counts = HistoryCounts {
        mode: match d.mode {
            Mode::Deployments => "deployments".into(),
            Mode::MergeIsDeploy => "merge-is-deploy".into(),
        },
        rollbacks: d.rollbacks.len(),
        reverts: d.reverts.len(),
        failed_deploys,
        contained_by_compare: d.contained_by_compare,
        contained_by_merge_time: d.contained_by_merge_time,
        not_yet_deployed: d.not_yet_deployed,
    };
    (sources, Some(counts))
}

/// The Monday (UTC) of the week `t` falls in.
pub fn week_start(t: Timestamp) -> jiff::civil::Date {
    let date = t.to_zoned(jiff::tz::TimeZone::UTC).date();
    let back = i64::from(date.weekday().to_monday_zero_offset());
    date.checked_sub(jiff::Span::new().days(back))
        .unwrap_or(date)
}

fn weekly(samples: &Samples, from: Timestamp, to: Timestamp) -> Vec<Week> {
    let (first, last) = (week_start(from), week_start(to.max(from)));
    let mut weeks = Vec::new();
    let mut start = first;
    // A window is at most a few years: 600 weeks bounds a bad `--since`.
    while start <= last && weeks.len() < 600 {
        let in_week = |t: &Timestamp| week_start(*t) == start;
        let deploys: Vec<bool> = samples
            .deploys
            .iter()
            .filter(|(t, _)| in_week(t))
            .map(|(_, ok)| *ok)
            .collect();
        let failures = deploys.iter().filter(|ok| !**ok).count()
            + samples.other_failures.iter().filter(|t| in_week(t)).count();
        let mut lead: Vec<i64> = samples
            .lead_times
            .iter()
            .filter(|(t, _)| in_week(t))
            .map(|(_, s)| *s)
            .collect();
        lead.sort_unstable();
        let ci: Vec<&(Timestamp, Option<i64>, f64)> =
            samples.ci.iter().filter(|(t, _, _)| in_week(t)).collect();
        let mut durations: Vec<i64> = ci.iter().filter_map(|(_, d, _)| *d).collect();
        durations.sort_unstable();
        weeks.push(Week {
            start: start.to_string(),
            deploys: deploys.iter().filter(|ok| **ok).count(),
            change_failures: failures,
            change_failure_rate: rate(failures, deploys.len()),
            lead_time_p50_s: percentile(&lead, 50),
            lead_time_p90_s: percentile(&lead, 90),
            ci_runs: ci.len(),
            ci_duration_p50_s: percentile(&durations, 50),
            ci_cost_usd: round_usd(ci.iter().map(|(_, _, c)| c).sum()),
        });
        let Ok(next) = start.checked_add(jiff::Span::new().days(7)) else {
            break;
        };
        start = next;
    }
    weeks
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
