//! `report --github`: the real binary reads a seeded history from fake-github. Every expected
//! number is worked out by hand in the comments, or computed independently in the test.
// Test helpers: a broken fixture should panic where it is read.
#![allow(clippy::unwrap_used)]

mod support;

use std::io::{Read as _, Write as _};
use std::path::Path;
use std::process::Command;

use fake_github::{FakeGitHub, Fault, fake_sha};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};
use support::binary::run_binary;
use support::history::{Deploy, Pr, Run, seed, t};

const REPO: &str = "octo/shop";
const NOW: &str = "2026-02-01T00:00:00Z";
/// fake-github dates every PR commit here: each PR's first commit.
const FIRST_COMMIT: &str = "2026-01-01T00:00:00Z";

fn report(fake: &FakeGitHub, dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_telemetry-emitter"))
        .arg("report")
        .args(["--api-url", &fake.url(), "--now", NOW])
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("GITHUB_TOKEN", "ghs_test")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json_report(fake: &FakeGitHub, dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = report(fake, dir, &all);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

fn deploy(id: u64, sha: &str, env: &str, created: &str, statuses: &[(&str, &str)]) -> Deploy {
    Deploy {
        id,
        sha: sha.to_owned(),
        environment: env.to_owned(),
        created: t(created),
        statuses: statuses
            .iter()
            .map(|(s, at)| ((*s).to_owned(), t(at)))
            .collect(),
    }
}

fn pr(number: u64, title: &str, opened: &str, merged: Option<&str>, commits: usize) -> Pr {
    Pr {
        number,
        title: title.to_owned(),
        opened: t(opened),
        merged: merged.map(t),
        commits,
    }
}

/// Five PRs, five production deployments (one failed, one rolling back to an older commit),
/// a revert PR, a staging deployment that must not count, two CI runs.
fn seed_story(fake: &FakeGitHub) -> Vec<Pr> {
    // Every PR's first commit is FIRST_COMMIT (fake-github's date of every PR commit).
    let prs = vec![
        pr(
            1,
            "Add cart",
            "2026-01-05T10:00:00Z",
            Some("2026-01-05T12:00:00Z"),
            2,
        ),
        pr(
            2,
            "Add search",
            "2026-01-05T09:00:00Z",
            Some("2026-01-05T13:00:00Z"),
            0,
        ),
        pr(
            3,
            "Add checkout",
            "2026-01-06T08:00:00Z",
            Some("2026-01-06T10:00:00Z"),
            0,
        ),
        pr(
            4,
            "Revert \"Add checkout\"",
            "2026-01-07T10:00:00Z",
            Some("2026-01-07T10:30:00Z"),
            0,
        ),
        pr(5, "Still open", "2026-01-08T10:00:00Z", None, 0),
    ];
    let deploys = vec![
        // Ships PRs 1 and 2 (merged before it started).
        deploy(
            11,
            &prs[1].head(),
            "production",
            "2026-01-05T14:00:00Z",
            &[
                ("in_progress", "2026-01-05T14:01:00Z"),
                ("success", "2026-01-05T14:30:00Z"),
            ],
        ),
        deploy(
            12,
            &prs[2].head(),
            "production",
            "2026-01-06T11:00:00Z",
            &[("failure", "2026-01-06T11:10:00Z")],
        ),
        deploy(
            13,
            &prs[2].head(),
            "production",
            "2026-01-06T11:30:00Z",
            &[("success", "2026-01-06T12:00:00Z")],
        ),
        // Back to the commit deployment 11 shipped: a rollback.
        deploy(
            14,
            &prs[1].head(),
            "production",
            "2026-01-07T09:00:00Z",
            &[("success", "2026-01-07T09:05:00Z")],
        ),
        deploy(
            15,
            "ffffffffffffffffffffffffffffffffffffffff",
            "staging",
            "2026-01-07T10:50:00Z",
            &[("success", "2026-01-07T10:55:00Z")],
        ),
        deploy(
            16,
            &prs[3].head(),
            "production",
            "2026-01-07T11:00:00Z",
            &[("success", "2026-01-07T11:20:00Z")],
        ),
    ];
    let runs = vec![
        Run {
            id: 101,
            pr: Some(1),
            sha: prs[0].head(),
            created: t("2026-01-05T10:05:00Z"),
            conclusion: "success".into(),
            job_seconds: 540,
        },
        Run {
            id: 102,
            pr: Some(3),
            sha: prs[2].head(),
            created: t("2026-01-06T08:05:00Z"),
            conclusion: "failure".into(),
            job_seconds: 240,
        },
    ];
    seed(fake, REPO, &prs, &deploys, &runs);
    prs
}

#[test]
fn the_four_keys_from_a_seeded_history_match_the_hand_computed_values() {
    let fake = FakeGitHub::start();
    seed_story(&fake);
    let dir = tempfile::tempdir().unwrap();
    let m = json_report(&fake, dir.path(), &["--github", REPO, "--since", "30d"]);

    // Lead time, first commit (01-01 00:00) -> the production deploy that first contained
    // the PR, not the PR's opening:
    //   PRs 1, 2: deploy 11 at 01-05 14:30 = 4 d 14.5 h = 397,800 s
    //   PR 3: deploy 13 at 01-06 12:00 = 5 d 12 h = 475,200 s (deploy 12 failed)
    //   PR 4: deploy 16 at 01-07 11:20 = 6 d 11 h 20 m = 559,200 s
    // Nearest-rank p50 = the 2nd of 4 = 397,800, p90 = the 4th = 559,200.
    assert_eq!(m["lead_time"]["count"], 4, "{m:#}");
    assert_eq!(m["lead_time"]["p50_s"], 397_800);
    assert_eq!(m["lead_time"]["p90_s"], 559_200);
    // Production deploys: 11, 13, 14, 16 succeeded, 12 failed; staging 15 does not count.
    assert_eq!(m["deploys"]["succeeded"], 4);
    assert_eq!(m["deploys"]["failed"], 1);
    assert!((m["deploys"]["per_week"].as_f64().unwrap() - 4.0 / 30.0 * 7.0).abs() < 1e-9);
    // Change failures: deploy 12 failed, deploy 14 rolled back, PR 4 reverted PR 3 -> 3 / 5.
    assert_eq!(m["history"]["rollbacks"], 1);
    assert_eq!(m["history"]["reverts"], 1);
    assert!((m["deploys"]["change_failure_rate"].as_f64().unwrap() - 0.6).abs() < 1e-9);
    // Restores: failed 11:10 -> 12:00 = 3,000 s; deploy 13 (01-06 12:00) rolled back at
    // 01-07 09:05 = 75,900 s; PR 3 deployed 01-06 12:00, its revert 01-07 11:20 = 84,000 s.
    assert_eq!(m["deploys"]["time_to_restore"]["count"], 3);
    assert_eq!(m["deploys"]["time_to_restore"]["p50_s"], 75_900);
    assert_eq!(m["deploys"]["time_to_restore"]["p95_s"], 84_000);
    // CI: run 101 passed, 102 failed; duration = job end - run start = 60 + job seconds.
    assert_eq!(m["ci"]["passed"], 1);
    assert_eq!(m["ci"]["failed"], 1);
    assert_eq!(m["ci"]["duration"]["p50_s"], 300);
    assert_eq!(m["ci"]["duration"]["p95_s"], 600);
    assert_eq!(m["prs_opened"], 5);
    assert_eq!(m["missing"], json!([]));
    assert!(
        m["sources"]["change_failure_rate"]
            .as_str()
            .unwrap()
            .contains("rollbacks + revert PRs"),
        "{m:#}"
    );
}

/// A minimal HTTP GET of the fake's API, to build the payloads GitHub would have delivered.
fn api_get(fake: &FakeGitHub, path: &str) -> Value {
    let mut stream = std::net::TcpStream::connect(fake.addr()).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer ghs_test\r\nUser-Agent: test\r\nConnection: close\r\n\r\n",
        fake.addr()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let body = response.split_once("\r\n\r\n").unwrap().1;
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {response}"))
}

fn comparable(line: &str) -> Value {
    let mut e: Value = serde_json::from_str(line).unwrap();
    // Read from the PR's files by `emit`; history does not read every PR's files.
    for key in ["size", "contracts_touched", "endpoints_touched"] {
        e["properties"][key] = Value::Null;
    }
    e
}

fn lines_by_uuid(text: &str) -> Vec<(String, Value)> {
    let mut v: Vec<(String, Value)> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let e = comparable(l);
            (e["uuid"].as_str().unwrap().to_owned(), e)
        })
        .collect();
    // The first of a UUID counts (a redeploy of a commit repeats its deploy's UUID).
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v.dedup_by(|later, first| later.0 == first.0);
    v
}

