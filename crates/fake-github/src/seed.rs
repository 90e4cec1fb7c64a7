//! Builders for the objects tests seed: pull requests with their files and commits, workflow runs with jobs.
//! They deserialize from the JSON seed format too, so Rust tests and `--seed FILE.json` say the same things.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::state::{GitRef, Job, Pull, PullCommit, PullFile, PullState, WorkflowRun, now};

/// A deterministic 40-hex "commit sha" derived from any text, for seeds that do not care about the value.
pub fn fake_sha(seed: &str) -> String {
    let digest = Sha256::digest(seed.as_bytes());
    hex::encode(digest)[..40].to_owned()
}

/// One changed file of a pull request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSeed {
    pub filename: String,
    #[serde(default = "default_file_status")]
    pub status: String,
    #[serde(default)]
    pub additions: u64,
    #[serde(default)]
    pub deletions: u64,
    /// Defaults to `additions + deletions`.
    #[serde(default)]
    pub changes: Option<u64>,
    #[serde(default)]
    pub patch: Option<String>,
    #[serde(default)]
    pub previous_filename: Option<String>,
}

fn default_file_status() -> String {
    "modified".to_owned()
}

impl FileSeed {
    /// A `modified` file with these line counts and no patch.
    pub fn new(filename: &str, additions: u64, deletions: u64) -> FileSeed {
        FileSeed {
            filename: filename.to_owned(),
            status: default_file_status(),
            additions,
            deletions,
            changes: None,
            patch: None,
            previous_filename: None,
        }
    }

    /// `added`, `removed`, `modified`, `renamed`, `copied`, `changed` or `unchanged`.
    pub fn status(mut self, status: &str) -> FileSeed {
        self.status = status.to_owned();
        self
    }

    pub fn patch(mut self, patch: &str) -> FileSeed {
        self.patch = Some(patch.to_owned());
        self
    }

    /// Marks the file `renamed` from `previous`.
    pub fn renamed_from(mut self, previous: &str) -> FileSeed {
        self.status = "renamed".to_owned();
        self.previous_filename = Some(previous.to_owned());
        self
    }

    pub fn changes(mut self, changes: u64) -> FileSeed {
        self.changes = Some(changes);
        self
    }

    /// `count` distinct files `src/generated/file_00001.rs`, ... each with the given line counts.
    pub fn generate(count: usize, additions: u64, deletions: u64) -> Vec<FileSeed> {
        (1..=count)
            .map(|i| {
                FileSeed::new(
                    &format!("src/generated/file_{i:05}.rs"),
                    additions,
                    deletions,
                )
            })
            .collect()
    }

    fn build(self) -> PullFile {
        PullFile {
            changes: self.changes.unwrap_or(self.additions + self.deletions),
            filename: self.filename,
            status: self.status,
            additions: self.additions,
            deletions: self.deletions,
            patch: self.patch,
            previous_filename: self.previous_filename,
            blob_sha: None,
        }
    }
}

/// One commit of a pull request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitSeed {
    #[serde(default)]
    pub sha: Option<String>,
    pub message: String,
    #[serde(default = "default_author_name")]
    pub author_name: String,
    #[serde(default = "default_author_email")]
    pub author_email: String,
    #[serde(default)]
    pub author_login: Option<String>,
}

fn default_author_name() -> String {
    "Mona Lisa".to_owned()
}

fn default_author_email() -> String {
    "mona@example.com".to_owned()
}

impl CommitSeed {
    pub fn new(message: &str) -> CommitSeed {
        CommitSeed {
            sha: None,
            message: message.to_owned(),
            author_name: default_author_name(),
            author_email: default_author_email(),
            author_login: None,
        }
    }

    pub fn sha(mut self, sha: &str) -> CommitSeed {
        self.sha = Some(sha.to_owned());
        self
    }
}

/// One side of a seeded pull request; `sha` and `repo` are derived when left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefSeed {
    #[serde(rename = "ref")]
    pub ref_name: String,
    #[serde(default)]
    pub sha: Option<String>,
    /// `owner/name`; defaults to the PR's repository (set it to another to make a fork PR).
    #[serde(default)]
    pub repo: Option<String>,
}

