//! The binary from a terminal: offline dry runs and the local git mode.

#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
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
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

fn labeler(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_size-labeler"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .current_dir(dir)
        .args(args);
    for (k, v) in env {
        command.env(k, v);
    }
    let out = command.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// A checkout whose `main` has config and attributes, and a branch that changes code, a
/// lockfile, a generated file and a file with a hostile name.
fn checkout() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    std::fs::create_dir_all(root.join(".github")).unwrap();
    std::fs::write(
        root.join(".github/guardians.yml"),
        "size-labeler:\n  ignore: [\"docs/**\"]\n",
    )
    .unwrap();
    std::fs::write(root.join(".gitattributes"), "gen/* linguist-generated\n").unwrap();
    std::fs::write(root.join("old.txt"), "a\nb\nc\n").unwrap();
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "base"]);
    git(root, &["checkout", "-q", "-b", "feature"]);
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::create_dir_all(root.join("gen")).unwrap();
    std::fs::create_dir_all(root.join("docs")).unwrap();
    std::fs::write(root.join("src/lib.rs"), "fn a() {}\n".repeat(60)).unwrap();
    std::fs::write(root.join("Cargo.lock"), "x\n".repeat(500)).unwrap();
    std::fs::write(root.join("gen/api.rs"), "y\n".repeat(300)).unwrap();
    std::fs::write(root.join("docs/guide.md"), "z\n".repeat(100)).unwrap();
    std::fs::write(root.join("::error::pwned.txt"), "w\n").unwrap();
    std::fs::write(root.join("logo.png"), [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    git(root, &["mv", "old.txt", "renamed.txt"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "feature"]);
    dir
}

#[test]
fn git_mode_sizes_a_local_range_with_the_base_config() {
    let dir = checkout();
    let (code, out) = labeler(dir.path(), &["--git", "main...feature", "--json"], &[]);
    assert_eq!(code, 0, "{out}");
    let plan: serde_json::Value = serde_json::from_str(&out).unwrap();
    // 60 code lines + 1 hostile-named line; lockfile, generated file and docs are not counted;
    // the pure rename and the binary count 0.
    assert_eq!(plan["outputs"]["lines"], "61", "{out}");
    assert_eq!(plan["outputs"]["size"], "S");
    assert_eq!(plan["outputs"]["files-ignored"], "3");
    assert_eq!(plan["outputs"]["files-counted"], "4");
}

#[test]
fn in_actions_untrusted_file_names_cannot_run_workflow_commands() {
    let dir = checkout();
    let (code, out) = labeler(
        dir.path(),
        &["--git", "main...feature", "--json"],
        &[("GITHUB_ACTIONS", "true")],
    );
    assert_eq!(code, 0, "{out}");
    let first = out.lines().next().unwrap();
    assert!(first.starts_with("::stop-commands::"), "{out}");
    let token = first.trim_start_matches("::stop-commands::");
    assert!(out.trim_end().ends_with(&format!("::{token}::")), "{out}");
}

#[test]
fn a_bad_range_is_explained() {
    let dir = checkout();
    let (code, out) = labeler(dir.path(), &["--git", "main"], &[]);
    // Exit 2 (bad input) since issue 11; it was 1, the same as `fail-on-size`.
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("--git takes BASE...HEAD"), "{out}");
}

#[test]
fn outside_a_checkout_git_mode_says_so_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out) = labeler(dir.path(), &["--git", "main...feature"], &[]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("is not a git checkout"), "{out}");
    assert!(out.contains("--repo-dir"), "{out}");
    // git's usage text (dozens of option lines) stays out, and the error is printed once.
    assert!(!out.contains("usage:"), "{out}");
    assert_eq!(out.matches("not a git checkout").count(), 1, "{out}");
}

#[test]
fn git_mode_exits_1_when_the_range_reaches_fail_on_size() {
    let dir = checkout();
    let config = dir.path().join("strict.yml");
    std::fs::write(&config, "size-labeler:\n  fail-on-size: S\n").unwrap();
    let (code, out) = labeler(
        dir.path(),
        &[
            "--git",
            "main...feature",
            "--config",
            config.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("**Failing**"), "{out}");
}

#[test]
fn offline_dry_run_needs_no_token() {
    let dir = tempfile::tempdir().unwrap();
    let event = dir.path().join("event.json");
    let mut payload: serde_json::Value = serde_json::from_str(include_str!(
        "../../../fixtures/webhooks/pull_request.opened.json"
    ))
    .unwrap();
    payload["pull_request"]["additions"] = 700.into();
    payload["pull_request"]["deletions"] = 20.into();
    std::fs::write(&event, payload.to_string()).unwrap();
    let (code, out) = labeler(
        dir.path(),
        &["--event", event.to_str().unwrap(), "--dry-run"],
        &[],
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("## size-labeler: `size/L` (720 lines)"),
        "{out}"
    );
    assert!(out.contains("Labels: would add `size/L`."), "{out}");

    let (code, out) = labeler(dir.path(), &["--event", event.to_str().unwrap()], &[]);
    assert_eq!(code, 2, "without --dry-run a token is needed: {out}");
    assert!(out.contains("no GitHub token"), "{out}");
}

#[test]
fn an_invalid_local_config_names_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let event = dir.path().join("event.json");
    std::fs::write(
        &event,
        include_str!("../../../fixtures/webhooks/pull_request.opened.json"),
    )
    .unwrap();
    let config = dir.path().join("guardians.yml");
    std::fs::write(&config, "size-labeler:\n  fail-on: XL\n").unwrap();
    let (code, out) = labeler(
        dir.path(),
        &[
            "--event",
            event.to_str().unwrap(),
            "--config",
            config.to_str().unwrap(),
            "--dry-run",
        ],
        &[],
    );
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("unknown field `fail-on`"), "{out}");
}

#[test]
fn a_dry_run_without_a_token_on_a_pr_named_by_number_asks_for_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let event = dir.path().join("event.json");
    std::fs::write(
        &event,
        include_str!("../../../fixtures/webhooks/workflow_run.completed.json"),
    )
    .unwrap();
    let (code, out) = labeler(
        dir.path(),
        &["--event", event.to_str().unwrap(), "--pr", "3", "--dry-run"],
        &[],
    );
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("set GITHUB_TOKEN"), "{out}");
    assert!(!out.contains("pass --dry-run"), "{out}");
}
