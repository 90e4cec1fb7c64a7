//! A CI simulator for tests: when a watched branch is pushed, or a workflow is dispatched on a ref, it reports
//! check runs on the commit by its content. A commit whose tree holds a file named `BROKEN` (at the root) fails;
//! otherwise it passes, except for a configurable, deterministic share of flaky failures. Results can wait
//! (checks `in_progress`) until the test calls [`super::GitRepoMut::finish_ci`], to test pending checks.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use super::{CheckRun, GitError};
use crate::state::{Job, State, WorkflowRun, now};

/// The file whose presence in a commit's tree makes simulated CI fail.
pub(super) const BROKEN_MARKER: &str = "BROKEN";

/// How simulated CI behaves for one repository.
#[derive(Debug, Clone, PartialEq)]
pub struct CiSimulator {
    /// Check run names reported on every commit CI runs on (e.g. `["ci"]`).
    pub checks: Vec<String>,
    /// Branch patterns whose pushes start CI (`integration/*`); `workflow_dispatch` always starts it.
    pub push_branches: Vec<String>,
    /// Share of runs (0.0..=1.0) that fail whatever the content: flaky tests. Deterministic per commit and
    /// attempt, so a re-run of the same commit may pass.
    pub flaky_rate: f64,
    /// When false, checks stay `in_progress` until `finish_ci`.
    pub complete_immediately: bool,
    /// How many times CI ran (one per push or dispatch): the "CI rounds" a bisection needed.
    pub rounds: u64,
    /// Attempts per commit, for flakiness.
    attempts: BTreeMap<String, u32>,
    /// Check runs and workflow runs waiting for `finish_ci`, with the conclusion they will get.
    pending: Vec<(Option<u64>, Vec<u64>, String)>,
}

impl CiSimulator {
    /// Reports `checks` on pushes to branches matching `push_branches`, at once, without flakiness.
    pub fn new(checks: &[&str], push_branches: &[&str]) -> CiSimulator {
        CiSimulator {
            checks: checks.iter().map(|c| (*c).to_owned()).collect(),
            push_branches: push_branches.iter().map(|b| (*b).to_owned()).collect(),
            flaky_rate: 0.0,
            complete_immediately: true,
            rounds: 0,
            attempts: BTreeMap::new(),
            pending: Vec::new(),
        }
    }

    pub fn flaky_rate(mut self, rate: f64) -> CiSimulator {
        self.flaky_rate = rate.clamp(0.0, 1.0);
        self
    }

    /// Checks stay `in_progress` until the test calls `finish_ci`.
    pub fn manual(mut self) -> CiSimulator {
        self.complete_immediately = false;
        self
    }

    fn watches(&self, branch: &str) -> bool {
        self.push_branches.iter().any(|pattern| {
            globset::GlobBuilder::new(pattern)
                .literal_separator(false)
                .build()
                .map(|g| g.compile_matcher().is_match(branch))
                .unwrap_or(false)
        })
    }

    /// Whether this attempt on `sha` is a flaky failure: a hash of (sha, attempt) against the rate.
    fn flaky(&self, sha: &str, attempt: u32) -> bool {
        if self.flaky_rate <= 0.0 {
            return false;
        }
        let digest = Sha256::digest(format!("{sha}:{attempt}").as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        let draw = u64::from_be_bytes(first) as f64 / u64::MAX as f64;
        draw < self.flaky_rate
    }
}

impl State {
    /// A push moved `branch` of `full_name` to `sha`: simulated CI runs when it watches the branch.
    pub(crate) fn git_pushed(
        &mut self,
        full_name: &str,
        branch: &str,
        sha: &str,
    ) -> Result<(), GitError> {
        let watched = self
            .git
            .get(full_name)
            .and_then(|b| b.ci.as_ref())
            .is_some_and(|ci| ci.watches(branch));
        if watched {
            self.run_ci(full_name, sha, None)?;
        }
        Ok(())
    }

    /// Records a `workflow_dispatch` run of `workflow` on `branch` at `sha`, as GitHub lists it under
    /// `/actions/runs`, and lets simulated CI report on it. Returns the run id.
    pub(crate) fn git_dispatched(
        &mut self,
        full_name: &str,
        workflow: &str,
        branch: &str,
        sha: &str,
        actor: &str,
    ) -> Result<u64, GitError> {
        let id = self.next_id();
        let workflow_id = workflow.parse().unwrap_or_else(|_| self.next_id());
        let path = if workflow.ends_with(".yml") || workflow.ends_with(".yaml") {
            format!(".github/workflows/{workflow}")
        } else {
            format!(".github/workflows/{workflow_id}.yml")
        };
        let repo = self.repo_mut(full_name);
        let run_number = repo.runs.len() as u64 + 1;
        let at = now();
        repo.runs.insert(
            id,
            WorkflowRun {
                id,
                name: workflow.to_owned(),
                workflow_id,
                path,
                head_branch: branch.to_owned(),
                head_sha: sha.to_owned(),
                event: "workflow_dispatch".to_owned(),
                status: "queued".to_owned(),
                conclusion: None,
                run_number,
                run_attempt: 1,
                actor: actor.to_owned(),
                pull_requests: Vec::new(),
                created_at: at,
                updated_at: at,
                run_started_at: at,
                jobs: Vec::<Job>::new(),
            },
        );
        if self.git.get(full_name).is_some_and(|b| b.ci.is_some()) {
            self.run_ci(full_name, sha, Some(id))?;
        }
        Ok(id)
    }

