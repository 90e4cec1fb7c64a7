//! `report --github OWNER/NAME`: a repository's delivery history read from GitHub's API and
//! turned into the events `emit` would have sent ([`events`]) and DORA's facts ([`changes`]).
//!
//! Three listings, read concurrently: PRs (`state=all`, newest update first), deployments with
//! their statuses, and workflow runs with each attempt's jobs. Then, for PRs merged into the
//! default branch, their commits (the first commit starts the lead time), and for each pair of
//! consecutive successful production deployments, a comparison (which PRs the later one
//! shipped). A listing that fails is named in `missing` and the rest is still reported.

pub(crate) mod changes;
pub(crate) mod events;
pub(crate) mod read;

use std::collections::HashMap;

use futures::stream::{self, StreamExt};
use globset::GlobSet;
use guardians_core::context::RepoName;
use guardians_core::github::ApiError;
use jiff::Timestamp;
use serde_json::Value;

use crate::config::TelemetryEmitterConfig;
use crate::jobs::{Job, JobsPage};
use crate::mapping::MappingRules;
use crate::plan::TelemetryEvent;
use changes::{Comparison, Delivery, MergedPr, ProdDeployment};
use read::{ITEM_CONCURRENCY, Reader};

/// What the history says, and what could not be read.
#[derive(Debug)]
pub struct History {
    pub events: Vec<TelemetryEvent>,
    pub delivery: Delivery,
    /// Listings (or parts) that could not be read, in words for the report.
    pub missing: Vec<String>,
}

/// Nothing at all could be read: the report has nothing to say.
#[derive(Debug, thiserror::Error)]
#[error("could not read {repo}'s history from GitHub: {source}")]
pub(crate) struct Unreadable {
    pub repo: String,
    #[source]
    pub source: ApiError,
}

fn time(v: &Value, key: &str) -> Option<Timestamp> {
    v.get(key)?.as_str()?.parse().ok()
}

fn text<'v>(v: &'v Value, key: &str) -> &'v str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn num(v: &Value, key: &str) -> Option<u64> {
    v.get(key).and_then(Value::as_u64)
}

/// The cache's note that a comparison is not available (its status), in place of one.
const UNAVAILABLE: &str = "telemetry_emitter_unavailable";

const FINAL_STATES: [&str; 3] = ["success", "failure", "error"];