/// A pull request to seed. `additions`, `deletions` and `changed_files` default to sums over `files`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullSeed {
    pub number: u64,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub head: Option<RefSeed>,
    #[serde(default)]
    pub base: Option<RefSeed>,
    #[serde(default)]
    pub labels: Vec<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub state: PullState,
    #[serde(default)]
    pub merged: bool,
    #[serde(default = "default_pull_user")]
    pub user: String,
    #[serde(default)]
    pub files: Vec<FileSeed>,
    #[serde(default)]
    pub commits: Vec<CommitSeed>,
    #[serde(default)]
    pub additions: Option<u64>,
    #[serde(default)]
    pub deletions: Option<u64>,
    #[serde(default)]
    pub changed_files: Option<u64>,
    /// Appends this many generated files after `files` (see [`FileSeed::generate`]).
    #[serde(default)]
    pub generate_files: Option<GeneratedFiles>,
}

/// `{"count": 2500, "additions": 1, "deletions": 0}`: many files without listing them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeneratedFiles {
    pub count: usize,
    #[serde(default = "one")]
    pub additions: u64,
    #[serde(default)]
    pub deletions: u64,
}

fn one() -> u64 {
    1
}

fn default_pull_user() -> String {
    "octocat".to_owned()
}

impl PullSeed {
    /// An open PR `number` by `octocat` from `feature-{number}` into `main`, with no files.
    pub fn new(number: u64) -> PullSeed {
        PullSeed {
            number,
            title: None,
            body: None,
            head: None,
            base: None,
            labels: Vec::new(),
            draft: false,
            state: PullState::Open,
            merged: false,
            user: default_pull_user(),
            files: Vec::new(),
            commits: Vec::new(),
            additions: None,
            deletions: None,
            changed_files: None,
            generate_files: None,
        }
    }

    pub fn title(mut self, title: &str) -> PullSeed {
        self.title = Some(title.to_owned());
        self
    }

    pub fn body(mut self, body: &str) -> PullSeed {
        self.body = Some(body.to_owned());
        self
    }

    pub fn head(mut self, ref_name: &str, sha: &str) -> PullSeed {
        let repo = self.head.take().and_then(|h| h.repo);
        self.head = Some(RefSeed {
            ref_name: ref_name.to_owned(),
            sha: Some(sha.to_owned()),
            repo,
        });
        self
    }

    /// Makes the head live in another repository (`owner/name`), as for a PR from a fork.
    pub fn head_repo(mut self, full_name: &str) -> PullSeed {
        let mut head = self
            .head
            .take()
            .unwrap_or_else(|| default_head(self.number));
        head.repo = Some(full_name.to_owned());
        self.head = Some(head);
        self
    }

    pub fn base(mut self, ref_name: &str, sha: &str) -> PullSeed {
        self.base = Some(RefSeed {
            ref_name: ref_name.to_owned(),
            sha: Some(sha.to_owned()),
            repo: None,
        });
        self
    }

    pub fn label(mut self, name: &str) -> PullSeed {
        self.labels.push(name.to_owned());
        self
    }

    pub fn labels(mut self, names: &[&str]) -> PullSeed {
        self.labels.extend(names.iter().map(|n| (*n).to_owned()));
        self
    }

    pub fn draft(mut self, draft: bool) -> PullSeed {
        self.draft = draft;
        self
    }

    pub fn state(mut self, state: PullState) -> PullSeed {
        self.state = state;
        self
    }

    /// Closed and merged.
    pub fn merged(mut self) -> PullSeed {
        self.state = PullState::Closed;
        self.merged = true;
        self
    }

    pub fn user(mut self, login: &str) -> PullSeed {
        self.user = login.to_owned();
        self
    }

    pub fn file(mut self, file: FileSeed) -> PullSeed {
        self.files.push(file);
        self
    }

    pub fn files(mut self, files: Vec<FileSeed>) -> PullSeed {
        self.files.extend(files);
        self
    }

    /// Adds `count` generated files with these line counts (e.g. 2,500 for a huge PR).
    pub fn generated_files(mut self, count: usize, additions: u64, deletions: u64) -> PullSeed {
        self.files
            .extend(FileSeed::generate(count, additions, deletions));
        self
    }

    pub fn commit(mut self, commit: CommitSeed) -> PullSeed {
        self.commits.push(commit);
        self
    }

    pub fn additions(mut self, additions: u64) -> PullSeed {
        self.additions = Some(additions);
        self
    }

    pub fn deletions(mut self, deletions: u64) -> PullSeed {
        self.deletions = Some(deletions);
        self
    }

    pub fn changed_files(mut self, changed_files: u64) -> PullSeed {
        self.changed_files = Some(changed_files);
        self
    }