#[test]
fn history_gives_the_events_emit_sent_and_the_same_report_merged_with_them() {
    let fake = FakeGitHub::start();
    let prs = seed_story(&fake);
    let dir = tempfile::tempdir().unwrap();
    let events_file = dir.path().join("emitted.jsonl");
    let emitted = events_file.to_str().unwrap();
    let repository = api_get(&fake, &format!("/repos/{REPO}"));
    let emit = |event_name: &str, payload: Value| {
        let run = run_binary(
            dir.path(),
            &fake.url(),
            event_name,
            &payload,
            &[("sink", "jsonl"), ("jsonl-path", emitted)],
            &[],
        );
        assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    };
    // What GitHub delivered as it happened: each PR's opening, each run's completion, each
    // production deployment's final statuses.
    for pr in &prs {
        let pull = api_get(&fake, &format!("/repos/{REPO}/pulls/{}", pr.number));
        let sender = json!({"login": pull["user"]["login"]});
        emit(
            "pull_request",
            json!({"action": "opened", "number": pr.number, "pull_request": pull,
                   "repository": repository, "sender": sender}),
        );
    }
    for id in [101, 102] {
        let run = api_get(&fake, &format!("/repos/{REPO}/actions/runs/{id}"));
        let sender = json!({"login": run["triggering_actor"]["login"]});
        emit(
            "workflow_run",
            json!({"action": "completed", "workflow_run": run, "repository": repository,
                   "sender": sender}),
        );
    }
    for id in [11, 12, 13, 14, 15, 16] {
        let deployment = api_get(&fake, &format!("/repos/{REPO}/deployments/{id}"));
        let statuses = api_get(&fake, &format!("/repos/{REPO}/deployments/{id}/statuses"));
        for status in statuses.as_array().unwrap().iter().rev() {
            emit(
                "deployment_status",
                json!({"action": "created", "deployment": deployment, "deployment_status": status,
                       "repository": repository, "sender": {"login": status["creator"]["login"]}}),
            );
        }
    }
    let saved = dir.path().join("history.jsonl");
    let from_history = json_report(
        &fake,
        dir.path(),
        &[
            "--github",
            REPO,
            "--since",
            "30d",
            "--save-events",
            saved.to_str().unwrap(),
        ],
    );
    // The same completed-run and deploy events, PR openings (history adds each run's
    // `dev_ci_started`, which this workflow did not subscribe to).
    let emitted_events = lines_by_uuid(&std::fs::read_to_string(&events_file).unwrap());
    let history_events = lines_by_uuid(&std::fs::read_to_string(&saved).unwrap());
    // 5 openings, 2 runs, deploys 11, 12 (failed), 13 and 16: 14 redeploys 11's commit, and
    // emit gives it 11's UUID; staging 15 sends nothing.
    assert_eq!(emitted_events.len(), 5 + 2 + 4, "{emitted_events:#?}");
    for (uuid, event) in &emitted_events {
        let found = history_events.iter().find(|(u, _)| u == uuid);
        assert_eq!(found.map(|(_, e)| e), Some(event), "emit sent {event:#}");
    }
    // The file adds nothing the history does not have: every event counts once.
    let merged = json_report(
        &fake,
        dir.path(),
        &["--github", REPO, "--since", "30d", "--from", emitted],
    );
    assert_eq!(merged, from_history);
    // And the file alone tells the same story of CI and deploys.
    let file_only = json_report(&fake, dir.path(), &["--from", emitted, "--since", "30d"]);
    assert_eq!(file_only["ci"], from_history["ci"]);
    assert_eq!(
        file_only["deploys"]["succeeded"], 3,
        "deploy 14 redeploys 11's commit: emit gives it 11's UUID"
    );
}

