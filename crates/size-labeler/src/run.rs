//! One run, from flags and environment to exit code.

use std::process::ExitCode;

use anyhow::Context as _;
use guardians_core::config::{self, ConfigSource, LoadedConfig};
use guardians_core::event::{Event, PullRequest};
use guardians_core::github::Identity;
use guardians_core::github::pulls;
use guardians_core::runner::{ReadOnlyOutcome, Session, degrade_read_only};
use guardians_core::toolkit::{AnnotationProps, Toolkit};

use crate::apply::ApplyError;
use crate::cli::Cli;
use crate::facts::{Facts, FileListing, Totals};
use crate::gitattributes::GeneratedFiles;
use crate::ignore::IgnoreRules;
use crate::plan::{Plan, plan};
use crate::settings::{InputOverrides, Settings};
use crate::{apply, gather, git_mode, report};

/// The exit code every guardian uses for "GitHub or the network failed after bounded retries".
const EXIT_GITHUB_FAILED: u8 = 3;

/// The `pull_request` actions that can change a PR's size or labels.
pub const TRIGGER_ACTIONS: &[&str] = &[
    "opened",
    "reopened",
    "synchronize",
    "edited",
    "ready_for_review",
];

pub async fn run(cli: Cli, toolkit: Toolkit) -> anyhow::Result<ExitCode> {
    if let Some(range) = &cli.git {
        return run_local(&cli, range, &toolkit);
    }
    let session = Session::open(cli.common, toolkit)?;
    let pr_number = session.toolkit.input_pr_number("pr-number")?;
    let event_pr: Option<PullRequest> = match &session.context.event {
        Event::PullRequest(event) if TRIGGER_ACTIONS.contains(&event.action.as_str()) => {
            Some(event.pull_request.clone())
        }
        Event::PullRequest(event) => {
            session.toolkit.notice(
                &format!(
                    "size-labeler has nothing to do for `{}` pull requests; it runs on {}.",
                    event.action,
                    TRIGGER_ACTIONS.join(", ")
                ),
                &AnnotationProps::default(),
            );
            return Ok(ExitCode::SUCCESS);
        }
        // The fork-safe split: a `workflow_run` (or other) workflow names the PR it verified.
        _ if pr_number.is_some() => None,
        _ => {
            session.toolkit.notice(
                &format!(
                    "size-labeler runs on `pull_request` and `pull_request_target`, or on any event with the `pr-number` input; this is `{}` without it, so there is nothing to do.",
                    session.context.event_name
                ),
                &AnnotationProps::default(),
            );
            return Ok(ExitCode::SUCCESS);
        }
    };
    let inputs = read_inputs(&session.toolkit)?;
    let fail_on_readonly = session.flag("fail-on-readonly", false)?;

    let Some(gh) = session.github_if_available() else {
        if !session.dry_run {
            return Err(guardians_core::runner::RunError::MissingToken.into());
        }
        let Some(pr) = &event_pr else {
            anyhow::bail!("--dry-run without a token needs a pull_request payload (--event FILE)");
        };
        return offline_dry_run(&session, pr, &inputs);
    };
    // Named by number: read it first (its base branch decides which config applies).
    let event_pr = match event_pr {
        Some(pr) => pr,
        None => {
            let number = pr_number.context("no pull request to size")?;
            pulls::pull_request(gh, &session.context.repository, number).await?
        }
    };

    // With a local config the decision to list files can be made before any request.
    let (local_config, hint) = match &session.args.config {
        Some(path) => {
            let local = config::load_from_file(path)?;
            let settings = Settings::resolve(&local.config.size_labeler, &inputs)?;
            let needs_files = !IgnoreRules::new(settings.ignore_lockfiles, None, &settings.ignore)?
                .ignores_nothing()
                || settings.ignore_generated;
            (Some(local), Some(needs_files))
        }
        None => (None, None),
    };
    let gathered = gather::gather(&session, gh, &event_pr, local_config, hint).await?;
    let settings = Settings::resolve(&gathered.config.config.size_labeler, &inputs)?;
    let rules = ignore_rules(&settings, gathered.gitattributes.as_deref())?;
    let mut facts = gathered.facts;
    if rules.ignores_nothing() {
        facts.files = FileListing::NotNeeded;
    }
    // Who we comment as matters only when a size comment is configured; then our comments are
    // read too (one more round trip, after the config says so).
    let identity = match settings.comment_on {
        Some(_) => Some(
            Identity::resolve(
                gh,
                session.token().unwrap_or(""),
                session.toolkit.input("comment-author").as_deref(),
            )
            .await?,
        ),
        None => None,
    };
    if let Some(identity) = &identity {
        facts.sticky_comments =
            Some(gather::sticky_comments(gh, &session, facts.number, identity).await?);
    }
    let plan = plan(&facts, &settings, &rules);
    let markdown = report::markdown(&plan, session.dry_run);

    if session.dry_run {
        print_plan(&session.toolkit, &plan, &markdown, session.args.json)?;
        return Ok(ExitCode::SUCCESS);
    }
    session.toolkit.info(&format!(
        "size: {} ({} lines; config: {})",
        plan.bucket.label, plan.measurement.lines, gathered.config.source
    ));
    write_outputs(&session.toolkit, &plan)?;
    let existing = facts.sticky_comments.clone().unwrap_or_default();
    let applied = apply::apply(
        &plan,
        gh,
        &session.context.repository,
        identity.as_ref(),
        &existing,
        facts.known_labels.as_ref(),
    )
    .await;
    match applied {
        Ok(outcome) => {
            session.toolkit.append_summary(&markdown)?;
            if outcome.labels_added.is_empty() && outcome.labels_removed.is_empty() {
                session
                    .toolkit
                    .info("labels already right; nothing written");
            }
        }
        Err(ApplyError::Api(err)) => {
            match degrade_read_only(&session.toolkit, err, &markdown, fail_on_readonly)? {
                ReadOnlyOutcome::Degraded => {}
                ReadOnlyOutcome::Failed => return Ok(ExitCode::FAILURE),
            }
        }
        Err(ApplyError::Labels(err)) => {
            // Half-applied labels: say what is left, post no comment claiming the size, and
            // exit with the code for "GitHub failed after retries" so a re-run repairs it.
            session.toolkit.error(
                &format!("size-labeler: {err}"),
                &AnnotationProps {
                    title: Some("Size labels not updated".into()),
                    ..Default::default()
                },
            );
            return Ok(ExitCode::from(EXIT_GITHUB_FAILED));
        }
    }
    let stats = gh.stats();
    session.toolkit.debug(&format!(
        "API: {} requests, {} retries, {:?} waited",
        stats.requests, stats.retries, stats.waited
    ));
    Ok(verdict(&session.toolkit, &plan))
}

