//! The real binary against the fake GitHub (`fake-github`) and the fake PostHog capture
//! endpoint, as a workflow step runs it. Every expected number is worked out by hand below.
// Test helpers: a broken fixture should panic where it is read.
#![allow(clippy::unwrap_used)]

mod support;

use fake_github::{FakeGitHub, Fault, FileSeed, JobSeed, PullSeed, RunSeed, fake_sha};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};
use support::binary::{REPO, Run, run_binary};
use support::data_json;
use support::fake_posthog::FakePosthog;

const RUN_ID: u64 = 4242;
const PR: u64 = 7;
const KEY: &str = "phc_e2eProjectKey";
/// The seeded run's attempt 2 started here (`run_started_at`).
const T0: &str = "2026-11-22T10:00:00Z";

fn at(seconds: i64) -> Timestamp {
    T0.parse::<Timestamp>().unwrap() + SignedDuration::from_secs(seconds)
}

fn head_sha() -> String {
    fake_sha("feature-7")
}

/// A job created at T0+2 s, started at T0+`start` s, running `seconds` s.
fn job(name: &str, labels: &[&str], attempt: u32, start: i64, seconds: i64) -> JobSeed {
    let mut job = JobSeed::new(name)
        .attempt(attempt)
        .labels(labels)
        .times(at(start), Some(at(start + seconds)));
    job.created_at = Some(at(2));
    job
}

// Attempt 2 of run 4242 (what the event reports on), 20 jobs, all created at T0+2 s:
//   test 0..17   ubuntu-latest            started T0+10+i s, 90 s each -> 2 min each = 36 min x $0.006 = $0.216
//   windows      windows-latest           started T0+28 s, 300 s       -> 5 min x $0.010           = $0.050
//   build        ubuntu-latest-16-cores   started T0+29 s, 601 s       -> 11 min x $0.042          = $0.462
// Private repository, so standard runners are billed too: est_cost_usd = 0.728, billable 52 min.
// ci_duration_s = latest completion (build, T0+29+601 = T0+630) - run_started_at (T0) = 630.
// queue_s = first job to start (test 0, T0+10) - its creation (T0+2) = 8.
// Attempt 1 (three hour-long jobs started at T0+5) must count for nothing: with it, the
// duration would be 3605 and the queue 3.
fn seed_run(fake: &FakeGitHub) {
    let mut run = RunSeed::new(RUN_ID)
        .name("CI")
        .head("feature-7", &head_sha())
        .pull_request(PR);
    run.created_at = Some(at(0));
    for i in 0..3 {
        run = run.job(job(&format!("old {i}"), &["ubuntu-latest"], 1, 5, 3600));
    }
    for i in 0..18 {
        run = run.job(job(&format!("test {i}"), &["ubuntu-latest"], 2, 10 + i, 90));
    }
    run = run.job(job("windows", &["windows-latest"], 2, 28, 300));
    run = run.job(job("build", &["ubuntu-latest-16-cores"], 2, 29, 601));
    fake.state().add_run(REPO, run);
}

fn seed_config(fake: &FakeGitHub, text: &str) {
    fake.state()
        .put_content(REPO, "main", ".github/guardians.yml", text);
}

const CONFIG: &str = "\
telemetry-emitter:
  max-attempts: 2
  max-retry-wait-s: 0
contracts-diff:
  endpoints: ['src/routes/**']
";

fn seed_pull(fake: &FakeGitHub, files: Vec<FileSeed>) {
    fake.state().add_pull(
        REPO,
        PullSeed::new(PR)
            .head("feature-7", &head_sha())
            .base("main", &fake_sha("main"))
            .files(files),
    );
}

