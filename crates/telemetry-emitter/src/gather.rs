//! Gathering the facts a decided event needs, with independent reads sent at once: the run's
//! jobs (every page), the run's start when the payload lacks it, and the PR's files (for size
//! and contracts). A read that fails leaves its properties `null` and says so: telemetry with
//! a gap beats no telemetry.

use guardians_core::change_size::Totals;
use guardians_core::config::GuardiansConfig;
use guardians_core::context::Context;
use guardians_core::event::Event;
use guardians_core::github::{ApiError, GitHub, contents, pulls};
use guardians_core::runner::RunError;
use jiff::Timestamp;

use crate::change_facts::{self, ChangeFacts};
use crate::jobs::{Job, JobsPage};
use crate::jobs_api::{self, GitHubJobs};
use crate::plan::{Draft, Facts};

/// Where the jobs come from.
#[derive(Debug, Clone)]
pub(crate) enum JobsFrom {
    /// The API, this many jobs a page.
    Api { per_page: u64 },
    /// Saved pages (`--jobs FILE`).
    Fixed(Vec<Job>),
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Gathered {
    pub facts: Facts,
    /// Facts that could not be read: shown as warnings, the event is sent without them.
    pub gaps: Vec<String>,
    /// Things worth knowing that are not failures.
    pub notes: Vec<String>,
}

pub(crate) async fn gather(
    gh: Option<&GitHub>,
    ctx: &Context,
    draft: &Draft,
    config: &GuardiansConfig,
    config_ref: &str,
    jobs_from: JobsFrom,
) -> Gathered {
    let mut out = Gathered {
        facts: Facts {
            now: Timestamp::now(),
            ..Facts::default()
        },
        ..Gathered::default()
    };
    let repo = ctx.repository.to_string();
    let jobs_of = draft.jobs_of().cloned();
    let pr = draft.subject.pr;
    let Some(gh) = gh else {
        if let JobsFrom::Fixed(jobs) = jobs_from {
            out.facts.jobs = jobs;
        }
        let mut missing = Vec::new();
        if jobs_of.is_some() && out.facts.jobs.is_empty() {
            missing.push("duration, queue time and cost");
        }
        if pr.is_some() {
            missing.push("size and contracts");
        }
        if !missing.is_empty() {
            out.notes.push(format!(
                "no GitHub token, so {} are unknown; set the github-token input",
                missing.join(", ")
            ));
        }
        return out;
    };

    let jobs = async {
        match (&jobs_of, &jobs_from) {
            (Some(_), JobsFrom::Fixed(jobs)) => Ok(Some(jobs.clone())),
            (Some(run), JobsFrom::Api { per_page }) => GitHubJobs::new(gh)
                .with_per_page(*per_page)
                .fetch(&repo, run.id, run.attempt)
                .await
                .map(Some),
            (None, _) => Ok(None),
        }
    };
    let run_start = async {
        match &jobs_of {
            Some(run) if draft.needs_run_start() => {
                jobs_api::run_started_at(gh, &repo, run.id).await
            }
            _ => Ok(None),
        }
    };
    let payload_pr = ctx.event.pull_request();
    let files = async {
        match pr {
            Some(number) => pulls::pull_files(
                gh,
                &ctx.repository,
                number,
                payload_pr.and_then(|p| p.changed_files),
            )
            .await
            .map(Some),
            None => Ok(None),
        }
    };
    let gitattributes = async {
        if pr.is_some() && change_facts::wants_gitattributes(config) {
            contents::file_text(gh, &ctx.repository, ".gitattributes", config_ref).await
        } else {
            Ok(None)
        }
    };
    let (jobs, run_start, files, gitattributes) =
        tokio::join!(jobs, run_start, files, gitattributes);

    match jobs {
        Ok(jobs) => out.facts.jobs = jobs.unwrap_or_default(),
        Err(e) => out
            .gaps
            .push(gap("the run's jobs (duration, queue time, cost)", &e)),
    }
    match run_start {
        Ok(start) => out.facts.run_started_at = start,
        Err(e) => out.gaps.push(gap("the run's start time", &e)),
    }
    let gitattributes = gitattributes.unwrap_or_else(|e| {
        out.notes.push(format!(
            "could not read .gitattributes ({e}); generated files are counted in the size"
        ));
        None
    });
    match files {
        Ok(Some(files)) => {
            let totals = match &ctx.event {
                Event::PullRequest(e) => Some(Totals {
                    additions: e.pull_request.additions.unwrap_or(0),
                    deletions: e.pull_request.deletions.unwrap_or(0),
                    changed_files: e.pull_request.changed_files.unwrap_or(0),
                }),
                _ => None,
            };
            let ChangeFacts {
                size,
                contracts_touched,
                endpoints_touched,
                notes,
            } = change_facts::from_files(&files, totals, config, gitattributes.as_deref());
            out.facts.size = size;
            out.facts.contracts_touched = contracts_touched;
            out.facts.endpoints_touched = endpoints_touched;
            out.notes.extend(notes);
        }
        Ok(None) => {}
        Err(e) => out.gaps.push(gap("the PR's files (size, contracts)", &e)),
    }
    out
}

fn gap(what: &str, error: &ApiError) -> String {
    format!("could not read {what}, sent without them: {error}")
}

/// Saved pages of the jobs API (`--jobs FILE`); a file that is not one is bad input.
pub(crate) fn read_jobs(paths: &[std::path::PathBuf]) -> Result<Vec<Job>, RunError> {
    let mut jobs = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(path).map_err(|e| {
            RunError::Other(format!("could not read jobs page {}: {e}", path.display()))
        })?;
        let page: JobsPage = serde_json::from_str(&text).map_err(|e| {
            RunError::Other(format!(
                "{} is not a page of the jobs API (`{{\"total_count\":..,\"jobs\":[..]}}`): {e}",
                path.display()
            ))
        })?;
        jobs.extend(page.jobs);
    }
    Ok(jobs)
}
