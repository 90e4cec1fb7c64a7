//! The opt-in git model: a repository made git-backed with [`State::git_repo`] keeps a real bare git repository
//! (in a temporary directory owned by the fake) behind it. Its branches are real refs, its commits real commits,
//! and its pull requests' files, commits and head SHAs come from git, so refs, merges and fast-forwards behave as
//! git does. Repositories that are never made git-backed keep the hand-seeded model ([`crate::PullSeed`] and
//! friends) unchanged.
//!
//! ```
//! use fake_github::{FakeGitHub, PullSeed};
//!
//! let github = FakeGitHub::start();
//! let mut state = github.state();
//! let mut git = state.git_repo("o/r").expect("git runs");
//! git.commit("main", "initial", &[("README.md", "hello\n")]).expect("commit");
//! git.branch("feature", "main").expect("branch");
//! git.commit("feature", "change", &[("README.md", "hello, world\n")]).expect("commit");
//! let pull = git.open_pull(PullSeed::new(1), "feature", "main").expect("PR");
//! assert_eq!(pull.files[0].filename, "README.md");
//! assert_eq!(pull.files[0].status, "modified");
//! ```

mod ci;
mod repo;
mod rules;

use std::collections::BTreeMap;
use std::sync::Arc;

pub use ci::CiSimulator;
pub use repo::{Change, CommitInfo, DiffFile, GitRepo, MergeOutcome, TreeEntry};
pub use rules::{BranchProtection, CheckRun, CommitStatus, Push, Ruleset, refusal};

use crate::seed::PullSeed;
use crate::state::{Pull, PullCommit, PullFile, PullState, State, now};

/// GitHub's limit of entries in one recursive tree response (see `GET /git/trees/{sha}` in the REST description).
pub const DEFAULT_TREE_ENTRY_CAP: usize = 100_000;

/// What went wrong while driving git.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("{what}: {source} (is `git` installed and on PATH?)")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("git {args} failed: {stderr}")]
    Failed { args: String, stderr: String },
    #[error("no branch or commit `{0}` in the git-backed repository")]
    UnknownRef(String),
    #[error(
        "no commits between {base} and {head}: GitHub refuses such a pull request; commit to `{head}` first"
    )]
    NoCommitsBetween { base: String, head: String },
}

/// One git-backed repository: its git directory, its settings, and what its PRs were last synced to.
#[derive(Debug, Clone)]
pub struct GitBacked {
    pub repo: GitRepo,
    /// Recursive tree listings longer than this are cut and answer `truncated: true`.
    pub tree_entry_cap: usize,
    /// PR number -> (base tip, head tip) its files and commits were computed from.
    synced: BTreeMap<u64, (String, String)>,
    /// Classic branch protection by branch name.
    pub protections: BTreeMap<String, BranchProtection>,
    pub rulesets: Vec<Ruleset>,
    /// Check runs and commit statuses, oldest first.
    pub check_runs: Vec<CheckRun>,
    pub statuses: Vec<CommitStatus>,
    /// When set, pushes to matching branches and `workflow_dispatch` runs get simulated CI results.
    pub ci: Option<CiSimulator>,
    /// What git says of each PR beyond the `Pull` itself: mergeability and the merge commit.
    pub pull_info: BTreeMap<u64, PullGitInfo>,
}

/// Mergeability and landing of a git-backed PR, as `GET /pulls/{n}` reports them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PullGitInfo {
    /// Whether head merges cleanly into the base's tip (`None` once merged).
    pub mergeable: Option<bool>,
    /// The commit that landed the PR: its head for a fast-forward, else the merge/squash/rebase commit.
    pub merge_commit_sha: Option<String>,
}

impl GitBacked {
    /// Whether `context` is green on `sha`: the latest check run of that name completed with success,
    /// neutral or skipped, or else the latest commit status of that context is `success`.
    pub fn passing(&self, sha: &str, context: &str) -> bool {
        let run = self
            .check_runs
            .iter()
            .filter(|r| r.head_sha == sha && r.name == context)
            .max_by_key(|r| r.id);
        if let Some(run) = run {
            return run.status == "completed"
                && matches!(
                    run.conclusion.as_deref(),
                    Some("success" | "neutral" | "skipped")
                );
        }
        self.statuses
            .iter()
            .filter(|s| s.sha == sha && s.context == context)
            .max_by_key(|s| s.id)
            .is_some_and(|s| s.state == "success")
    }

