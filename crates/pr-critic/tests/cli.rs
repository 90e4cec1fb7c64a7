//! The `pr-critic` binary as an author runs it before pushing.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(path)
}

/// Runs the binary in an empty directory (so no `.github/guardians.yml` is picked up by accident).
fn pr_critic(args: &[&str], stdin: Option<&str>) -> Output {
    let dir = tempfile::tempdir().expect("a temp dir");
    run_in(dir.path(), args, stdin)
}

fn run_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pr-critic"))
        .args(args)
        .current_dir(dir)
        // Inside the project's own CI the runner's event would select the Actions mode.
        .env_remove("GITHUB_EVENT_PATH")
        .env_remove("GITHUB_ACTIONS")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(input) = stdin {
        let written = child
            .stdin
            .take()
            .expect("piped stdin")
            .write_all(input.as_bytes());
        // A run that fails before reading (a bad config) closes its stdin early.
        if let Err(error) = written {
            assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe, "{error}");
        }
    }
    child.wait_with_output().expect("the binary exits")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// What the run said besides the report: the runner prints an error once, as an annotation
/// line (stdout), and clap its usage errors on stderr.
fn messages(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    )
}

fn path(p: &str) -> String {
    data(p).to_string_lossy().into_owned()
}

#[test]
fn a_filled_description_exits_0_with_the_report() {
    let output = pr_critic(
        &[
            "--body",
            &path("reference/body_filled.md"),
            "--template",
            &path("reference/pull_request_template.md"),
            "--changed-files",
            "-",
            "--labels",
            "ai-assisted, architect-approved",
        ],
        Some("packages/contracts/users.yaml\nsrc/routes/sessions.ts\r\ntests/sessions.test.ts\n\n"),
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        messages(&output)
    );
    let report = stdout(&output);
    assert!(
        report.starts_with("### ✅ PR description check passed"),
        "{report}"
    );
    assert!(report.contains("3 changed files"), "{report}");
}

