//! The real binary against the stateful fake GitHub: final labels, outputs and API calls.

mod support;

use fake_github::{Fault, FileSeed, Permission, PullSeed, TokenKind};
use support::*;

const TOKEN: &str = fake_github::DEFAULT_TOKEN;

fn size_label_calls(fake: &fake_github::FakeGitHub) -> Vec<String> {
    fake.writes().iter().map(|c| c.line()).collect()
}

#[test]
fn small_pr_gets_its_label_and_outputs() {
    let fake = fake_github::FakeGitHub::start();
    seed_pull(
        &fake,
        PullSeed::new(NUMBER)
            .file(FileSeed::new("src/lib.rs", 30, 5))
            .file(FileSeed::new("README.md", 2, 1)),
    );
    let run = run_labeler(&fake, &payload_for(&fake, "opened"), TOKEN, &[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(labels(&fake), vec!["size/XS"]);
    assert_eq!(run.outputs["size"], "XS");
    assert_eq!(run.outputs["lines"], "38");
    assert_eq!(run.outputs["additions"], "32");
    assert_eq!(run.outputs["deletions"], "6");
    assert_eq!(run.outputs["files-counted"], "2");
    assert_eq!(run.outputs["files-ignored"], "0");
    assert!(
        run.summary.contains("size-labeler: `size/XS` (38 lines)"),
        "{}",
        run.summary
    );
    // The label was created with our colour and description, then added.
    let state = fake.state();
    let label = state.repo(REPO).unwrap().label("size/XS").unwrap();
    assert_eq!(label.color, "3cbf00");
    assert!(label.description.as_deref().unwrap().starts_with("🐁"));
    drop(state);
    // Reads: config, .gitattributes, the PR, one page of files, the repository's labels.
    // Writes: create the label (it did not exist), then add it.
    let calls = fake.calls();
    assert_eq!(
        calls.iter().filter(|c| !c.is_write()).count(),
        5,
        "{:#?}",
        calls
    );
    assert_eq!(
        size_label_calls(&fake).len(),
        2,
        "{:#?}",
        size_label_calls(&fake)
    );
}

#[test]
fn a_2500_file_pr_is_sized_exactly() {
    let fake = fake_github::FakeGitHub::start();
    // 2,500 files of 3+1 lines, plus a 40,000-line lockfile that must not count.
    let mut files = FileSeed::generate(2500, 3, 1);
    files.push(FileSeed::new("web/package-lock.json", 30_000, 10_000));
    seed_pull(&fake, PullSeed::new(NUMBER).files(files));
    let run = run_labeler(&fake, &payload_for(&fake, "synchronize"), TOKEN, &[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.outputs["lines"], "10000");
    assert_eq!(run.outputs["files-counted"], "2500");
    assert_eq!(run.outputs["files-ignored"], "1");
    assert_eq!(labels(&fake), vec!["size/XL"]);
    let pages = fake
        .calls()
        .iter()
        .filter(|c| c.path.ends_with("/files"))
        .count();
    assert_eq!(pages, 26, "2,501 files are 26 pages of 100");
}

#[test]
fn more_than_3000_files_fall_back_to_totals_and_say_so() {
    let fake = fake_github::FakeGitHub::start();
    let mut files = vec![FileSeed::new("Cargo.lock", 500, 500)];
    files.extend(FileSeed::generate(3200, 1, 0));
    seed_pull(&fake, PullSeed::new(NUMBER).files(files));
    let run = run_labeler(&fake, &payload_for(&fake, "opened"), TOKEN, &[]);
    assert_eq!(run.code, 0, "{run:?}");
    // Totals 4,200 less the lockfile's 1,000 seen among the first 3,000 files.
    assert_eq!(run.outputs["lines"], "3200");
    assert!(
        run.summary
            .contains("GitHub listed only the first 3,000 files"),
        "{}",
        run.summary
    );
}

#[test]
fn lockfiles_generated_files_and_globs_are_not_counted() {
    let fake = fake_github::FakeGitHub::start();
    seed_pull(
        &fake,
        PullSeed::new(NUMBER)
            .file(FileSeed::new("src/main.rs", 100, 20))
            .file(FileSeed::new("Cargo.lock", 900, 300))
            .file(FileSeed::new("api/gen/client.ts", 2000, 0))
            .file(FileSeed::new("docs/snapshots/a.snap", 400, 0))
            .file(FileSeed::new("docs/snapshots/keep.snap", 10, 0))
            .file(FileSeed::new("logo.png", 0, 0)),
    );
    fake.state()
        .put_content(
            REPO,
            "main",
            ".gitattributes",
            "api/gen/** linguist-generated=true\n*.png binary\n",
        )
        .put_content(
            REPO,
            "main",
            ".github/guardians.yml",
            "size-labeler:\n  ignore:\n    - \"*.snap\"\n    - \"!keep.snap\"\n",
        );
    let run = run_labeler(&fake, &payload_for(&fake, "opened"), TOKEN, &[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.outputs["lines"], "130");
    assert_eq!(run.outputs["files-counted"], "3");
    assert_eq!(run.outputs["files-ignored"], "3");
    assert_eq!(labels(&fake), vec!["size/S"]);
    assert!(
        run.summary.contains("| `Cargo.lock` | lockfile | 1,200 |"),
        "{}",
        run.summary
    );
    assert!(
        run.summary
            .contains("| `api/gen/client.ts` | linguist-generated | 2,000 |")
    );
}

#[test]
fn a_stale_label_is_replaced_and_foreign_labels_stay() {
    let fake = fake_github::FakeGitHub::start();
    seed_pull(
        &fake,
        PullSeed::new(NUMBER)
            .labels(&["bug", "size/XL"])
            .file(FileSeed::new("src/a.rs", 150, 100)),
    );
    let run = run_labeler(&fake, &payload_for(&fake, "synchronize"), TOKEN, &[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(labels(&fake), vec!["bug", "size/M"]);
}

#[test]
fn an_existing_label_is_added_without_trying_to_create_it() {
    let fake = fake_github::FakeGitHub::start();
    fake.state()
        .add_label(REPO, "size/M", "7f7203", Some("🐰 Medium"));
    seed_pull(
        &fake,
        PullSeed::new(NUMBER)
            .labels(&["size/S"])
            .file(FileSeed::new("src/a.rs", 250, 0)),
    );
    let run = run_labeler(&fake, &payload_for(&fake, "synchronize"), TOKEN, &[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(labels(&fake), vec!["size/M"]);
    let writes: Vec<String> = fake
        .writes()
        .iter()
        .map(|c| format!("{} {}", c.method, c.path))
        .collect();
    assert_eq!(writes.len(), 2, "{writes:?}");
    assert!(
        writes.contains(&"DELETE /repos/octo/demo/issues/7/labels/size%2FS".to_string()),
        "{writes:?}"
    );
    assert!(
        writes.contains(&"POST /repos/octo/demo/issues/7/labels".to_string()),
        "{writes:?}"
    );
}

#[test]
fn a_second_run_writes_nothing() {
    let fake = fake_github::FakeGitHub::start();
    seed_pull(
        &fake,
        PullSeed::new(NUMBER).file(FileSeed::new("src/a.rs", 60, 0)),
    );
    let payload = payload_for(&fake, "opened");
    assert_eq!(run_labeler(&fake, &payload, TOKEN, &[]).code, 0);
    fake.clear_calls();
    let run = run_labeler(&fake, &payload, TOKEN, &[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(fake.writes().is_empty(), "{:#?}", fake.writes());
    assert_eq!(labels(&fake), vec!["size/S"]);
}

#[test]
fn two_concurrent_runs_end_with_one_size_label() {
    let fake = fake_github::FakeGitHub::start();
    seed_pull(
        &fake,
        PullSeed::new(NUMBER)
            .labels(&["size/XS"])
            .file(FileSeed::new("src/a.rs", 300, 0)),
    );
    // Latency widens the window in which both runs read before either writes.
    fake.set_latency(std::time::Duration::from_millis(40));
    let payload = payload_for(&fake, "synchronize");
    let runs: Vec<Run> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|_| scope.spawn(|| run_labeler(&fake, &payload, TOKEN, &[])))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(runs.iter().all(|r| r.code == 0), "{runs:?}");
    assert_eq!(labels(&fake), vec!["size/M"]);
}

#[test]
fn a_read_only_token_reports_in_the_summary_and_passes() {
    let fake = fake_github::FakeGitHub::start();
    fake.state().add_token(
        "ghs_fork",
        "github-actions[bot]",
        TokenKind::Bot,
        Permission::ReadOnly,
    );
    seed_pull(
        &fake,
        PullSeed::new(NUMBER).file(FileSeed::new("src/a.rs", 10, 0)),
    );
    let run = run_labeler(&fake, &payload_for(&fake, "opened"), "ghs_fork", &[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(labels(&fake).is_empty());
    assert!(run.summary.contains("`size/XS`"), "{}", run.summary);
    assert!(
        run.stdout.contains("::warning title=Read-only token::"),
        "{}",
        run.stdout
    );

    let strict = run_labeler(
        &fake,
        &payload_for(&fake, "opened"),
        "ghs_fork",
        &[("INPUT_FAIL-ON-READONLY", "true")],
    );
    assert_eq!(strict.code, 1, "{strict:?}");
}

#[test]
fn transient_failures_are_retried_until_it_converges() {
    let fake = fake_github::FakeGitHub::start();
    seed_pull(
        &fake,
        PullSeed::new(NUMBER).file(FileSeed::new("src/a.rs", 10, 0)),
    );
    fake.inject(Fault::status(502).on("/repos/*/*/pulls/*").times(2));
    fake.inject(
        Fault::too_many_requests()
            .on("/repos/*/*/issues/*/labels")
            .header("retry-after", "1")
            .times(1),
    );
    let run = run_labeler(&fake, &payload_for(&fake, "opened"), TOKEN, &[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(labels(&fake), vec!["size/XS"]);
    let statuses: Vec<u16> = fake.calls().iter().map(|c| c.status).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 502).count(), 2);
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 1);
}

#[test]
fn bad_credentials_fail_clearly_without_retrying() {
    let fake = fake_github::FakeGitHub::start();
    seed_pull(
        &fake,
        PullSeed::new(NUMBER).file(FileSeed::new("src/a.rs", 10, 0)),
    );
    let run = run_labeler(&fake, &payload_for(&fake, "opened"), "ghp_wrong", &[]);
    // A refused token is the workflow's input to fix: exit 2 since issue 11 (was 1).
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stdout.contains("HTTP 401"), "{}", run.stdout);
    assert!(run.stdout.contains("GITHUB_TOKEN"), "{}", run.stdout);
    assert!(fake.calls().iter().all(|c| c.status == 401));
    assert!(
        fake.calls().len() <= 5,
        "401 is not retried: {:#?}",
        fake.calls()
    );
}

#[test]
fn a_malformed_payload_is_a_clear_error() {
    let fake = fake_github::FakeGitHub::start();
    let payload = serde_json::json!({"action": "opened", "pull_request": {"number": "seven"}});
    let run = run_labeler(&fake, &payload, TOKEN, &[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stdout.contains("pull_request"), "{}", run.stdout);
    assert!(fake.calls().is_empty());
}

#[test]
fn missing_environment_says_what_to_set() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_size-labeler"))
        .env_clear()
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("GITHUB_EVENT_PATH"), "{text}");
    assert!(text.contains("--event"), "{text}");
}

#[test]
fn other_events_and_actions_end_with_a_notice() {
    let fake = fake_github::FakeGitHub::start();
    seed_pull(
        &fake,
        PullSeed::new(NUMBER).file(FileSeed::new("src/a.rs", 10, 0)),
    );
    let run = run_labeler(&fake, &payload_for(&fake, "closed"), TOKEN, &[]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("::notice::"), "{}", run.stdout);
    assert!(fake.calls().is_empty());
}

#[test]
fn fail_on_size_labels_then_fails() {
    let fake = fake_github::FakeGitHub::start();
    seed_pull(
        &fake,
        PullSeed::new(NUMBER).file(FileSeed::new("src/a.rs", 900, 200)),
    );
    let run = run_labeler(
        &fake,
        &payload_for(&fake, "opened"),
        TOKEN,
        &[("INPUT_FAIL-ON-SIZE", "XL")],
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(labels(&fake), vec!["size/XL"]);
    assert!(
        run.stdout
            .contains("::error title=Pull request too large::"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_xl_comment_is_posted_once_and_updated_when_the_pr_shrinks() {
    let fake = fake_github::FakeGitHub::start();
    seed_pull(
        &fake,
        PullSeed::new(NUMBER).file(FileSeed::new("src/a.rs", 900, 200)),
    );
    let env = [("INPUT_COMMENT-ON", "XL")];
    assert_eq!(
        run_labeler(&fake, &payload_for(&fake, "opened"), TOKEN, &env).code,
        0
    );
    assert_eq!(
        run_labeler(&fake, &payload_for(&fake, "synchronize"), TOKEN, &env).code,
        0
    );
    let comments = |fake: &fake_github::FakeGitHub| fake.pull(REPO, NUMBER).comment_bodies();
    let bodies = comments(&fake);
    assert_eq!(bodies.len(), 1, "{bodies:#?}");
    assert!(bodies[0].starts_with("<!-- guardians:size-labeler -->"));
    assert!(
        bodies[0].contains("This pull request is `size/XL`: 1,100 lines"),
        "{}",
        bodies[0]
    );

    // The author splits the PR: the same comment says so.
    {
        let mut state = fake.state();
        let pull = state.repo_mut(REPO).pulls.get_mut(&NUMBER).unwrap();
        pull.files[0].additions = 100;
        pull.files[0].deletions = 20;
        pull.files[0].changes = 120;
        pull.additions = 100;
        pull.deletions = 20;
    }
    assert_eq!(
        run_labeler(&fake, &payload_for(&fake, "synchronize"), TOKEN, &env).code,
        0
    );
    let bodies = comments(&fake);
    assert_eq!(bodies.len(), 1);
    assert!(bodies[0].contains("now `size/S`"), "{}", bodies[0]);
    assert_eq!(labels(&fake), vec!["size/S"]);
}

#[test]
fn a_workflow_run_with_pr_number_labels_that_pr() {
    let fake = fake_github::FakeGitHub::start();
    seed_pull(
        &fake,
        PullSeed::new(NUMBER).file(FileSeed::new("src/a.rs", 120, 0)),
    );
    let payload = workflow_run_for(&fake);
    let number = NUMBER.to_string();
    let run = run_labeler(
        &fake,
        &payload,
        TOKEN,
        &[
            ("GITHUB_EVENT_NAME", "workflow_run"),
            ("INPUT_PR-NUMBER", &number),
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(labels(&fake), vec!["size/S"]);
    // Named by number, the PR is read once: selecting it gives gather its current labels.
    let pr_reads = fake
        .calls()
        .iter()
        .filter(|c| c.method == "GET" && c.path.ends_with(&format!("/pulls/{NUMBER}")))
        .count();
    assert_eq!(pr_reads, 1, "{:#?}", fake.calls());

    let without = run_labeler(
        &fake,
        &payload,
        TOKEN,
        &[("GITHUB_EVENT_NAME", "workflow_run")],
    );
    assert_eq!(without.code, 0);
    assert!(without.stdout.contains("pr-number"), "{}", without.stdout);

    let bad = run_labeler(
        &fake,
        &payload,
        TOKEN,
        &[
            ("GITHUB_EVENT_NAME", "workflow_run"),
            ("INPUT_PR-NUMBER", "7; rm -rf /"),
        ],
    );
    assert_eq!(bad.code, 2, "{bad:?}");
    assert!(
        bad.stdout.contains("not a pull request number"),
        "{}",
        bad.stdout
    );
}

/// The PR's size comments, by body.
#[allow(clippy::unwrap_used)]
fn size_comments(fake: &fake_github::FakeGitHub) -> Vec<String> {
    fake.pull(REPO, NUMBER).comment_bodies()
}

/// A stale `size/XL` on a PR that is now `size/M`, with the size comment asked for.
fn stale_xl_pull(fake: &fake_github::FakeGitHub) {
    seed_pull(
        fake,
        PullSeed::new(NUMBER)
            .labels(&["bug", "size/XL"])
            .file(FileSeed::new("src/a.rs", 150, 100)),
    );
}

const COMMENT_ON_M: [(&str, &str); 1] = [("INPUT_COMMENT-ON", "M")];

#[test]
fn a_delete_that_keeps_failing_leaves_the_new_label_exits_3_and_comments_nothing() {
    let fake = fake_github::FakeGitHub::start();
    stale_xl_pull(&fake);
    // 422 is final for the client: every pass fails at once, however often it is tried.
    fake.inject(
        Fault::status(422)
            .method("DELETE")
            .on("/repos/*/*/issues/*/labels/*")
            .times(100),
    );
    let run = run_labeler(
        &fake,
        &payload_for(&fake, "synchronize"),
        TOKEN,
        &COMMENT_ON_M,
    );
    assert_eq!(run.code, 3, "{run:?}");
    // Added before removing: the right label is there, the stale one is named as left over.
    assert_eq!(labels(&fake), vec!["bug", "size/XL", "size/M"]);
    assert!(
        run.stdout.contains("`size/XL` still present"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Re-run"), "{}", run.stdout);
    assert!(
        size_comments(&fake).is_empty(),
        "{:#?}",
        size_comments(&fake)
    );
    let deletes = fake.calls().iter().filter(|c| c.method == "DELETE").count();
    assert_eq!(deletes, 2, "one removal per pass: {:#?}", fake.calls());

    // GitHub recovers: a re-run repairs the labels and only then comments.
    fake.clear_faults();
    let rerun = run_labeler(
        &fake,
        &payload_for(&fake, "synchronize"),
        TOKEN,
        &COMMENT_ON_M,
    );
    assert_eq!(rerun.code, 0, "{rerun:?}");
    assert_eq!(labels(&fake), vec!["bug", "size/M"]);
    assert_eq!(size_comments(&fake).len(), 1);
}

#[test]
fn an_add_that_keeps_failing_keeps_the_old_label_exits_3_and_comments_nothing() {
    let fake = fake_github::FakeGitHub::start();
    stale_xl_pull(&fake);
    fake.inject(
        Fault::status(422)
            .method("POST")
            .on("/repos/*/*/issues/*/labels")
            .times(100),
    );
    let run = run_labeler(
        &fake,
        &payload_for(&fake, "synchronize"),
        TOKEN,
        &COMMENT_ON_M,
    );
    assert_eq!(run.code, 3, "{run:?}");
    // Never without a size label: the stale one stays until the new one is on.
    assert_eq!(labels(&fake), vec!["bug", "size/XL"]);
    assert!(
        run.stdout.contains("`size/M` still missing"),
        "{}",
        run.stdout
    );
    assert!(
        !fake.calls().iter().any(|c| c.method == "DELETE"),
        "nothing removed before the addition succeeded: {:#?}",
        fake.calls()
    );
    assert!(
        size_comments(&fake).is_empty(),
        "{:#?}",
        size_comments(&fake)
    );

    fake.clear_faults();
    let rerun = run_labeler(
        &fake,
        &payload_for(&fake, "synchronize"),
        TOKEN,
        &COMMENT_ON_M,
    );
    assert_eq!(rerun.code, 0, "{rerun:?}");
    assert_eq!(labels(&fake), vec!["bug", "size/M"]);
    assert_eq!(size_comments(&fake).len(), 1);
}

#[test]
fn a_write_that_fails_once_is_repaired_by_the_second_pass() {
    let fake = fake_github::FakeGitHub::start();
    stale_xl_pull(&fake);
    fake.inject(
        Fault::status(422)
            .method("DELETE")
            .on("/repos/*/*/issues/*/labels/*")
            .times(1),
    );
    let run = run_labeler(
        &fake,
        &payload_for(&fake, "synchronize"),
        TOKEN,
        &COMMENT_ON_M,
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(labels(&fake), vec!["bug", "size/M"]);
    assert_eq!(size_comments(&fake).len(), 1);
}

#[test]
fn ignore_globs_leaving_the_repository_are_refused_with_their_key() {
    let fake = fake_github::FakeGitHub::start();
    seed_pull(
        &fake,
        PullSeed::new(NUMBER).file(FileSeed::new("src/a.rs", 10, 0)),
    );
    let input = run_labeler(
        &fake,
        &payload_for(&fake, "opened"),
        TOKEN,
        &[("INPUT_IGNORE", "*.snap\n../secrets/**")],
    );
    assert_eq!(input.code, 2, "{input:?}");
    assert!(
        input.stdout.contains(
            r#"input `ignore`[1]: "../secrets/**" leaves the repository; write a path relative to the repository root"#
        ),
        "{}",
        input.stdout
    );
    assert!(fake.writes().is_empty());

    fake.state().put_content(
        REPO,
        "main",
        ".github/guardians.yml",
        "size-labeler:\n  ignore:\n    - \"/etc/**\"\n",
    );
    let config = run_labeler(&fake, &payload_for(&fake, "opened"), TOKEN, &[]);
    assert_eq!(config.code, 2, "{config:?}");
    assert!(
        config.stdout.contains("at `size-labeler.ignore[0]`"),
        "{}",
        config.stdout
    );
    assert!(config.stdout.contains("absolute path"), "{}", config.stdout);
    assert!(fake.writes().is_empty());
}

/// A `workflow_run.completed` payload (the Octokit example) for a run of the fake PR's head:
/// same commit, same head repository, in the fake's repository.
fn workflow_run_for(fake: &fake_github::FakeGitHub) -> serde_json::Value {
    let pr = payload_for(fake, "opened");
    let mut payload: serde_json::Value = serde_json::from_str(include_str!(
        "../../../fixtures/webhooks/workflow_run.completed.json"
    ))
    .expect("the test payload is JSON");
    payload["repository"]["full_name"] = REPO.into();
    payload["workflow_run"]["head_sha"] = pr["pull_request"]["head"]["sha"].clone();
    payload["workflow_run"]["head_repository"]["full_name"] =
        pr["pull_request"]["head"]["repo"]["full_name"].clone();
    payload
}

#[test]
fn a_fork_run_labels_only_the_pr_whose_head_it_built() {
    let fake = fake_github::FakeGitHub::start();
    seed_pull(
        &fake,
        PullSeed::new(NUMBER)
            .head_repo("mallory/demo")
            .file(FileSeed::new("src/a.rs", 120, 0)),
    );
    let number = NUMBER.to_string();
    let env = [
        ("GITHUB_EVENT_NAME", "workflow_run"),
        ("INPUT_PR-NUMBER", number.as_str()),
    ];
    // The Octokit example unchanged: a fork's run for another commit, naming PR 7 through the
    // artifact its own workflow wrote. Nothing is labelled, and the notice says why.
    let spoofed: serde_json::Value = serde_json::from_str(include_str!(
        "../../../fixtures/webhooks/workflow_run.completed.json"
    ))
    .unwrap();
    let run = run_labeler(&fake, &spoofed, TOKEN, &env);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(fake.writes().is_empty(), "{:#?}", fake.writes());
    assert!(
        run.stdout
            .contains("acts only on the pull request whose head it built"),
        "{}",
        run.stdout
    );

    // The fork's run for the PR's own head commit labels it.
    let genuine = workflow_run_for(&fake);
    assert_eq!(
        genuine["workflow_run"]["head_repository"]["full_name"],
        "mallory/demo"
    );
    let run = run_labeler(&fake, &genuine, TOKEN, &env);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(labels(&fake), vec!["size/S"]);
}

#[test]
fn an_unknown_key_in_the_base_branch_config_exits_2_naming_it() {
    let fake = fake_github::FakeGitHub::start();
    seed_pull(
        &fake,
        PullSeed::new(NUMBER).file(FileSeed::new("src/a.rs", 10, 0)),
    );
    fake.state().put_content(
        REPO,
        "main",
        ".github/guardians.yml",
        "size-labeler:\n  fail-on: XL\n",
    );
    let run = run_labeler(&fake, &payload_for(&fake, "opened"), TOKEN, &[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stdout.contains("unknown field `fail-on`"),
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stdout.matches("::error").count(),
        1,
        "printed once: {}",
        run.stdout
    );
    assert!(fake.writes().is_empty());
}

#[test]
fn a_malformed_token_exits_2_before_any_request() {
    let fake = fake_github::FakeGitHub::start();
    seed_pull(
        &fake,
        PullSeed::new(NUMBER).file(FileSeed::new("src/a.rs", 10, 0)),
    );
    let run = run_labeler(
        &fake,
        &payload_for(&fake, "opened"),
        "ghp_pasted with its line",
        &[],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stdout.contains("the GitHub token is malformed"),
        "{}",
        run.stdout
    );
    assert!(fake.calls().is_empty(), "{:#?}", fake.calls());
}

#[test]
fn github_failing_on_every_try_exits_3() {
    let fake = fake_github::FakeGitHub::start();
    seed_pull(
        &fake,
        PullSeed::new(NUMBER).file(FileSeed::new("src/a.rs", 10, 0)),
    );
    fake.inject(Fault::status(502).on("/repos/*/*/pulls/*").times(1000));
    let run = run_labeler(&fake, &payload_for(&fake, "opened"), TOKEN, &[]);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.stdout.contains("502"), "{}", run.stdout);
    assert!(labels(&fake).is_empty());
    assert!(fake.writes().is_empty(), "{:#?}", fake.writes());
}

#[test]
fn a_dry_run_reads_writes_nothing_and_exits_per_the_verdict() {
    let fake = fake_github::FakeGitHub::start();
    seed_pull(
        &fake,
        PullSeed::new(NUMBER).file(FileSeed::new("src/a.rs", 900, 200)),
    );
    let run = run_labeler(
        &fake,
        &payload_for(&fake, "opened"),
        TOKEN,
        &[("INPUT_FAIL-ON-SIZE", "XL"), ("INPUT_DRY-RUN", "true")],
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert!(fake.writes().is_empty(), "{:#?}", fake.writes());
    assert!(labels(&fake).is_empty());
    // Outputs and the step summary are still written.
    assert_eq!(run.outputs["size"], "XL");
    assert!(run.summary.contains("**Failing**"), "{}", run.summary);
    assert!(
        run.stdout
            .contains("::error title=Pull request too large::"),
        "the verdict is said on a dry run too: {}",
        run.stdout
    );
    assert!(
        run.stdout.contains("Labels: would add `size/XL`."),
        "{}",
        run.stdout
    );
}