pub(crate) async fn read(
    reader: &Reader<'_>,
    repo: &RepoName,
    repository: &Value,
    config: &TelemetryEmitterConfig,
    since: Timestamp,
    now: Timestamp,
) -> Result<History, Unreadable> {
    let rules = MappingRules::from_config(config).map_err(|e| Unreadable {
        repo: repo.to_string(),
        source: ApiError::Decode {
            method: "-".into(),
            path: ".github/guardians.yml".into(),
            detail: e.to_string(),
        },
    })?;
    let default_branch = text(repository, "default_branch").to_owned();
    let before = |key: &'static str| move |v: &Value| time(v, key).is_some_and(|t| t < since);
    let date = since.strftime("%Y-%m-%d").to_string();
    let pulls_path = format!("/repos/{repo}/pulls?state=all&sort=updated&direction=desc");
    let deployments_path = format!("/repos/{repo}/deployments");
    // `created=>=DATE` lets GitHub skip older runs; the window's edge is still checked here.
    let runs_path = format!("/repos/{repo}/actions/runs?created=%3E%3D{date}");
    let (pulls, deployments, runs) = futures::join!(
        reader.listing(&pulls_path, None, before("updated_at")),
        reader.listing(&deployments_path, None, before("created_at")),
        reader.listing(&runs_path, Some("workflow_runs"), before("created_at")),
    );
    let mut missing = Vec::new();
    if let (Err(e), Err(_), Err(_)) = (&pulls, &deployments, &runs) {
        return Err(Unreadable {
            repo: repo.to_string(),
            source: clone_error(e),
        });
    }
    // With the deployments unreadable, merges must not stand in for them.
    let deployments_read = deployments.is_ok();
    let pulls = listed(pulls, "pull requests", &mut missing);
    let deployments = listed(deployments, "deployments", &mut missing);
    let runs = listed(runs, "workflow runs", &mut missing);

    let mut events = Vec::new();
    let in_window = |v: &Value, key: &str| time(v, key).is_some_and(|t| t >= since && t <= now);

    // PRs: opened in the window -> dev_pr_opened; merged into the default branch -> a change.
    let merged: Vec<&Value> = pulls
        .iter()
        .filter(|p| in_window(p, "merged_at") && text(&p["base"], "ref") == default_branch)
        .collect();
    for pull in pulls.iter().filter(|p| in_window(p, "created_at")) {
        events.extend(events::event_of(
            repo,
            &events::pr_opened(repository, pull),
            &rules,
            config,
            Vec::new(),
            now,
        ));
    }
    let first_commits = first_commit_times(reader, repo, &merged, &mut missing).await;
    let merged_prs: Vec<MergedPr> = merged
        .iter()
        .filter_map(|p| {
            let number = num(p, "number")?;
            let merged_at = time(p, "merged_at")?;
            let opened = time(p, "created_at").unwrap_or(merged_at);
            let shas = [text(p, "merge_commit_sha"), text(&p["head"], "sha")]
                .into_iter()
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            Some(MergedPr {
                number,
                title: text(p, "title").to_owned(),
                body: text(p, "body").to_owned(),
                merged_at,
                first_commit_at: first_commits.get(&number).copied().unwrap_or(opened),
                shas,
            })
        })
        .collect();

    // Deployments to production, with their statuses.
    let production: Vec<&Value> = deployments
        .iter()
        .filter(|d| in_window(d, "created_at") && is_production(d, &rules.production_environments))
        .collect();
    let statuses = deployment_statuses(reader, repo, &production, &mut missing).await;
    let mut prod = Vec::new();
    for (deployment, statuses) in production.iter().zip(&statuses) {
        let mut finals: Vec<&Value> = statuses
            .iter()
            .filter(|s| FINAL_STATES.contains(&text(s, "state")))
            .collect();
        finals.sort_by_key(|s| (time(s, "created_at"), num(s, "id")));
        for status in &finals {
            events.extend(events::event_of(
                repo,
                &events::deployment_status(repository, deployment, status),
                &rules,
                config,
                Vec::new(),
                now,
            ));
        }
        prod.push(ProdDeployment {
            id: num(deployment, "id").unwrap_or_default(),
            sha: text(deployment, "sha").to_owned(),
            created_at: time(deployment, "created_at").unwrap_or(now),
            outcome: finals
                .first()
                .and_then(|s| Some((text(s, "state") == "success", time(s, "created_at")?))),
        });
    }
    let comparisons = compare(reader, repo, &changes::compare_pairs(&prod)).await;
    let merge_is_deploy = config.push_is_deploy || (deployments_read && deployments.is_empty());
    let delivery = changes::delivery(&merged_prs, &prod, &comparisons, merge_is_deploy);
    if config.push_is_deploy {
        for pull in &merged {
            let sha = [text(pull, "merge_commit_sha"), text(&pull["head"], "sha")]
                .into_iter()
                .find(|s| !s.is_empty())
                .unwrap_or_default();
            events.extend(events::event_of(
                repo,
                &events::merge_push(repository, &default_branch, pull, sha),
                &rules,
                config,
                Vec::new(),
                now,
            ));
        }
    }

    // Workflow runs: every attempt's start and outcome, with its jobs.
    let attempts = run_attempts(reader, repo, &runs, since, now, &mut missing).await;
    for (run, jobs) in attempts {
        if run.get("status").and_then(Value::as_str) != Some("completed") {
            continue;
        }
        for action in ["requested", "completed"] {
            let jobs = if action == "completed" {
                jobs.clone()
            } else {
                Vec::new()
            };
            events.extend(events::event_of(
                repo,
                &events::workflow_run(repository, &run, action),
                &rules,
                config,
                jobs,
                now,
            ));
        }
    }
    events.sort_by_key(|e| (e.timestamp, e.uuid));
    Ok(History {
        events,
        delivery,
        missing,
    })
}

fn clone_error(e: &ApiError) -> ApiError {
    ApiError::Decode {
        method: "GET".into(),
        path: String::new(),
        detail: e.to_string(),
    }
}

