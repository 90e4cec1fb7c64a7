//! The jobs of a run, and the run itself, through guardians-core's GitHub client.

use futures::stream::{self, StreamExt, TryStreamExt};
use guardians_core::event::WorkflowRun;
use guardians_core::github::pagination::{MAX_PER_PAGE, PAGE_CONCURRENCY};
use guardians_core::github::{ApiError, GitHub};
use jiff::Timestamp;

use crate::jobs::{Job, JobsPage, JobsSource};
use crate::subject::time;

/// A run has at most a few hundred jobs (a matrix is capped at 256); past this many pages the
/// answer is not a run's jobs.
pub(crate) const MAX_JOB_PAGES: u64 = 20;

/// `GET /repos/{repo}/actions/runs/{run_id}/attempts/{attempt}/jobs`, every page: the first
/// page's `total_count` tells how many more there are, and those are fetched at once.
pub(crate) struct GitHubJobs<'a> {
    gh: &'a GitHub,
    per_page: u64,
}

impl<'a> GitHubJobs<'a> {
    pub(crate) fn new(gh: &'a GitHub) -> Self {
        Self {
            gh,
            per_page: MAX_PER_PAGE,
        }
    }

    /// Smaller pages (1..=100), to exercise pagination against a fake; real runs use 100.
    pub(crate) fn with_per_page(mut self, per_page: u64) -> Self {
        self.per_page = per_page.clamp(1, MAX_PER_PAGE);
        self
    }

    fn page_path(&self, base: &str, page: u64) -> String {
        format!("{base}?per_page={}&page={page}", self.per_page)
    }

    pub(crate) async fn fetch(
        &self,
        repository: &str,
        run_id: u64,
        attempt: u32,
    ) -> Result<Vec<Job>, ApiError> {
        // One attempt's jobs: `filter=latest` would answer for a newer attempt if the run was
        // re-run since the event, and its duration is not this event's.
        let base = format!("/repos/{repository}/actions/runs/{run_id}/attempts/{attempt}/jobs");
        let first: JobsPage = self.gh.get(&self.page_path(&base, 1)).await?;
        let pages = first.total_count.div_ceil(self.per_page).min(MAX_JOB_PAGES);
        let rest: Vec<JobsPage> = stream::iter(2..=pages)
            .map(|page| {
                let path = self.page_path(&base, page);
                async move { self.gh.get::<JobsPage>(&path).await }
            })
            .buffered(PAGE_CONCURRENCY)
            .try_collect()
            .await?;
        let mut jobs = first.jobs;
        jobs.extend(rest.into_iter().flat_map(|p| p.jobs));
        // A job that finished between two page reads can shift across a page boundary.
        let mut seen = std::collections::HashSet::new();
        jobs.retain(|j| seen.insert(j.id));
        Ok(jobs)
    }
}

impl JobsSource for GitHubJobs<'_> {
    async fn jobs(&self, repository: &str, run_id: u64, attempt: u32) -> anyhow::Result<Vec<Job>> {
        Ok(self.fetch(repository, run_id, attempt).await?)
    }
}

/// `run_started_at` of run `run_id` (`GET /repos/{repo}/actions/runs/{run_id}`).
pub(crate) async fn run_started_at(
    gh: &GitHub,
    repository: &str,
    run_id: u64,
) -> Result<Option<Timestamp>, ApiError> {
    let run: WorkflowRun = gh
        .get(&format!("/repos/{repository}/actions/runs/{run_id}"))
        .await?;
    Ok(time(run.run_started_at.as_deref()))
}
