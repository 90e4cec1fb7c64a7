//! The simulated repository: PRs, CI, and the queue's writes applied as GitHub answers them.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use jiff::Timestamp;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::manifest::Manifest;
use crate::plan::{QueuePlan, Write, plan};
use crate::state::{
    CheckOutcome, CheckResult, IntegrationBranch, Mergeable, PullRequest, QueueConfig, QueueState,
    Sha, StatusSeen,
};

use super::git::Repo;

/// How CI behaves.
#[derive(Debug, Clone)]
pub struct CiModel {
    /// Seconds from start to result, on integration commits.
    pub duration: i64,
    /// Seconds for a PR head's own checks.
    pub pr_duration: i64,
    /// Chance that a run fails although the code is good.
    pub flaky_rate: f64,
    /// The required checks; the last one is the one bad code fails.
    pub required: Vec<String>,
    /// A required check that never reports anywhere (a misnamed job).
    pub silent: Option<String>,
}

impl Default for CiModel {
    fn default() -> Self {
        CiModel {
            duration: 600,
            pr_duration: 0,
            flaky_rate: 0.0,
            required: vec!["build".into(), "test".into()],
            silent: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct SimPr {
    pub pr: PullRequest,
    /// Heads whose change breaks integration CI (passes its own checks).
    pub bad: bool,
    /// Heads that fail their own checks.
    pub fails_own: bool,
    /// PRs in the same group conflict with each other.
    pub conflict_group: Option<u32>,
    pub created_at: i64,
    pub landed_at: Option<i64>,
}

#[derive(Debug, Clone)]
struct Run {
    sha: Sha,
    finish_at: i64,
    attempt: u32,
}

/// What applying a plan did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub writes: usize,
    /// Why applying stopped early (GitHub refused a write, or the run was cut).
    pub stopped: Option<String>,
}

pub struct World {
    pub now: i64,
    pub repo: Repo,
    pub prs: BTreeMap<u64, SimPr>,
    pub config: QueueConfig,
    pub ci: CiModel,
    checks: BTreeMap<Sha, Vec<CheckResult>>,
    runs: Vec<Run>,
    started: HashSet<Sha>,
    bad_heads: HashSet<Sha>,
    statuses: BTreeMap<u64, StatusSeen>,
    pub comments: BTreeMap<u64, Vec<String>>,
    /// PR numbers the queue landed, in order.
    pub landed: Vec<u64>,
    /// Broken promises found while applying (must stay empty).
    pub violations: Vec<String>,
    /// Integration CI runs started (rounds).
    pub ci_rounds: u64,
    rng: StdRng,
    next_pr: u64,
}

impl World {
    pub fn new(config: QueueConfig, ci: CiModel, seed: u64) -> World {
        let mut repo = Repo::default();
        let root = repo.add(&[], "initial commit", false, 0, false);
        for base in &config.bases {
            repo.refs.insert(base.clone(), root.clone());
        }
        World {
            now: 0,
            repo,
            prs: BTreeMap::new(),
            config,
            ci,
            checks: BTreeMap::new(),
            runs: Vec::new(),
            started: HashSet::new(),
            bad_heads: HashSet::new(),
            statuses: BTreeMap::new(),
            comments: BTreeMap::new(),
            landed: Vec::new(),
            violations: Vec::new(),
            ci_rounds: 0,
            rng: StdRng::seed_from_u64(seed),
            next_pr: 1,
        }
    }

    fn base_head(&self, base: &str) -> Sha {
        self.repo.refs.get(base).cloned().unwrap_or_default()
    }

    fn at(&self) -> Timestamp {
        Timestamp::from_second(self.now).unwrap_or(Timestamp::UNIX_EPOCH)
    }

    /// Opens a PR on the first base; its own checks start.
    pub fn open_pr(&mut self, bad: bool, fails_own: bool, conflict_group: Option<u32>) -> u64 {
        let number = self.next_pr;
        self.next_pr += 1;
        let base = self.config.bases[0].clone();
        let parent = self.base_head(&base);
        let head = self.repo.add(
            &[parent],
            &format!("change of #{number}"),
            false,
            self.now,
            true,
        );
        if bad {
            self.bad_heads.insert(head.clone());
        }
        let pr = PullRequest {
            number,
            title: format!("PR {number}"),
            head_sha: head.clone(),
            base,
            open: true,
            merged: false,
            draft: false,
            mergeable: Mergeable::Clean,
            labels: Vec::new(),
            labeled_at: None,
            head_pushed_at: None,
        };
        self.prs.insert(
            number,
            SimPr {
                pr,
                bad,
                fails_own,
                conflict_group,
                created_at: self.now,
                landed_at: None,
            },
        );
        self.start_pr_ci(&head, fails_own);
        number
    }

    fn start_pr_ci(&mut self, head: &Sha, fails_own: bool) {
        let outcome = if self.ci.pr_duration == 0 {
            if fails_own {
                CheckOutcome::Failed
            } else {
                CheckOutcome::Passed
            }
        } else {
            CheckOutcome::Pending
        };
        let results = self.results_for(outcome, 1, fails_own);
        self.checks.insert(head.clone(), results);
        if self.ci.pr_duration > 0 {
            self.runs.push(Run {
                sha: head.clone(),
                finish_at: self.now + self.ci.pr_duration,
                attempt: 1,
            });
        }
    }

    fn results_for(
        &self,
        outcome: CheckOutcome,
        attempt: u32,
        only_last_fails: bool,
    ) -> Vec<CheckResult> {
        let n = self.ci.required.len();
        self.ci
            .required
            .iter()
            .enumerate()
            .filter(|(_, name)| self.ci.silent.as_ref() != Some(*name))
            .map(|(i, name)| CheckResult {
                name: name.clone(),
                outcome: if outcome == CheckOutcome::Failed && only_last_fails && i + 1 < n {
                    CheckOutcome::Passed
                } else {
                    outcome
                },
                url: format!("https://ci.example/{name}/{}", self.ci_rounds),
                attempt,
            })
            .collect()
    }

    pub fn label(&mut self, n: u64) {
        let now = self.at();
        let label = self.config.label.clone();
        if let Some(p) = self.prs.get_mut(&n)
            && !p.pr.has_label(&label)
        {
            p.pr.labels.push(label);
            p.pr.labeled_at = Some(now);
        }
    }

    pub fn add_label(&mut self, n: u64, label: &str) {
        if let Some(p) = self.prs.get_mut(&n) {
            p.pr.labels.push(label.to_string());
        }
    }

    pub fn unlabel(&mut self, n: u64) {
        let label = self.config.label.clone();
        if let Some(p) = self.prs.get_mut(&n) {
            p.pr.labels.retain(|l| *l != label);
        }
    }

    /// A new commit on the PR's branch; `bad` says what the new head does to integration CI.
    pub fn push(&mut self, n: u64, bad: bool) {
        let Some(p) = self.prs.get(&n) else { return };
        if !p.pr.open {
            return;
        }
        let old = p.pr.head_sha.clone();
        let fails_own = p.fails_own;
        let head = self.repo.add_replacing(
            &old,
            &old,
            &format!("more of #{n} at {}", self.now),
            self.now,
        );
        if bad {
            self.bad_heads.insert(head.clone());
        }
        let now = self.at();
        if let Some(p) = self.prs.get_mut(&n) {
            p.pr.head_sha = head.clone();
            p.pr.head_pushed_at = Some(now);
            p.bad = bad;
        }
        self.start_pr_ci(&head, fails_own);
        self.refresh_mergeable();
    }

    pub fn close(&mut self, n: u64) {
        if let Some(p) = self.prs.get_mut(&n)
            && !p.pr.merged
        {
            p.pr.open = false;
        }
    }

    pub fn set_draft(&mut self, n: u64, draft: bool) {
        if let Some(p) = self.prs.get_mut(&n) {
            p.pr.draft = draft;
        }
    }

    pub fn retarget(&mut self, n: u64, base: &str) {
        if let Some(p) = self.prs.get_mut(&n) {
            p.pr.base = base.to_string();
        }
    }

    /// A person pushes straight to the base (a fast-forward, as a protected branch allows
    /// admins to).
    pub fn human_push_base(&mut self) {
        let base = self.config.bases[0].clone();
        let parent = self.base_head(&base);
        let sha = self.repo.add(
            &[parent],
            &format!("hotfix at {}", self.now),
            false,
            self.now,
            false,
        );
        self.repo.refs.insert(base, sha);
        self.refresh_mergeable();
    }

    pub fn delete_integration_by_hand(&mut self) {
        self.delete_lane_by_hand(0);
    }

    /// The lane branches of the first base that exist, lane 1 first.
    fn lane_refs(&self) -> Vec<String> {
        let base = &self.config.bases[0];
        let mut lanes: Vec<(usize, String)> = self
            .repo
            .refs
            .keys()
            .filter_map(|r| Some((self.config.lane_number(base, r)?, r.clone())))
            .collect();
        lanes.sort();
        lanes.into_iter().map(|(_, r)| r).collect()
    }

    /// A person deletes one of the lane branches (the `i`-th that exists, wrapping).
    pub fn delete_lane_by_hand(&mut self, i: usize) {
        let lanes = self.lane_refs();
        if let Some(branch) = lanes.get(i % lanes.len().max(1)) {
            self.repo.refs.remove(branch);
        }
    }

    /// Cancels CI running on the integration head.
    pub fn cancel_integration_ci(&mut self) {
        self.cancel_lane_ci(0);
    }

    /// Cancels CI running on the head of one of the lanes (the `i`-th that exists, wrapping).
    pub fn cancel_lane_ci(&mut self, i: usize) {
        let lanes = self.lane_refs();
        let Some(branch) = lanes.get(i % lanes.len().max(1)) else {
            return;
        };
        let Some(head) = self.repo.refs.get(branch).cloned() else {
            return;
        };
        let before = self.runs.len();
        self.runs.retain(|r| r.sha != head);
        if self.runs.len() != before
            && let Some(results) = self.checks.get_mut(&head)
        {
            for c in results
                .iter_mut()
                .filter(|c| c.outcome == CheckOutcome::Pending)
            {
                c.outcome = CheckOutcome::Cancelled;
            }
        }
    }

    /// Time passes; CI runs that finish report.
    pub fn advance_to(&mut self, t: i64) {
        self.now = self.now.max(t);
        let now = self.now;
        let (done, running): (Vec<Run>, Vec<Run>) =
            self.runs.drain(..).partition(|r| r.finish_at <= now);
        self.runs = running;
        for run in done {
            let commit_bad = self
                .repo
                .commit(&run.sha)
                .is_some_and(|c| c.content.iter().any(|h| self.bad_heads.contains(h)));
            let own_fail = self
                .prs
                .values()
                .any(|p| p.pr.head_sha == run.sha && p.fails_own);
            let flaky = self.ci.flaky_rate > 0.0 && self.rng.random_bool(self.ci.flaky_rate);
            let outcome = if commit_bad || own_fail || flaky {
                CheckOutcome::Failed
            } else {
                CheckOutcome::Passed
            };
            let results = self.results_for(outcome, run.attempt, true);
            self.checks.insert(run.sha, results);
        }
    }

    /// When the next CI run reports, if any is running.
    pub fn next_ci_finish(&self) -> Option<i64> {
        self.runs.iter().map(|r| r.finish_at).min()
    }

    pub fn ci_running(&self) -> bool {
        !self.runs.is_empty()
    }

    fn refresh_mergeable(&mut self) {
        let mut updates = Vec::new();
        for (n, p) in &self.prs {
            let Some(g) = p.conflict_group else { continue };
            let base = self.base_head(&p.pr.base);
            let Some(content) = self.repo.commit(&base).map(|c| c.content.clone()) else {
                continue;
            };
            let conflicts = self.prs.values().any(|o| {
                o.pr.number != *n
                    && o.conflict_group == Some(g)
                    && content.contains(&o.pr.head_sha)
                    && !content.contains(&p.pr.head_sha)
            });
            updates.push((
                *n,
                if conflicts {
                    Mergeable::Conflicting
                } else {
                    Mergeable::Clean
                },
            ));
        }
        for (n, m) in updates {
            if let Some(p) = self.prs.get_mut(&n) {
                p.pr.mergeable = m;
            }
        }
    }

    /// What a run of the queue reads.
    pub fn state(&self) -> QueueState {
        let cfg = &self.config;
        let prs: Vec<PullRequest> = self
            .prs
            .values()
            .filter(|p| p.pr.has_label(&cfg.label))
            .map(|p| p.pr.clone())
            .collect();
        let mut checks = BTreeMap::new();
        let mut integration = BTreeMap::new();
        for pr in &prs {
            if let Some(c) = self.checks.get(&pr.head_sha) {
                checks.insert(pr.head_sha.clone(), c.clone());
            }
        }
        let mut lanes = BTreeMap::new();
        let lane_refs = cfg.bases.iter().flat_map(|base| {
            self.repo
                .refs
                .keys()
                .filter(|r| cfg.lane_number(base, r).is_some())
                .map(move |r| (base, r))
        });
        for (base, branch) in lane_refs {
            let Some(head) = self.repo.refs.get(branch) else {
                continue;
            };
            let Some(commit) = self.repo.commit(head) else {
                continue;
            };
            let manifest = Manifest::parse(&commit.message).ok();
            let merged_heads = manifest
                .as_ref()
                .and_then(|m| self.repo.merged_heads(head, &m.base, 64));
            // gather reads the evidence commit's checks too.
            if let Some(e) = manifest.and_then(|m| m.evidence)
                && let Some(c) = self.checks.get(&e)
            {
                checks.insert(e, c.clone());
            }
            if let Some(c) = self.checks.get(head) {
                checks.insert(head.clone(), c.clone());
            }
            let read = IntegrationBranch {
                head_sha: head.clone(),
                head_message: commit.message.clone(),
                head_by_queue: commit.by_queue,
                head_committed_at: Timestamp::from_second(commit.committed_at)
                    .unwrap_or(Timestamp::UNIX_EPOCH),
                merged_heads,
                ci_started: self.started.contains(head),
            };
            if *branch == cfg.integration_branch(base) {
                integration.insert(base.clone(), read);
            } else {
                lanes.insert(branch.clone(), read);
            }
        }
        QueueState {
            now: self.at(),
            config: cfg.clone(),
            prs,
            bases: cfg
                .bases
                .iter()
                .filter_map(|b| Some((b.clone(), self.repo.refs.get(b)?.clone())))
                .collect(),
            required_checks: cfg
                .bases
                .iter()
                .map(|b| (b.clone(), self.ci.required.clone()))
                .collect(),
            checks,
            integration,
            lanes,
            failed_branches: self
                .repo
                .refs
                .keys()
                .filter(|r| r.starts_with(&cfg.failed_prefix))
                .cloned()
                .collect(),
            statuses: self.statuses.clone(),
        }
    }

    /// One run of the queue: read, plan, apply (at most `cut` writes: a run cancelled
    /// between two writes).
    pub fn run_queue(&mut self, cut: Option<usize>) -> (QueuePlan, Applied) {
        let state = self.state();
        let plan = plan(&state);
        let applied = self.apply(&plan.writes, cut);
        (plan, applied)
    }

    /// Runs the queue until a run plans no writes (bounded).
    pub fn settle(&mut self) -> usize {
        for i in 0..20 {
            let (plan, _) = self.run_queue(None);
            if plan.writes.is_empty() {
                return i;
            }
        }
        self.violations
            .push("the queue did not settle within 20 runs".into());
        20
    }

    pub fn apply(&mut self, writes: &[Write], cut: Option<usize>) -> Applied {
        for (i, w) in writes.iter().enumerate() {
            if cut.is_some_and(|c| i >= c) {
                return Applied {
                    writes: i,
                    stopped: Some("cancelled".into()),
                };
            }
            if let Err(why) = self.apply_one(w) {
                return Applied {
                    writes: i,
                    stopped: Some(why),
                };
            }
        }
        Applied {
            writes: writes.len(),
            stopped: None,
        }
    }

    fn apply_one(&mut self, w: &Write) -> Result<(), String> {
        let cfg = self.config.clone();
        match w {
            Write::CreateRef { branch, sha } => {
                if self.repo.refs.contains_key(branch) {
                    return Err(format!("422 Reference already exists: {branch}"));
                }
                if self.repo.commit(sha).is_none() {
                    return Err(format!("422 Object does not exist: {sha}"));
                }
                self.repo.refs.insert(branch.clone(), sha.clone());
            }
            Write::UpdateRef { branch, sha, force } => {
                let Some(old) = self.repo.refs.get(branch).cloned() else {
                    return Err(format!("422 Reference does not exist: {branch}"));
                };
                let is_base = cfg.bases.contains(branch);
                if is_base && *force {
                    self.violations
                        .push(format!("the queue force-updated the base {branch}"));
                }
                if !*force && !self.repo.is_ancestor(&old, sha) {
                    return Err("422 Update is not a fast forward".into());
                }
                if is_base {
                    self.check_landing(branch, &old, sha);
                }
                self.repo.refs.insert(branch.clone(), sha.clone());
                if is_base {
                    self.mark_merged(branch, sha);
                }
            }
            Write::DeleteRef { branch } => {
                self.repo.refs.remove(branch);
            }
            Write::Merge {
                into,
                pr,
                head,
                message,
                conflict_comment,
            } => {
                let Some(into_head) = self.repo.refs.get(into).cloned() else {
                    return Err(format!("404 Branch not found: {into}"));
                };
                let Some(content) = self.repo.commit(&into_head).map(|c| c.content.clone()) else {
                    return Err("404 head".into());
                };
                if content.contains(head) {
                    return Ok(()); // 204: already merged
                }
                let group = self
                    .prs
                    .values()
                    .find(|p| p.pr.head_sha == *head)
                    .and_then(|p| p.conflict_group);
                let conflicts = group.is_some_and(|g| {
                    self.prs.values().any(|o| {
                        o.conflict_group == Some(g)
                            && o.pr.head_sha != *head
                            && content.contains(&o.pr.head_sha)
                    })
                });
                if conflicts {
                    self.unlabel(*pr);
                    self.comments
                        .entry(*pr)
                        .or_default()
                        .push(conflict_comment.clone());
                    return Err("409 Merge conflict".into());
                }
                let sha = self
                    .repo
                    .add(&[into_head, head.clone()], message, true, self.now, false);
                self.repo.refs.insert(into.clone(), sha);
            }
            Write::Dispatch { branch, .. } => {
                let Some(head) = self.repo.refs.get(branch).cloned() else {
                    return Err(format!("422 No ref found for: {branch}"));
                };
                self.started.insert(head.clone());
                self.ci_rounds += 1;
                let results = self.results_for(CheckOutcome::Pending, 1, false);
                self.checks.insert(head.clone(), results);
                self.runs.retain(|r| r.sha != head);
                self.runs.push(Run {
                    sha: head,
                    finish_at: self.now + self.ci.duration,
                    attempt: 1,
                });
            }
            Write::RerunFailed { sha } => {
                let attempt = self
                    .checks
                    .get(sha)
                    .and_then(|c| c.iter().map(|c| c.attempt).max())
                    .unwrap_or(1)
                    + 1;
                self.ci_rounds += 1;
                let results = self.results_for(CheckOutcome::Pending, attempt, false);
                self.checks.insert(sha.clone(), results);
                self.runs.push(Run {
                    sha: sha.clone(),
                    finish_at: self.now + self.ci.duration,
                    attempt,
                });
            }
            Write::RemoveLabel { pr, label } => {
                if let Some(p) = self.prs.get_mut(pr) {
                    p.pr.labels.retain(|l| l != label);
                }
            }
            Write::Comment { pr, body } => {
                self.comments.entry(*pr).or_default().push(body.clone());
            }
            Write::SetStatus { pr, sha, status } => {
                self.statuses.insert(
                    *pr,
                    StatusSeen {
                        sha: sha.clone(),
                        status: status.clone(),
                    },
                );
            }
        }
        Ok(())
    }

    /// The promise: the base moves only to a commit that is the manifest's batch on the
    /// current base, with every required check green, and no PR lands twice.
    fn check_landing(&mut self, base: &str, old: &Sha, new: &Sha) {
        // The lanes the move lands, top first: each a queue commit whose manifest's base is the
        // lane below, the bottom one on `old`.
        let mut manifests = Vec::new();
        let mut at = new.clone();
        while at != *old {
            let Some(commit) = self.repo.commit(&at).cloned() else {
                self.violations
                    .push(format!("{base} moved to an unknown commit"));
                return;
            };
            let manifest = match Manifest::parse(&commit.message) {
                Ok(m) if commit.by_queue => m,
                _ => {
                    let what = if manifests.is_empty() {
                        "a commit without a queue manifest"
                    } else {
                        "a batch built on another base"
                    };
                    self.violations.push(format!("{base} moved to {what}"));
                    return;
                }
            };
            let green = self.ci.required.iter().all(|name| {
                self.checks
                    .get(&at)
                    .and_then(|cs| cs.iter().find(|c| c.name == *name))
                    .is_some_and(|c| c.outcome == CheckOutcome::Passed)
            });
            if !green {
                self.violations.push(format!(
                    "{base} moved to {new}: lane {at} whose CI is not green"
                ));
            }
            at = manifest.base.clone();
            manifests.push(manifest);
            if manifests.len() > 64 {
                self.violations
                    .push(format!("{base} moved to a batch built on another base"));
                return;
            }
        }
        if manifests.is_empty() {
            self.violations
                .push(format!("{base} moved to a commit without a queue manifest"));
            return;
        }
        let Some(commit) = self.repo.commit(new).cloned() else {
            return;
        };
        let old_content = self
            .repo
            .commit(old)
            .map(|c| c.content.clone())
            .unwrap_or_default();
        let mut expected: BTreeSet<Sha> = (*old_content).clone();
        for p in manifests.iter().flat_map(|m| &m.prs) {
            if let Some(c) = self.repo.commit(&p.sha) {
                expected.extend(c.content.iter().cloned());
            }
        }
        if *commit.content != expected {
            self.violations
                .push(format!("{new} holds other changes than its manifests say"));
        }
        for p in manifests.iter().rev().flat_map(|m| &m.prs) {
            if self.landed.contains(&p.number) {
                self.violations.push(format!("#{} landed twice", p.number));
            }
            self.landed.push(p.number);
            if let Some(sp) = self.prs.get_mut(&p.number) {
                sp.landed_at = Some(self.now);
            }
        }
    }

    fn mark_merged(&mut self, base: &str, sha: &Sha) {
        let Some(content) = self.repo.commit(sha).map(|c| c.content.clone()) else {
            return;
        };
        for p in self.prs.values_mut() {
            if p.pr.open && p.pr.base == base && content.contains(&p.pr.head_sha) {
                p.pr.open = false;
                p.pr.merged = true;
            }
        }
        self.refresh_mergeable();
    }
}
