//! The exit-code table every guardian shares (issue 11), end to end: the real binary against
//! the fake GitHub, one case per code, each error printed once.
//!
//! | exit | meaning |
//! |---|---|
//! | 0 | passed, or nothing to do |
//! | 1 | the guardian's check failed (its verdict) |
//! | 2 | bad input or configuration (names the input and the fix) |
//! | 3 | GitHub or the network failed after bounded retries |

mod support;

use fake_github::{FakeGitHub, Fault, FileSeed, PullSeed};
use support::*;

const TEMPLATE: &str = include_str!("data/reference/pull_request_template.md");
const FILLED: &str = include_str!("data/reference/body_filled.md");
const HALF_FILLED: &str = include_str!("data/reference/body_half_filled.md");

fn start(body: &str, template: bool) -> FakeGitHub {
    let fake = FakeGitHub::start();
    seed_pull(
        &fake,
        PullSeed::new(NUMBER)
            .body(body)
            .label("architect-approved")
            .file(FileSeed::new("packages/contracts/users.yaml", 30, 0))
            .file(FileSeed::new("src/routes/sessions.ts", 80, 2))
            .file(FileSeed::new("tests/sessions.test.ts", 60, 0)),
    );
    if template {
        put_template(&fake, ".github/pull_request_template.md", TEMPLATE);
    }
    fake
}

fn errors_printed(run: &Run) -> usize {
    run.stdout.matches("::error").count()
}

#[test]
fn exit_0_when_the_description_passes() {
    let fake = start(FILLED, true);
    let run = run_critic(&fake, &payload_for(&fake, "opened"), &[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.outputs["result"], "passed");
}

#[test]
fn exit_0_and_neutral_without_a_template() {
    let fake = start("Fixes the login loop.", false);
    let run = run_critic(&fake, &payload_for(&fake, "opened"), &[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.outputs["result"], "neutral");
    assert_eq!(run.outputs["passed"], "true");
}

#[test]
fn exit_1_for_errors_in_enforce_mode_and_0_with_warnings_in_warn_mode() {
    let fake = start(HALF_FILLED, true);
    let enforce = run_critic(&fake, &payload_for(&fake, "opened"), &[]);
    assert_eq!(enforce.code, 1, "{enforce:?}");
    assert_eq!(enforce.outputs["result"], "failed");

    let warn = run_critic(
        &fake,
        &payload_for(&fake, "edited"),
        &[("INPUT_MODE", "warn")],
    );
    assert_eq!(warn.code, 0, "{warn:?}");
    assert_eq!(warn.outputs["result"], "failed", "the report still says so");
    assert!(warn.summary.contains("mode `warn`"), "{}", warn.summary);
}

#[test]
fn exit_2_for_an_unknown_key_in_the_base_branch_config() {
    let fake = start(FILLED, true);
    fake.state().put_content(
        REPO,
        "main",
        ".github/guardians.yml",
        "pr-critic:\n  screenshots:\n    globs: ['**/*.tsx']\n",
    );
    let run = run_critic(&fake, &payload_for(&fake, "opened"), &[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stdout.contains("pr-critic.screenshots.globs"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("PrCriticConfig"), "{}", run.stdout);
    assert_eq!(errors_printed(&run), 1, "{}", run.stdout);
    assert!(fake.writes().is_empty(), "{:#?}", fake.writes());
}

#[test]
fn exit_2_for_a_malformed_payload() {
    let fake = start(FILLED, true);
    let mut payload = payload_for(&fake, "opened");
    payload["pull_request"] = serde_json::json!("not an object");
    let run = run_critic(&fake, &payload, &[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stdout.contains("pull_request"), "{}", run.stdout);
    assert_eq!(errors_printed(&run), 1, "{}", run.stdout);
    assert!(fake.calls().is_empty(), "{:#?}", fake.calls());
}

#[test]
fn exit_2_for_bad_input_values_naming_the_input() {
    let fake = start(FILLED, true);
    for (input, value, named) in [
        ("INPUT_MODE", "strict", "`mode`"),
        ("INPUT_PR-NUMBER", "seven", "pr-number"),
        ("INPUT_DRY-RUN", "yes", "dry-run"),
        ("INPUT_FAIL-ON-READONLY", "maybe", "fail-on-readonly"),
    ] {
        let run = run_critic(&fake, &payload_for(&fake, "opened"), &[(input, value)]);
        assert_eq!(run.code, 2, "{input}: {run:?}");
        assert!(run.stdout.contains(named), "{input}: {}", run.stdout);
        assert_eq!(errors_printed(&run), 1, "{input}: {}", run.stdout);
    }
    assert!(fake.writes().is_empty(), "{:#?}", fake.writes());
}

#[test]
fn exit_3_when_github_keeps_answering_502() {
    let fake = start(FILLED, true);
    fake.inject(Fault::status(502).times(1_000));
    let run = run_critic(&fake, &payload_for(&fake, "opened"), &[]);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.stdout.contains("502"), "{}", run.stdout);
    assert_eq!(errors_printed(&run), 1, "{}", run.stdout);
    assert!(comments(&fake).is_empty());
}

/// From a terminal, `--pr N` names the PR on an event that does not (the same flag as every
/// guardian's); `--dry-run --json` prints the plan for machines and writes nothing.
#[test]
fn pr_flag_names_the_pull_request_on_any_event_from_a_terminal() {
    let fake = start(FILLED, true);
    let dir = tempfile::tempdir().unwrap();
    let event = dir.path().join("event.json");
    std::fs::write(&event, r#"{"inputs": {}, "ref": "refs/heads/main"}"#).unwrap();
    let run = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_pr-critic"))
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("GITHUB_TOKEN", TOKEN)
            .current_dir(dir.path())
            .args(["--event", event.to_str().unwrap(), "--repo", REPO])
            .args([
                "--event-name",
                "workflow_dispatch",
                "--api-url",
                &fake.url(),
            ])
            .args(["--dry-run", "--json"])
            .args(extra)
            .output()
            .unwrap()
    };
    let named = run(&["--pr", "7"]);
    let stdout = String::from_utf8_lossy(&named.stdout);
    assert_eq!(named.status.code(), Some(0), "{stdout}");
    // The pretty-printed plan is the block from a line `{` to a line `}` (outside Actions the
    // outputs are printed as `name=value` lines around it).
    let lines: Vec<&str> = stdout.lines().collect();
    let first = lines.iter().position(|l| *l == "{").expect("the JSON plan");
    let last = lines
        .iter()
        .rposition(|l| *l == "}")
        .expect("the JSON plan");
    let plan: serde_json::Value =
        serde_json::from_str(&lines[first..=last].join("\n")).expect("JSON");
    assert_eq!(plan["passed"], true, "{plan:#}");
    assert_eq!(plan["changed-files"], 3, "{plan:#}");
    assert!(fake.writes().is_empty(), "{:#?}", fake.writes());

    let unnamed = run(&[]);
    // The notice is a diagnostic: on stderr from a terminal.
    let stderr = String::from_utf8_lossy(&unnamed.stderr);
    assert_eq!(unnamed.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("--pr"), "says how to name the PR: {stderr}");
}
