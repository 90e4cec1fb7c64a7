//! The real binary in `--dry-run` mode without a token: reads an event and a config file, checks
//! previews served by a local server, prints the comment, and exits by the verdict.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Serves `/pr-42` (healthy), `/pr-42/health` (healthy) and `/broken/health` (500); counts requests.
async fn start_previews() -> (u16, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = |status: StatusCode, hits: Arc<AtomicUsize>| {
        get(move || async move {
            hits.fetch_add(1, Ordering::SeqCst);
            status
        })
    };
    let app = Router::new()
        .route("/pr-42", counted(StatusCode::OK, hits.clone()))
        .route("/pr-42/health", counted(StatusCode::OK, hits.clone()))
        .route(
            "/broken/health",
            counted(StatusCode::INTERNAL_SERVER_ERROR, hits.clone()),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (port, hits)
}

fn config(dir: &Path, port: u16, api_path: &str) -> PathBuf {
    let path = dir.join("guardians.yml");
    let yaml = format!(
        "preview-commenter:\n  health-check:\n    attempts: 1\n  environments:\n    - name: Frontend\n      url: http://127.0.0.1:{port}/pr-{{number}}\n    - name: API\n      url: http://127.0.0.1:{port}{api_path}\n      health-path: /health\n"
    );
    std::fs::write(&path, yaml).expect("write config");
    path
}

/// A dry run from a terminal.
async fn dry_run(args: Vec<String>) -> Output {
    dry_run_in(args, None).await
}

/// In Actions (`actions_dir` given) the step's output and summary files live there, as the
/// runner provides them.
async fn dry_run_in(args: Vec<String>, actions_dir: Option<PathBuf>) -> Output {
    tokio::task::spawn_blocking(move || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_preview-commenter"));
        command
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("GITHUB_RUN_ID", "7001")
            .env("GITHUB_RUN_ATTEMPT", "1")
            .env("GITHUB_SERVER_URL", "https://github.com");
        if let Some(dir) = &actions_dir {
            command
                .env("GITHUB_ACTIONS", "true")
                .env("GITHUB_OUTPUT", dir.join("output"))
                .env("GITHUB_STEP_SUMMARY", dir.join("summary"));
        } else {
            command.env_remove("GITHUB_ACTIONS");
        }
        command.output().expect("run the binary")
    })
    .await
    .expect("join")
}

