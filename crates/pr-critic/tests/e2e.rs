//! The real binary against the stateful fake GitHub: the sticky comment, outputs, summary,
//! annotations and exit codes a maintainer sees.

mod support;

use fake_github::{CommitSeed, FakeGitHub, FileSeed, Permission, PullSeed, TokenKind};
use support::*;

const TEMPLATE: &str = include_str!("data/reference/pull_request_template.md");
const FILLED: &str = include_str!("data/reference/body_filled.md");
const HALF_FILLED: &str = include_str!("data/reference/body_half_filled.md");

/// The reference PR: a contract, a route and its test, so `architect-approved` is required.
fn reference_pull(body: &str) -> PullSeed {
    PullSeed::new(NUMBER)
        .title("Sessions endpoint")
        .body(body)
        .file(FileSeed::new("packages/contracts/users.yaml", 30, 0))
        .file(FileSeed::new("src/routes/sessions.ts", 80, 2))
        .file(FileSeed::new("tests/sessions.test.ts", 60, 0))
}

fn start(seed: PullSeed) -> FakeGitHub {
    let fake = FakeGitHub::start();
    seed_pull(&fake, seed);
    put_template(&fake, ".github/pull_request_template.md", TEMPLATE);
    fake
}

fn our_comments(fake: &FakeGitHub) -> Vec<(u64, String, String)> {
    comments(fake)
        .into_iter()
        .filter(|(_, _, body)| body.starts_with(MARKER))
        .collect()
}

#[test]
fn the_comment_is_created_once_then_updated_in_place() {
    let fake = start(reference_pull(HALF_FILLED));
    let first = run_critic(&fake, &payload_for(&fake, "opened"), &[]);
    assert_eq!(first.code, 1, "{first:?}");
    let created = our_comments(&fake);
    assert_eq!(created.len(), 1, "{created:#?}");
    let (id, author, body) = &created[0];
    assert_eq!(author, "github-actions[bot]");
    assert!(body.contains("❌"), "{body}");
    assert!(body.contains("**Tests added (with coverage)**"), "{body}");
    assert_eq!(first.outputs["passed"], "false");
    assert!(first.outputs["errors"].parse::<usize>().unwrap() >= 3);
    let findings: serde_json::Value = serde_json::from_str(&first.outputs["findings"]).unwrap();
    assert!(findings.as_array().is_some_and(|f| !f.is_empty()));
    assert!(
        first.summary.contains("PR description check"),
        "{}",
        first.summary
    );
    assert!(
        first.stdout.contains("::error title=pr-critic"),
        "{}",
        first.stdout
    );

    // The author fills in the rest; the `edited` run rewrites the same comment.
    set_body(&fake, FILLED);
    fake.clear_calls();
    let second = run_critic(&fake, &payload_for(&fake, "edited"), &[]);
    assert_eq!(
        second.code, 1,
        "still missing the approval label: {second:?}"
    );
    let updated = our_comments(&fake);
    assert_eq!(updated.len(), 1, "{updated:#?}");
    assert_eq!(updated[0].0, *id);
    assert_ne!(updated[0].2, *body);
    let writes: Vec<String> = fake.writes().iter().map(|c| c.line()).collect();
    assert_eq!(writes.len(), 1, "{writes:#?}");
    assert!(writes[0].starts_with("PATCH"), "{writes:#?}");

    // Nothing changed: nothing is written.
    fake.clear_calls();
    let third = run_critic(&fake, &payload_for(&fake, "synchronize"), &[]);
    assert_eq!(third.code, 1);
    assert!(fake.writes().is_empty(), "{:#?}", fake.writes());
}

#[test]
fn a_missing_approval_turns_green_once_the_label_is_added() {
    let fake = start(reference_pull(FILLED));
    let red = run_critic(&fake, &payload_for(&fake, "opened"), &[]);
    assert_eq!(red.code, 1, "{red:?}");
    let before = our_comments(&fake);
    assert_eq!(before.len(), 1);
    assert!(
        before[0]
            .2
            .contains("❌ **Approval label architect-approved**"),
        "{}",
        before[0].2
    );
    assert!(before[0].2.contains("**Fix:**"), "{}", before[0].2);
    assert_eq!(red.outputs["errors"], "1");

    add_label(&fake, "architect-approved");
    let mut payload = payload_for(&fake, "labeled");
    payload["label"] = serde_json::json!({"name": "architect-approved"});
    let green = run_critic(&fake, &payload, &[]);
    assert_eq!(green.code, 0, "{green:?}");
    let after = our_comments(&fake);
    assert_eq!(after.len(), 1, "{after:#?}");
    assert_eq!(after[0].0, before[0].0, "the same comment, updated");
    let body = &after[0].2;
    assert!(body.contains("✅ PR description check passed"), "{body}");
    assert!(!body.contains('❌'), "nothing stale stays red:\n{body}");
    assert_eq!(green.outputs["passed"], "true");
    assert_eq!(green.outputs["errors"], "0");
}

