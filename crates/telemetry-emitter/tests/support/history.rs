//! A repository's delivery history seeded into fake-github with the times it happened at:
//! PRs opened and merged, production (and other) deployments with their statuses, workflow
//! runs with their jobs. Shared by the history tests and the history benchmark.
#![allow(dead_code, clippy::unwrap_used)]

use fake_github::{CommitSeed, Deployment, DeploymentStatus, PullState};
use fake_github::{FakeGitHub, JobSeed, PullSeed, RunSeed, fake_sha};
use jiff::Timestamp;
use serde_json::Value;

pub(crate) fn t(text: &str) -> Timestamp {
    text.parse().unwrap()
}

#[derive(Debug, Clone)]
pub(crate) struct Pr {
    pub number: u64,
    pub title: String,
    pub opened: Timestamp,
    pub merged: Option<Timestamp>,
    /// Seed commits (fake-github dates every PR commit 2026-01-01T00:00:00Z).
    pub commits: usize,
}

impl Pr {
    pub(crate) fn head(&self) -> String {
        fake_sha(&format!("pr-{}", self.number))
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Deploy {
    pub id: u64,
    pub sha: String,
    pub environment: String,
    pub created: Timestamp,
    /// `(state, at)`, oldest first.
    pub statuses: Vec<(String, Timestamp)>,
}

#[derive(Debug, Clone)]
pub(crate) struct Run {
    pub id: u64,
    pub pr: Option<u64>,
    pub sha: String,
    pub created: Timestamp,
    pub conclusion: String,
    /// One job on `ubuntu-latest`, started a minute after the run, running this long.
    pub job_seconds: i64,
}

pub(crate) fn seed(fake: &FakeGitHub, repo: &str, prs: &[Pr], deploys: &[Deploy], runs: &[Run]) {
    let mut state = fake.state();
    for pr in prs {
        let mut seed = PullSeed::new(pr.number)
            .title(&pr.title)
            .head(&format!("feature-{}", pr.number), &pr.head());
        for i in 0..pr.commits {
            seed = seed.commit(
                CommitSeed::new(&format!("work {i}"))
                    .sha(&fake_sha(&format!("pr-{}-commit-{i}", pr.number))),
            );
        }
        seed = match pr.merged {
            Some(_) => seed.merged(),
            None => seed.state(PullState::Open),
        };
        let pull = state.add_pull(repo, seed);
        pull.created_at = pr.opened;
        // fake-github shows `merged_at` (and `closed_at`) as the PR's last update.
        pull.updated_at = pr.merged.unwrap_or(pr.opened);
    }
    for d in deploys {
        let status = |i: usize, (state, at): &(String, Timestamp)| DeploymentStatus {
            id: d.id * 100 + i as u64,
            state: state.clone(),
            description: String::new(),
            environment: d.environment.clone(),
            environment_url: String::new(),
            log_url: String::new(),
            creator: "deploy-bot".into(),
            created_at: *at,
            updated_at: *at,
        };
        let deployment = Deployment {
            id: d.id,
            sha: d.sha.clone(),
            ref_name: "main".into(),
            task: "deploy".into(),
            payload: Value::Object(Default::default()),
            environment: d.environment.clone(),
            original_environment: d.environment.clone(),
            description: None,
            creator: "deploy-bot".into(),
            transient_environment: false,
            production_environment: false,
            created_at: d.created,
            updated_at: d.created,
            statuses: d
                .statuses
                .iter()
                .enumerate()
                .map(|(i, s)| status(i, s))
                .collect(),
        };
        state.repo_mut(repo).deployments.push(deployment);
    }
    for r in runs {
        let start = r.created + jiff::SignedDuration::from_secs(60);
        let end = start + jiff::SignedDuration::from_secs(r.job_seconds);
        let mut seed = RunSeed::new(r.id)
            .head(if r.pr.is_some() { "feature" } else { "main" }, &r.sha)
            .outcome("completed", Some(&r.conclusion))
            .job(
                JobSeed::new("test")
                    .labels(&["ubuntu-latest"])
                    .times(start, Some(end)),
            );
        if let Some(pr) = r.pr {
            seed = seed.pull_request(pr);
        }
        seed.created_at = Some(r.created);
        let run = state.add_run(repo, seed);
        run.created_at = r.created;
        run.run_started_at = r.created;
        run.updated_at = end;
    }
}