    /// The rulesets that target `branch`.
    pub fn rulesets_for(&self, branch: &str, default_branch: &str) -> Vec<&Ruleset> {
        self.rulesets
            .iter()
            .filter(|r| r.targets(branch, default_branch))
            .collect()
    }
}

/// An issue event (`GET /issues/{n}/events`): who labelled or unlabelled what, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueEvent {
    pub id: u64,
    /// `labeled` or `unlabeled`.
    pub event: String,
    pub label: String,
    pub actor: String,
    pub created_at: jiff::Timestamp,
}

/// The git repositories of one fake, in a temporary directory removed when the last copy of the state goes.
#[derive(Debug, Clone, Default)]
pub struct GitStore {
    root: Option<Arc<tempfile::TempDir>>,
    repos: BTreeMap<String, GitBacked>,
    /// Label events by repository and issue number, for any repository (git-backed or not).
    pub(crate) events: BTreeMap<(String, u64), Vec<IssueEvent>>,
}

/// Two states are equal when the same repositories are git-backed (the directories differ between instances).
impl PartialEq for GitStore {
    fn eq(&self, other: &GitStore) -> bool {
        self.repos.keys().eq(other.repos.keys())
    }
}

impl GitStore {
    pub fn get(&self, full_name: &str) -> Option<&GitBacked> {
        self.repos.get(full_name)
    }

    pub(crate) fn get_mut(&mut self, full_name: &str) -> Option<&mut GitBacked> {
        self.repos.get_mut(full_name)
    }

    fn get_or_init(&mut self, full_name: &str) -> Result<&mut GitBacked, GitError> {
        if !self.repos.contains_key(full_name) {
            let root = match &self.root {
                Some(root) => root.clone(),
                None => {
                    sweep_dead_roots();
                    let dir = tempfile::Builder::new()
                        .prefix(&format!("{ROOT_PREFIX}{}-", std::process::id()))
                        .tempdir()
                        .map_err(|source| GitError::Io {
                            what: "creating the fake's temporary git directory".to_owned(),
                            source,
                        })?;
                    let root = Arc::new(dir);
                    self.root = Some(root.clone());
                    root
                }
            };
            // Names are `owner/name` from tests; `.git` keeps them apart from anything else in the directory.
            let dir = root
                .path()
                .join(format!("{}.git", full_name.replace(['/', '\\'], "--")));
            let repo = GitRepo::init(&dir)?;
            self.repos.insert(
                full_name.to_owned(),
                GitBacked {
                    repo,
                    tree_entry_cap: DEFAULT_TREE_ENTRY_CAP,
                    synced: BTreeMap::new(),
                    protections: BTreeMap::new(),
                    rulesets: Vec::new(),
                    check_runs: Vec::new(),
                    statuses: Vec::new(),
                    ci: None,
                    pull_info: BTreeMap::new(),
                },
            );
        }
        self.repos
            .get_mut(full_name)
            .ok_or_else(|| GitError::UnknownRef(full_name.to_owned()))
    }
}

/// Temporary roots are named `fake-github-git-<pid>-<random>`.
const ROOT_PREFIX: &str = "fake-github-git-";