/// The real `workflow_run.completed` payload, about run 4242 attempt 2 of PR 7.
fn workflow_run_payload() -> Value {
    let mut payload = data_json("workflow_run.completed.success-with-pr.json");
    payload["repository"]["full_name"] = json!(REPO);
    payload["repository"]["private"] = json!(true);
    payload["repository"]["default_branch"] = json!("main");
    let run = &mut payload["workflow_run"];
    run["id"] = json!(RUN_ID);
    run["run_attempt"] = json!(2);
    run["run_started_at"] = json!(T0);
    run["updated_at"] = json!("2026-11-22T10:10:31Z");
    run["head_branch"] = json!("feature-7");
    run["head_sha"] = json!(head_sha());
    run["pull_requests"][0]["number"] = json!(PR);
    run["pull_requests"][0]["base"]["ref"] = json!("main");
    payload
}

fn pull_request_payload(fake: &FakeGitHub) -> Value {
    let mut payload = data_json("pull_request.opened.json");
    let state = fake.state();
    let pull = &state.repo(REPO).unwrap().pulls[&PR];
    payload["number"] = json!(PR);
    payload["repository"]["full_name"] = json!(REPO);
    payload["repository"]["default_branch"] = json!("main");
    let pr = &mut payload["pull_request"];
    pr["number"] = json!(PR);
    pr["head"]["sha"] = json!(pull.head.sha);
    pr["base"]["ref"] = json!("main");
    pr["additions"] = json!(pull.additions);
    pr["deletions"] = json!(pull.deletions);
    pr["changed_files"] = json!(pull.changed_files);
    payload
}

fn posthog_inputs(posthog: &str) -> Vec<(&'static str, String)> {
    vec![
        ("posthog-api-key", KEY.to_owned()),
        ("posthog-host", posthog.to_owned()),
    ]
}

fn run(
    fake: &FakeGitHub,
    event_name: &str,
    payload: &Value,
    inputs: &[(&str, String)],
    args: &[&str],
) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let inputs: Vec<(&str, &str)> = inputs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    run_binary(dir.path(), &fake.url(), event_name, payload, &inputs, args)
}

fn job_calls(fake: &FakeGitHub) -> Vec<String> {
    fake.calls()
        .iter()
        .filter(|c| c.path.ends_with("/jobs"))
        .map(|c| c.line())
        .collect()
}

#[test]
fn a_completed_run_with_20_jobs_over_two_pages_is_sent_with_duration_queue_and_cost() {
    let fake = FakeGitHub::start();
    seed_run(&fake);
    seed_config(&fake, CONFIG);
    seed_pull(&fake, vec![FileSeed::new("src/lib.rs", 10, 2)]);
    let posthog = FakePosthog::start(KEY, vec![]);

    let out = run(
        &fake,
        "workflow_run",
        &workflow_run_payload(),
        &posthog_inputs(&posthog.url()),
        &["--jobs-per-page", "10"],
    );
    assert_eq!(out.code, 0, "{out:?}");
    // The key is on one line only: the runner's instruction to mask it, printed first.
    let with_key: Vec<&str> = out.stdout.lines().filter(|l| l.contains(KEY)).collect();
    assert_eq!(with_key, [format!("::add-mask::{KEY}")], "{}", out.stdout);

    let event = posthog.recorded(|r| {
        assert_eq!(r.requests, 1);
        assert_eq!(r.accepted.len(), 1);
        r.accepted[0].clone()
    });
    assert_eq!(event["event"], "dev_ci_passed");
    let p = &event["properties"];
    assert_eq!(p["ci_duration_s"], 630);
    assert_eq!(p["queue_s"], 8);
    assert_eq!(p["est_cost_usd"], 0.728);
    assert_eq!(p["billable_minutes"], 52);
    assert_eq!(p["run_id"], RUN_ID);
    assert_eq!(p["run_attempt"], 2);
    assert_eq!(p["pr"], PR);
    assert_eq!(p["size"], "XS"); // 12 lines
    assert_eq!(p["contracts_touched"], false);
    assert_eq!(p["endpoints_touched"], json!([]));
    assert_eq!(event["timestamp"], "2026-11-22T10:10:31.000Z");

    assert_eq!(out.outputs["event"], "dev_ci_passed");
    assert_eq!(out.outputs["sent"], "true");
    assert_eq!(out.outputs["uuid"], event["uuid"].as_str().unwrap());

    // Two pages of one attempt's jobs, nothing else of the run (its start is in the payload).
    let base = format!("GET /repos/{REPO}/actions/runs/{RUN_ID}/attempts/2/jobs");
    assert_eq!(
        job_calls(&fake),
        [
            format!("{base}?per_page=10&page=1 -> 200"),
            format!("{base}?per_page=10&page=2 -> 200"),
        ]
    );
    let calls = fake.calls();
    assert!(calls.iter().all(|c| !c.is_write()), "{calls:?}");
    // The config from the default branch, the PR's files, .gitattributes, two pages of jobs.
    assert_eq!(calls.len(), 5, "{calls:#?}");
    assert!(
        calls
            .iter()
            .any(|c| c.path.ends_with("/contents/.github/guardians.yml")
                && c.query.as_deref() == Some("ref=main")),
        "{calls:#?}"
    );
}