fn listed(
    result: Result<Vec<Value>, ApiError>,
    what: &str,
    missing: &mut Vec<String>,
) -> Vec<Value> {
    result.unwrap_or_else(|e| {
        missing.push(format!("{what}: {e}"));
        Vec::new()
    })
}

fn is_production(deployment: &Value, environments: &GlobSet) -> bool {
    deployment
        .get("production_environment")
        .and_then(Value::as_bool)
        == Some(true)
        || environments.is_match(text(deployment, "environment"))
}

/// The earliest author date of each merged PR's commits (GitHub lists them oldest first, at
/// most 250; the first page holds the first commit).
async fn first_commit_times(
    reader: &Reader<'_>,
    repo: &RepoName,
    merged: &[&Value],
    missing: &mut Vec<String>,
) -> HashMap<u64, Timestamp> {
    reader.progress().plan(merged.len() as u64);
    let results: Vec<(u64, Result<Value, ApiError>)> =
        stream::iter(merged.iter().filter_map(|p| num(p, "number")))
            .map(|n| async move {
                let path = format!("/repos/{repo}/pulls/{n}/commits?per_page=100");
                (n, reader.get_final(&path).await)
            })
            .buffer_unordered(ITEM_CONCURRENCY)
            .collect()
            .await;
    let mut out = HashMap::new();
    let mut failed = 0;
    for (n, result) in results {
        let Ok(Value::Array(commits)) = result else {
            failed += 1;
            continue;
        };
        let first = commits
            .iter()
            .filter_map(|c| {
                c["commit"]["author"]["date"]
                    .as_str()?
                    .parse::<Timestamp>()
                    .ok()
            })
            .min();
        if let Some(first) = first {
            out.insert(n, first);
        }
    }
    if failed > 0 {
        missing.push(format!(
            "the commits of {failed} merged PR(s): their lead time starts at the PR's opening instead"
        ));
    }
    out
}

async fn deployment_statuses(
    reader: &Reader<'_>,
    repo: &RepoName,
    production: &[&Value],
    missing: &mut Vec<String>,
) -> Vec<Vec<Value>> {
    reader.progress().plan(production.len() as u64);
    let results: Vec<Result<Vec<Value>, ApiError>> = stream::iter(production.iter())
        .map(|d| async move {
            let id = num(d, "id").unwrap_or_default();
            let path = format!("/repos/{repo}/deployments/{id}/statuses?per_page=100");
            let (value, cached) = reader.get(&path).await?;
            let statuses = match value {
                Value::Array(items) => items,
                _ => Vec::new(),
            };
            // Once a deployment has a final status, the outcome read here cannot change.
            if !cached
                && statuses
                    .iter()
                    .any(|s| FINAL_STATES.contains(&text(s, "state")))
            {
                reader.keep(&path, &Value::Array(statuses.clone()));
            }
            Ok(statuses)
        })
        .buffered(ITEM_CONCURRENCY)
        .collect()
        .await;
    let failed = results.iter().filter(|r| r.is_err()).count();
    if failed > 0 {
        missing.push(format!(
            "the statuses of {failed} production deployment(s): they count as neither succeeded nor failed"
        ));
    }
    results.into_iter().map(Result::unwrap_or_default).collect()
}

async fn compare(
    reader: &Reader<'_>,
    repo: &RepoName,
    pairs: &[(String, String)],
) -> HashMap<(String, String), Comparison> {
    reader.progress().plan(pairs.len() as u64);
    stream::iter(pairs.iter().cloned())
        .map(|(base, head)| async move {
            let path = format!("/repos/{repo}/compare/{base}...{head}?per_page=100");
            let value = match reader.get(&path).await {
                Ok((value, cached)) => {
                    if !cached {
                        reader.keep(&path, &value);
                    }
                    value
                }
                // A SHA GitHub does not know (force-pushed away) stays unknown: remembered, so
                // that the next report does not ask again.
                Err(e) if matches!(e.status(), Some(404 | 422)) => {
                    reader.keep(&path, &serde_json::json!({ UNAVAILABLE: e.status() }));
                    return None;
                }
                Err(_) => return None,
            };
            if value.get(UNAVAILABLE).is_some() {
                return None;
            }
            let commits: std::collections::HashSet<String> = value["commits"]
                .as_array()?
                .iter()
                .filter_map(|c| c["sha"].as_str().map(str::to_owned))
                .collect();
            let total = num(&value, "total_commits").or_else(|| num(&value, "ahead_by"));
            let comparison = Comparison {
                truncated: total.is_some_and(|t| t > commits.len() as u64),
                behind: text(&value, "status") == "behind",
                commits,
            };
            Some(((base, head), comparison))
        })
        .buffer_unordered(ITEM_CONCURRENCY)
        .filter_map(|x| async move { x })
        .collect()
        .await
}

