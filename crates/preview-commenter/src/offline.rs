//! `--dry-run` without a token: the PR as the event file describes it, the config from
//! `--config` (or the defaults), the existing comment from `--existing-comment`. Nothing is read
//! from GitHub and nothing is written.

use std::process::ExitCode;

use anyhow::Context as _;
use guardians_core::runner::Session;
use jiff::Timestamp;

use crate::cli::Cli;
use crate::environments::EnvironmentTemplates;
use crate::facts::{ExistingComment, RunFacts};
use crate::gather;
use crate::plan::{plan, stage};
use crate::run::{check, dry_run_verdict, print_plan};
use crate::settings::InputOverrides;
use crate::trigger::Trigger;

/// Checks the previews and prints the plan.
pub async fn dry_run(
    session: &Session,
    cli: &Cli,
    inputs: &InputOverrides,
    trigger: &Trigger,
) -> anyhow::Result<ExitCode> {
    let Some(pull_request) = trigger.payload_pull_request.clone() else {
        anyhow::bail!(
            "this event does not name its pull request and finding it needs the API: set GITHUB_TOKEN, or pass --pr NUMBER"
        );
    };
    let loaded = session.load_config("").await?;
    let config = inputs.apply(loaded.config.preview_commenter);
    let templates = EnvironmentTemplates::from_config(&config)
        .with_context(|| format!("in {}", loaded.source))?;
    let existing_comment = match &cli.existing_comment {
        Some(path) => Some(ExistingComment {
            id: 0,
            body: std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the comment file {}", path.display()))?,
        }),
        None => None,
    };
    let facts = RunFacts {
        owner: session.context.repository.owner.clone(),
        repo: session.context.repository.name.clone(),
        pull_request,
        sha: trigger.sha.clone(),
        run: gather::run_identity(session),
        now: Timestamp::now(),
        existing_comment,
    };
    let stage = stage(&facts, &templates)?;
    let reports = check(&config, &stage).await?;
    let plan = plan(&facts, &config, &stage, &reports);
    print_plan(&session.toolkit, &plan, session.args.json)?;
    Ok(dry_run_verdict(session, &plan))
}