#[test]
fn a_502_on_the_jobs_endpoint_is_retried_and_a_missing_run_start_is_read_from_the_run() {
    let fake = FakeGitHub::start();
    seed_run(&fake);
    seed_config(&fake, CONFIG);
    seed_pull(&fake, vec![FileSeed::new("src/lib.rs", 10, 2)]);
    fake.inject(
        Fault::status(502)
            .on("/repos/*/*/actions/runs/*/attempts/*/jobs")
            .times(2),
    );
    let posthog = FakePosthog::start(KEY, vec![]);
    let mut payload = workflow_run_payload();
    payload["workflow_run"]
        .as_object_mut()
        .unwrap()
        .remove("run_started_at");

    let out = run(
        &fake,
        "workflow_run",
        &payload,
        &posthog_inputs(&posthog.url()),
        &["--jobs-per-page", "10"],
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert!(!out.stdout.contains("::warning"), "{}", out.stdout);
    let statuses: Vec<String> = job_calls(&fake)
        .iter()
        .map(|l| l.rsplit(' ').next().unwrap().to_owned())
        .collect();
    assert_eq!(statuses, ["502", "502", "200", "200"]);
    assert!(
        fake.calls()
            .iter()
            .any(|c| c.path == format!("/repos/{REPO}/actions/runs/{RUN_ID}")),
        "the run's start was not read"
    );
    let p = posthog.recorded(|r| r.accepted[0]["properties"].clone());
    // The run's `run_started_at` is its creation (T0) in the fake: the same 630 s.
    assert_eq!(p["ci_duration_s"], 630);
    assert_eq!(p["queue_s"], 8);
}

// PR 7's files:
//   src/api/handler.rs    120 + 30 = 150
//   openapi.yaml           10 +  2 =  12   (a contract by contracts-diff's default globs)
//   src/routes/users.ts    20 +  5 =  25   (an endpoint by the config's `src/routes/**`)
//   Cargo.lock           4000 + 1000       (a lockfile: not counted)
// 187 lines counted -> S (50..199); with the lockfile it would be 5,187 -> XL.
#[test]
fn a_pull_request_opened_is_sized_with_lockfiles_ignored_and_contracts_detected() {
    let fake = FakeGitHub::start();
    seed_config(&fake, CONFIG);
    seed_pull(
        &fake,
        vec![
            FileSeed::new("src/api/handler.rs", 120, 30),
            FileSeed::new("openapi.yaml", 10, 2),
            FileSeed::new("src/routes/users.ts", 20, 5),
            FileSeed::new("Cargo.lock", 4000, 1000),
        ],
    );
    // The PR's own branch asks for another sink; only the base branch's file counts.
    fake.state().put_content(
        REPO,
        "feature-7",
        ".github/guardians.yml",
        "telemetry-emitter:\n  sink: stdout\n",
    );
    let posthog = FakePosthog::start(KEY, vec![]);
    let payload = pull_request_payload(&fake);

    let out = run(
        &fake,
        "pull_request",
        &payload,
        &posthog_inputs(&posthog.url()),
        &[],
    );
    assert_eq!(out.code, 0, "{out:?}");
    let event = posthog.recorded(|r| r.accepted[0].clone());
    assert_eq!(event["event"], "dev_pr_opened");
    let p = &event["properties"];
    assert_eq!(p["size"], "S");
    assert_eq!(p["contracts_touched"], true);
    assert_eq!(p["endpoints_touched"], json!(["src/routes/users.ts"]));
    assert_eq!(p["pr"], PR);
    assert_eq!(p["ci_duration_s"], Value::Null);
    // No jobs or runs asked for a PR event.
    assert!(job_calls(&fake).is_empty());

    // Dry run (the `dry-run` input): the exact batch on stdout, the key masked, nothing sent.
    let mut inputs = posthog_inputs(&posthog.url());
    inputs.push(("dry-run", "true".to_owned()));
    let out = run(&fake, "pull_request", &payload, &inputs, &[]);
    assert_eq!(out.code, 0, "{out:?}");
    let line = out.stdout.lines().find(|l| l.starts_with('{')).unwrap();
    let body: Value = serde_json::from_str(line).unwrap();
    assert_eq!(body["api_key"], "phc_***");
    assert_eq!(body["batch"][0], event);
    assert_eq!(posthog.recorded(|r| r.requests), 1);
}

#[test]
fn posthog_down_warns_and_passes_unless_strict() {
    let fake = FakeGitHub::start();
    seed_run(&fake);
    seed_config(&fake, CONFIG);
    seed_pull(&fake, vec![FileSeed::new("src/lib.rs", 10, 2)]);
    // A port that was free a moment ago: nothing listens there.
    let down = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let payload = workflow_run_payload();

    let out = run(&fake, "workflow_run", &payload, &posthog_inputs(&down), &[]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains(
            "::warning title=telemetry-emitter::PostHog did not accept the events after 2 attempts"
        ),
        "{}",
        out.stdout
    );
    assert_eq!(out.outputs["sent"], "false");

    // With `strict` the outage fails the step as an outage (3), never as a verdict (1):
    // telemetry has no check of its own. The error is printed once.
    let mut strict = posthog_inputs(&down);
    strict.push(("strict", "true".to_owned()));
    let out = run(&fake, "workflow_run", &payload, &strict, &[]);
    assert_eq!(out.code, 3, "{out:?}");
    assert_eq!(out.stdout.matches("::error").count(), 1, "{}", out.stdout);
    assert!(
        out.stdout.contains(
            "::error::telemetry-emitter: PostHog did not accept the events after 2 attempts"
        ),
        "{}",
        out.stdout
    );
    assert_eq!(out.outputs["sent"], "false");
}

/// The text a step printed through `Toolkit::untrusted`: between `::stop-commands::TOKEN` and
/// `::TOKEN::`.
fn untrusted_block(stdout: &str) -> String {
    let start = stdout.find("::stop-commands::").unwrap();
    let rest = &stdout[start + "::stop-commands::".len()..];
    let (token, body) = rest.split_once('\n').unwrap();
    let end = body.find(&format!("::{token}::")).unwrap();
    body[..end].to_owned()
}

fn posthog_requests(posthog: &FakePosthog) -> usize {
    posthog.recorded(|r| r.requests)
}

#[test]
fn exit_0_when_the_trigger_is_not_a_delivery_event_and_nothing_is_sent() {
    let fake = FakeGitHub::start();
    seed_config(&fake, CONFIG);
    seed_pull(&fake, vec![FileSeed::new("src/lib.rs", 10, 2)]);
    let posthog = FakePosthog::start(KEY, vec![]);
    let mut payload = pull_request_payload(&fake);
    payload["action"] = json!("synchronize");

    let out = run(
        &fake,
        "pull_request",
        &payload,
        &posthog_inputs(&posthog.url()),
        &[],
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains(
            "::notice::telemetry-emitter: nothing to send: pull_request `synchronize` is not a delivery event"
        ),
        "{}",
        out.stdout
    );
    assert_eq!(posthog_requests(&posthog), 0);
    // Only the settings were read, to know whether `synchronize` maps to an event.
    let calls = fake.calls();
    assert_eq!(calls.len(), 1, "{calls:#?}");
    assert!(out.outputs.is_empty(), "{:?}", out.outputs);
}

#[test]
fn exit_2_for_a_malformed_payload_naming_the_field() {
    let fake = FakeGitHub::start();
    let posthog = FakePosthog::start(KEY, vec![]);
    let mut payload = workflow_run_payload();
    payload["workflow_run"]["id"] = json!("not-a-number");

    let out = run(
        &fake,
        "workflow_run",
        &payload,
        &posthog_inputs(&posthog.url()),
        &[],
    );
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stdout.contains("workflow_run.id"), "{}", out.stdout);
    assert_eq!(out.stdout.matches("::error").count(), 1, "{}", out.stdout);
    assert!(fake.calls().is_empty());
    assert_eq!(posthog_requests(&posthog), 0);
}