/// Issue 11: without `--changed-files` the rules that read the diff used to pass on an empty
/// list ("not needed: no contract file changed"); they now say they were not checked.
#[test]
fn without_changed_files_the_diff_checks_say_not_checked() {
    let output = pr_critic(
        &[
            "--body",
            &path("reference/body_filled.md"),
            "--template",
            &path("reference/pull_request_template.md"),
            "--json",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(0), "{}", messages(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON output");
    let findings = json["findings"].as_array().expect("findings");
    for rule in ["approval", "tests", "contracts"] {
        let statuses: Vec<&serde_json::Value> = findings
            .iter()
            .filter(|f| f["rule"] == rule)
            .map(|f| &f["status"])
            .collect();
        assert!(!statuses.is_empty(), "no {rule} finding: {findings:#?}");
        assert!(
            statuses.iter().all(|status| *status == "not-checked"),
            "{rule}: {statuses:?}"
        );
    }
    assert!(
        json["notes"].to_string().contains("--changed-files"),
        "{}",
        json["notes"]
    );

    let report = stdout(&pr_critic(
        &[
            "--body",
            &path("reference/body_filled.md"),
            "--template",
            &path("reference/pull_request_template.md"),
        ],
        None,
    ));
    assert!(
        report.contains("❔ **Approval label architect-approved**: not checked"),
        "{report}"
    );
    assert!(!report.contains("not needed"), "{report}");
    assert!(report.contains("changed files not given"), "{report}");
}

/// Issue 11: an empty template used to pass; it is neutral and says why.
#[test]
fn an_empty_template_is_neutral_not_a_pass() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let template = dir.path().join("pull_request_template.md");
    std::fs::write(&template, "\n  \n<!-- nothing to fill in -->\n").expect("write");
    let changed = dir.path().join("changed.txt");
    std::fs::write(&changed, "docs/readme.md\n").expect("write");
    let output = pr_critic(
        &[
            "--body",
            "-",
            "--template",
            &template.to_string_lossy(),
            "--changed-files",
            &changed.to_string_lossy(),
            "--json",
        ],
        Some("Fixes the login loop.\n"),
    );
    assert_eq!(output.status.code(), Some(0), "{}", messages(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON output");
    assert_eq!(json["neutral"], true, "{json:#}");
    assert!(
        json["notes"].to_string().contains("has nothing to fill in"),
        "{}",
        json["notes"]
    );
}

#[test]
fn errors_exit_1_in_enforce_mode_and_0_in_warn_mode() {
    let args = [
        "--body",
        &path("reference/body_untouched.md"),
        "--template",
        &path("reference/pull_request_template.md"),
    ];
    let enforce = pr_critic(&args, None);
    assert_eq!(enforce.status.code(), Some(1), "{}", messages(&enforce));
    assert!(stdout(&enforce).starts_with("### ❌"));
    let mut warn_args = args.to_vec();
    warn_args.extend(["--mode", "warn"]);
    let warn = pr_critic(&warn_args, None);
    assert_eq!(warn.status.code(), Some(0), "{}", messages(&warn));
    assert!(stdout(&warn).contains("mode `warn`"));
}

#[test]
fn json_format_prints_the_verdict_and_findings() {
    let output = pr_critic(
        &[
            "--body",
            "-",
            "--template",
            &path("reference/pull_request_template.md"),
            "--json",
        ],
        Some("## Scope\nFixes the login loop.\n"),
    );
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON output");
    assert_eq!(json["passed"], false);
    assert_eq!(json["mode"], "enforce");
    assert_eq!(json["errors"], 3);
    let scope = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["subject"] == "Scope")
        .expect("a Scope finding");
    assert_eq!(scope["status"], "passed");
}

#[test]
fn the_config_file_section_is_used() {
    let output = pr_critic(
        &[
            "--body",
            &path("library/body_half_filled.md"),
            "--template",
            &path("library/pull_request_template.md"),
            "--config",
            &path("library/guardians.yml"),
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("**Linked issue**"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn the_template_and_config_are_found_in_the_current_checkout() {
    let dir = tempfile::tempdir().expect("a temp dir");
    std::fs::create_dir(dir.path().join(".github")).expect("mkdir");
    std::fs::write(
        dir.path().join(".github/PULL_REQUEST_TEMPLATE.md"),
        "## Summary\n\n## Ticket\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join(".github/guardians.yml"),
        "pr-critic:\n  issue-link:\n    required: true\n    patterns: ['\\bOPS-\\d+\\b']\n",
    )
    .expect("write");
    let output = run_in(
        dir.path(),
        &["--body", "-"],
        Some("## Summary\nRotates the keys.\n\n## Ticket\nOPS-17\n"),
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        messages(&output)
    );
    let report = stdout(&output);
    assert!(
        report.contains("template `.github/PULL_REQUEST_TEMPLATE.md`"),
        "{report}"
    );
    assert!(report.contains("**Linked issue**"), "{report}");
}

#[test]
fn coverage_reports_are_read() {
    let output = pr_critic(
        &[
            "--body",
            "-",
            "--coverage",
            &path("webapp/coverage-summary-low.json"),
        ],
        Some("Anything"),
    );
    assert_eq!(output.status.code(), Some(0), "a warning does not fail");
    assert!(
        stdout(&output)
            .contains("line coverage is 72% (893 of 1240 lines), below the 80% threshold"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn commit_trailers_mark_the_pr_ai_assisted() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let commits = dir.path().join("commits.txt");
    std::fs::write(
        &commits,
        "First\0Second\n\nCo-authored-by: Claude <noreply@anthropic.com>\0",
    )
    .expect("write");
    let output = pr_critic(
        &[
            "--body",
            &path("reference/body_half_filled.md"),
            "--template",
            &path("reference/pull_request_template.md"),
            "--commits",
            &commits.to_string_lossy(),
        ],
        None,
    );
    assert!(
        stdout(&output).contains("trailer naming Claude"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn usage_and_input_errors_exit_2() {
    let both_stdin = pr_critic(&["--body", "-", "--changed-files", "-"], Some(""));
    assert_eq!(both_stdin.status.code(), Some(2));
    assert!(messages(&both_stdin).contains("only one of --body and --changed-files"));

    let missing = pr_critic(&["--body", "/nonexistent/body.md"], None);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        messages(&missing).contains("cannot read --body"),
        "{}",
        messages(&missing)
    );

    let no_body = pr_critic(&[], None);
    assert_eq!(no_body.status.code(), Some(2));
    assert!(messages(&no_body).contains("--body"));

    let bad_mode = pr_critic(&["--body", "-", "--mode", "strict"], Some(""));
    assert_eq!(bad_mode.status.code(), Some(2));
    assert!(
        messages(&bad_mode).contains("--mode"),
        "{}",
        messages(&bad_mode)
    );
}

#[test]
fn an_invalid_regex_in_the_config_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let config = dir.path().join("guardians.yml");
    std::fs::write(
        &config,
        "pr-critic:\n  issue-link:\n    patterns: ['[A-Z+-\\d+']\n",
    )
    .expect("write");
    let output = pr_critic(
        &["--body", "-", "--config", &config.to_string_lossy()],
        Some("x"),
    );
    assert_eq!(output.status.code(), Some(2));
    let message = messages(&output);
    assert!(
        message.contains("invalid `pr-critic.issue-link.patterns[0]`"),
        "{message}"
    );
    assert!(
        message.contains("is not a valid regular expression"),
        "{message}"
    );
}

#[test]
fn an_unknown_config_key_names_the_key() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let config = dir.path().join("guardians.yml");
    std::fs::write(
        &config,
        "pr-critic:\n  screenshots:\n    globs: ['**/*.tsx']\n",
    )
    .expect("write");
    let output = pr_critic(
        &["--body", "-", "--config", &config.to_string_lossy()],
        Some("x"),
    );
    assert_eq!(output.status.code(), Some(2));
    let message = messages(&output);
    assert!(
        message.contains("`pr-critic.screenshots.globs`"),
        "{message}"
    );
    assert!(message.contains("unknown field `globs`"), "{message}");
}

/// Issue 11: a section of the wrong shape used to be reported as `expected struct
/// PrCriticConfig`; the message names the key and the shape wanted.
#[test]
fn a_config_section_of_the_wrong_shape_names_the_key_not_a_rust_type() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let config = dir.path().join("guardians.yml");
    std::fs::write(&config, "pr-critic: 5\n").expect("write");
    let output = pr_critic(
        &["--body", "-", "--config", &config.to_string_lossy()],
        Some("x"),
    );
    assert_eq!(output.status.code(), Some(2));
    let message = messages(&output);
    assert!(message.contains("at `pr-critic`"), "{message}");
    assert!(message.contains("expected a mapping"), "{message}");
    assert!(!message.contains("struct"), "{message}");
    assert!(!message.contains("PrCriticConfig"), "{message}");
    assert_eq!(
        message.matches("error").count(),
        1,
        "printed once: {message}"
    );
}

#[test]
fn help_describes_every_flag() {
    let output = pr_critic(&["--help"], None);
    assert_eq!(output.status.code(), Some(0));
    let help = stdout(&output);
    for flag in [
        "--body",
        "--template",
        "--changed-files",
        "--labels",
        "--config",
        "--commits",
        "--coverage",
        "--json",
        "--mode",
    ] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
}

#[test]
fn a_one_megabyte_body_from_stdin_is_cut_with_a_note_and_never_echoed() {
    let body = format!(
        "## Scope\n::warning::SECRET-BODY-TEXT\n{}",
        "word ".repeat(210_000)
    );
    let output = pr_critic(
        &[
            "--body",
            "-",
            "--template",
            &path("reference/pull_request_template.md"),
        ],
        Some(&body),
    );
    let report = stdout(&output);
    assert!(
        report.contains("only the first 65,536 were checked"),
        "{report}"
    );
    assert!(!report.contains("SECRET-BODY-TEXT"));
    assert!(report.lines().all(|line| !line.starts_with("::")));
}
