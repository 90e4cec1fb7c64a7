//! The real binary against the fake GitHub and a local server playing the previews.

#![allow(clippy::unwrap_used)]

mod support;

use fake_github::{Permission, PullState, TokenKind};
use support::*;

fn meta(sha: &str, run_id: u64) -> String {
    format!(
        r#"<!-- preview-commenter:meta {{"sha":"{sha}","run_id":{run_id},"run_attempt":1,"updated_at":"2026-11-22T10:00:00Z"}} -->"#
    )
}

#[test]
fn the_comment_is_created_once_then_updated_in_place() {
    let previews = Previews::start();
    let fake = fake_with_pr(&healthy_config(&previews));
    let payload = pull_request_payload("synchronize", HEAD, Some(0));

    let first = Step::new("pull_request", payload.clone())
        .input("deployments", "false")
        .run(&fake);
    assert_eq!(first.code, 0, "{}", first.stdout);
    let comments = our_comments(&fake);
    assert_eq!(comments.len(), 1);
    let (id, body) = &comments[0];
    assert!(body.contains("All 2 previews are up."), "{body}");
    assert!(
        body.contains(&format!(
            "| API | <{}> | ✅ 200 |",
            previews.url("/healthy")
        )),
        "{body}"
    );
    assert!(body.contains(&format!("curl -fsS {}", previews.url("/healthy"))));
    assert!(body.contains(&format!(r#""sha":"{HEAD}","run_id":7001"#)));
    assert_eq!(first.outputs["comment-id"], id.to_string());
    assert_eq!(first.outputs["healthy"], "true");
    let urls: serde_json::Value = serde_json::from_str(&first.outputs["urls"]).unwrap();
    assert_eq!(urls["Frontend"], previews.url("/healthy"));
    assert!(first.summary.contains("All 2 previews are up."));
    assert!(!first.summary.contains("preview-commenter:meta"));

    fake.clear_calls();
    let second = Step::new("pull_request", payload)
        .run_id(7002)
        .input("deployments", "false")
        .run(&fake);
    assert_eq!(second.code, 0, "{}", second.stdout);
    let after = our_comments(&fake);
    assert_eq!(after.len(), 1, "updated in place, not added");
    assert_eq!(after[0].0, *id);
    assert!(after[0].1.contains(r#""run_id":7002"#));
    let writes: Vec<_> = fake.writes().iter().map(|c| c.method.clone()).collect();
    assert_eq!(writes, ["PATCH"]);
}

#[test]
fn two_concurrent_runs_end_with_one_comment() {
    let previews = Previews::start();
    let fake = fake_with_pr(&healthy_config(&previews));
    let payload = pull_request_payload("synchronize", HEAD, Some(0));
    std::thread::scope(|scope| {
        let runs: Vec<_> = [7001, 7002, 7003]
            .into_iter()
            .map(|run_id| {
                let step = Step::new("pull_request", payload.clone())
                    .run_id(run_id)
                    .input("deployments", "false");
                let fake = &fake;
                scope.spawn(move || step.run(fake))
            })
            .collect();
        for run in runs {
            let run = run.join().unwrap();
            assert_eq!(run.code, 0, "{}", run.stdout);
        }
    });
    assert_eq!(our_comments(&fake).len(), 1);
}

#[test]
fn an_older_run_does_not_overwrite_a_newer_one() {
    let previews = Previews::start();
    let fake = fake_with_pr(&healthy_config(&previews));
    let newer = format!("{MARKER}\n{}\nnewer text", meta(HEAD, 9000));
    fake.state()
        .add_comment(REPO, NUMBER, "github-actions[bot]", &newer);
    fake.clear_calls();

    let run = Step::new(
        "pull_request",
        pull_request_payload("synchronize", HEAD, None),
    )
    .run_id(8000)
    .run(&fake);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("written by a later run (9000"),
        "{}",
        run.stdout
    );
    assert_eq!(our_comments(&fake)[0].1, newer);
    assert!(fake.writes().is_empty(), "no comment, no deployments");
    assert_eq!(previews.hits(), 0, "nothing is checked");
    assert_eq!(run.outputs["healthy"], "");
}

#[test]
fn a_run_for_a_superseded_commit_leaves_everything_alone() {
    let previews = Previews::start();
    let fake = fake_with_pr(&healthy_config(&previews));
    let shown = format!("{MARKER}\n{}\nshown", meta(HEAD, 6000));
    fake.state()
        .add_comment(REPO, NUMBER, "github-actions[bot]", &shown);
    // Queued for an older push, run after the PR moved on to HEAD; the run id is even higher.
    let run = Step::new(
        "pull_request",
        pull_request_payload("synchronize", OLDER, None),
    )
    .run_id(9999)
    .run(&fake);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("describes commit 1111111"),
        "{}",
        run.stdout
    );
    assert_eq!(our_comments(&fake)[0].1, shown);
    assert!(fake.writes().is_empty());
}

#[test]
fn closing_rewrites_the_comment_and_marks_deployments_inactive() {
    let previews = Previews::start();
    let fake = fake_with_pr(&healthy_config(&previews));
    let open = Step::new(
        "pull_request",
        pull_request_payload("synchronize", HEAD, None),
    )
    .run(&fake);
    assert_eq!(open.code, 0, "{}", open.stdout);
    let hits = previews.hits();
    {
        let mut state = fake.state();
        let pull = state.repo_mut(REPO).pulls.get_mut(&NUMBER).unwrap();
        pull.state = PullState::Closed;
        pull.merged = true;
    }
    let closed = Step::new(
        "pull_request_target",
        pull_request_payload("closed", HEAD, None),
    )
    .run_id(7005)
    .run(&fake);
    assert_eq!(closed.code, 0, "{}", closed.stdout);
    let comments = our_comments(&fake);
    assert_eq!(comments.len(), 1);
    let body = &comments[0].1;
    assert!(
        body.contains("was merged, so its previews were removed"),
        "{body}"
    );
    assert!(
        body.contains(&format!("~~<{}>~~", previews.url("/healthy"))),
        "{body}"
    );
    assert_eq!(previews.hits(), hits, "nothing is health-checked on close");
    let deployments = fake.pull(REPO, NUMBER).deployment_states();
    assert_eq!(deployments.len(), 2);
    for (environment, states) in deployments {
        assert_eq!(
            states,
            ["in_progress", "success", "inactive"],
            "{environment}"
        );
    }
    assert_eq!(closed.outputs["healthy"], "");
}

#[test]
fn deployments_show_in_progress_then_the_outcome_with_urls() {
    let previews = Previews::start();
    let config = config_yaml(&[
        ("Frontend", previews.url("/healthy")),
        ("API", previews.url("/broken")),
    ]);
    let fake = fake_with_pr(&config);
    let run = Step::new("pull_request", pull_request_payload("opened", HEAD, None))
        .input("fail-on-unhealthy", "false")
        .run(&fake);
    assert_eq!(run.code, 0, "fail-on-unhealthy: false\n{}", run.stdout);
    assert_eq!(run.outputs["healthy"], "false");
    let state = fake.state();
    let deployments = &state.repo(REPO).unwrap().deployments;
    // Deployments are created concurrently, so compare them in a fixed order.
    let mut summary: Vec<_> = deployments
        .iter()
        .map(|d| {
            (
                d.environment.as_str(),
                d.sha.as_str(),
                d.transient_environment,
                d.production_environment,
                d.statuses
                    .iter()
                    .map(|s| s.state.as_str())
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    summary.sort_by_key(|d| d.0);
    assert_eq!(
        summary,
        [
            (
                "preview/pr-42/API",
                HEAD,
                true,
                false,
                vec!["in_progress", "failure"]
            ),
            (
                "preview/pr-42/Frontend",
                HEAD,
                true,
                false,
                vec!["in_progress", "success"]
            ),
        ]
    );
    let broken = deployments
        .iter()
        .find(|d| d.environment == "preview/pr-42/API")
        .unwrap();
    let last = broken.statuses.last().unwrap();
    assert_eq!(last.environment_url, previews.url("/broken"));
    assert_eq!(
        last.log_url,
        "https://github.com/octo-org/myapp/actions/runs/7001"
    );
}

#[test]
fn every_kind_of_preview_gets_its_own_verdict() {
    let previews = Previews::start();
    let port = refused_port();
    let config = config_yaml(&[
        ("Healthy", previews.url("/healthy")),
        ("Slow", previews.url("/slow")),
        ("Deploying", previews.url("/flaky")),
        ("Broken", previews.url("/broken")),
        ("Hung", previews.url("/hung")),
        ("Gone", format!("http://127.0.0.1:{port}/")),
    ]);
    let fake = fake_with_pr(&config);
    let run = Step::new("pull_request", pull_request_payload("opened", HEAD, None))
        .input("deployments", "false")
        .run(&fake);
    assert_eq!(
        run.code, 1,
        "unhealthy previews fail the step\n{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "::error title=Preview not healthy::Unhealthy preview(s): Broken, Hung, Gone"
        ),
        "{}",
        run.stdout
    );
    let body = our_comments(&fake)[0].1.clone();
    let health: Vec<_> = body
        .lines()
        .filter(|l| {
            l.starts_with("| ") && !l.starts_with("| Environment") && !l.starts_with("| ---")
        })
        .map(|l| {
            let cells: Vec<_> = l.split(" | ").collect();
            format!("{} {}", cells[0].trim_start_matches("| "), cells[2])
        })
        .collect();
    assert_eq!(
        health,
        [
            "Healthy ✅ 200",
            "Slow ✅ 200",
            "Deploying ✅ 200 after 3 attempts",
            "Broken ❌ HTTP 500, expected 2xx after 3 attempts",
            "Hung ❌ timed out after 1 s after 3 attempts",
            "Gone ❌ connection refused after 3 attempts",
        ],
        "{body}"
    );
    assert!(body.contains("**3 of 6 previews are not healthy.**"));
    assert_eq!(run.outputs["healthy"], "false");
}

#[test]
fn a_pr_with_150_earlier_comments_still_finds_its_comment_in_one_round_trip() {
    let previews = Previews::start();
    let fake = fake_with_pr(&healthy_config(&previews));
    let ours = {
        let mut state = fake.state();
        for i in 0..120 {
            state.add_comment(REPO, NUMBER, "reviewer", &format!("comment {i}"));
        }
        let ours = state.add_comment(
            REPO,
            NUMBER,
            "github-actions[bot]",
            &format!("{MARKER}\n{}\nold", meta(OLDER, 6000)),
        );
        // Someone pasting our marker is not us.
        state.add_comment(REPO, NUMBER, "mallory", &format!("{MARKER}\nfake"));
        for i in 0..29 {
            state.add_comment(REPO, NUMBER, "reviewer", &format!("later {i}"));
        }
        ours
    };
    fake.clear_calls();
    let run = Step::new(
        "pull_request",
        pull_request_payload("synchronize", HEAD, Some(151)),
    )
    .input("deployments", "false")
    .run(&fake);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.outputs["comment-id"], ours.to_string());
    let comments = fake.pull(REPO, NUMBER).comments.len();
    assert_eq!(comments, 151, "no comment added");
    let calls = call_lines(&fake);
    let mut sorted = calls.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            "GET /repos/octo-org/myapp/contents/.github/guardians.yml?ref=main".to_owned(),
            "GET /repos/octo-org/myapp/issues/42/comments?per_page=100&page=1".to_owned(),
            "GET /repos/octo-org/myapp/issues/42/comments?per_page=100&page=2".to_owned(),
            format!("GET /repos/octo-org/myapp/issues/comments/{ours}"),
            "GET /repos/octo-org/myapp/pulls/42".to_owned(),
            // Read again right before the write: the head and the comment's metadata.
            "GET /repos/octo-org/myapp/pulls/42".to_owned(),
            format!("PATCH /repos/octo-org/myapp/issues/comments/{ours}"),
        ],
        "{calls:#?}"
    );
    assert_eq!(calls.last().map(|c| c.starts_with("PATCH")), Some(true));
}

#[test]
fn without_the_payload_count_the_prs_count_sizes_the_pages() {
    let previews = Previews::start();
    let fake = fake_with_pr(&healthy_config(&previews));
    {
        let mut state = fake.state();
        for i in 0..150 {
            state.add_comment(REPO, NUMBER, "reviewer", &format!("comment {i}"));
        }
    }
    fake.clear_calls();
    let run = Step::new("workflow_run", workflow_run_payload(HEAD, true))
        .input("deployments", "false")
        .run(&fake);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let calls = call_lines(&fake);
    let before_create: Vec<_> = calls
        .iter()
        .take_while(|c| !c.starts_with("POST"))
        .filter(|c| c.contains("/issues/42/comments?"))
        .collect();
    // Two pages when gathering, and the same two right before creating (a newer run may have
    // created the comment meanwhile).
    assert_eq!(before_create.len(), 4, "{calls:#?}");
    assert_eq!(our_comments(&fake).len(), 1);
}

#[test]
fn dry_run_prints_the_comment_and_writes_nothing() {
    let previews = Previews::start();
    let fake = fake_with_pr(&healthy_config(&previews));
    let run = Step::new(
        "pull_request",
        pull_request_payload("synchronize", HEAD, None),
    )
    .arg("--dry-run")
    .run(&fake);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("All 2 previews are up."),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("- create preview/pr-42/API at 9f8e7d6"));
    let stopped = run.stdout.find("::stop-commands::").unwrap();
    assert!(
        stopped < run.stdout.find("### Preview environments").unwrap(),
        "{}",
        run.stdout
    );
    assert!(fake.writes().is_empty());
    assert!(our_comments(&fake).is_empty());
}

#[test]
fn a_read_only_token_reports_in_the_summary_and_passes() {
    let previews = Previews::start();
    let fake = fake_with_pr(&healthy_config(&previews));
    fake.state().add_token(
        "ghs_fork",
        "github-actions[bot]",
        TokenKind::Bot,
        Permission::ReadOnly,
    );
    let run = Step::new(
        "pull_request",
        pull_request_payload("synchronize", HEAD, None),
    )
    .token("ghs_fork")
    .run(&fake);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("::warning title=Read-only token::"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("Deployments not recorded"),
        "one warning is enough"
    );
    assert!(
        run.summary.contains("All 2 previews are up."),
        "{}",
        run.summary
    );
    assert!(our_comments(&fake).is_empty());
    assert!(fake.state().repo(REPO).unwrap().deployments.is_empty());
    assert!(fake.writes().iter().all(|c| c.status == 403));
    assert_eq!(run.outputs["healthy"], "true");

    let strict = Step::new(
        "pull_request",
        pull_request_payload("synchronize", HEAD, None),
    )
    .token("ghs_fork")
    .input("fail-on-readonly", "true")
    .run(&fake);
    assert_eq!(strict.code, 1);
}

#[test]
fn workflow_run_finds_the_pr_in_the_payload() {
    let previews = Previews::start();
    let fake = fake_with_pr(&healthy_config(&previews));
    fake.clear_calls();
    let run = Step::new("workflow_run", workflow_run_payload(HEAD, true)).run(&fake);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(our_comments(&fake).len(), 1);
    assert!(
        !call_lines(&fake).iter().any(|c| c.contains("/commits/")),
        "the payload names the PR"
    );
}

#[test]
fn workflow_run_from_a_fork_finds_the_pr_by_head_sha() {
    let previews = Previews::start();
    let fake = fake_with_pr(&healthy_config(&previews));
    fake.clear_calls();
    let run = Step::new("workflow_run", workflow_run_payload(HEAD, false)).run(&fake);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let comments = our_comments(&fake);
    assert_eq!(comments.len(), 1);
    assert!(comments[0].1.contains("All 2 previews are up."));
    assert!(
        call_lines(&fake)
            .iter()
            .any(|c| c == &format!("GET /repos/octo-org/myapp/commits/{HEAD}/pulls"))
    );

    // When GitHub has not associated the fork's commit with the PR, the open PRs are searched.
    fake.clear_calls();
    fake.inject(
        fake_github::Fault::status(200)
            .on("/repos/*/*/commits/*/pulls")
            .body(serde_json::json!([])),
    );
    let unassociated = Step::new("workflow_run", workflow_run_payload(HEAD, false))
        .run_id(7002)
        .run(&fake);
    assert_eq!(unassociated.code, 0, "{}", unassociated.stdout);
    assert!(
        call_lines(&fake)
            .iter()
            .any(|c| c.starts_with("GET /repos/octo-org/myapp/pulls?state=open")),
        "{:#?}",
        call_lines(&fake)
    );
    assert!(our_comments(&fake)[0].1.contains(r#""run_id":7002"#));

    // A commit that heads no PR: nothing to do.
    let stray = Step::new(
        "workflow_run",
        workflow_run_payload("2222222222222222222222222222222222222222", false),
    )
    .run(&fake);
    assert_eq!(stray.code, 0, "{}", stray.stdout);
    assert!(
        stray
            .stdout
            .contains("no pull request has commit `222222222222` as its head")
    );
}

#[test]
fn the_environments_input_works_without_a_config_file() {
    let previews = Previews::start();
    let fake = fake_github::FakeGitHub::start();
    seed_pull(&fake, HEAD, PullState::Open);
    let environments = format!(
        "[{{\"name\": \"Web\", \"url\": \"{}\", \"test-commands\": [\"open {{url}}\"]}}]",
        previews.url("/healthy")
    );
    let run = Step::new("pull_request", pull_request_payload("opened", HEAD, None))
        .input("environments", &environments)
        .input("deployments", "false")
        .run(&fake);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let body = our_comments(&fake)[0].1.clone();
    assert!(body.contains("The preview is up."), "{body}");
    assert!(
        body.contains(&format!("open {}", previews.url("/healthy"))),
        "{body}"
    );
}

#[test]
fn config_mistakes_exit_2_and_name_the_fix() {
    let fake = fake_with_pr("preview-commenter:\n  environments: []\n");
    let run = Step::new("pull_request", pull_request_payload("opened", HEAD, None)).run(&fake);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.contains("preview-commenter has no environments"),
        "{}",
        run.stdout
    );
    assert!(fake.writes().is_empty());

    let typo = fake_with_pr("preview-commenter:\n  deployment: false\n");
    let run = Step::new("pull_request", pull_request_payload("opened", HEAD, None)).run(&typo);
    assert_eq!(run.code, 2);
    assert!(run.stdout.contains("deployment"), "{}", run.stdout);
}

#[test]
fn other_events_have_nothing_to_do() {
    let fake = fake_github::FakeGitHub::start();
    let run = Step::new("schedule", serde_json::json!({})).run(&fake);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("nothing to do"));
    assert!(fake.calls().is_empty());
}

#[test]
fn closing_a_pr_that_never_had_a_comment_posts_none() {
    let previews = Previews::start();
    let fake = fake_with_pr(&healthy_config(&previews));
    {
        let mut state = fake.state();
        let pull = state.repo_mut(REPO).pulls.get_mut(&NUMBER).unwrap();
        pull.state = PullState::Closed;
    }
    let run = Step::new(
        "pull_request_target",
        pull_request_payload("closed", HEAD, None),
    )
    .run(&fake);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(our_comments(&fake).is_empty());
    assert!(
        run.stdout.contains("no preview comment to mark as removed"),
        "{}",
        run.stdout
    );
    assert_eq!(previews.hits(), 0);
}

#[test]
fn deployment_status_finds_the_pr_by_the_deployed_commit_and_ignores_its_own() {
    let previews = Previews::start();
    let fake = fake_with_pr(&healthy_config(&previews));
    let payload = |environment: &str, state: &str| {
        serde_json::json!({
            "action": "created",
            "deployment_status": {"state": state, "environment": environment},
            "deployment": {"id": 444, "sha": HEAD, "ref": BRANCH, "environment": environment},
            "repository": {"full_name": REPO, "name": "myapp"},
        })
    };
    let pending = Step::new("deployment_status", payload("pr-42", "in_progress")).run(&fake);
    assert_eq!(pending.code, 0);
    assert!(
        pending.stdout.contains("not finished yet"),
        "{}",
        pending.stdout
    );
    assert!(our_comments(&fake).is_empty());

    let done = Step::new("deployment_status", payload("pr-42", "success"))
        .input("deployments", "false")
        .run(&fake);
    assert_eq!(done.code, 0, "{}", done.stdout);
    assert_eq!(our_comments(&fake).len(), 1);

    fake.clear_calls();
    let own = Step::new(
        "deployment_status",
        payload("preview/pr-42/Frontend", "success"),
    )
    .run(&fake);
    assert_eq!(own.code, 0, "{}", own.stdout);
    assert!(
        own.stdout
            .contains("one of this guardian's own deployments"),
        "{}",
        own.stdout
    );
    assert!(fake.writes().is_empty());
}

#[test]
fn a_newer_run_that_wrote_during_the_checks_is_not_overwritten() {
    let previews = Previews::start();
    let config = config_yaml(&[("Web", previews.url("/hold/{short_sha}"))]);
    let fake = fake_with_pr(&config);
    let id = fake.state().add_comment(
        REPO,
        NUMBER,
        "github-actions[bot]",
        &format!("{MARKER}\n{}\nbefore", meta(HEAD, 6000)),
    );
    let newer = format!("{MARKER}\n{}\nwritten meanwhile", meta(HEAD, 9000));
    previews.hold(&HEAD[..7]);
    let run = std::thread::scope(|scope| {
        let step = Step::new(
            "pull_request",
            pull_request_payload("synchronize", HEAD, None),
        );
        let fake = &fake;
        let running = scope.spawn(move || step.run(fake));
        // While this run's check is held, a later run of the same commit writes the comment.
        previews.wait_until_held();
        {
            let mut state = fake.state();
            let comment = state
                .repo_mut(REPO)
                .comments
                .iter_mut()
                .find(|c| c.id == id)
                .unwrap();
            comment.body.clone_from(&newer);
        }
        previews.release();
        running.join().unwrap()
    });
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("written by a later run (9000"),
        "{}",
        run.stdout
    );
    assert_eq!(our_comments(&fake)[0].1, newer);
    assert!(
        call_lines(&fake).contains(&format!("GET /repos/{REPO}/issues/comments/{id}")),
        "the comment is read again before writing"
    );
    // This run's own deployment still gets its outcome: its commit is still the head.
    let state = fake.state();
    let deployment = &state.repo(REPO).unwrap().deployments[0];
    let states: Vec<_> = deployment
        .statuses
        .iter()
        .map(|s| s.state.as_str())
        .collect();
    assert_eq!(states, ["in_progress", "success"]);
}