#[test]
fn exit_2_for_an_unknown_key_in_guardians_yml_even_in_actions() {
    let fake = FakeGitHub::start();
    seed_run(&fake);
    seed_config(&fake, "telemetry-emitter:\n  max-atempts: 2\n");
    let posthog = FakePosthog::start(KEY, vec![]);

    let out = run(
        &fake,
        "workflow_run",
        &workflow_run_payload(),
        &posthog_inputs(&posthog.url()),
        &[],
    );
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stdout.contains("max-atempts"), "{}", out.stdout);
    assert_eq!(posthog_requests(&posthog), 0);
}

#[test]
fn exit_2_for_a_bad_flag_or_input_value() {
    let fake = FakeGitHub::start();
    seed_run(&fake);
    seed_config(&fake, CONFIG);
    let posthog = FakePosthog::start(KEY, vec![]);
    let payload = workflow_run_payload();

    let flag = run(
        &fake,
        "workflow_run",
        &payload,
        &posthog_inputs(&posthog.url()),
        &["--sink", "carrier-pigeon"],
    );
    assert_eq!(flag.code, 2, "{flag:?}");
    assert!(flag.stderr.contains("carrier-pigeon"), "{}", flag.stderr);

    let mut inputs = posthog_inputs(&posthog.url());
    inputs.push(("sink", "carrier-pigeon".to_owned()));
    let input = run(&fake, "workflow_run", &payload, &inputs, &[]);
    assert_eq!(input.code, 2, "{input:?}");
    assert!(
        input
            .stdout
            .contains("the `sink` input is `carrier-pigeon`"),
        "{}",
        input.stdout
    );

    let mut inputs = posthog_inputs(&posthog.url());
    inputs.push(("strict", "yes".to_owned()));
    let input = run(&fake, "workflow_run", &payload, &inputs, &[]);
    assert_eq!(input.code, 2, "{input:?}");
    assert!(input.stdout.contains("strict"), "{}", input.stdout);

    let mut inputs = posthog_inputs(&posthog.url());
    inputs.push(("event", "dev_pr_merged".to_owned()));
    let input = run(&fake, "workflow_run", &payload, &inputs, &[]);
    assert_eq!(input.code, 2, "{input:?}");
    assert!(input.stdout.contains("dev_pr_merged"), "{}", input.stdout);

    assert_eq!(posthog_requests(&posthog), 0);
}

