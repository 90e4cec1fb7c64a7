//! The real binary against the fake GitHub: the approval gate, the sticky comment, outputs,
//! added/removed/renamed files, read-only tokens and the local-checkout path.

#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;
use std::process::Command;

use fake_github::{FakeGitHub, FileSeed, Permission, TokenKind, fake_sha};
use support::*;

const SPEC: &str = "api/openapi.yaml";

fn v1() -> String {
    openapi(&["get /users", "get /users/{id}", "delete /users/{id}"])
}

/// A PR whose head removes `DELETE /users/{id}`.
fn breaking_pr(labels: &[&str]) -> (FakeGitHub, String) {
    let fake = FakeGitHub::start();
    let head = fake_sha("head-1");
    put(&fake, &base_sha(), SPEC, &v1());
    put(
        &fake,
        &head,
        SPEC,
        &openapi(&["get /users", "get /users/{id}"]),
    );
    seed_pull(&fake, &head, vec![FileSeed::new(SPEC, 0, 3)], labels);
    (fake, head)
}

fn comment_writes(fake: &FakeGitHub) -> usize {
    fake.writes()
        .iter()
        .filter(|c| c.path.contains("/comments"))
        .count()
}

#[test]
fn breaking_change_without_label_fails_and_comments_once_breaking_first() {
    let (fake, _) = breaking_pr(&[]);
    let run1 = run(&fake, "opened", &[]);
    assert_eq!(run1.code, 1, "{}\n{}", run1.stdout, run1.stderr);
    let bodies = comments(&fake);
    assert_eq!(bodies.len(), 1);
    let body = &bodies[0];
    assert!(body.starts_with(MARKER));
    assert_eq!(body.matches(MARKER).count(), 1, "{body}");
    assert!(
        body.contains(
            "Needs `architect-approved` from an architect: 1 breaking change in `api/openapi.yaml`."
        ),
        "{body}"
    );
    let breaking_table = body.find("### Breaking and potentially breaking").unwrap();
    let file_section = body.find("### `api/openapi.yaml`").unwrap();
    assert!(breaking_table < file_section);
    assert!(body.contains("`operation-removed`"));
    assert!(
        !body.contains("contracts-diff:approved"),
        "no approval recorded without the label"
    );
    // Outputs, annotation, check message.
    assert_eq!(run1.outputs["breaking"], "true");
    assert_eq!(run1.outputs["contracts-touched"], "true");
    assert_eq!(run1.outputs["endpoints-touched"], "true");
    let endpoints: Vec<String> = serde_json::from_str(&run1.outputs["endpoints"]).unwrap();
    assert_eq!(endpoints, ["DELETE /users/{id}"]);
    let changes: serde_json::Value = serde_json::from_str(&run1.outputs["changes"]).unwrap();
    assert_eq!(changes[0]["rule"], "operation-removed");
    assert!(
        run1.stdout
            .contains("::error title=Breaking API change,file=api/openapi.yaml::operation-removed"),
        "{}",
        run1.stdout
    );
    assert!(run1.summary.contains("Needs `architect-approved`"));
    assert!(
        !run1.summary.contains("<!-- "),
        "no hidden metadata in the summary"
    );

    // Two more runs: still one comment, and no further comment writes.
    let writes_after_first = comment_writes(&fake);
    for _ in 0..2 {
        assert_eq!(run(&fake, "synchronize", &[]).code, 1);
    }
    assert_eq!(comments(&fake).len(), 1);
    assert_eq!(comment_writes(&fake), writes_after_first);
}