/// Removes the roots of processes that have ended. A root is removed when the last copy of its state is
/// dropped, but a test process may exit while the fake's runtime is still dropping its connection tasks
/// (which hold the state), and then no destructor runs; the next fake started on this machine cleans up.
/// Only where `/proc` tells which processes live (Linux); elsewhere nothing is swept.
fn sweep_dead_roots() {
    let proc = std::path::Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(ROOT_PREFIX)) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != std::process::id() && !proc.join(pid.to_string()).exists() {
            // Best effort: another fake may be sweeping the same directory at the same time.
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

impl State {
    /// Makes repository `full_name` git-backed (creating it, and its empty git repository, when missing) and
    /// returns a handle to seed it: commit files onto branches, create branches, open PRs between them.
    pub fn git_repo(&mut self, full_name: &str) -> Result<GitRepoMut<'_>, GitError> {
        self.repo_mut(full_name);
        self.git.get_or_init(full_name)?;
        Ok(GitRepoMut {
            state: self,
            name: full_name.to_owned(),
        })
    }

    /// Records a `labeled`/`unlabeled` issue event (any repository, git-backed or not).
    pub fn record_issue_event(
        &mut self,
        full_name: &str,
        number: u64,
        event: &str,
        label: &str,
        actor: &str,
        at: jiff::Timestamp,
    ) {
        let id = self.next_id();
        self.user_or_default(actor);
        self.git
            .events
            .entry((full_name.to_owned(), number))
            .or_default()
            .push(IssueEvent {
                id,
                event: event.to_owned(),
                label: label.to_owned(),
                actor: actor.to_owned(),
                created_at: at,
            });
    }

    /// The label events of issue/PR `number`, oldest first.
    pub fn issue_events(&self, full_name: &str, number: u64) -> &[IssueEvent] {
        self.git
            .events
            .get(&(full_name.to_owned(), number))
            .map_or(&[], Vec::as_slice)
    }

    /// The git repository behind `full_name`, when it is git-backed.
    pub fn git_backed(&self, full_name: &str) -> Option<&GitBacked> {
        self.git.get(full_name)
    }

    /// Brings every git-backed open PR of `full_name` up to date with its branches: head and base SHAs, files,
    /// commits and line counts from git; a PR whose head the base branch now contains is marked merged, as
    /// GitHub does after a push or fast-forward of the base.
    pub fn sync_git_pulls(&mut self, full_name: &str) -> Result<(), GitError> {
        let Some(backed) = self.git.repos.get(full_name) else {
            return Ok(());
        };
        let git = backed.repo.clone();
        let numbers: Vec<u64> = backed.synced.keys().copied().collect();
        for number in numbers {
            let Some(pull) = self.repos.get(full_name).and_then(|r| r.pulls.get(&number)) else {
                continue;
            };
            if pull.state != PullState::Open {
                continue;
            }
            let head_ref = format!("refs/heads/{}", pull.head.ref_name);
            let base_ref = format!("refs/heads/{}", pull.base.ref_name);
            // A deleted branch leaves the PR as it was, as on GitHub.
            let (Some(head), Some(base)) = (git.ref_sha(&head_ref)?, git.ref_sha(&base_ref)?)
            else {
                continue;
            };
            let key = (base.clone(), head.clone());
            if self
                .git
                .repos
                .get(full_name)
                .and_then(|b| b.synced.get(&number))
                == Some(&key)
            {
                continue;
            }
            let merged = git.is_ancestor(&head, &base)?;
            let mergeable = if merged {
                None
            } else {
                Some(matches!(
                    git.merge_trees(&base, &head)?,
                    MergeOutcome::Clean { .. }
                ))
            };
            if let Some(backed) = self.git.repos.get_mut(full_name) {
                let info = backed.pull_info.entry(number).or_default();
                info.mergeable = mergeable;
                if merged {
                    info.merge_commit_sha.get_or_insert_with(|| head.clone());
                }
            }
            let computed = if merged {
                None
            } else {
                let merge_base = git
                    .merge_base(&base, &head)?
                    .unwrap_or_else(|| base.clone());
                Some((
                    git.diff(&merge_base, &head)?,
                    git.commits_between(&base, &head)?,
                ))
            };
            let Some(pull) = self
                .repos
                .get_mut(full_name)
                .and_then(|r| r.pulls.get_mut(&number))
            else {
                continue;
            };
            apply_sync(pull, &head, &base, computed);
            if let Some(backed) = self.git.repos.get_mut(full_name) {
                backed.synced.insert(number, key);
            }
        }
        Ok(())
    }
}

fn apply_sync(
    pull: &mut Pull,
    head: &str,
    base: &str,
    computed: Option<(Vec<DiffFile>, Vec<CommitInfo>)>,
) {
    pull.updated_at = now();
    let Some((files, commits)) = computed else {
        // The base contains the head: merged, with files and commits as they were.
        pull.state = PullState::Closed;
        pull.merged = true;
        return;
    };
    pull.head.sha = head.to_owned();
    pull.base.sha = base.to_owned();
    pull.additions = files.iter().map(|f| f.additions).sum();
    pull.deletions = files.iter().map(|f| f.deletions).sum();
    pull.changed_files = files.len() as u64;
    pull.files = files
        .into_iter()
        .map(|f| PullFile {
            changes: f.additions + f.deletions,
            filename: f.filename,
            status: f.status,
            additions: f.additions,
            deletions: f.deletions,
            patch: f.patch,
            previous_filename: f.previous_filename,
            blob_sha: Some(f.blob_sha),
        })
        .collect();
    pull.commits = commits
        .into_iter()
        .map(|c| PullCommit {
            sha: c.sha,
            message: c.message,
            author_name: c.author_name,
            author_email: c.author_email,
            author_login: None,
        })
        .collect();
}