    /// One CI round on `sha`: check runs by content, completed now or left for `finish_ci`.
    fn run_ci(&mut self, full_name: &str, sha: &str, run: Option<u64>) -> Result<(), GitError> {
        let Some(backed) = self.git.get(full_name) else {
            return Ok(());
        };
        let broken = backed.repo.entry(sha, BROKEN_MARKER)?.is_some();
        let names = backed
            .ci
            .as_ref()
            .map(|c| c.checks.clone())
            .unwrap_or_default();
        let ids: Vec<u64> = names.iter().map(|_| self.next_id()).collect();
        let at = now();
        let Some(backed) = self.git.get_mut(full_name) else {
            return Ok(());
        };
        let Some(ci) = backed.ci.as_mut() else {
            return Ok(());
        };
        ci.rounds += 1;
        let attempt = {
            let attempt = ci.attempts.entry(sha.to_owned()).or_insert(0);
            *attempt += 1;
            *attempt
        };
        let conclusion = if broken || ci.flaky(sha, attempt) {
            "failure"
        } else {
            "success"
        };
        let done = ci.complete_immediately;
        if !done {
            ci.pending.push((run, ids.clone(), conclusion.to_owned()));
        }
        for (id, name) in ids.into_iter().zip(names) {
            backed.check_runs.push(CheckRun {
                id,
                name,
                head_sha: sha.to_owned(),
                status: if done { "completed" } else { "in_progress" }.to_owned(),
                conclusion: done.then(|| conclusion.to_owned()),
                external_id: run.map(|r| r.to_string()),
                details_url: None,
                output_title: None,
                output_summary: done.then(|| {
                    if broken {
                        format!("`{BROKEN_MARKER}` is in the tree")
                    } else {
                        format!("simulated CI, attempt {attempt}")
                    }
                }),
                output_text: None,
                app_slug: "github-actions".to_owned(),
                started_at: at,
                completed_at: done.then_some(at),
            });
        }
        if let Some(run) = run.and_then(|id| self.repo_mut(full_name).runs.get_mut(&id)) {
            run.status = if done { "completed" } else { "in_progress" }.to_owned();
            run.conclusion = done.then(|| conclusion.to_owned());
            run.updated_at = at;
        }
        Ok(())
    }

    /// Completes every simulated check left `in_progress`, with the conclusion its content decided.
    pub(crate) fn finish_ci(&mut self, full_name: &str) {
        let at = now();
        let Some(backed) = self.git.get_mut(full_name) else {
            return;
        };
        let pending = backed
            .ci
            .as_mut()
            .map(|ci| std::mem::take(&mut ci.pending))
            .unwrap_or_default();
        let mut runs = Vec::new();
        for (run, ids, conclusion) in pending {
            for check in backed.check_runs.iter_mut().filter(|c| ids.contains(&c.id)) {
                check.status = "completed".to_owned();
                check.conclusion = Some(conclusion.clone());
                check.completed_at = Some(at);
            }
            runs.extend(run.map(|r| (r, conclusion)));
        }
        let repo = self.repo_mut(full_name);
        for (id, conclusion) in runs {
            if let Some(run) = repo.runs.get_mut(&id) {
                run.status = "completed".to_owned();
                run.conclusion = Some(conclusion);
                run.updated_at = at;
            }
        }
    }
}

impl State {
    /// Re-runs workflow run `run_id` (a new attempt on the same commit): simulated CI reports again, and a
    /// flaky failure may pass this time. `None` when there is no such run.
    pub(crate) fn git_rerun(
        &mut self,
        full_name: &str,
        run_id: u64,
    ) -> Result<Option<()>, GitError> {
        let at = now();
        let Some(run) = self.repo_mut(full_name).runs.get_mut(&run_id) else {
            return Ok(None);
        };
        run.run_attempt += 1;
        run.status = "queued".to_owned();
        run.conclusion = None;
        run.updated_at = at;
        run.run_started_at = at;
        let sha = run.head_sha.clone();
        if self.git.get(full_name).is_some_and(|b| b.ci.is_some()) {
            self.run_ci(full_name, &sha, Some(run_id))?;
        }
        Ok(Some(()))
    }
}
