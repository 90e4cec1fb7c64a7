//! Actions mode: the pull request of the event, read through the API (and the local
//! checkout when it has both commits), diffed, gated on the approval label, reported in one
//! sticky comment, the step summary, annotations and outputs.

pub mod apply;
pub mod gather;
pub mod inputs;
pub mod sources;
pub mod target;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use guardians_core::event::Event;
use guardians_core::runner::{ReadOnlyOutcome, RunError, Session, degrade_read_only};
use guardians_core::toolkit::{AnnotationProps, Toolkit};
use serde_json::json;

use crate::approval::{self, Gate, GateInput};
use crate::cli::Args;
use crate::comment;
use crate::detect::Detector;
use crate::limits::Limits;
use crate::plan::{self, Plan};
use apply::Writes;
use inputs::Inputs;
use sources::{Origin, Sources};
use target::Skip;

/// At most this many breaking changes become error annotations (GitHub shows ten per step).
const MAX_ANNOTATIONS: usize = 50;

/// Whether an event is there to act on (the Actions environment, or `--event`).
pub fn event_available(args: &Args) -> bool {
    args.common.event.is_some() || std::env::var_os("GITHUB_EVENT_PATH").is_some()
}

pub async fn run(args: &Args, toolkit: Toolkit) -> anyhow::Result<ExitCode> {
    let session = Session::open(args.common.clone(), toolkit)?;
    let inputs = Inputs::read(&session.toolkit).map_err(RunError::Other)?;
    let fail_on_readonly = session.flag("fail-on-readonly", false)?;
    let target = match target::select(
        &session.context.event,
        &session.context.event_name,
        inputs.pr_number,
    ) {
        Ok(target) => target,
        Err(Skip(message)) => {
            session
                .toolkit
                .notice(&message, &AnnotationProps::default());
            return Ok(ExitCode::SUCCESS);
        }
    };
    let Some(gh) = session.github_if_available() else {
        return Err(RunError::Other(
            "no GitHub token: set the `github-token` input (default `${{ github.token }}`) or GITHUB_TOKEN; \
             to diff without the API, use `contracts-diff --git BASE HEAD` in a checkout"
                .to_owned(),
        )
        .into());
    };
    let repo = session.context.repository.clone();
    let gathered = gather::gather(&session, gh, &target).await?;
    let mut config = inputs.apply(gathered.config.config.contracts_diff.clone());
    if let Some(fail_on) = args.fail_on {
        config.fail_on = fail_on.into();
    }
    let detector = Detector::new(&config).map_err(|e| RunError::Other(e.to_string()))?;
    let limits = Limits::default();
    let pull = &gathered.pull;
    let workspace = std::env::var_os("GITHUB_WORKSPACE")
        .map(PathBuf::from)
        .unwrap_or_else(|| args.repo_dir.clone());
    // GitHub's listing stops at 3,000 files; a contract must not hide behind them.
    let listing = sources::complete_listing(
        gh,
        &repo,
        gathered.files.clone(),
        &workspace,
        &pull.base.sha,
        &pull.head.sha,
    )
    .await?;
    let (changed, endpoint_files) = sources::select(&listing.files, &detector);
    let origin = if changed.is_empty() {
        Origin::Api {
            base: pull.base.sha.clone(),
            head: pull.head.sha.clone(),
        }
    } else {
        Origin::choose(Some(&workspace), &pull.base.sha, &pull.head.sha)
    };
    let mut sources =
        sources::collect(gh, &repo, &origin, changed, endpoint_files, &limits).await?;
    if let Some(found_by) = listing.completed_from {
        sources.notes.push(format!(
            "GitHub lists at most 3,000 files of a pull request; the files beyond them were found by comparing {found_by}."
        ));
    }
    sources.facts.incomplete_listing = listing.incomplete;
    let plan = plan::plan(&sources.facts, &config, &limits);
    let breaking = approval::breaking_changes(&plan);
    let recorded = approval::read_recorded_from(&gathered.comments, &gathered.identity);
    let label = config.approval_label.clone();
    let gate = approval::decide(&GateInput {
        label: &label,
        label_present: pull.has_label(&label),
        label_just_added: match &session.context.event {
            Event::PullRequest(event) => Some(
                event.action == "labeled"
                    && event
                        .label
                        .as_ref()
                        .is_some_and(|l| l.name.eq_ignore_ascii_case(&label)),
            ),
            _ => None,
        },
        approval_required: plan.approval_required,
        fail_on_met: plan.fail,
        breaking: &breaking,
        recorded: &recorded,
    });
    let report = Report::new(&plan, &gate, &label, &breaking, &sources);

    session.toolkit.info(&format!(
        "contract files: {}, breaking changes: {}, contents from {}, config: {}",
        plan.files.len(),
        breaking.len(),
        origin.describe(),
        gathered.config.source
    ));
    for (name, value) in plan.outputs.as_pairs() {
        session
            .toolkit
            .set_output(name, &value)
            .with_context(|| format!("could not write output `{name}`"))?;
    }
    annotate(&session.toolkit, &breaking);

    if session.dry_run {
        // Nothing is written to GitHub; the runner's own files (outputs, summary) still are,
        // so the fork-safe half of a split workflow shows the report and fails per the gate.
        if args.common.json || args.format == crate::cli::Format::Json {
            let mut value = plan.to_json();
            value["approval"] = json!({
                "label": label,
                "fail": gate.fail,
                "remove-label": gate.remove_label,
                "verdict": comment::verdict(&plan, &gate, &label, &breaking),
                "breaking-fingerprints": breaking.iter().map(|b| b.fingerprint.clone()).collect::<Vec<_>>(),
            });
            session
                .toolkit
                .untrusted(&serde_json::to_string_pretty(&value)?);
        } else {
            session.toolkit.untrusted(&report.summary);
        }
        session.toolkit.append_summary(&report.summary)?;
        return Ok(verdict(&session.toolkit, &plan, &gate, &label, &breaking));
    }

    let writes = Writes {
        comment: (!plan.files.is_empty() || !gathered.comments.is_empty())
            .then(|| report.comment.clone()),
        remove_label: gate.remove_label.then(|| label.clone()),
    };
    let applied = apply::apply(
        &writes,
        gh,
        &repo,
        target.number,
        &gathered.identity,
        &gathered.comments,
    )
    .await;
    match applied {
        Ok(outcome) => {
            session.toolkit.append_summary(&report.summary)?;
            if outcome.label_removed {
                session
                    .toolkit
                    .info("approval label removed: new breaking changes since it was given");
            }
        }
        Err(err) => {
            match degrade_read_only(&session.toolkit, err, &report.summary, fail_on_readonly)? {
                ReadOnlyOutcome::Degraded => {}
                ReadOnlyOutcome::Failed => return Ok(ExitCode::FAILURE),
            }
        }
    }
    let stats = gh.stats();
    session.toolkit.debug(&format!(
        "API: {} requests, {} retries, {:?} waited",
        stats.requests, stats.retries, stats.waited
    ));
    Ok(verdict(&session.toolkit, &plan, &gate, &label, &breaking))
}