#[test]
fn approval_is_tied_to_the_breaking_changes_present_when_given() {
    let (fake, _) = breaking_pr(&[]);
    assert_eq!(run(&fake, "opened", &[]).code, 1);

    // The architect adds the label: the check passes and the comment records what was approved.
    let approved = run_labeled(&fake, "architect-approved", &[]);
    assert_eq!(approved.code, 0, "{}", approved.stdout);
    let body = comments(&fake).remove(0);
    assert!(body.contains("<!-- contracts-diff:approved "), "{body}");
    assert!(body.contains("Approved with `architect-approved`: it covers 1 breaking change"));
    assert_eq!(labels(&fake), ["architect-approved"]);

    // A push that keeps the approved change and changes nothing else breaking: still approved.
    assert_eq!(run(&fake, "synchronize", &[]).code, 0);

    // A later push removes `GET /users` too: the label goes, the check fails, the comment says why.
    let head2 = fake_sha("head-2");
    put(&fake, &head2, SPEC, &openapi(&["get /users/{id}"]));
    push(&fake, &head2, vec![FileSeed::new(SPEC, 0, 6)]);
    let stale = run(&fake, "synchronize", &[]);
    assert_eq!(stale.code, 1, "{}", stale.stdout);
    assert!(
        labels(&fake).is_empty(),
        "only the approval label existed and it was removed"
    );
    let removed: Vec<_> = fake
        .writes()
        .into_iter()
        .filter(|c| c.method == "DELETE")
        .collect();
    assert_eq!(removed.len(), 1);
    assert!(
        removed[0]
            .path
            .ends_with("/issues/7/labels/architect-approved")
    );
    let bodies = comments(&fake);
    assert_eq!(bodies.len(), 1);
    let body = &bodies[0];
    assert!(body.contains("Approval withdrawn: 1 new breaking change appeared after `architect-approved` was given"), "{body}");
    let new_table = body.find("New since the approval").unwrap();
    let row = &body[new_table..];
    assert!(row.contains("/paths/~1users/get"), "{body}");
    assert!(!body.contains("contracts-diff:approved"));
    assert!(stale.stdout.contains("Approval withdrawn"));

    // Approving again covers both changes.
    assert_eq!(run_labeled(&fake, "architect-approved", &[]).code, 0);
    assert!(comments(&fake)[0].contains("covers 2 breaking changes"));
}

#[test]
fn other_labels_stay_when_the_approval_goes_stale() {
    let (fake, _) = breaking_pr(&["bug"]);
    assert_eq!(run_labeled(&fake, "architect-approved", &[]).code, 0);
    let head2 = fake_sha("head-2");
    put(&fake, &head2, SPEC, &openapi(&["get /users/{id}"]));
    push(&fake, &head2, vec![FileSeed::new(SPEC, 0, 6)]);
    assert_eq!(run(&fake, "synchronize", &[]).code, 1);
    assert_eq!(labels(&fake), ["bug"]);
}