#[test]
fn exit_3_when_github_keeps_answering_502() {
    let fake = FakeGitHub::start();
    seed_run(&fake);
    seed_config(&fake, CONFIG);
    seed_pull(&fake, vec![FileSeed::new("src/lib.rs", 10, 2)]);
    fake.inject(Fault::status(502).times(1_000));
    let posthog = FakePosthog::start(KEY, vec![]);

    let out = run(
        &fake,
        "workflow_run",
        &workflow_run_payload(),
        &posthog_inputs(&posthog.url()),
        &[],
    );
    assert_eq!(out.code, 3, "{out:?}");
    assert!(out.stdout.contains("HTTP 502"), "{}", out.stdout);
    assert_eq!(out.stdout.matches("::error").count(), 1, "{}", out.stdout);
    // The settings could not be read, so nothing was decided or sent; the read was retried
    // a bounded number of times.
    let calls = fake.calls();
    assert!(calls.iter().all(|c| c.status == 502), "{calls:#?}");
    assert!((2..=5).contains(&calls.len()), "{calls:#?}");
    assert_eq!(posthog_requests(&posthog), 0);
}

#[test]
fn dry_run_sends_nothing_writes_nothing_and_still_sets_the_outputs() {
    let fake = FakeGitHub::start();
    seed_run(&fake);
    seed_config(&fake, CONFIG);
    seed_pull(&fake, vec![FileSeed::new("src/lib.rs", 10, 2)]);
    let posthog = FakePosthog::start(KEY, vec![]);

    let out = run(
        &fake,
        "workflow_run",
        &workflow_run_payload(),
        &posthog_inputs(&posthog.url()),
        &["--dry-run", "--json", "--jobs-per-page", "10"],
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(posthog_requests(&posthog), 0);
    assert!(fake.calls().iter().all(|c| !c.is_write()));
    assert_eq!(out.outputs["event"], "dev_ci_passed");
    assert!(!out.outputs.contains_key("sent"), "{:?}", out.outputs);

    let plan: Value = serde_json::from_str(&untrusted_block(&out.stdout)).unwrap();
    assert_eq!(plan["destination"]["sink"], "posthog");
    assert_eq!(plan["destination"]["host"], posthog.url());
    assert_eq!(plan["on_delivery_failure"], "warn");
    assert_eq!(plan["events"][0]["event"], "dev_ci_passed");
    assert_eq!(plan["events"][0]["properties"]["ci_duration_s"], 630);
    assert_eq!(
        out.outputs["uuid"],
        plan["events"][0]["uuid"].as_str().unwrap()
    );
    // The key shows only in the runner's instruction to mask it.
    let with_key: Vec<&str> = out.stdout.lines().filter(|l| l.contains(KEY)).collect();
    assert_eq!(with_key, [format!("::add-mask::{KEY}")], "{}", out.stdout);
}

#[test]
fn json_without_dry_run_prints_the_plan_and_sends_it() {
    let fake = FakeGitHub::start();
    seed_run(&fake);
    seed_config(&fake, CONFIG);
    seed_pull(&fake, vec![FileSeed::new("src/lib.rs", 10, 2)]);
    let posthog = FakePosthog::start(KEY, vec![]);

    let out = run(
        &fake,
        "workflow_run",
        &workflow_run_payload(),
        &posthog_inputs(&posthog.url()),
        &["--json"],
    );
    assert_eq!(out.code, 0, "{out:?}");
    let plan: Value = serde_json::from_str(&untrusted_block(&out.stdout)).unwrap();
    let sent = posthog.recorded(|r| r.accepted[0].clone());
    assert_eq!(plan["events"][0], sent);
    assert_eq!(out.outputs["sent"], "true");
}

/// From a terminal, `--event FILE` with no `--event-name` and no GITHUB_EVENT_NAME: the event
/// is inferred from the payload (a `workflow_run` file is not read as a pull request).
#[test]
fn the_event_name_is_inferred_from_the_payload_on_a_terminal() {
    let fake = FakeGitHub::start();
    seed_run(&fake);
    seed_config(&fake, CONFIG);
    seed_pull(&fake, vec![FileSeed::new("src/lib.rs", 10, 2)]);
    let dir = tempfile::tempdir().unwrap();
    let event = dir.path().join("run.json");
    std::fs::write(&event, workflow_run_payload().to_string()).unwrap();
    let env: std::collections::HashMap<String, String> =
        [("GITHUB_TOKEN".to_owned(), "ghs_test".to_owned())].into();
    let output = support::binary::spawn(
        &env,
        &[
            "--event",
            event.to_str().unwrap(),
            "--repo",
            REPO,
            "--api-url",
            &fake.url(),
            "--sink",
            "stdout",
        ],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    let line = stdout.lines().find(|l| l.starts_with('{')).unwrap();
    let sent: Value = serde_json::from_str(line).unwrap();
    assert_eq!(sent["event"], "dev_ci_passed");
    assert_eq!(sent["properties"]["event_source"], "workflow_run.completed");
}
