//! `telemetry-emitter report`, as the core runner's local command: from a file, from GitHub's
//! history (`--github`), or both merged. Exit codes as everywhere: 2 for a bad flag, file or
//! setting, 3 when GitHub could not be read at all (a listing that fails while others are read
//! is named in the report instead).

use std::time::Instant;

use guardians_core::config::{self, GuardiansConfig, LoadError};
use guardians_core::context::RepoName;
use guardians_core::github::{DEFAULT_API_URL, GitHub};
use guardians_core::runner::RunError;
use guardians_core::toolkit::Toolkit;
use serde_json::Value;

use crate::cli::{ReportArgs, load_file, render_report, window};
use crate::history::read::{Progress, Reader};
use crate::history::{self, History};
use crate::report::Format;
use crate::report_publish::{SlackError, post_to_slack, publish_to_issue, slack_message};

/// The report in the asked format, and in Markdown for the step summary.
pub(crate) struct ReportText {
    pub text: String,
    pub markdown: String,
}

fn bad_input(error: anyhow::Error) -> RunError {
    RunError::Other(format!("{error:#}"))
}

pub(crate) fn run_report(args: &ReportArgs, toolkit: &Toolkit) -> Result<ReportText, RunError> {
    if let Some(url) = &args.slack_webhook_url {
        toolkit.mask(url);
    }
    let window = window(args).map_err(bad_input)?;
    let loaded = match &args.from {
        Some(path) => Some(load_file(path, window.since).map_err(bad_input)?),
        None => None,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| RunError::Other(format!("could not start the async runtime: {e}")))?;
    let remote = match &args.github {
        Some(repo) => Some(Remote::open(args, toolkit, repo)?),
        None => None,
    };
    let history = match &remote {
        Some(remote) => Some(read_history(args, toolkit, remote, &runtime, &window)?),
        None => None,
    };
    let text = render_report(args, &window, loaded.clone(), history.as_ref());
    let render_as = |format: Format| {
        if args.format == format {
            text.clone()
        } else {
            let mut other = args.clone();
            other.format = format;
            render_report(&other, &window, loaded.clone(), history.as_ref())
        }
    };
    let markdown = render_as(Format::Markdown);
    if let (Some(number), Some(remote)) = (args.issue, &remote) {
        let outcome = runtime.block_on(publish_to_issue(
            &remote.gh,
            &remote.token,
            &remote.repo,
            number,
            &markdown,
        ))?;
        toolkit.info(&format!(
            "telemetry-emitter: the report on #{number} was {:?} (comment {})",
            outcome.action, outcome.id
        ));
    }
    if let Some(url) = &args.slack_webhook_url {
        let title = match &args.github {
            Some(repo) => format!("Delivery report: {repo}"),
            None => "Delivery report".to_owned(),
        };
        let message = slack_message(&title, &render_as(Format::Table));
        runtime
            .block_on(post_to_slack(url, &message))
            .map_err(|e| match e {
                SlackError::Unreachable(_) => RunError::Unavailable(e.to_string()),
                _ => RunError::Other(e.to_string()),
            })?;
    }
    Ok(ReportText { text, markdown })
}

/// The repository read with `--github`, and the client reading it.
struct Remote {
    repo: RepoName,
    token: String,
    gh: GitHub,
}

impl Remote {
    fn open(args: &ReportArgs, toolkit: &Toolkit, repo: &str) -> Result<Remote, RunError> {
        let repo: RepoName = repo.parse().map_err(|e| {
            RunError::Other(format!("--github {repo}: {e}; write it as OWNER/NAME"))
        })?;
        let token = toolkit
            .input("github-token")
            .or_else(|| std::env::var("GITHUB_TOKEN").ok())
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .ok_or(RunError::MissingToken)?;
        toolkit.mask(&token);
        let api_url = args
            .api_url
            .clone()
            .or_else(|| {
                std::env::var("GITHUB_API_URL")
                    .ok()
                    .filter(|u| !u.trim().is_empty())
            })
            .unwrap_or_else(|| DEFAULT_API_URL.to_owned());
        let gh = GitHub::new(&api_url, &token)?;
        Ok(Remote { repo, token, gh })
    }
}

fn read_history(
    args: &ReportArgs,
    toolkit: &Toolkit,
    remote: &Remote,
    runtime: &tokio::runtime::Runtime,
    window: &crate::cli::ReportWindow,
) -> Result<History, RunError> {
    let Remote { repo, gh, .. } = remote;
    let since = window.since.unwrap_or(window.now);
    let started = Instant::now();
    let reader = Reader::new(
        gh,
        args.cache.clone(),
        Progress::wanted(toolkit.in_actions()),
    );
    let history = runtime.block_on(async {
        // The repository first: its default branch says where merges land and where the
        // settings live; if even this cannot be read, nothing can.
        let repository: Value = gh.get(&format!("/repos/{repo}")).await?;
        let default_branch = repository["default_branch"].as_str().unwrap_or("HEAD");
        let mut missing = Vec::new();
        let settings = match &args.config {
            Some(path) => config::load_from_file(path)?.config,
            None => match config::load_from_ref(gh, repo, default_branch).await {
                Ok(loaded) => loaded.config,
                Err(LoadError::Config(e)) => return Err(RunError::Config(e)),
                Err(LoadError::Api(e)) => {
                    missing.push(format!(
                        ".github/guardians.yml ({e}): the defaults were used (production-environments: [production])"
                    ));
                    GuardiansConfig::default()
                }
            },
        };
        let mut history = history::read(
            &reader,
            repo,
            &repository,
            &settings.section()?,
            since,
            window.now,
        )
        .await
        .map_err(|e| RunError::Api(e.source))?;
        missing.append(&mut history.missing);
        history.missing = missing;
        Ok::<History, RunError>(history)
    });
    reader.progress().finish();
    let history = history?;
    let stats = gh.stats();
    let line = format!(
        "telemetry-emitter: read {repo} in {:.1}s: {} request(s) to GitHub, {} answer(s) from the cache",
        started.elapsed().as_secs_f64(),
        stats.requests,
        reader.cache_hits()
    );
    if toolkit.in_actions() {
        toolkit.info(&line);
    } else {
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "{line}");
    }
    if let Some(path) = &args.save_events {
        let mut text = String::new();
        for event in &history.events {
            let line = serde_json::to_string(event)
                .map_err(|e| RunError::Other(format!("could not encode an event: {e}")))?;
            text.push_str(&line);
            text.push('\n');
        }
        std::fs::write(path, text).map_err(|e| {
            RunError::Other(format!(
                "could not write --save-events {}: {e}",
                path.display()
            ))
        })?;
    }
    Ok(history)
}