#[test]
fn without_deployments_merges_are_deploys() {
    let fake = FakeGitHub::start();
    let prs = vec![
        pr(
            1,
            "One",
            "2026-01-10T10:00:00Z",
            Some("2026-01-10T16:00:00Z"),
            0,
        ),
        pr(
            2,
            "Two",
            "2026-01-11T10:00:00Z",
            Some("2026-01-12T10:00:00Z"),
            0,
        ),
        pr(
            3,
            "Revert \"One\"",
            "2026-01-12T11:00:00Z",
            Some("2026-01-12T12:00:00Z"),
            0,
        ),
    ];
    seed(&fake, REPO, &prs, &[], &[]);
    let dir = tempfile::tempdir().unwrap();
    let m = json_report(&fake, dir.path(), &["--github", REPO, "--since", "30d"]);
    // First commit (01-01 00:00) -> merged: 9 d 16 h, 11 d 10 h, 11 d 12 h -> p50 986,400 s.
    assert_eq!(m["lead_time"]["count"], 3, "{m:#}");
    assert_eq!(m["lead_time"]["p50_s"], 986_400);
    assert_eq!(m["deploys"]["succeeded"], 3);
    assert_eq!(m["history"]["mode"], "merge-is-deploy");
    // One revert among three deploys; restored from One's merge to the revert's: 44 h.
    assert!((m["deploys"]["change_failure_rate"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-9);
    assert_eq!(m["deploys"]["time_to_restore"]["p50_s"], 44 * 3_600);
    assert!(
        m["sources"]["lead_time"]
            .as_str()
            .unwrap()
            .contains("push-is-deploy")
    );
}

#[test]
fn a_listing_that_fails_is_named_and_the_rest_is_reported() {
    let fake = FakeGitHub::start();
    seed_story(&fake);
    fake.inject(Fault::status(500).on("/repos/*/*/deployments").times(100));
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = report(
        &fake,
        dir.path(),
        &["--github", REPO, "--since", "30d", "--format", "markdown"],
    );
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("> [!WARNING]"), "{stdout}");
    assert!(stdout.contains("> - deployments:"), "{stdout}");
    // CI is still there.
    assert!(
        stdout.contains("| CI success rate | 50.0% (1 passed, 1 failed) |"),
        "{stdout}"
    );

    // Nothing readable at all: exit 3.
    fake.inject(Fault::status(500).on("/repos/*/*/pulls").times(100));
    fake.inject(Fault::status(500).on("/repos/*/*/actions/runs").times(100));
    let (code, stdout, stderr) = report(&fake, dir.path(), &["--github", REPO]);
    assert_eq!(code, 3, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("500") || stdout.contains("500"),
        "{stdout}\n{stderr}"
    );
}

#[test]
fn many_pages_and_a_second_report_from_the_cache() {
    // 250 merged PRs, one production deploy every second PR (every fifth fails first), 320
    // runs: three pages of PRs and deployments, four of runs.
    let fake = FakeGitHub::start();
    let base: Timestamp = t("2026-01-03T00:00:00Z");
    let h = |hours: i64| base + SignedDuration::from_hours(hours);
    let prs: Vec<Pr> = (1..=250)
        .map(|n| Pr {
            number: n,
            title: format!("Change {n}"),
            opened: h(n as i64 * 2),
            merged: Some(h(n as i64 * 2 + 1)),
            commits: 0,
        })
        .collect();
    let mut deploys = Vec::new();
    for k in 1..=125u64 {
        let at = h(k as i64 * 4 + 1) + SignedDuration::from_mins(30);
        let sha = prs[(2 * k - 1) as usize].head();
        let mut statuses = vec![("success".to_owned(), at + SignedDuration::from_mins(10))];
        if k % 5 == 0 {
            statuses.insert(0, ("failure".to_owned(), at + SignedDuration::from_mins(5)));
        }
        deploys.push(Deploy {
            id: 1000 + k,
            sha,
            environment: "production".into(),
            created: at,
            statuses: statuses.clone(),
        });
    }
    // Failures are separate deployments (a failed attempt, then a successful one).
    let deploys: Vec<Deploy> = deploys
        .into_iter()
        .flat_map(|d| {
            if d.statuses.len() == 2 {
                let failed = Deploy {
                    id: d.id + 10_000,
                    statuses: vec![d.statuses[0].clone()],
                    ..d.clone()
                };
                let ok = Deploy {
                    statuses: vec![d.statuses[1].clone()],
                    created: d.created + SignedDuration::from_mins(6),
                    ..d
                };
                vec![failed, ok]
            } else {
                vec![d]
            }
        })
        .collect();
    let runs: Vec<Run> = (1..=320u64)
        .map(|i| Run {
            id: 5000 + i,
            pr: Some(1 + (i % 250)),
            sha: fake_sha(&format!("run-{i}")),
            created: h(i as i64),
            conclusion: if i % 4 == 0 {
                "failure".into()
            } else {
                "success".into()
            },
            job_seconds: 60,
        })
        .collect();
    seed(&fake, REPO, &prs, &deploys, &runs);

    // Independently: each PR is shipped by the first successful deployment created after its
    // merge; lead = that success - its first commit.
    let mut successes: Vec<(Timestamp, Timestamp)> = deploys
        .iter()
        .filter(|d| d.statuses[0].0 == "success")
        .map(|d| (d.created, d.statuses[0].1))
        .collect();
    successes.sort();
    let mut leads: Vec<i64> = prs
        .iter()
        .filter_map(|p| {
            let (_, done) = successes.iter().find(|(c, _)| *c >= p.merged.unwrap())?;
            Some(done.as_second() - t(FIRST_COMMIT).as_second())
        })
        .collect();
    leads.sort_unstable();
    let nearest = |p: usize| leads[(leads.len() * p).div_ceil(100) - 1];
    let failed = deploys.len() - successes.len();

    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let args = [
        "--github",
        REPO,
        "--since",
        "30d",
        "--cache",
        cache.to_str().unwrap(),
    ];
    fake.clear_calls();
    let m = json_report(&fake, dir.path(), &args);
    let first_calls = fake.calls().len();
    assert_eq!(m["deploys"]["succeeded"], successes.len(), "{m:#}");
    assert_eq!(m["deploys"]["failed"], failed);
    assert_eq!(m["lead_time"]["count"], leads.len());
    assert_eq!(m["lead_time"]["p50_s"], nearest(50));
    assert_eq!(m["lead_time"]["p90_s"], nearest(90));
    let cfr = failed as f64 / deploys.len() as f64;
    assert!((m["deploys"]["change_failure_rate"].as_f64().unwrap() - cfr).abs() < 1e-9);
    assert_eq!(m["ci"]["passed"], 240);
    assert_eq!(m["ci"]["failed"], 80);

    fake.clear_calls();
    let again = json_report(&fake, dir.path(), &args);
    let second_calls = fake.calls().len();
    assert_eq!(again, m);
    // Listings only: 3 + 2 + 4 pages and the repository, settings and nothing else.
    assert!(
        second_calls * 10 < first_calls,
        "second report made {second_calls} requests, the first {first_calls}"
    );
}

#[test]
fn a_deployment_ships_the_prs_its_comparison_names_not_those_merged_before_it_started() {
    // A git-backed repository: deployment B ships PRs 1 and 2, C ships PR 3. All three PRs
    // merge after every deployment's `created_at` (the deployments are seeded in the past), so
    // merge times alone would say nothing was shipped: only the comparisons can tell.
    let fake = FakeGitHub::start();
    let (a, b, c) = {
        let mut state = fake.state();
        let c0 = state
            .git_repo(REPO)
            .unwrap()
            .commit("main", "initial", &[("README.md", "shop\n")])
            .unwrap();
        let mut tips = Vec::new();
        for n in 1..=3u64 {
            let branch = format!("feature-{n}");
            let mut git = state.git_repo(REPO).unwrap();
            git.branch(&branch, "main").unwrap();
            let tip = git
                .commit(
                    &branch,
                    &format!("change {n}"),
                    &[(&format!("f{n}.txt"), "x\n")],
                )
                .unwrap();
            state
                .git_repo(REPO)
                .unwrap()
                .open_pull(
                    fake_github::PullSeed::new(n).title(&format!("Change {n}")),
                    &branch,
                    "main",
                )
                .unwrap();
            // Merged by fast-forwarding main onto it.
            state.git_repo(REPO).unwrap().branch("main", &tip).unwrap();
            tips.push(tip);
        }
        (c0, tips[1].clone(), tips[2].clone())
    };
    let now = Timestamp::now();
    let ago = |minutes: i64| now - SignedDuration::from_mins(minutes);
    let prod = |id: u64, sha: &str, created: Timestamp| Deploy {
        id,
        sha: sha.to_owned(),
        environment: "production".into(),
        created,
        statuses: vec![("success".into(), created + SignedDuration::from_mins(1))],
    };
    seed(
        &fake,
        REPO,
        &[],
        &[
            prod(21, &a, ago(300)),
            prod(22, &b, ago(200)),
            prod(23, &c, ago(100)),
        ],
        &[],
    );
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_telemetry-emitter"))
        .args([
            "report",
            "--api-url",
            &fake.url(),
            "--github",
            REPO,
            "--since",
            "1d",
        ])
        .args(["--format", "json"])
        .current_dir(dir.path())
        .env_clear()
        .env("GITHUB_TOKEN", "ghs_test")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m: Value = serde_json::from_str(&stdout).unwrap();
    // 22 and 23 by comparison (A...B names PRs 1 and 2, B...C PR 3); 21 is the first.
    assert_eq!(m["history"]["contained_by_compare"], 2, "{m:#}");
    assert_eq!(m["history"]["not_yet_deployed"], 0, "{m:#}");
    assert_eq!(m["lead_time"]["count"], 3);
    assert_eq!(m["deploys"]["succeeded"], 3);
}

/// A one-shot HTTP server standing in for a Slack incoming webhook: answers 200 `ok` and
/// keeps each request's body.
fn fake_slack() -> (String, std::sync::mpsc::Receiver<String>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://{}/services/T000/B000/XXXX",
        listener.local_addr().unwrap()
    );
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut buf = Vec::new();
            let mut chunk = [0u8; 8192];
            // Read the head, then as many body bytes as Content-Length says.
            let body = loop {
                let n = stream.read(&mut chunk).unwrap_or(0);
                if n == 0 {
                    break String::new();
                }
                buf.extend_from_slice(&chunk[..n]);
                let text = String::from_utf8_lossy(&buf).into_owned();
                if let Some((head, body)) = text.split_once("\r\n\r\n") {
                    let length: usize = head
                        .lines()
                        .find_map(|l| {
                            let (k, v) = l.split_once(':')?;
                            k.eq_ignore_ascii_case("content-length")
                                .then(|| v.trim().parse().ok())?
                        })
                        .unwrap_or(0);
                    if body.len() >= length {
                        break body.to_owned();
                    }
                }
            };
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
            if tx.send(body).is_err() {
                return;
            }
        }
    });
    (url, rx)
}

