//! The `git` part of a repository seed: makes the repository git-backed from a JSON document, so
//! that a process outside Rust (`fake-github serve --seed`, the act suite) can set up what the Rust
//! tests set up with [`crate::GitRepoMut`]: commits on branches, PRs opened from branches, label
//! events, branch protection, simulated CI and commit statuses.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::git::{BranchProtection, CiSimulator, GitError};
use crate::seed::PullSeed;
use crate::state::State;

/// `repos.<owner/name>.git` in a seed. Applied in field order: commits, protection, CI, pulls,
/// statuses (so PRs see their branches and statuses see their commits).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GitSeed {
    #[serde(default)]
    pub commits: Vec<GitCommitSeed>,
    /// Classic branch protection, by branch name.
    #[serde(default)]
    pub protect: BTreeMap<String, ProtectionSeed>,
    #[serde(default)]
    pub ci: Option<CiSeed>,
    #[serde(default)]
    pub pulls: Vec<GitPullSeed>,
    #[serde(default)]
    pub statuses: Vec<StatusSeed>,
}

/// One commit of `files` (path -> text) on `branch`; a new branch starts at `from` (a branch or
/// SHA), or as a root commit without it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GitCommitSeed {
    pub branch: String,
    #[serde(default)]
    pub from: Option<String>,
    pub message: String,
    pub files: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProtectionSeed {
    #[serde(default)]
    pub required_checks: Vec<String>,
}

/// [`CiSimulator::new`]: `checks` reported on pushes to `push_branches` and on every dispatch.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CiSeed {
    pub checks: Vec<String>,
    #[serde(default)]
    pub push_branches: Vec<String>,
}

/// A PR opened from `head` into `base`; its SHAs, files and commits come from git. With
/// `labeled_at`, a `labeled` event for each label is recorded at that time (by `maintainer`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GitPullSeed {
    pub number: u64,
    pub head: String,
    #[serde(default = "default_base")]
    pub base: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub labels: Vec<String>,
    #[serde(default)]
    pub labeled_at: Option<jiff::Timestamp>,
}

fn default_base() -> String {
    "main".to_owned()
}

/// A commit status on the commit `ref` names (branch or SHA), as a CI service posts it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusSeed {
    #[serde(rename = "ref")]
    pub git_ref: String,
    pub context: String,
    /// error, failure, pending or success.
    pub state: String,
}

impl State {
    /// Makes `full_name` git-backed and applies `seed` to it.
    pub(crate) fn apply_git_seed(
        &mut self,
        full_name: &str,
        seed: GitSeed,
    ) -> Result<(), GitError> {
        let mut git = self.git_repo(full_name)?;
        for commit in seed.commits {
            if let Some(from) = &commit.from
                && git.sha(&commit.branch).is_err()
            {
                git.branch(&commit.branch, from)?;
            }
            let files: Vec<(&str, &str)> = commit
                .files
                .iter()
                .map(|(path, text)| (path.as_str(), text.as_str()))
                .collect();
            git.commit(&commit.branch, &commit.message, &files)?;
        }
        for (branch, protection) in seed.protect {
            let checks: Vec<&str> = protection
                .required_checks
                .iter()
                .map(String::as_str)
                .collect();
            git.protect_branch(&branch, BranchProtection::new().required_checks(&checks))?;
        }
        if let Some(ci) = seed.ci {
            let checks: Vec<&str> = ci.checks.iter().map(String::as_str).collect();
            let branches: Vec<&str> = ci.push_branches.iter().map(String::as_str).collect();
            git.simulate_ci(CiSimulator::new(&checks, &branches))?;
        }
        for pull in seed.pulls {
            let labels: Vec<&str> = pull.labels.iter().map(String::as_str).collect();
            let mut pr = PullSeed::new(pull.number).labels(&labels);
            if let Some(title) = &pull.title {
                pr = pr.title(title);
            }
            if let Some(body) = &pull.body {
                pr = pr.body(body);
            }
            self.git_repo(full_name)?
                .open_pull(pr, &pull.head, &pull.base)?;
            if let Some(at) = pull.labeled_at {
                for label in &pull.labels {
                    self.record_issue_event(
                        full_name,
                        pull.number,
                        "labeled",
                        label,
                        "maintainer",
                        at,
                    );
                }
            }
        }
        let mut git = self.git_repo(full_name)?;
        for status in seed.statuses {
            git.status(&status.git_ref, &status.context, &status.state, "ci-bot")?;
        }
        Ok(())
    }
}