    pub(crate) fn build(self, id: u64, repo: &str) -> Pull {
        let number = self.number;
        let head = self.head.unwrap_or_else(|| default_head(number));
        let base = self.base.unwrap_or_else(|| RefSeed {
            ref_name: "main".to_owned(),
            sha: None,
            repo: None,
        });
        let head = resolve_ref(head, repo);
        let base = resolve_ref(base, repo);
        let mut seeds = self.files;
        if let Some(generated) = self.generate_files {
            seeds.extend(FileSeed::generate(
                generated.count,
                generated.additions,
                generated.deletions,
            ));
        }
        let files: Vec<PullFile> = seeds.into_iter().map(FileSeed::build).collect();
        let commits = if self.commits.is_empty() {
            vec![PullCommit {
                sha: head.sha.clone(),
                message: format!("Change for #{number}"),
                author_name: default_author_name(),
                author_email: default_author_email(),
                author_login: None,
            }]
        } else {
            self.commits
                .into_iter()
                .enumerate()
                .map(|(i, c)| PullCommit {
                    sha: c
                        .sha
                        .unwrap_or_else(|| fake_sha(&format!("{repo}#{number} commit {i}"))),
                    message: c.message,
                    author_name: c.author_name,
                    author_email: c.author_email,
                    author_login: c.author_login,
                })
                .collect()
        };
        let created = now();
        Pull {
            id,
            number,
            title: self
                .title
                .unwrap_or_else(|| format!("Pull request #{number}")),
            body: self.body,
            state: self.state,
            draft: self.draft,
            merged: self.merged,
            user: self.user,
            additions: self
                .additions
                .unwrap_or_else(|| files.iter().map(|f| f.additions).sum()),
            deletions: self
                .deletions
                .unwrap_or_else(|| files.iter().map(|f| f.deletions).sum()),
            changed_files: self.changed_files.unwrap_or(files.len() as u64),
            head,
            base,
            labels: self.labels,
            files,
            commits,
            created_at: created,
            updated_at: created,
        }
    }
}

fn default_head(number: u64) -> RefSeed {
    RefSeed {
        ref_name: format!("feature-{number}"),
        sha: None,
        repo: None,
    }
}

fn resolve_ref(seed: RefSeed, repo: &str) -> GitRef {
    let repo = seed.repo.unwrap_or_else(|| repo.to_owned());
    GitRef {
        sha: seed
            .sha
            .unwrap_or_else(|| fake_sha(&format!("{repo}@{}", seed.ref_name))),
        ref_name: seed.ref_name,
        repo,
    }
}

/// A job to seed into a workflow run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobSeed {
    pub name: String,
    #[serde(default = "default_attempt")]
    pub run_attempt: u32,
    #[serde(default = "default_completed")]
    pub status: String,
    #[serde(default)]
    pub conclusion: Option<String>,
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    #[serde(default)]
    pub started_at: Option<Timestamp>,
    #[serde(default)]
    pub completed_at: Option<Timestamp>,
    #[serde(default = "default_job_labels")]
    pub labels: Vec<String>,
    #[serde(default)]
    pub runner_name: Option<String>,
}

fn default_attempt() -> u32 {
    1
}

fn default_completed() -> String {
    "completed".to_owned()
}

fn default_job_labels() -> Vec<String> {
    vec!["ubuntu-latest".to_owned()]
}

impl JobSeed {
    /// A completed, successful job on `ubuntu-latest` in attempt 1.
    pub fn new(name: &str) -> JobSeed {
        JobSeed {
            name: name.to_owned(),
            run_attempt: 1,
            status: default_completed(),
            conclusion: Some("success".to_owned()),
            created_at: None,
            started_at: None,
            completed_at: None,
            labels: default_job_labels(),
            runner_name: Some("GitHub Actions 1".to_owned()),
        }
    }

    pub fn attempt(mut self, run_attempt: u32) -> JobSeed {
        self.run_attempt = run_attempt;
        self
    }

    /// `status` (`queued`, `in_progress`, `completed`) and `conclusion` (`success`, `failure`, ...).
    pub fn outcome(mut self, status: &str, conclusion: Option<&str>) -> JobSeed {
        self.status = status.to_owned();
        self.conclusion = conclusion.map(str::to_owned);
        self
    }

    pub fn times(mut self, started_at: Timestamp, completed_at: Option<Timestamp>) -> JobSeed {
        self.created_at = Some(started_at);
        self.started_at = Some(started_at);
        self.completed_at = completed_at;
        self
    }