fn verdict(toolkit: &Toolkit, plan: &Plan) -> ExitCode {
    if plan.fail {
        toolkit.error(
            &format!(
                "This pull request is {} ({} lines), at or above `fail-on-size`. Split it, or raise `fail-on-size`.",
                plan.bucket.label, plan.measurement.lines
            ),
            &AnnotationProps {
                title: Some("Pull request too large".into()),
                ..Default::default()
            },
        );
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// No token and `--dry-run`: size from the payload's totals, settings from `--config` or
/// the defaults.
fn offline_dry_run(
    session: &Session,
    pr: &PullRequest,
    inputs: &InputOverrides,
) -> anyhow::Result<ExitCode> {
    let loaded = match &session.args.config {
        Some(path) => config::load_from_file(path)?,
        None => LoadedConfig {
            config: config::GuardiansConfig::default(),
            source: ConfigSource::Defaults,
        },
    };
    let settings = Settings::resolve(&loaded.config.size_labeler, inputs)?;
    let rules = ignore_rules(&settings, None)?;
    let facts = Facts {
        number: pr.number,
        head_sha: pr.head.sha.clone(),
        totals: Totals {
            additions: pr.additions.unwrap_or(0),
            deletions: pr.deletions.unwrap_or(0),
            changed_files: pr.changed_files.unwrap_or(0),
        },
        files: FileListing::Unavailable,
        current_labels: pr.labels.iter().map(|l| l.name.clone()).collect(),
        sticky_comments: None,
        known_labels: None,
    };
    let plan = plan(&facts, &settings, &rules);
    let markdown = report::markdown(&plan, true);
    print_plan(&session.toolkit, &plan, &markdown, session.args.json)?;
    Ok(ExitCode::SUCCESS)
}

/// `--git BASE...HEAD`: a local checkout, no API, nothing written.
fn run_local(cli: &Cli, range: &str, toolkit: &Toolkit) -> anyhow::Result<ExitCode> {
    let local = git_mode::gather(&cli.repo_dir, range)?;
    let file_config = match (&cli.common.config, &local.config_text) {
        (Some(path), _) => config::load_from_file(path)?.config,
        (None, Some(text)) => {
            config::parse(text, &format!("{}:.github/guardians.yml", local.base))?
        }
        (None, None) => config::GuardiansConfig::default(),
    };
    let settings = Settings::resolve(&file_config.size_labeler, &InputOverrides::default())?;
    let rules = ignore_rules(&settings, local.gitattributes.as_deref())?;
    let plan = plan(&local.facts, &settings, &rules);
    let markdown = report::markdown(&plan, true);
    print_plan(toolkit, &plan, &markdown, cli.common.json)?;
    Ok(ExitCode::SUCCESS)
}

fn ignore_rules(settings: &Settings, gitattributes: Option<&str>) -> anyhow::Result<IgnoreRules> {
    let generated = settings
        .ignore_generated
        .then(|| gitattributes.map(GeneratedFiles::parse))
        .flatten();
    Ok(IgnoreRules::new(
        settings.ignore_lockfiles,
        generated,
        &settings.ignore,
    )?)
}

fn read_inputs(toolkit: &Toolkit) -> anyhow::Result<InputOverrides> {
    let ignore: Vec<String> = toolkit
        .input("ignore")
        .map(|text| {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    // Same rule as the config's `ignore`: globs relative to the repository root.
    config::validate_repo_paths("input `ignore`", &ignore, config::PathKind::Glob)?;
    Ok(InputOverrides {
        ignore,
        ignore_lockfiles: toolkit.input_bool("ignore-lockfiles")?,
        ignore_generated: toolkit.input_bool("ignore-generated")?,
        comment_on: toolkit.input("comment-on"),
        fail_on_size: toolkit.input("fail-on-size"),
    })
}

fn write_outputs(toolkit: &Toolkit, plan: &Plan) -> anyhow::Result<()> {
    for (name, value) in report::outputs(plan) {
        toolkit
            .set_output(name, &value)
            .with_context(|| format!("could not write output `{name}`"))?;
    }
    Ok(())
}

/// The plan for a person (Markdown) or a machine (JSON). File names in it are untrusted, so in
/// Actions the text is printed with workflow commands stopped.
fn print_plan(toolkit: &Toolkit, plan: &Plan, markdown: &str, json: bool) -> anyhow::Result<()> {
    if json {
        let mut value = serde_json::to_value(plan)?;
        value["outputs"] = report::outputs(plan)
            .into_iter()
            .map(|(k, v)| (k.to_string(), serde_json::Value::String(v)))
            .collect::<serde_json::Map<_, _>>()
            .into();
        toolkit.untrusted(&serde_json::to_string_pretty(&value)?);
    } else {
        toolkit.untrusted(markdown);
    }
    Ok(())
}