/// A seeding handle on one git-backed repository; every change that moves a branch re-syncs its PRs.
pub struct GitRepoMut<'s> {
    state: &'s mut State,
    name: String,
}

impl<'s> GitRepoMut<'s> {
    fn backed(&self) -> Result<&GitBacked, GitError> {
        self.state
            .git
            .get(&self.name)
            .ok_or_else(|| GitError::UnknownRef(self.name.clone()))
    }

    /// The git repository itself, for reads (`resolve`, `entry`, `ls_tree`, ...).
    pub fn repo(&self) -> Result<GitRepo, GitError> {
        Ok(self.backed()?.repo.clone())
    }

    /// Commits `files` (path -> text) onto `branch`, on top of its tip (a root commit when the branch is new),
    /// and returns the new commit's SHA.
    pub fn commit(
        &mut self,
        branch: &str,
        message: &str,
        files: &[(&str, &str)],
    ) -> Result<String, GitError> {
        let changes: Vec<Change> = files
            .iter()
            .map(|(path, text)| Change::write(path, text.as_bytes()))
            .collect();
        self.commit_changes(branch, message, &changes)
    }

    /// Commits `changes` (writes and deletions) onto `branch` and returns the new commit's SHA.
    pub fn commit_changes(
        &mut self,
        branch: &str,
        message: &str,
        changes: &[Change],
    ) -> Result<String, GitError> {
        let git = self.repo()?;
        let full_ref = format!("refs/heads/{branch}");
        let tip = git.ref_sha(&full_ref)?;
        let parents: Vec<&str> = tip.as_deref().into_iter().collect();
        let sha = git.write_commit(&parents, message, changes)?;
        git.set_ref(&full_ref, &sha, Some(tip.as_deref().unwrap_or(ZERO_SHA)))?;
        self.state.sync_git_pulls(&self.name)?;
        self.state.git_pushed(&self.name, branch, &sha)?;
        Ok(sha)
    }

    /// Points `branch` at `from` (a branch, tag or SHA), creating or moving it, and returns the SHA.
    pub fn branch(&mut self, branch: &str, from: &str) -> Result<String, GitError> {
        let git = self.repo()?;
        let sha = git
            .resolve(from, "commit")?
            .ok_or_else(|| GitError::UnknownRef(from.to_owned()))?;
        git.set_ref(&format!("refs/heads/{branch}"), &sha, None)?;
        self.state.sync_git_pulls(&self.name)?;
        self.state.git_pushed(&self.name, branch, &sha)?;
        Ok(sha)
    }

    /// The commit SHA `spec` (branch, tag or SHA) names.
    pub fn sha(&self, spec: &str) -> Result<String, GitError> {
        self.repo()?
            .resolve(spec, "commit")?
            .ok_or_else(|| GitError::UnknownRef(spec.to_owned()))
    }

    /// Protects `branch` with classic branch protection (replacing any earlier protection of it).
    pub fn protect_branch(
        &mut self,
        branch: &str,
        protection: BranchProtection,
    ) -> Result<(), GitError> {
        self.state
            .git
            .get_or_init(&self.name)?
            .protections
            .insert(branch.to_owned(), protection);
        Ok(())
    }

    /// Adds a repository ruleset and returns its id. `rules` are GitHub's rule objects, e.g.
    /// `{"type": "required_status_checks", "parameters": {"required_status_checks": [{"context": "ci"}],
    /// "strict_required_status_checks_policy": false}}`; `include` are branch patterns (`main`,
    /// `~DEFAULT_BRANCH`, `release/*`); `bypass` are logins that may push anyway.
    pub fn add_ruleset(
        &mut self,
        name: &str,
        include: &[&str],
        rules: Vec<serde_json::Value>,
        bypass: &[&str],
    ) -> Result<u64, GitError> {
        let id = self.state.next_id();
        let repo = self.name.clone();
        self.state
            .git
            .get_or_init(&self.name)?
            .rulesets
            .push(Ruleset {
                id,
                name: name.to_owned(),
                source_type: "Repository".to_owned(),
                source: repo,
                include: include.iter().map(|p| (*p).to_owned()).collect(),
                rules,
                bypass: bypass.iter().map(|l| (*l).to_owned()).collect(),
            });
        Ok(id)
    }

