//! The jobs of a workflow run, as `GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs`
//! returns them, and the run's duration and queue time computed from them.

use std::future::Future;

use jiff::Timestamp;
use serde::Deserialize;

/// One job of a run (tolerant: only the fields used here).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Job {
    pub id: u64,
    pub run_id: u64,
    pub run_attempt: Option<u32>,
    pub name: String,
    pub status: String,
    pub conclusion: Option<String>,
    pub created_at: Option<Timestamp>,
    pub started_at: Option<Timestamp>,
    pub completed_at: Option<Timestamp>,
    pub labels: Vec<String>,
    pub runner_name: Option<String>,
    pub runner_group_name: Option<String>,
}

impl Job {
    /// Seconds the job ran, or `None` when it never started or has not finished.
    pub fn run_seconds(&self) -> Option<i64> {
        let (start, end) = (self.started_at?, self.completed_at?);
        Some((end.as_second() - start.as_second()).max(0))
    }
}

/// One page of the jobs API.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct JobsPage {
    pub total_count: u64,
    pub jobs: Vec<Job>,
}

/// Where the jobs of a run come from: GitHub's API ([`crate::jobs_api::GitHubJobs`], every
/// page of one attempt), or saved API pages (`--jobs FILE`, [`FixedJobs`]).
pub trait JobsSource {
    fn jobs(
        &self,
        repository: &str,
        run_id: u64,
        attempt: u32,
    ) -> impl Future<Output = anyhow::Result<Vec<Job>>> + Send;
}

/// A fixed list of jobs, e.g. read from saved API pages.
#[derive(Debug, Clone, Default)]
pub struct FixedJobs(pub Vec<Job>);

impl JobsSource for FixedJobs {
    async fn jobs(&self, _: &str, _: u64, _: u32) -> anyhow::Result<Vec<Job>> {
        Ok(self.0.clone())
    }
}

/// Keeps the jobs of `attempt` only: the API's `filter=latest` already does, but saved pages
/// or `filter=all` may mix attempts. Jobs without an attempt number are kept.
pub fn jobs_of_attempt(jobs: &[Job], attempt: u32) -> Vec<Job> {
    jobs.iter()
        .filter(|j| j.run_attempt.is_none_or(|a| a == attempt))
        .cloned()
        .collect()
}

/// Duration and queue time of a run, in whole seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunTiming {
    /// Latest job `completed_at` minus the run's `run_started_at`.
    pub ci_duration_s: Option<i64>,
    /// For the first job to start (skipped jobs aside): its `started_at` minus its
    /// `created_at`, the time it waited for a runner.
    pub queue_s: Option<i64>,
}

impl RunTiming {
    pub fn from_jobs(run_started_at: Option<Timestamp>, jobs: &[Job]) -> Self {
        let latest_completion = jobs.iter().filter_map(|j| j.completed_at).max();
        let ci_duration_s = match (run_started_at, latest_completion) {
            (Some(start), Some(end)) => Some((end.as_second() - start.as_second()).max(0)),
            _ => None,
        };
        // A skipped job never waits for a runner: GitHub stamps it started when created.
        let first_started = jobs
            .iter()
            .filter(|j| j.started_at.is_some() && j.conclusion.as_deref() != Some("skipped"))
            .min_by_key(|j| (j.started_at, j.id));
        let queue_s = first_started.and_then(|j| {
            let (created, started) = (j.created_at?, j.started_at?);
            Some((started.as_second() - created.as_second()).max(0))
        });
        Self {
            ci_duration_s,
            queue_s,
        }
    }
}