    pub fn labels(mut self, labels: &[&str]) -> JobSeed {
        self.labels = labels.iter().map(|l| (*l).to_owned()).collect();
        self
    }

    pub fn runner(mut self, runner_name: &str) -> JobSeed {
        self.runner_name = Some(runner_name.to_owned());
        self
    }
}

/// A workflow run to seed; its `run_attempt` defaults to the highest attempt among its jobs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunSeed {
    pub id: u64,
    #[serde(default = "default_run_name")]
    pub name: String,
    #[serde(default = "default_run_path")]
    pub path: String,
    #[serde(default = "default_branch")]
    pub head_branch: String,
    #[serde(default)]
    pub head_sha: Option<String>,
    #[serde(default = "default_event")]
    pub event: String,
    #[serde(default = "default_completed")]
    pub status: String,
    #[serde(default)]
    pub conclusion: Option<String>,
    #[serde(default)]
    pub run_number: Option<u64>,
    #[serde(default)]
    pub run_attempt: Option<u32>,
    #[serde(default = "default_pull_user")]
    pub actor: String,
    #[serde(default)]
    pub pull_requests: Vec<u64>,
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    #[serde(default)]
    pub jobs: Vec<JobSeed>,
}

fn default_run_name() -> String {
    "CI".to_owned()
}

fn default_run_path() -> String {
    ".github/workflows/ci.yml".to_owned()
}

fn default_branch() -> String {
    "main".to_owned()
}

fn default_event() -> String {
    "pull_request".to_owned()
}

impl RunSeed {
    /// A completed `CI` run `id` on `main`, triggered by `pull_request`, with no jobs yet.
    pub fn new(id: u64) -> RunSeed {
        RunSeed {
            id,
            name: default_run_name(),
            path: default_run_path(),
            head_branch: default_branch(),
            head_sha: None,
            event: default_event(),
            status: default_completed(),
            conclusion: Some("success".to_owned()),
            run_number: None,
            run_attempt: None,
            actor: default_pull_user(),
            pull_requests: Vec::new(),
            created_at: None,
            jobs: Vec::new(),
        }
    }

    pub fn name(mut self, name: &str) -> RunSeed {
        self.name = name.to_owned();
        self
    }

    pub fn head(mut self, branch: &str, sha: &str) -> RunSeed {
        self.head_branch = branch.to_owned();
        self.head_sha = Some(sha.to_owned());
        self
    }

    pub fn event(mut self, event: &str) -> RunSeed {
        self.event = event.to_owned();
        self
    }

    pub fn outcome(mut self, status: &str, conclusion: Option<&str>) -> RunSeed {
        self.status = status.to_owned();
        self.conclusion = conclusion.map(str::to_owned);
        self
    }

    pub fn pull_request(mut self, number: u64) -> RunSeed {
        self.pull_requests.push(number);
        self
    }

    pub fn job(mut self, job: JobSeed) -> RunSeed {
        self.jobs.push(job);
        self
    }

    pub(crate) fn build(self, workflow_id: u64, job_ids: &[u64]) -> WorkflowRun {
        let created = self.created_at.unwrap_or_else(now);
        let run_attempt = self
            .run_attempt
            .unwrap_or_else(|| self.jobs.iter().map(|j| j.run_attempt).max().unwrap_or(1));
        let jobs = self
            .jobs
            .into_iter()
            .zip(job_ids)
            .map(|(j, id)| {
                let started = j.started_at.unwrap_or(created);
                Job {
                    id: *id,
                    run_attempt: j.run_attempt,
                    name: j.name,
                    completed_at: j
                        .completed_at
                        .or_else(|| (j.status == "completed").then_some(started)),
                    status: j.status,
                    conclusion: j.conclusion,
                    created_at: j.created_at.unwrap_or(started),
                    started_at: started,
                    labels: j.labels,
                    runner_name: j.runner_name,
                }
            })
            .collect();
        WorkflowRun {
            id: self.id,
            head_sha: self
                .head_sha
                .unwrap_or_else(|| fake_sha(&format!("run {}", self.id))),
            name: self.name,
            workflow_id,
            path: self.path,
            head_branch: self.head_branch,
            event: self.event,
            status: self.status,
            conclusion: self.conclusion,
            run_number: self.run_number.unwrap_or(self.id),
            run_attempt,
            actor: self.actor,
            pull_requests: self.pull_requests,
            created_at: created,
            updated_at: created,
            run_started_at: created,
            jobs,
        }
    }
}