/// Every finished attempt of the runs created in the window, with its jobs: the listed run is
/// its latest attempt; earlier attempts (re-runs) are read one by one.
async fn run_attempts(
    reader: &Reader<'_>,
    repo: &RepoName,
    runs: &[Value],
    since: Timestamp,
    now: Timestamp,
    missing: &mut Vec<String>,
) -> Vec<(Value, Vec<Job>)> {
    let wanted: Vec<(Value, u32)> = runs
        .iter()
        .filter(|r| time(r, "created_at").is_some_and(|t| t >= since && t <= now))
        .filter(|r| text(r, "status") == "completed")
        .flat_map(|r| {
            let latest = num(r, "run_attempt").unwrap_or(1).max(1) as u32;
            (1..=latest).map(move |a| (r.clone(), a))
        })
        .collect();
    // One jobs listing per attempt, and a read of each earlier attempt itself.
    let planned: u64 = wanted
        .iter()
        .map(|(run, attempt)| {
            if u64::from(*attempt) == num(run, "run_attempt").unwrap_or(1) {
                1
            } else {
                2
            }
        })
        .sum();
    reader.progress().plan(planned);
    let results: Vec<Option<(Value, Vec<Job>, bool)>> = stream::iter(wanted)
        .map(|(run, attempt)| async move {
            let id = num(&run, "id")?;
            let latest = num(&run, "run_attempt").unwrap_or(1).max(1) as u32;
            let run = if attempt == latest {
                run
            } else {
                let path = format!("/repos/{repo}/actions/runs/{id}/attempts/{attempt}");
                match reader.get_final(&path).await {
                    Ok(value) => value,
                    Err(_) => return Some((run, Vec::new(), false)),
                }
            };
            match attempt_jobs(reader, repo, id, attempt).await {
                Ok(jobs) => Some((run, jobs, true)),
                Err(_) => Some((run, Vec::new(), false)),
            }
        })
        .buffer_unordered(ITEM_CONCURRENCY)
        .collect()
        .await;
    let mut out = Vec::new();
    let mut failed = 0;
    for (run, jobs, ok) in results.into_iter().flatten() {
        if !ok {
            failed += 1;
        }
        out.push((run, jobs));
    }
    if failed > 0 {
        missing.push(format!(
            "the jobs of {failed} workflow run attempt(s): their duration and cost are unknown"
        ));
    }
    out
}

async fn attempt_jobs(
    reader: &Reader<'_>,
    repo: &RepoName,
    run_id: u64,
    attempt: u32,
) -> Result<Vec<Job>, ApiError> {
    let base = format!("/repos/{repo}/actions/runs/{run_id}/attempts/{attempt}/jobs");
    let page = |n: u64| format!("{base}?per_page=100&page={n}");
    let decode = |path: &str, value: Value| -> Result<JobsPage, ApiError> {
        serde_json::from_value(value).map_err(|e| ApiError::Decode {
            method: "GET".into(),
            path: path.to_owned(),
            detail: e.to_string(),
        })
    };
    let first_path = page(1);
    let first = decode(&first_path, reader.get_final(&first_path).await?)?;
    let pages = first
        .total_count
        .div_ceil(100)
        .min(crate::jobs_api::MAX_JOB_PAGES);
    let mut jobs = first.jobs;
    for n in 2..=pages {
        let path = page(n);
        jobs.extend(decode(&path, reader.get_final(&path).await?)?.jobs);
    }
    let mut seen = std::collections::HashSet::new();
    jobs.retain(|j| seen.insert(j.id));
    Ok(jobs)
}