#[test]
fn a_body_of_exactly_65536_characters_is_checked_whole() {
    let mut body = FILLED.to_owned();
    let padding = 65_536 - body.chars().count();
    body.push_str(&"é".repeat(padding));
    assert_eq!(body.chars().count(), 65_536);
    let fake = start(reference_pull(&body).label("architect-approved"));
    let run = run_critic(&fake, &payload_for(&fake, "opened"), &[]);
    assert_eq!(run.code, 0, "{run:?}");
    let ours = our_comments(&fake);
    assert_eq!(ours.len(), 1);
    assert!(ours[0].2.chars().count() <= 65_536);
    assert!(!ours[0].2.contains("only the first"), "{}", ours[0].2);
    assert!(!run.stdout.contains("éééé"), "the body is never echoed");
}

#[test]
fn a_null_body_is_a_clear_finding() {
    let fake = start(
        PullSeed::new(NUMBER)
            .title("No description")
            .file(FileSeed::new("README.md", 1, 0)),
    );
    assert!(
        fake.state().repo(REPO).unwrap().pulls[&NUMBER]
            .body
            .is_none()
    );
    let run = run_critic(&fake, &payload_for(&fake, "opened"), &[]);
    assert_eq!(run.code, 1, "{run:?}");
    let ours = our_comments(&fake);
    assert_eq!(ours.len(), 1);
    assert!(
        ours[0].2.contains("The PR has no description."),
        "{}",
        ours[0].2
    );
    assert!(ours[0].2.contains("❌ **Scope**"), "{}", ours[0].2);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn the_template_is_found_case_insensitively_on_the_base_branch_not_the_head() {
    let fake = FakeGitHub::start();
    seed_pull(
        &fake,
        reference_pull(FILLED)
            .head("feature-7", &fake_github::fake_sha("head"))
            .label("architect-approved"),
    );
    put_template(&fake, ".github/Pull_Request_Template.md", TEMPLATE);
    // The PR's own branch carries a template of its own: it must not be the one used.
    fake.state().put_content(
        REPO,
        "feature-7",
        ".github/pull_request_template.md",
        "## Head-only section\n<!-- a PR cannot choose its own rules -->\n",
    );
    let run = run_critic(&fake, &payload_for(&fake, "opened"), &[]);
    assert_eq!(run.code, 0, "{run:?}");
    let body = &our_comments(&fake)[0].2;
    assert!(
        body.contains("Checked against template `.github/Pull_Request_Template.md`"),
        "{body}"
    );
    assert!(
        body.contains("**Risk assessment \\& rollout plan**"),
        "{body}"
    );
    assert!(!body.contains("Head-only"), "{body}");
    let calls = fake.calls();
    assert!(
        calls
            .iter()
            .filter(|c| c.path.contains("/contents"))
            .all(|c| c.query.as_deref().is_some_and(|q| q.contains("ref=main"))),
        "{calls:#?}"
    );
}

#[test]
fn an_ordinary_pr_costs_one_round_of_reads_and_no_listing() {
    let fake = start(reference_pull(FILLED).label("architect-approved"));
    let run = run_critic(&fake, &payload_for(&fake, "opened"), &[]);
    assert_eq!(run.code, 0, "{run:?}");
    let calls = fake.calls();
    let first_write = calls.iter().position(|c| c.is_write()).unwrap();
    let reads: Vec<String> = calls[..first_write].iter().map(|c| c.line()).collect();
    // Before writing: the PR, its files, its commits, guardians.yml, four template candidates and
    // the comments. (Creating the comment then re-reads the comments, to converge racing runs.)
    assert_eq!(reads.len(), 9, "{reads:#?}");
    assert!(
        !reads.iter().any(|r| r.contains("/contents/.github?")),
        "{reads:#?}"
    );
}

#[test]
fn a_commit_trailer_naming_an_ai_tool_requires_agent_metadata() {
    let without_metadata = FILLED.split("## Agent metadata").next().unwrap().to_owned()
        + "## Agent metadata (if AI-assisted)\n<!-- Tool and model, what the agent did, and how its output was reviewed. -->\n";
    let pull = |trailer: bool| {
        let message = if trailer {
            "Add sessions endpoint\n\nCo-authored-by: Claude <noreply@anthropic.com>\n"
        } else {
            "Add sessions endpoint\n\nCo-authored-by: Alice <alice@example.com>\n"
        };
        reference_pull(&without_metadata)
            .label("architect-approved")
            .commit(CommitSeed::new(message))
    };

    let fake = start(pull(true));
    let run = run_critic(&fake, &payload_for(&fake, "opened"), &[]);
    assert_eq!(run.code, 1, "{run:?}");
    let body = &our_comments(&fake)[0].2;
    assert!(
        body.contains("❌ **Agent metadata (if AI-assisted)**"),
        "{body}"
    );

    let human = start(pull(false));
    let run = run_critic(&human, &payload_for(&human, "opened"), &[]);
    assert_eq!(run.code, 0, "{run:?}");
}

#[test]
fn a_read_only_token_reports_in_the_summary_and_warns() {
    let fake = start(reference_pull(FILLED).label("architect-approved"));
    fake.state().add_token(
        "ghs_readonly",
        "github-actions[bot]",
        TokenKind::Bot,
        Permission::ReadOnly,
    );
    let run = run_critic(
        &fake,
        &payload_for(&fake, "opened"),
        &[("INPUT_GITHUB-TOKEN", "ghs_readonly")],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(our_comments(&fake).is_empty());
    assert!(
        run.summary.contains("✅ PR description check passed"),
        "{}",
        run.summary
    );
    assert!(
        run.stdout.contains("::warning title=Read-only token::"),
        "{}",
        run.stdout
    );
    assert_eq!(run.outputs["passed"], "true");

    // With `fail-on-readonly` the step fails instead.
    let strict = run_critic(
        &fake,
        &payload_for(&fake, "opened"),
        &[
            ("INPUT_GITHUB-TOKEN", "ghs_readonly"),
            ("INPUT_FAIL-ON-READONLY", "true"),
        ],
    );
    assert_eq!(strict.code, 1, "{strict:?}");
}

#[test]
fn workflow_commands_in_the_title_and_body_never_reach_stdout() {
    let hostile = format!("::add-mask::x\n::error::pwned\n{HALF_FILLED}\n::error::pwned\n");
    let fake = start(
        reference_pull(&hostile)
            .title("::add-mask::x ::error::pwned")
            .file(FileSeed::new("::error::pwned.rs", 1, 0)),
    );
    let mut payload = payload_for(&fake, "opened");
    payload["pull_request"]["title"] = "::add-mask::x".into();
    payload["pull_request"]["body"] = hostile.clone().into();
    for env in [&[][..], &[("INPUT_DRY-RUN", "true")][..]] {
        let run = run_critic(&fake, &payload, env);
        assert!(run.code == 1, "{run:?}");
        for line in run.stdout.lines() {
            assert!(!line.starts_with("::add-mask::x"), "{line}");
            assert!(!line.starts_with("::error::pwned"), "{line}");
        }
        assert!(!run.stdout.contains("::add-mask::x"), "{}", run.stdout);
    }
}

#[test]
fn warn_mode_reports_errors_and_exits_0() {
    let fake = start(reference_pull(HALF_FILLED));
    let run = run_critic(
        &fake,
        &payload_for(&fake, "opened"),
        &[("INPUT_MODE", "warn")],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.outputs["passed"], "false");
    assert!(run.outputs["errors"].parse::<usize>().unwrap() > 0);
    assert!(our_comments(&fake)[0].2.contains("mode `warn`"));

    let bad = run_critic(
        &fake,
        &payload_for(&fake, "opened"),
        &[("INPUT_MODE", "strict")],
    );
    assert_eq!(bad.code, 2, "{bad:?}");
    assert!(
        bad.stdout.contains("`mode` must be `enforce` or `warn`"),
        "{}",
        bad.stdout
    );
}

#[test]
fn the_config_comes_from_the_base_branch() {
    let fake = start(reference_pull(HALF_FILLED));
    fake.state().put_content(
        REPO,
        "main",
        ".github/guardians.yml",
        "pr-critic:\n  mode: warn\n",
    );
    let run = run_critic(&fake, &payload_for(&fake, "opened"), &[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.outputs["passed"], "false");
}

#[test]
fn a_dry_run_prints_the_report_and_writes_nothing() {
    let fake = start(reference_pull(HALF_FILLED));
    let run = run_critic(
        &fake,
        &payload_for(&fake, "opened"),
        &[("INPUT_DRY-RUN", "true")],
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("::stop-commands::"), "{}", run.stdout);
    assert!(
        run.stdout.contains("PR description check"),
        "{}",
        run.stdout
    );
    assert!(fake.writes().is_empty(), "{:#?}", fake.writes());
    // Issue 11's one meaning of --dry-run: nothing written to GitHub, but the outputs and the
    // step summary are (they were not before).
    assert_eq!(run.outputs["passed"], "false", "{:?}", run.outputs);
    assert_eq!(run.outputs["result"], "failed", "{:?}", run.outputs);
    assert!(
        run.summary.contains("PR description check"),
        "{}",
        run.summary
    );
}

#[test]
fn other_actions_and_events_are_a_notice() {
    let fake = start(reference_pull(HALF_FILLED));
    let run = run_critic(&fake, &payload_for(&fake, "closed"), &[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("::notice::"), "{}", run.stdout);
    assert!(fake.calls().is_empty(), "{:#?}", fake.calls());
}

#[test]
fn workflow_run_checks_the_pr_named_by_pr_number() {
    let fake = start(reference_pull(FILLED).label("architect-approved"));
    let head_sha = payload_for(&fake, "opened")["pull_request"]["head"]["sha"].clone();
    // Core's one PR-target selection: the run's head commit and repository must be the PR's,
    // so a payload naming a commit the PR does not have checks nothing.
    let payload = |sha: serde_json::Value| {
        serde_json::json!({
            "action": "completed",
            "workflow_run": {"id": 1, "event": "pull_request", "head_sha": sha,
                             "pull_requests": [], "head_repository": {"full_name": REPO}},
            "repository": {"full_name": REPO},
        })
    };
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(
        dir.path(),
        &fake,
        &payload(head_sha.clone()),
        "workflow_run",
        &[("INPUT_PR-NUMBER", "7")],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(our_comments(&fake).len(), 1);

    // Without `pr-number` the PR is found by the run's head commit.
    fake.clear_calls();
    let found = run_in(dir.path(), &fake, &payload(head_sha), "workflow_run", &[]);
    assert_eq!(found.code, 0, "{found:?}");
    assert_eq!(our_comments(&fake).len(), 1, "the same comment");

    let stale = payload(fake_github::fake_sha("x").into());
    let other = run_in(dir.path(), &fake, &stale, "workflow_run", &[]);
    assert_eq!(other.code, 0, "{other:?}");
    assert!(other.stdout.contains("nothing to do"), "{}", other.stdout);
    assert!(fake.writes().is_empty(), "{:#?}", fake.writes());
}

#[test]
fn a_coverage_report_in_the_workspace_is_read() {
    let fake = start(reference_pull(FILLED).label("architect-approved"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("lcov.info"),
        "SF:src/routes/sessions.ts\nLF:100\nLH:50\nend_of_record\n",
    )
    .unwrap();
    let run = run_in(
        dir.path(),
        &fake,
        &payload_for(&fake, "opened"),
        "pull_request",
        &[("INPUT_COVERAGE-FILE", "lcov.info")],
    );
    assert_eq!(run.code, 0, "a warning by default: {run:?}");
    assert_eq!(run.outputs["warnings"], "1", "{:?}", run.outputs);
    assert!(
        our_comments(&fake)[0].2.contains("50"),
        "{}",
        our_comments(&fake)[0].2
    );
}

#[test]
fn a_dry_run_without_a_token_checks_the_payload_offline() {
    let fake = start(reference_pull(FILLED));
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".github")).unwrap();
    std::fs::write(
        dir.path().join(".github/pull_request_template.md"),
        TEMPLATE,
    )
    .unwrap();
    let run = run_in(
        dir.path(),
        &fake,
        &payload_for(&fake, "opened"),
        "pull_request",
        &[("INPUT_GITHUB-TOKEN", ""), ("INPUT_DRY-RUN", "true")],
    );
    // The payload's (stale) description fills only the scope with a comment: errors.
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("no token"), "{}", run.stdout);
    assert!(run.stdout.contains("❌ **Scope**"), "{}", run.stdout);
    assert!(fake.calls().is_empty(), "{:#?}", fake.calls());

    // Without --dry-run a token is required, and the message says how to give one.
    let refused = run_in(
        dir.path(),
        &fake,
        &payload_for(&fake, "opened"),
        "pull_request",
        &[("INPUT_GITHUB-TOKEN", "")],
    );
    assert_eq!(refused.code, 2, "{refused:?}");
    assert!(
        refused.stdout.contains("github-token"),
        "{}",
        refused.stdout
    );
}