/// The step's result: the gate's, with its reason as an error annotation.
fn verdict(
    toolkit: &Toolkit,
    plan: &Plan,
    gate: &Gate,
    label: &str,
    breaking: &[approval::BreakingChange],
) -> ExitCode {
    if !gate.fail {
        return ExitCode::SUCCESS;
    }
    toolkit.error(
        &comment::verdict(plan, gate, label, breaking),
        &AnnotationProps {
            title: Some("API contract approval".into()),
            ..Default::default()
        },
    );
    ExitCode::FAILURE
}

/// The comment body and the step summary (the same text without the hidden metadata).
struct Report {
    comment: String,
    summary: String,
}

impl Report {
    fn new(
        plan: &Plan,
        gate: &Gate,
        label: &str,
        breaking: &[approval::BreakingChange],
        sources: &Sources,
    ) -> Report {
        let mut notes = String::new();
        for note in &sources.notes {
            notes.push_str(&format!("> ⚠️ {note}\n\n"));
        }
        let with_notes = |body: String| {
            if notes.is_empty() {
                body
            } else {
                // After the hidden metadata line (if any), before the verdict.
                match body.split_once('\n') {
                    Some((first, rest)) if first.starts_with("<!--") => {
                        format!("{first}\n{notes}{rest}")
                    }
                    _ => format!("{notes}{body}"),
                }
            }
        };
        let comment = with_notes(comment::body(plan, gate, label, breaking));
        let without_metadata = Gate {
            record: None,
            ..gate.clone()
        };
        let summary = with_notes(comment::body(plan, &without_metadata, label, breaking));
        Report { comment, summary }
    }
}

/// Breaking changes as error annotations on their files.
fn annotate(toolkit: &Toolkit, breaking: &[approval::BreakingChange]) {
    for b in breaking.iter().take(MAX_ANNOTATIONS) {
        let location = if b.change.pointer.is_empty() {
            String::new()
        } else {
            format!(" at {}", b.change.pointer)
        };
        toolkit.error(
            &format!("{}{location}: {}", b.change.rule.id(), b.change.message),
            &AnnotationProps {
                title: Some("Breaking API change".into()),
                file: Some(b.file.clone()),
                line: b.change.line.map(|l| l as u64),
                ..Default::default()
            },
        );
    }
}
