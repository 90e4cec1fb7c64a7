//! The command line: `preview-commenter --dry-run --event FILE --config FILE`.
//!
//! Only `--dry-run` exists until the GitHub-facing half lands: it reads the event and config
//! files, checks the previews' health (reads only), and prints the comment and the plan.

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::{Context as _, bail};
use clap::Parser;

use crate::deployments::DeploymentPlan;
use crate::environments::EnvironmentTemplates;
use crate::facts::ExistingComment;
use crate::health::{HealthChecker, RetryPolicy, http_client};
use crate::local::{config_file, event_file};
use crate::plan::{CommentPlan, Plan, plan, stage};

/// Posts one living PR comment with the previews' URLs, their health and how to try them.
#[derive(Debug, Parser)]
#[command(name = "preview-commenter", version)]
pub struct Cli {
    /// Print the comment and the deployment plan; write nothing. Required for now: writing to
    /// GitHub is not wired yet.
    #[arg(long)]
    pub dry_run: bool,
    /// The webhook payload (pull_request, pull_request_target, workflow_run, deployment_status).
    #[arg(long, env = "GITHUB_EVENT_PATH")]
    pub event: PathBuf,
    /// The guardians config file; its `preview-commenter:` section is used.
    #[arg(long, default_value = ".github/guardians.yml")]
    pub config: PathBuf,
    /// Print the plan as JSON instead of Markdown.
    #[arg(long)]
    pub json: bool,
    /// The PR number, for deployment_status payloads, which do not name it.
    #[arg(long)]
    pub pr: Option<u64>,
    /// The workflow run's id, recorded in the comment's metadata.
    #[arg(long, env = "GITHUB_RUN_ID", default_value_t = 0)]
    pub run_id: u64,
    /// The workflow run's attempt.
    #[arg(long, env = "GITHUB_RUN_ATTEMPT", default_value_t = 1)]
    pub run_attempt: u32,
    /// The GitHub web address, for the run's link.
    #[arg(long, env = "GITHUB_SERVER_URL", default_value = "https://github.com")]
    pub server_url: String,
    /// A file with the body of the PR's existing comment, to see whether this run would
    /// overwrite it.
    #[arg(long)]
    pub existing_comment: Option<PathBuf>,
}

/// Runs the command; `Ok(true)` when the step should fail (an unhealthy preview).
pub async fn run(cli: Cli) -> anyhow::Result<bool> {
    if !cli.dry_run {
        bail!(
            "only --dry-run is supported so far: writing the comment and deployments to GitHub is not wired yet"
        );
    }
    let config = config_file::load(&cli.config)?;
    let templates = EnvironmentTemplates::from_config(&config)
        .with_context(|| format!("in the config file {}", cli.config.display()))?;
    let existing_comment = match &cli.existing_comment {
        Some(path) => Some(ExistingComment {
            id: 0,
            body: std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the comment file {}", path.display()))?,
        }),
        None => None,
    };
    let payload = std::fs::read_to_string(&cli.event)
        .with_context(|| format!("cannot read the event file {}", cli.event.display()))?;
    let context = event_file::RunContext {
        run_id: cli.run_id,
        run_attempt: cli.run_attempt,
        server_url: cli.server_url.clone(),
        pr_number: cli.pr,
        existing_comment,
        now: jiff::Timestamp::now(),
    };
    let facts = event_file::facts_from_payload(&payload, context)
        .with_context(|| format!("in the event file {}", cli.event.display()))?;
    let stage = stage(&facts, &templates)?;
    let reports = if stage.to_check().is_empty() {
        Vec::new()
    } else {
        let client = http_client().context("cannot set up the HTTP client for health checks")?;
        HealthChecker::new(client, RetryPolicy::from(&config.health_check))
            .check_all(stage.to_check())
            .await
    };
    let plan = plan(&facts, &config, &stage, &reports);
    let text = if cli.json {
        serde_json::to_string_pretty(&plan).context("cannot serialize the plan")?
    } else {
        render_for_people(&plan)
    };
    print_untrusted(&text)?;
    Ok(plan.verdict.fails_step())
}

/// The comment, then what would happen to deployments and outputs.
fn render_for_people(plan: &Plan) -> String {
    let mut out = match &plan.comment {
        CommentPlan::Write { body } => format!("Comment (would be created or updated):\n\n{body}"),
        CommentPlan::LeaveAlone { reason } => format!("Comment left alone: {reason}.\n"),
    };
    out.push_str("\nDeployments:\n");
    match &plan.deployments {
        DeploymentPlan::Nothing => out.push_str("- none\n"),
        DeploymentPlan::Publish {
            create, finished, ..
        } => {
            for (deployment, status) in create.iter().zip(finished) {
                out.push_str(&format!(
                    "- create {} at {}: in_progress, then {:?}\n",
                    deployment.environment, deployment.git_ref, status.state
                ));
            }
        }
        DeploymentPlan::Deactivate { statuses } => {
            for status in statuses {
                out.push_str(&format!("- mark {} inactive\n", status.environment));
            }
        }
    }
    let urls = serde_json::to_string(&plan.outputs.urls).unwrap_or_default();
    let healthy = plan
        .outputs
        .healthy
        .map_or(String::new(), |h| h.to_string());
    out.push_str(&format!(
        "\nOutputs:\n- urls: {urls}\n- healthy: {healthy}\n"
    ));
    out
}

/// Prints text that may hold PR-controlled strings (the branch name in URLs and commands).
/// Inside Actions, workflow commands are suspended around it so a line cannot inject one.
fn print_untrusted(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
        let token = format!("{:032x}", rand::random::<u128>());
        writeln!(stdout, "::stop-commands::{token}")?;
        writeln!(stdout, "{text}")?;
        writeln!(stdout, "::{token}::")?;
    } else {
        writeln!(stdout, "{text}")?;
    }
    Ok(())
}
