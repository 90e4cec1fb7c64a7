//! Duration, queue time and cost from real-format jobs pages; every expected number is worked
//! out by hand in the comments.
// Test helpers: a broken fixture should panic where it is read.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeMap;

use support::{data, facts, jobs, plan_for};
use telemetry_emitter::config::TelemetryEmitterConfig;
use telemetry_emitter::jobs::{RunTiming, jobs_of_attempt};
use telemetry_emitter::pricing::{PricingRules, RunnerClass, classify_runner, estimate_cost};

const PAGES: [&str; 2] = ["jobs-289782451.page1.json", "jobs-289782451.page2.json"];

// The run (workflow_run.completed.success-with-pr.json) started 16:33:49. Its jobs:
//   lint            ubuntu-latest           created 16:33:50 started 16:34:05 done 16:36:10  125 s ->  3 min
//   test (windows)  windows-latest                           started 16:34:20 done 16:41:20  420 s ->  7 min
//   test (macos)    macos-14                                 started 16:35:00 done 16:38:01  181 s ->  4 min
//   build           ubuntu-latest-16-cores                   started 16:34:10 done 16:44:00  590 s -> 10 min
//   e2e             self-hosted                              started 16:36:00 done 16:50:30  870 s -> 15 min
//   deploy-preview  skipped (started = done = created 16:33:50)                                 0 s ->  0 min

#[test]
fn duration_is_latest_completion_minus_run_start_and_queue_is_the_first_jobs_wait() {
    let all = jobs(&PAGES);
    assert_eq!(all.len(), 6);
    let timing = RunTiming::from_jobs(Some("2020-10-05T16:33:49Z".parse().unwrap()), &all);
    // 16:50:30 - 16:33:49 = 16 min 41 s = 1001 s.
    assert_eq!(timing.ci_duration_s, Some(1001));
    // First job to start (the skipped one aside) is lint: 16:34:05 - 16:33:50 = 15 s.
    assert_eq!(timing.queue_s, Some(15));
}

#[test]
fn runners_are_classified_from_their_labels() {
    let all = jobs(&PAGES);
    let classes: Vec<_> = all.iter().map(classify_runner).collect();
    assert_eq!(
        classes,
        [
            RunnerClass::Standard {
                sku: "linux_2_core"
            },
            RunnerClass::Standard {
                sku: "windows_2_core"
            },
            RunnerClass::Standard { sku: "macos" },
            RunnerClass::Larger {
                sku: "linux_16_core".to_owned()
            },
            RunnerClass::SelfHosted,
            RunnerClass::Standard {
                sku: "linux_2_core"
            },
        ]
    );
}

#[test]
fn private_repository_pays_every_github_hosted_minute() {
    let cost = estimate_cost(&jobs(&PAGES), true, &PricingRules::default());
    let minutes: Vec<u64> = cost.jobs.iter().map(|j| j.minutes).collect();
    assert_eq!(minutes, [3, 7, 4, 10, 15, 0]);
    // 3 x 0.006 + 7 x 0.010 + 4 x 0.062 + 10 x 0.042 + 15 x 0 (self-hosted) + 0
    //  = 0.018 + 0.070 + 0.248 + 0.420 = 0.756
    assert_eq!(cost.total_micro_usd(), 756_000);
    assert_eq!(cost.billable_minutes(), 24);
}

#[test]
fn public_repository_pays_only_larger_runners() {
    let cost = estimate_cost(&jobs(&PAGES), false, &PricingRules::default());
    // Standard runners are free on public repositories: only build's 10 x 0.042.
    assert_eq!(cost.total_micro_usd(), 420_000);
}

#[test]
fn self_hosted_platform_charge_applies_on_private_repositories_only() {
    let rules = PricingRules {
        self_hosted_per_minute_usd: 0.002,
        ..PricingRules::default()
    };
    // 0.756 + 15 x 0.002 = 0.786
    assert_eq!(
        estimate_cost(&jobs(&PAGES), true, &rules).total_micro_usd(),
        786_000
    );
    assert_eq!(
        estimate_cost(&jobs(&PAGES), false, &rules).total_micro_usd(),
        420_000
    );
}