fn args(event: &str, config: &Path, extra: &[&str]) -> Vec<String> {
    let mut args = vec![
        "--dry-run".to_owned(),
        "--event".to_owned(),
        data(event).display().to_string(),
        "--config".to_owned(),
        config.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    args
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Errors, warnings and notices: on stderr outside Actions.
fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn healthy_previews_print_the_comment_and_succeed() {
    let (port, hits) = start_previews().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = config(dir.path(), port, "/pr-42");
    let output = dry_run(args("pull_request_synchronize.json", &config, &[])).await;
    let text = stdout(&output);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{text}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(text.contains("All 2 previews are up."), "{text}");
    assert!(
        text.contains(&format!(
            "| API | <http://127.0.0.1:{port}/pr-42> | ✅ 200 |"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("curl -fsS http://127.0.0.1:{port}/pr-42/health")),
        "{text}"
    );
    assert!(
        text.contains("create preview/pr-42/API at 9f8e7d6c5b4a39281706f5e4d3c2b1a098765432"),
        "{text}"
    );
    assert_eq!(hits.load(Ordering::SeqCst), 2, "one check per environment");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unhealthy_preview_fails_with_exit_code_1() {
    let (port, _) = start_previews().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = config(dir.path(), port, "/broken");
    let output = dry_run(args("pull_request_synchronize.json", &config, &["--json"])).await;
    assert_eq!(output.status.code(), Some(1));
    // Outside Actions the outputs are printed as `name=value` lines before the plan.
    let text = stdout(&output);
    let json = &text[text.find("\n{").map_or(0, |at| at + 1)..];
    let plan: serde_json::Value = serde_json::from_str(json).expect("JSON plan");
    assert_eq!(plan["verdict"]["verdict"], "unhealthy");
    assert_eq!(plan["verdict"]["environments"], serde_json::json!(["API"]));
    assert_eq!(plan["outputs"]["healthy"], false);
    assert!(
        plan["comment"]["body"].as_str().is_some_and(
            |b| b.contains("❌ HTTP 500, expected 2xx") && b.contains(r#""run_id":7001"#)
        )
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn closing_checks_nothing_and_strikes_the_urls() {
    let (port, hits) = start_previews().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = config(dir.path(), port, "/pr-42");
    let comment = dir.path().join("comment.md");
    std::fs::write(
        &comment,
        r#"<!-- preview-commenter:meta {"sha":"9f8e7d6c5b4a39281706f5e4d3c2b1a098765432","run_id":6000,"run_attempt":1,"updated_at":"2026-11-22T10:00:00Z"} -->"#,
    )
    .expect("write comment");
    let comment_arg = comment.display().to_string();
    let output = dry_run(args(
        "pull_request_closed_merged.json",
        &config,
        &["--existing-comment", &comment_arg],
    ))
    .await;
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains("was merged, so its previews were removed"),
        "{text}"
    );
    assert!(
        text.contains(&format!("~~<http://127.0.0.1:{port}/pr-42>~~")),
        "{text}"
    );
    assert!(
        text.contains("mark preview/pr-42/Frontend inactive"),
        "{text}"
    );
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "nothing is health-checked on close"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_comment_from_a_later_run_is_left_alone() {
    let (port, hits) = start_previews().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = config(dir.path(), port, "/pr-42");
    let comment = dir.path().join("comment.md");
    std::fs::write(
        &comment,
        r#"<!-- preview-commenter:meta {"sha":"9f8e7d6c5b4a39281706f5e4d3c2b1a098765432","run_id":7002,"run_attempt":1,"updated_at":"2026-11-22T10:00:00Z"} -->"#,
    )
    .expect("write comment");
    let comment_arg = comment.display().to_string();
    let output = dry_run(args(
        "pull_request_synchronize.json",
        &config,
        &["--existing-comment", &comment_arg],
    ))
    .await;
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains("The comment was left alone: the comment was written by a later run (7002"),
        "{text}"
    );
    assert_eq!(hits.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn inside_actions_the_output_cannot_inject_workflow_commands() {
    let (port, _) = start_previews().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = config(dir.path(), port, "/pr-42");
    let actions = tempfile::tempdir().expect("tempdir");
    let output = dry_run_in(
        args("pull_request_synchronize.json", &config, &[]),
        Some(actions.path().to_owned()),
    )
    .await;
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    // A dry run still writes the outputs and the step summary.
    let summary = std::fs::read_to_string(actions.path().join("summary")).expect("summary");
    assert!(summary.contains("All 2 previews are up."), "{summary}");
    let outputs = guardians_core::toolkit::read_output_file(
        &std::fs::read_to_string(actions.path().join("output")).expect("outputs"),
    );
    assert_eq!(outputs["healthy"], "true");
    let first = text.lines().next().unwrap_or_default();
    let token = first
        .strip_prefix("::stop-commands::")
        .expect("commands suspended first");
    assert!(token.len() >= 32);
    assert_eq!(text.lines().last(), Some(format!("::{token}::").as_str()));
}

#[tokio::test(flavor = "multi_thread")]
async fn mistakes_exit_2_with_a_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = config(dir.path(), 1, "/pr-42");
    let mut without_dry_run = args("pull_request_synchronize.json", &config, &[]);
    without_dry_run.remove(0);
    let output = dry_run(without_dry_run).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no GitHub token"),
        "{}",
        stderr(&output)
    );

    let output = dry_run(args("workflow_run_completed.json", &config, &[])).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("finding it needs the API: set GITHUB_TOKEN"),
        "{}",
        stderr(&output)
    );

    std::fs::write(&config, "preview-commenter:\n  environments: []\n").expect("write");
    let output = dry_run(args("pull_request_synchronize.json", &config, &[])).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("preview-commenter has no environments"),
        "{}",
        stderr(&output)
    );
    let text = stdout(&output);
    assert!(
        !text.contains("Comment"),
        "no plan printed on error: {text}"
    );
}
