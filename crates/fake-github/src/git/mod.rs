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

mod repo;

use std::collections::BTreeMap;
use std::sync::Arc;

pub use repo::{Change, CommitInfo, DiffFile, GitRepo, MergeOutcome, TreeEntry};

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
}

/// The git repositories of one fake, in a temporary directory removed when the last copy of the state goes.
#[derive(Debug, Clone, Default)]
pub struct GitStore {
    root: Option<Arc<tempfile::TempDir>>,
    repos: BTreeMap<String, GitBacked>,
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

    fn get_or_init(&mut self, full_name: &str) -> Result<&mut GitBacked, GitError> {
        if !self.repos.contains_key(full_name) {
            let root = match &self.root {
                Some(root) => root.clone(),
                None => {
                    let dir = tempfile::Builder::new()
                        .prefix("fake-github-git-")
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
                },
            );
        }
        self.repos
            .get_mut(full_name)
            .ok_or_else(|| GitError::UnknownRef(full_name.to_owned()))
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
        Ok(sha)
    }

    /// The commit SHA `spec` (branch, tag or SHA) names.
    pub fn sha(&self, spec: &str) -> Result<String, GitError> {
        self.repo()?
            .resolve(spec, "commit")?
            .ok_or_else(|| GitError::UnknownRef(spec.to_owned()))
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