    /// Posts a commit status on the commit `spec` names, as a CI service (`creator`) would.
    pub fn status(
        &mut self,
        spec: &str,
        context: &str,
        state: &str,
        creator: &str,
    ) -> Result<String, GitError> {
        let sha = self.sha(spec)?;
        let id = self.state.next_id();
        let at = crate::state::now();
        self.state
            .git
            .get_or_init(&self.name)?
            .statuses
            .push(CommitStatus {
                id,
                sha: sha.clone(),
                state: state.to_owned(),
                context: context.to_owned(),
                description: None,
                target_url: None,
                creator: creator.to_owned(),
                created_at: at,
                updated_at: at,
            });
        Ok(sha)
    }

    /// Turns on simulated CI for this repository (see [`CiSimulator`]).
    pub fn simulate_ci(&mut self, ci: CiSimulator) -> Result<(), GitError> {
        self.state.git.get_or_init(&self.name)?.ci = Some(ci);
        Ok(())
    }

    /// Completes every simulated check still `in_progress` (with a [`CiSimulator::manual`] simulator).
    pub fn finish_ci(&mut self) {
        self.state.finish_ci(&self.name);
    }

    /// How many CI rounds the simulator has run.
    pub fn ci_rounds(&self) -> u64 {
        self.backed()
            .ok()
            .and_then(|b| b.ci.as_ref())
            .map_or(0, |ci| ci.rounds)
    }

    /// The check runs on `sha`, oldest first.
    pub fn check_runs(&self, sha: &str) -> Vec<CheckRun> {
        self.backed()
            .map(|b| {
                b.check_runs
                    .iter()
                    .filter(|r| r.head_sha == sha)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Records that `actor` added (`labeled`) or removed (`unlabeled`) `label` on issue/PR `number` at
    /// `at`, as if it happened then (the PR's labels themselves are not changed: seed them with the PR).
    pub fn label_event(
        &mut self,
        number: u64,
        event: &str,
        label: &str,
        actor: &str,
        at: jiff::Timestamp,
    ) {
        self.state
            .record_issue_event(&self.name, number, event, label, actor, at);
    }

    /// Recursive tree listings longer than `cap` entries answer `truncated: true` (GitHub's cap is 100,000).
    pub fn set_tree_entry_cap(&mut self, cap: usize) -> Result<(), GitError> {
        self.state.git.get_or_init(&self.name)?.tree_entry_cap = cap;
        Ok(())
    }

    /// Opens PR `seed.number` from `head` into `base` (both branches of this repository). Title, body, labels,
    /// user and draft come from `seed`; head/base SHAs, files, commits and line counts come from git (any files
    /// or commits in `seed` are replaced).
    pub fn open_pull(
        self,
        seed: PullSeed,
        head: &str,
        base: &str,
    ) -> Result<&'s mut Pull, GitError> {
        let git = self.repo()?;
        let head_sha = git
            .ref_sha(&format!("refs/heads/{head}"))?
            .ok_or_else(|| GitError::UnknownRef(head.to_owned()))?;
        let base_sha = git
            .ref_sha(&format!("refs/heads/{base}"))?
            .ok_or_else(|| GitError::UnknownRef(base.to_owned()))?;
        if git.is_ancestor(&head_sha, &base_sha)? {
            return Err(GitError::NoCommitsBetween {
                base: base.to_owned(),
                head: head.to_owned(),
            });
        }
        let number = seed.number;
        let name = self.name;
        let state = self.state;
        let mut seed = seed.head(head, &head_sha).base(base, &base_sha);
        seed.files.clear();
        seed.generate_files = None;
        seed.commits.clear();
        seed.additions = None;
        seed.deletions = None;
        seed.changed_files = None;
        state.add_pull(&name, seed);
        if let Some(backed) = state.git.repos.get_mut(&name) {
            backed.synced.remove(&number);
            backed.synced.insert(number, (String::new(), String::new()));
        }
        state.sync_git_pulls(&name)?;
        state
            .repos
            .get_mut(&name)
            .and_then(|r| r.pulls.get_mut(&number))
            .ok_or_else(|| GitError::UnknownRef(format!("pull request #{number}")))
    }
}

/// git's "no object" id, used as the expected old value when a ref must not exist yet.
pub const ZERO_SHA: &str = "0000000000000000000000000000000000000000";