#[test]
fn overrides_by_label_or_sku_replace_the_table() {
    let rules = PricingRules {
        overrides: BTreeMap::from([
            ("ubuntu-latest-16-cores".to_owned(), 0.05),
            ("macos".to_owned(), 0.08),
        ]),
        ..PricingRules::default()
    };
    // 3 x 0.006 + 7 x 0.010 + 4 x 0.08 + 10 x 0.05 = 0.018 + 0.070 + 0.320 + 0.500 = 0.908
    assert_eq!(
        estimate_cost(&jobs(&PAGES), true, &rules).total_micro_usd(),
        908_000
    );
}

#[test]
fn the_documented_jobs_api_example_is_a_two_minute_self_hosted_job() {
    let page = jobs(&["jobs.openapi-example.json"]);
    // 17:42:40 -> 17:44:39 = 119 s -> 2 min, on `self-hosted, foo, bar`.
    let rules = PricingRules {
        self_hosted_per_minute_usd: 0.002,
        ..PricingRules::default()
    };
    let cost = estimate_cost(&page, true, &rules);
    assert_eq!(cost.jobs[0].minutes, 2);
    assert_eq!(cost.jobs[0].priced_as, "self-hosted");
    assert_eq!(cost.total_micro_usd(), 4_000);
    // This example has no `created_at`: no queue time rather than a wrong one.
    let timing = RunTiming::from_jobs(Some("2020-01-20T17:42:00Z".parse().unwrap()), &page);
    assert_eq!(timing.queue_s, None);
    assert_eq!(timing.ci_duration_s, Some(159));
}

#[test]
fn only_the_latest_attempts_jobs_count() {
    let mut all = jobs(&PAGES);
    let mut old = all[0].clone();
    old.run_attempt = Some(0);
    all.push(old);
    assert_eq!(jobs_of_attempt(&all, 1).len(), 6);
}

#[test]
fn larger_runner_labels_of_every_os_and_arch_are_priced() {
    let job = |labels: &[&str]| telemetry_emitter::jobs::Job {
        labels: labels.iter().map(|s| s.to_string()).collect(),
        started_at: Some("2026-01-01T00:00:00Z".parse().unwrap()),
        completed_at: Some("2026-01-01T00:00:30Z".parse().unwrap()),
        ..Default::default()
    };
    let price = |labels: &[&str]| {
        estimate_cost(&[job(labels)], true, &PricingRules::default()).total_micro_usd()
    };
    assert_eq!(price(&["windows-8-core"]), 42_000);
    assert_eq!(price(&["linux-arm64-16-cores"]), 26_000);
    assert_eq!(price(&["windows-arm-64-core"]), 194_000);
    assert_eq!(price(&["ubuntu-24.04-arm"]), 5_000);
    assert_eq!(price(&["macos-15-xlarge"]), 102_000);
    assert_eq!(price(&["macos-14-large"]), 77_000);
    assert_eq!(price(&["linux-gpu-t4"]), 52_000);
    assert_eq!(price(&["ubuntu-slim"]), 2_000);
    // A size GitHub does not sell: priced 0 and reported.
    let cost = estimate_cost(&[job(&["linux-12-cores"])], true, &PricingRules::default());
    assert_eq!(cost.total_micro_usd(), 0);
    assert_eq!(cost.unpriced, ["linux_12_core"]);
}

#[test]
fn a_completed_run_event_carries_duration_queue_and_cost() {
    let mut payload: serde_json::Value =
        serde_json::from_str(&data("workflow_run.completed.success-with-pr.json")).unwrap();
    payload["repository"]["private"] = serde_json::json!(true);
    let mut f = facts();
    f.jobs = jobs(&PAGES);
    let plan = plan_for(
        "workflow_run",
        &payload.to_string(),
        &TelemetryEmitterConfig::default(),
        &f,
    );
    let p = &plan.events[0].properties;
    assert_eq!(p.ci_duration_s, Some(1001));
    assert_eq!(p.queue_s, Some(15));
    assert_eq!(p.est_cost_usd, Some(0.756));
    assert_eq!(p.billable_minutes, Some(24));
    assert!(plan.notes.is_empty(), "{:?}", plan.notes);
}