#[test]
fn a_label_put_on_before_the_breaking_changes_does_not_approve_them() {
    let (fake, _) = breaking_pr(&["architect-approved"]);
    let r = run(&fake, "synchronize", &[]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(labels(&fake).is_empty());
    assert!(comments(&fake)[0].contains("Approval withdrawn"));
}

#[test]
fn damaged_approval_metadata_approves_nothing() {
    let (fake, _) = breaking_pr(&["architect-approved"]);
    fake.state().add_comment(
        REPO,
        NUMBER,
        "github-actions[bot]",
        &format!("{MARKER}\n<!-- contracts-diff:approved <img src=x> -->\nold"),
    );
    let r = run(&fake, "synchronize", &[]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(labels(&fake).is_empty());
    assert_eq!(comments(&fake).len(), 1);
}

#[test]
fn no_contract_files_means_no_comment_or_an_updated_one() {
    let fake = FakeGitHub::start();
    let head = fake_sha("head-1");
    seed_pull(&fake, &head, vec![FileSeed::new("src/main.rs", 3, 1)], &[]);
    let r = run(&fake, "opened", &[]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(comments(&fake).is_empty());
    assert_eq!(r.outputs["contracts-touched"], "false");
    assert_eq!(r.outputs["breaking"], "false");
    assert_eq!(r.outputs["endpoints"], "[]");
    assert!(fake.writes().is_empty());

    // An earlier run had commented (the contract change was reverted since): it is updated.
    fake.state().add_comment(
        REPO,
        NUMBER,
        "github-actions[bot]",
        &format!("{MARKER}\n## API contract changes\n🔴 **Breaking changes**"),
    );
    let r = run(&fake, "synchronize", &[]);
    assert_eq!(r.code, 0);
    let bodies = comments(&fake);
    assert_eq!(bodies.len(), 1);
    assert!(
        bodies[0].contains("No API contract file changed."),
        "{}",
        bodies[0]
    );
    assert!(!bodies[0].contains("Breaking changes"));
    assert!(
        !bodies[0].contains("in 0 contract files"),
        "one sentence: {}",
        bodies[0]
    );
    assert!(
        r.summary.contains("No API contract file changed.\n")
            && !r.summary.contains("in 0 contract files"),
        "{}",
        r.summary
    );
}

#[test]
fn added_removed_and_renamed_contract_files() {
    let fake = FakeGitHub::start();
    let head = fake_sha("head-1");
    let schema = r#"{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "properties": {"id": {"type": "string"}}}"#;
    put(&fake, &head, "api/user.schema.json", schema);
    put(
        &fake,
        &base_sha(),
        "proto/old.proto",
        "syntax = \"proto3\";\nmessage Old { string id = 1; }\n",
    );
    put(&fake, &base_sha(), SPEC, &v1());
    put(
        &fake,
        &head,
        "api/v2/openapi.yaml",
        &openapi(&[
            "get /users",
            "get /users/{id}",
            "delete /users/{id}",
            "post /users",
        ]),
    );
    seed_pull(
        &fake,
        &head,
        vec![
            FileSeed::new("api/user.schema.json", 1, 0).status("added"),
            FileSeed::new("proto/old.proto", 0, 2).status("removed"),
            FileSeed::new("api/v2/openapi.yaml", 4, 0).renamed_from(SPEC),
        ],
        &[],
    );
    let r = run(&fake, "opened", &[]);
    assert_eq!(
        r.code, 1,
        "removing a contract file is breaking: {}",
        r.stdout
    );
    let body = comments(&fake).remove(0);
    assert!(
        body.contains("### `api/user.schema.json` (added, json-schema)"),
        "{body}"
    );
    assert!(
        body.contains("### `proto/old.proto` (removed, proto)"),
        "{body}"
    );
    assert!(body.contains("`contract-removed`"));
    assert!(
        body.contains("### `api/v2/openapi.yaml` (renamed from api/openapi.yaml, openapi)"),
        "{body}"
    );
    assert!(body.contains("`operation-added`"));
    assert!(
        body.contains("breaking changes in `proto/old.proto`."),
        "{body}"
    );
    let endpoints: Vec<String> = serde_json::from_str(&r.outputs["endpoints"]).unwrap();
    assert!(
        endpoints.contains(&"POST /users".to_owned()),
        "{endpoints:?}"
    );
}

#[test]
fn relative_refs_are_read_through_the_api_on_demand() {
    let fake = FakeGitHub::start();
    let head = fake_sha("head-1");
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /users/{id}:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: 'schemas/user.yaml#/User'}\n";
    put(&fake, &base_sha(), SPEC, spec);
    put(
        &fake,
        &head,
        SPEC,
        &spec.replace("description: ok", "description: the user"),
    );
    put(
        &fake,
        &base_sha(),
        "api/schemas/user.yaml",
        "User:\n  type: object\n  required: [id, name]\n  properties:\n    id: {type: string}\n    name: {type: string}\n",
    );
    put(
        &fake,
        &head,
        "api/schemas/user.yaml",
        "User:\n  type: object\n  required: [id]\n  properties:\n    id: {type: string}\n",
    );
    seed_pull(
        &fake,
        &head,
        vec![
            FileSeed::new(SPEC, 1, 1),
            FileSeed::new("api/schemas/user.yaml", 0, 2),
        ],
        &[],
    );
    let r = run(&fake, "opened", &[]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let body = comments(&fake).remove(0);
    assert!(body.contains("`property-removed`"), "{body}");
    // The path inside the payload, in the referenced file.
    assert!(
        body.contains("`api/schemas/user.yaml: User.name`"),
        "{body}"
    );
    assert!(!body.contains("unresolved-reference"), "{body}");
}

#[test]
fn read_only_token_reports_in_the_summary_with_a_warning() {
    let fake = FakeGitHub::start();
    fake.state().add_token(
        "ghs_fork",
        "github-actions[bot]",
        TokenKind::Bot,
        Permission::ReadOnly,
    );
    let head = fake_sha("head-1");
    put(&fake, &base_sha(), SPEC, &v1());
    put(
        &fake,
        &head,
        SPEC,
        &openapi(&[
            "get /users",
            "get /users/{id}",
            "delete /users/{id}",
            "post /users",
        ]),
    );
    seed_pull(&fake, &head, vec![FileSeed::new(SPEC, 3, 0)], &[]);
    let r = run(&fake, "opened", &[("INPUT_GITHUB-TOKEN", "ghs_fork")]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(comments(&fake).is_empty());
    assert!(
        r.summary.contains("## API contract changes"),
        "{}",
        r.summary
    );
    assert!(r.summary.contains("`operation-added`"));
    assert!(
        r.stdout.contains("::warning title=Read-only token::"),
        "{}",
        r.stdout
    );
    assert_eq!(r.outputs["breaking"], "false");
    // Asked to fail on a read-only token, it does.
    let r = run(
        &fake,
        "opened",
        &[
            ("INPUT_GITHUB-TOKEN", "ghs_fork"),
            ("INPUT_FAIL-ON-READONLY", "true"),
        ],
    );
    assert_eq!(r.code, 1);
}

#[test]
fn dry_run_prints_the_plan_and_writes_nothing_to_github() {
    let (fake, _) = breaking_pr(&[]);
    let r = run(&fake, "opened", &[("INPUT_DRY-RUN", "true")]);
    assert_eq!(r.code, 1, "the gate still decides: {}", r.stderr);
    assert!(r.summary.contains("Needs `architect-approved`"));
    assert_eq!(r.outputs["breaking"], "true");
    assert!(
        r.stdout.contains("Needs `architect-approved`"),
        "{}",
        r.stdout
    );
    assert!(fake.writes().is_empty());
    assert!(comments(&fake).is_empty());
}

#[test]
fn inputs_override_label_and_requirement() {
    let fake = FakeGitHub::start();
    let head = fake_sha("head-1");
    put(&fake, &base_sha(), SPEC, &v1());
    put(
        &fake,
        &head,
        SPEC,
        &openapi(&[
            "get /users",
            "get /users/{id}",
            "delete /users/{id}",
            "post /users",
        ]),
    );
    seed_pull(&fake, &head, vec![FileSeed::new(SPEC, 3, 0)], &[]);
    // Non-breaking only: passes by default...
    assert_eq!(run(&fake, "opened", &[]).code, 0);
    // ...but `require-approval-on: any` asks for the (renamed) label.
    let env = [
        ("INPUT_REQUIRE-APPROVAL-ON", "any"),
        ("INPUT_APPROVAL-LABEL", "api-approved"),
    ];
    let r = run(&fake, "synchronize", &env);
    assert_eq!(r.code, 1);
    assert!(
        comments(&fake)[0].contains(
            "Needs `api-approved` from an architect: 1 changed contract file in `api/openapi.yaml`."
        ),
        "{}",
        comments(&fake)[0]
    );
    assert_eq!(run_labeled(&fake, "api-approved", &env).code, 0);
    let bad = run(&fake, "labeled", &[("INPUT_FAIL-ON", "sometimes")]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stdout.contains("the input `fail-on` must be"),
        "{}",
        bad.stdout
    );
}

#[test]
fn workflow_run_reads_the_pr_named_by_pr_number() {
    let (fake, head) = breaking_pr(&[]);
    let fork_run: serde_json::Value = serde_json::from_str(include_str!(
        "../../../fixtures/webhooks/workflow_run.completed.json"
    ))
    .unwrap();
    // A run of the repository's own branch: the number is taken as given.
    let mut own_run = fork_run.clone();
    own_run["workflow_run"]["head_repository"]["full_name"] =
        own_run["repository"]["full_name"].clone();
    let dir = tempfile::tempdir().unwrap();
    let r = run_in(
        dir.path(),
        dir.path(),
        &fake,
        &own_run,
        "workflow_run",
        &[("INPUT_PR-NUMBER", "7")],
    );
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(comments(&fake).len(), 1);
    let r = run_in(dir.path(), dir.path(), &fake, &own_run, "workflow_run", &[]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("`pr-number`"), "{}", r.stdout);

    // A fork's run acts only on the PR whose head it built (core's selection checks it): this
    // payload's run built another commit, so a number naming PR 7 is nothing to do.
    let writes = fake.writes().len();
    let r = run_in(
        dir.path(),
        dir.path(),
        &fake,
        &fork_run,
        "workflow_run",
        &[("INPUT_PR-NUMBER", "7")],
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(
        r.stdout.contains("a run from a fork acts only on"),
        "{}",
        r.stdout
    );
    assert_eq!(fake.writes().len(), writes);
    // The same run for the PR's head commit is checked.
    let mut fork_head = fork_run.clone();
    fork_head["workflow_run"]["head_sha"] = serde_json::json!(head);
    let pr_head_repo = fake.state().repo(REPO).unwrap().pulls[&NUMBER]
        .head
        .repo
        .clone();
    fork_head["workflow_run"]["head_repository"]["full_name"] = serde_json::json!(pr_head_repo);
    let r = run_in(
        dir.path(),
        dir.path(),
        &fake,
        &fork_head,
        "workflow_run",
        &[("INPUT_PR-NUMBER", "7")],
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
}

#[test]
fn closed_and_other_actions_are_a_notice() {
    let (fake, _) = breaking_pr(&[]);
    let r = run(&fake, "closed", &[]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("::notice::"));
    assert!(fake.calls().is_empty());
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[test]
fn local_checkout_is_read_instead_of_the_contents_api() {
    let repo = tempfile::tempdir().unwrap();
    let dir = repo.path();
    git(dir, &["init", "-q"]);
    std::fs::create_dir_all(dir.join("api")).unwrap();
    std::fs::write(dir.join(SPEC), v1()).unwrap();
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "base"]);
    let base = git(dir, &["rev-parse", "HEAD"]);
    std::fs::write(dir.join(SPEC), openapi(&["get /users", "get /users/{id}"])).unwrap();
    git(dir, &["commit", "-q", "-am", "head"]);
    let head = git(dir, &["rev-parse", "HEAD"]);

    let fake = FakeGitHub::start();
    fake.state().add_pull(
        REPO,
        fake_github::PullSeed::new(NUMBER)
            .head("feature", &head)
            .base("main", &base)
            .file(FileSeed::new(SPEC, 0, 3)),
    );
    let events = tempfile::tempdir().unwrap();
    let r = run_in(
        events.path(),
        dir,
        &fake,
        &payload_for(&fake, "opened"),
        "pull_request",
        &[],
    );
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("contents from the local checkout"),
        "{}",
        r.stdout
    );
    assert!(comments(&fake)[0].contains("`operation-removed`"));
    let contract_reads = fake
        .calls()
        .iter()
        .filter(|c| c.path.contains("/contents/api"))
        .count();
    assert_eq!(contract_reads, 0);
}

#[test]
fn one_contract_file_costs_seven_reads_and_each_version_is_read_once() {
    let (fake, head) = breaking_pr(&[]);
    let r = run(&fake, "opened", &[]);
    assert_eq!(r.code, 1);
    let reads: Vec<String> = fake
        .calls()
        .iter()
        .filter(|c| c.method == "GET")
        .map(|c| format!("{}?{}", c.path, c.query.clone().unwrap_or_default()))
        .collect();
    let contents: Vec<&String> = reads
        .iter()
        .filter(|p| p.contains("/contents/api"))
        .collect();
    assert_eq!(contents.len(), 2, "{reads:#?}");
    assert!(contents.iter().any(|p| p.contains(&base_sha())));
    assert!(contents.iter().any(|p| p.contains(&head)));
    // The PR, its files, the config, our comments, and the two versions; creating the comment
    // then re-lists the comments once to converge with racing runs.
    assert_eq!(reads.len(), 7, "{reads:#?}");
}

#[test]
fn huge_reports_fit_one_comment_and_large_approvals_are_recorded() {
    let fake = FakeGitHub::start();
    let head = fake_sha("head-1");
    let ops: Vec<String> = (0..2_500).map(|i| format!("get /items{i}")).collect();
    let ops: Vec<&str> = ops.iter().map(String::as_str).collect();
    put(&fake, &base_sha(), SPEC, &openapi(&ops));
    put(&fake, &head, SPEC, &openapi(&["get /users"]));
    seed_pull(&fake, &head, vec![FileSeed::new(SPEC, 1, 7_500)], &[]);
    assert_eq!(run(&fake, "opened", &[]).code, 1);
    let body = comments(&fake).remove(0);
    assert!(body.encode_utf16().count() <= 65_536);
    assert!(body.contains("2500 breaking changes"), "{}", &body[..400]);
    assert!(body.contains("cut here"));

    let approved = run_labeled(&fake, "architect-approved", &[]);
    assert_eq!(approved.code, 0, "{}", approved.stdout);
    let body = comments(&fake).remove(0);
    assert!(body.encode_utf16().count() <= 65_536);
    assert!(
        body.contains("<!-- contracts-diff:approved set:"),
        "{}",
        &body[..400]
    );
    assert_eq!(run(&fake, "synchronize", &[]).code, 0);
    assert_eq!(labels(&fake), ["architect-approved"]);
}

#[test]
fn transient_server_errors_on_contents_are_retried() {
    let (fake, _) = breaking_pr(&[]);
    fake.inject(
        fake_github::Fault::status(502)
            .on("/repos/*/*/contents/*")
            .times(2),
    );
    let r = run(&fake, "opened", &[]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert!(comments(&fake)[0].contains("`operation-removed`"));
}

#[test]
fn a_missing_pull_request_is_an_error_that_names_it() {
    let (fake, _) = breaking_pr(&[]);
    let payload: serde_json::Value = serde_json::from_str(include_str!(
        "../../../fixtures/webhooks/workflow_run.completed.json"
    ))
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let r = run_in(
        dir.path(),
        dir.path(),
        &fake,
        &payload,
        "workflow_run",
        &[("INPUT_PR-NUMBER", "99")],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stdout.contains("::error::contracts-diff:"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("/pulls/99"), "{}", r.stdout);
}

#[test]
fn from_a_terminal_with_event_and_dry_run() {
    let (fake, _) = breaking_pr(&[]);
    let dir = tempfile::tempdir().unwrap();
    let event = dir.path().join("event.json");
    std::fs::write(&event, payload_for(&fake, "opened").to_string()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_contracts-diff"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("GITHUB_TOKEN", "ghs_test")
        .current_dir(dir.path())
        .args(["--event", event.to_str().unwrap(), "--repo", REPO])
        .args(["--api-url", &fake.url(), "--dry-run", "--json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    // The JSON document starts on a line of its own (annotations and log lines surround it).
    let json_start = stdout.find("\n{\n").unwrap() + 1;
    let json_end = stdout.rfind("\n}").unwrap() + 2;
    let value: serde_json::Value = serde_json::from_str(&stdout[json_start..json_end]).unwrap();
    assert_eq!(value["approval"]["fail"], true);
    assert_eq!(value["outputs"]["breaking"], true);
    assert!(fake.writes().is_empty());
}

/// `SPEC` at base with `GET` and `DELETE /admin`.
const ADMIN_BASE: &str = "openapi: 3.0.3\ninfo: {title: admin, version: '1'}\npaths:\n  /admin:\n    get: {responses: {'200': {description: ok}}}\n    delete: {responses: {'204': {description: gone}}}\n";
const ADMIN_HEAD: &str = "openapi: 3.0.3\ninfo: {title: admin, version: '1'}\npaths:\n  /admin:\n    get: {responses: {'200': {description: ok}}}\n";

/// Heads that remove `DELETE /admin` in a file our parser refuses: a YAML alias fan-out
/// (ten-fold per level; "repetition limit exceeded"), 129 nesting levels, a syntax error.
fn unreadable_heads() -> Vec<(&'static str, String)> {
    let mut fan_out = format!("{ADMIN_HEAD}x0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..8 {
        let prev = format!("*a{}", level - 1);
        fan_out.push_str(&format!(
            "x{level}: &a{level} [{}]\n",
            [prev.as_str(); 10].join(",")
        ));
    }
    let nested = format!(
        "{ADMIN_HEAD}x-deep: {}{}\n",
        "[".repeat(129),
        "]".repeat(129)
    );
    let syntax = format!("{ADMIN_HEAD}  /users: [\n");
    vec![
        ("alias fan-out", fan_out),
        ("129 levels", nested),
        ("syntax error", syntax),
    ]
}

#[test]
fn an_unreadable_contract_gates_until_the_label_approves_its_contents() {
    for (case, head_text) in unreadable_heads() {
        let fake = FakeGitHub::start();
        let head = fake_sha("head-1");
        put(&fake, &base_sha(), SPEC, ADMIN_BASE);
        put(&fake, &head, SPEC, &head_text);
        seed_pull(&fake, &head, vec![FileSeed::new(SPEC, 8, 1)], &[]);
        let r = run(&fake, "opened", &[]);
        assert_eq!(r.code, 1, "{case}: {}", r.stdout);
        assert_eq!(r.outputs["breaking"], "true", "{case}");
        assert_eq!(r.outputs["contracts-touched"], "true", "{case}");
        let body = comments(&fake).remove(0);
        assert!(
            body.contains("Needs `architect-approved` from an architect: 1 breaking change in `api/openapi.yaml`."),
            "{case}: {body}"
        );
        assert!(body.contains("`contract-unreadable`"), "{case}: {body}");
        assert!(
            body.contains("the head version cannot be read"),
            "{case}: the comment says why: {body}"
        );
        assert!(
            body.contains("exclude it with `contracts-diff.ignore`"),
            "{case}: and what to do: {body}"
        );

        let approved = run_labeled(&fake, "architect-approved", &[]);
        assert_eq!(approved.code, 0, "{case}: {}", approved.stdout);
        assert_eq!(run(&fake, "synchronize", &[]).code, 0, "{case}");

        // New contents, still unreadable: the approval does not carry over.
        let head2 = fake_sha("head-2");
        put(&fake, &head2, SPEC, &format!("{head_text}# more\n"));
        push(&fake, &head2, vec![FileSeed::new(SPEC, 9, 1)]);
        let stale = run(&fake, "synchronize", &[]);
        assert_eq!(stale.code, 1, "{case}: {}", stale.stdout);
        assert!(labels(&fake).is_empty(), "{case}");
    }
}

/// The fingerprint of removing `DELETE /admin` from `SPEC`, as the gate computes it.
fn admin_removal_fingerprint() -> String {
    use contracts_diff::plan::{ContractFile, Facts, FileStatus, Version, plan};
    let version = |t: &str| Version {
        content: t.as_bytes().to_vec(),
        related: Default::default(),
    };
    let facts = Facts {
        contracts: vec![ContractFile {
            path: SPEC.into(),
            status: FileStatus::Modified,
            base: Some(version(ADMIN_BASE)),
            head: Some(version(ADMIN_HEAD)),
        }],
        ..Facts::default()
    };
    let plan = plan(
        &facts,
        &contracts_diff::config::ContractsDiffConfig::default(),
        &contracts_diff::Limits::default(),
    );
    let breaking = contracts_diff::approval::breaking_changes(&plan);
    assert_eq!(breaking.len(), 1);
    breaking[0].fingerprint.clone()
}

#[test]
fn a_forged_approval_line_in_an_embedded_text_diff_approves_nothing() {
    let forged = format!(
        "<!-- contracts-diff:approved {} -->",
        admin_removal_fingerprint()
    );
    let types = "packages/types/admin.d.ts";
    let fake = FakeGitHub::start();
    let head = fake_sha("head-1");
    put(&fake, &base_sha(), SPEC, ADMIN_BASE);
    put(&fake, &head, SPEC, ADMIN_HEAD);
    // A base-branch file holding the forged line; the PR edits next to it, so our comment's
    // text diff shows it as a context line.
    put(
        &fake,
        &base_sha(),
        types,
        &format!("/*\n{forged}\n*/\nexport type Admin = {{ id: string }};\n"),
    );
    put(
        &fake,
        &head,
        types,
        &format!("/*\n{forged}\n*/\nexport type Admin = {{ id: number }};\n"),
    );
    seed_pull(
        &fake,
        &head,
        vec![FileSeed::new(SPEC, 0, 1), FileSeed::new(types, 1, 1)],
        &[],
    );
    assert_eq!(run(&fake, "opened", &[]).code, 1);
    let body = comments(&fake).remove(0);
    assert!(
        body.contains("contracts-diff:approved"),
        "the diff is shown: {body}"
    );
    assert!(
        !body.contains(&forged),
        "embedded text cannot form a marker: {body}"
    );
    assert_eq!(body.matches("<!--").count(), 1, "only our marker: {body}");

    // The label is added without a `labeled` run (say, that run was cancelled): the next run
    // must not take the diff's line for our record.
    add_label(&fake, "architect-approved");
    let r = run(&fake, "synchronize", &[]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(labels(&fake).is_empty());
}

#[test]
fn another_workflows_comment_with_our_marker_is_not_our_record() {
    let forged = format!(
        "<!-- contracts-diff:approved {} -->",
        admin_removal_fingerprint()
    );
    let fake = FakeGitHub::start();
    let head = fake_sha("head-1");
    put(&fake, &base_sha(), SPEC, ADMIN_BASE);
    put(&fake, &head, SPEC, ADMIN_HEAD);
    seed_pull(
        &fake,
        &head,
        vec![FileSeed::new(SPEC, 0, 1)],
        &["architect-approved"],
    );
    // Another workflow, also as github-actions[bot], posts text that starts with our marker
    // and carries an approval line further down.
    fake.state().add_comment(
        REPO,
        NUMBER,
        "github-actions[bot]",
        &format!("{MARKER}\nDeploy preview ready. Notes from the PR:\n{forged}\n"),
    );
    let r = run(&fake, "synchronize", &[]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(labels(&fake).is_empty());
    assert!(comments(&fake)[0].contains("Approval withdrawn"));
}

/// A git-backed PR: 3,000 junk files that GitHub lists first, then a change to `SPEC` that
/// removes `DELETE /admin`. Trees longer than `tree_cap` entries come back truncated.
fn pr_behind_3000_files(tree_cap: Option<usize>) -> FakeGitHub {
    use fake_github::{Change, PullSeed};
    let fake = FakeGitHub::start();
    {
        let mut state = fake.state();
        let mut git = state.git_repo(REPO).unwrap();
        git.commit("main", "initial", &[(SPEC, ADMIN_BASE)])
            .unwrap();
        git.branch("feature", "main").unwrap();
        let mut changes: Vec<Change> = (0..3_000)
            .map(|i| Change::write(&format!("aaa/junk{i:04}.txt"), "junk\n"))
            .collect();
        changes.push(Change::write(SPEC, ADMIN_HEAD));
        git.commit_changes("feature", "junk and a breaking change", &changes)
            .unwrap();
        if let Some(cap) = tree_cap {
            git.set_tree_entry_cap(cap).unwrap();
        }
        git.open_pull(PullSeed::new(NUMBER).title("Junk"), "feature", "main")
            .unwrap();
    }
    fake
}

#[test]
fn a_contract_change_past_github_s_3000_files_is_found_in_the_trees() {
    let fake = pr_behind_3000_files(None);
    let r = run(&fake, "opened", &[]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(r.outputs["contracts-touched"], "true");
    assert_eq!(r.outputs["breaking"], "true");
    let body = comments(&fake).remove(0);
    assert!(body.contains("`operation-removed`"), "{body}");
    assert!(body.contains("found by comparing the git trees"), "{body}");
    let trees = fake
        .calls()
        .iter()
        .filter(|c| c.path.contains("/git/trees/"))
        .count();
    assert_eq!(trees, 2, "one recursive tree each for base and head");
}

#[test]
fn truncated_trees_too_ask_for_approval() {
    let fake = pr_behind_3000_files(Some(1_000));
    let r = run(&fake, "opened", &[]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(r.outputs["contracts-touched"], "true");
    let body = comments(&fake).remove(0);
    assert!(body.contains("`changes-unlisted`"), "{body}");
    assert!(body.contains("truncated too"), "{body}");
    assert_eq!(
        run_labeled(&fake, "architect-approved", &[]).code,
        0,
        "the label approves what could not be listed"
    );
}

// The exit codes every guardian shares: 0 passed (above: `inputs_override_label_and_requirement`,
// `closed_and_other_actions_are_a_notice`), 1 the gate (above), 2 bad input or configuration,
// 3 GitHub failing after retries.

#[test]
fn exit_2_for_an_unknown_key_in_the_config_with_its_name() {
    let (fake, _) = breaking_pr(&[]);
    put(
        &fake,
        "main",
        ".github/guardians.yml",
        "contracts-diff:\n  aproval-label: api-ok\n",
    );
    let r = run(&fake, "opened", &[]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stdout.contains("aproval-label"), "{}", r.stdout);
    assert!(
        !r.stdout.contains("struct"),
        "no Rust type names: {}",
        r.stdout
    );
    assert_eq!(r.stdout.matches("::error").count(), 1, "{}", r.stdout);
    assert!(comments(&fake).is_empty());
}

#[test]
fn exit_2_for_a_malformed_payload_and_a_bad_input_value() {
    let (fake, _) = breaking_pr(&[]);
    let dir = tempfile::tempdir().unwrap();
    let payload = serde_json::json!({"action": "opened", "number": "seven", "pull_request": 7});
    let r = run_in(dir.path(), dir.path(), &fake, &payload, "pull_request", &[]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert_eq!(r.stdout.matches("::error").count(), 1, "{}", r.stdout);
    assert!(fake.calls().is_empty());

    for (input, value, named) in [
        ("INPUT_FAIL-ON", "sometimes", "fail-on"),
        ("INPUT_REQUIRE-APPROVAL-ON", "always", "require-approval-on"),
        ("INPUT_DRY-RUN", "maybe", "dry-run"),
        ("INPUT_PR-NUMBER", "seven", "pr-number"),
    ] {
        let r = run(&fake, "opened", &[(input, value)]);
        assert_eq!(r.code, 2, "{input}: {}", r.stdout);
        assert!(r.stdout.contains(named), "{input}: {}", r.stdout);
        assert_eq!(r.stdout.matches("::error").count(), 1, "{}", r.stdout);
    }
    assert!(fake.writes().is_empty());
}

#[test]
fn exit_3_when_github_keeps_answering_502() {
    let (fake, _) = breaking_pr(&[]);
    fake.inject(fake_github::Fault::status(502).times(1_000));
    let r = run(&fake, "opened", &[]);
    assert_eq!(r.code, 3, "{}", r.stdout);
    assert!(r.stdout.contains("502"), "{}", r.stdout);
    assert_eq!(r.stdout.matches("::error").count(), 1, "{}", r.stdout);
    assert!(comments(&fake).is_empty());
}

#[test]
fn pr_flag_names_the_pull_request_on_any_event_from_a_terminal() {
    let (fake, _) = breaking_pr(&[]);
    let dir = tempfile::tempdir().unwrap();
    let event = dir.path().join("event.json");
    std::fs::write(&event, r#"{"inputs": {}, "ref": "refs/heads/main"}"#).unwrap();
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_contracts-diff"))
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("GITHUB_TOKEN", "ghs_test")
            .current_dir(dir.path())
            .args(["--event", event.to_str().unwrap(), "--repo", REPO])
            .args([
                "--event-name",
                "workflow_dispatch",
                "--api-url",
                &fake.url(),
            ])
            .arg("--dry-run")
            .args(extra)
            .output()
            .unwrap()
    };
    let out = run(&["--pr", "7"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("Needs `architect-approved`"), "{stdout}");
    let out = run(&[]);
    // The notice is a diagnostic: on stderr from a terminal.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("`--pr`"), "{stderr}");
    assert!(fake.writes().is_empty());
}