#[test]
fn the_weekly_action_keeps_one_comment_on_the_report_issue_and_posts_to_slack() {
    let fake = FakeGitHub::start();
    let now = Timestamp::now();
    let ago = |hours: i64| now - SignedDuration::from_hours(hours);
    let change = Pr {
        number: 1,
        title: "Change".into(),
        opened: ago(72),
        merged: Some(ago(48)),
        commits: 0,
    };
    let report_issue = Pr {
        number: 9,
        title: "Delivery report".into(),
        opened: ago(500),
        merged: None,
        commits: 0,
    };
    let shipped = Deploy {
        id: 31,
        sha: change.head(),
        environment: "production".into(),
        created: ago(24),
        statuses: vec![("success".into(), ago(23))],
    };
    seed(&fake, REPO, &[change, report_issue], &[shipped], &[]);
    let (slack_url, slack) = fake_slack();
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    let run = || {
        std::fs::write(&summary, "").unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_telemetry-emitter"))
            .current_dir(dir.path())
            .env_clear()
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_EVENT_NAME", "schedule")
            .env("GITHUB_REPOSITORY", REPO)
            .env("GITHUB_API_URL", fake.url())
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("INPUT_GITHUB-TOKEN", "ghs_test")
            .env("INPUT_COMMAND", "report")
            .env("INPUT_REPORT-SINCE", "30d")
            .env("INPUT_REPORT-ISSUE", "9")
            .env("INPUT_SLACK-WEBHOOK-URL", &slack_url)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    };
    run();
    let stdout = run();
    assert!(stdout.contains("## Delivery metrics"), "{stdout}");

    let written = std::fs::read_to_string(&summary).unwrap();
    assert!(written.contains("```mermaid\nxychart-beta"), "{written}");
    assert!(
        written.contains("Accelerate State of DevOps Report 2024"),
        "{written}"
    );

    // Two runs, one comment: found again by its marker and the token's identity.
    let comments: Vec<(String, String)> = fake
        .state()
        .repo(REPO)
        .unwrap()
        .comments_on(9)
        .iter()
        .map(|c| (c.user.clone(), c.body.clone()))
        .collect();
    assert_eq!(comments.len(), 1, "{comments:#?}");
    assert_eq!(comments[0].0, "github-actions[bot]");
    assert!(
        comments[0]
            .1
            .starts_with("<!-- guardians:telemetry-emitter-report -->\n## Delivery metrics")
    );
    assert!(
        comments[0].1.contains("| Deployment frequency |"),
        "{}",
        comments[0].1
    );

    for _ in 0..2 {
        let body: Value = serde_json::from_str(
            &slack
                .recv_timeout(std::time::Duration::from_secs(5))
                .unwrap(),
        )
        .unwrap();
        let text = body["text"].as_str().unwrap();
        assert!(
            text.starts_with("*Delivery report: octo/shop*\n```\n"),
            "{text}"
        );
        assert!(text.contains("Deployment frequency"), "{text}");
    }
}
