//! `report` over 100,000 generated events, and planning a `workflow_run` event with 20 jobs.
//! Run: `cargo bench -p telemetry-emitter --bench report`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use guardians_core::context::Context;
use guardians_core::event::Event;
use jiff::{SignedDuration, Timestamp};
use telemetry_emitter::config::TelemetryEmitterConfig;
use telemetry_emitter::event_name::EventName;
use telemetry_emitter::jobs::Job;
use telemetry_emitter::plan::{Facts, Properties, Request, TelemetryEvent, plan};
use telemetry_emitter::report::{compute, load};
use uuid::Uuid;

/// 100,000 events: 10,000 PRs, each opened, two CI runs, queued, integrated and deployed
/// (every tenth deploy fails first).
fn generated_jsonl(n: usize) -> Vec<u8> {
    let start: Timestamp = "2026-01-01T00:00:00Z".parse().expect("a valid time");
    let mut out = Vec::with_capacity(n * 420);
    let mut i = 0u64;
    let mut pr = 0u64;
    while (i as usize) < n {
        pr += 1;
        let base = start + SignedDuration::from_mins(pr as i64 * 30);
        let steps: [(EventName, i64); 10] = [
            (EventName::DevPrOpened, 0),
            (EventName::DevCiStarted, 1),
            (EventName::DevCiFailed, 10),
            (EventName::DevCiPassed, 25),
            (EventName::DevIntegrationQueueEntered, 60),
            (EventName::DevIntegrationCiPassed, 80),
            (EventName::DevDeployFailed, 100),
            (EventName::DevDeploySucceeded, 130),
            (EventName::DevCiStarted, 140),
            (EventName::DevCiPassed, 160),
        ];
        for (name, minutes) in steps {
            if (i as usize) >= n {
                break;
            }
            i += 1;
            if name == EventName::DevDeployFailed && !pr.is_multiple_of(10) {
                continue;
            }
            let event = TelemetryEvent {
                event: name,
                distinct_id: format!("dev{}", pr % 50),
                properties: Properties {
                    pr: Some(pr),
                    sha: Some(format!("{pr:040x}")),
                    repository: Some("octo-org/octo-repo".to_owned()),
                    ci_duration_s: name.is_ci_outcome().then_some(300 + (pr % 600) as i64),
                    queue_s: name.is_ci_outcome().then_some((pr % 40) as i64),
                    est_cost_usd: name.is_ci_outcome().then_some(0.042),
                    ..Properties::default()
                },
                timestamp: base + SignedDuration::from_mins(minutes),
                uuid: Uuid::from_u128(i as u128),
            };
            serde_json::to_writer(&mut out, &event).expect("serializes");
            out.push(b'\n');
        }
    }
    out
}

fn bench_report(c: &mut Criterion) {
    let data = generated_jsonl(100_000);
    c.bench_function("report: load + compute 100,000 events", |b| {
        b.iter(|| {
            let loaded = load(black_box(&data[..]), None).expect("reads from memory");
            black_box(compute(&loaded.events, None))
        })
    });
}

fn bench_plan_20_jobs(c: &mut Criterion) {
    let event = Event::parse(
        "workflow_run",
        include_bytes!("../tests/data/workflow_run.completed.success-with-pr.json"),
    )
    .expect("real payload");
    let started: Timestamp = "2020-10-05T16:33:49Z".parse().expect("a valid time");
    let labels = [
        "ubuntu-latest",
        "windows-latest",
        "macos-14",
        "ubuntu-latest-16-cores",
    ];
    let jobs: Vec<Job> = (0..20)
        .map(|n| Job {
            id: n,
            run_id: 289782451,
            run_attempt: Some(1),
            name: format!("job {n}"),
            status: "completed".to_owned(),
            conclusion: Some("success".to_owned()),
            created_at: Some(started + SignedDuration::from_secs(1)),
            started_at: Some(started + SignedDuration::from_secs(10 + n as i64)),
            completed_at: Some(started + SignedDuration::from_secs(300 + 37 * n as i64)),
            labels: vec![labels[n as usize % labels.len()].to_owned()],
            ..Job::default()
        })
        .collect();
    let ctx = Context {
        event_name: "workflow_run".to_owned(),
        event,
        repository: "octo-org/octo-repo".parse().expect("a valid name"),
        api_url: "https://api.github.com".to_owned(),
        server_url: "https://github.com".to_owned(),
        graphql_url: "https://api.github.com/graphql".to_owned(),
        sha: None,
        git_ref: None,
        actor: None,
        workflow: None,
        job: None,
        run_id: None,
        run_attempt: None,
        run_number: None,
        runner_os: None,
        runner_arch: None,
        runner_temp: None,
        tool_cache: None,
        in_actions: false,
    };
    let facts = Facts {
        jobs,
        now: started,
        ..Facts::default()
    };
    let config = TelemetryEmitterConfig::default();
    c.bench_function("plan: workflow_run completed with 20 jobs", |b| {
        b.iter(|| black_box(plan(&ctx, &Request::default(), &config, &facts)))
    });
}

criterion_group!(benches, bench_report, bench_plan_20_jobs);
criterion_main!(benches);
