//! The JSON seed format shared by `fake-github serve --seed FILE.json`, `POST /_fake/seed` and
//! [`crate::FakeGitHub::seed_json`]. Documented in the crate README.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::seed::{PullSeed, RunSeed};
use crate::seed_git::GitSeed;
use crate::state::{State, TokenInfo};

/// A whole seed: extra tokens and repositories. Everything is optional and merges into the current state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedDocument {
    #[serde(default)]
    pub tokens: BTreeMap<String, TokenInfo>,
    #[serde(default)]
    pub repos: BTreeMap<String, RepoSeed>,
}

/// One repository, keyed `owner/name` in [`SeedDocument::repos`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepoSeed {
    #[serde(default)]
    pub private: Option<bool>,
    #[serde(default)]
    pub default_branch: Option<String>,
    #[serde(default)]
    pub labels: Vec<LabelSeed>,
    #[serde(default)]
    pub pulls: Vec<PullSeed>,
    #[serde(default)]
    pub comments: Vec<CommentSeed>,
    /// `{ref: {path: text}}`.
    #[serde(default)]
    pub contents: BTreeMap<String, BTreeMap<String, String>>,
    /// `{sha: [pr numbers]}`, for `GET /commits/{sha}/pulls` beyond head shas and PR commits.
    #[serde(default)]
    pub commit_pulls: BTreeMap<String, Vec<u64>>,
    #[serde(default)]
    pub runs: Vec<RunSeed>,
    /// Makes the repository git-backed (see [`GitSeed`]).
    #[serde(default)]
    pub git: Option<GitSeed>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelSeed {
    pub name: String,
    #[serde(default = "default_color")]
    pub color: String,
    #[serde(default)]
    pub description: Option<String>,
}

fn default_color() -> String {
    "ededed".to_owned()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommentSeed {
    pub issue: u64,
    #[serde(default = "default_commenter")]
    pub user: String,
    pub body: String,
}

fn default_commenter() -> String {
    "octocat".to_owned()
}

/// Why a seed could not be read.
#[derive(Debug, thiserror::Error)]
#[error(
    "the seed is not valid at `{path}`: {message}; see the seed format in crates/fake-github/README.md"
)]
pub struct SeedError {
    pub path: String,
    pub message: String,
}

impl SeedDocument {
    /// Parses a seed, naming the JSON path of the first problem.
    pub fn from_json(text: &str) -> Result<SeedDocument, SeedError> {
        let deserializer = &mut serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(deserializer).map_err(|error| SeedError {
            path: error.path().to_string(),
            message: error.inner().to_string(),
        })
    }
}

impl State {
    /// Merges a seed into the state: tokens and labels are replaced by name, pulls by number,
    /// comments appended, contents and runs replaced by key, the `git` part applied last. A git
    /// part that git refuses (an unknown branch, a PR with no commits) is an error naming it;
    /// what came before it stays applied.
    pub fn apply_seed(&mut self, seed: SeedDocument) -> Result<(), SeedError> {
        for (token, info) in seed.tokens {
            self.add_token(&token, &info.login, info.kind, info.permission);
        }
        for (full_name, repo_seed) in seed.repos {
            let repo = self.repo_mut(&full_name);
            if let Some(private) = repo_seed.private {
                repo.private = private;
            }
            if let Some(branch) = repo_seed.default_branch {
                repo.default_branch = branch;
            }
            for (sha, numbers) in repo_seed.commit_pulls {
                repo.commit_pulls.entry(sha).or_default().extend(numbers);
            }
            for label in repo_seed.labels {
                self.add_label(
                    &full_name,
                    &label.name,
                    &label.color,
                    label.description.as_deref(),
                );
            }
            for pull in repo_seed.pulls {
                self.add_pull(&full_name, pull);
            }
            for comment in repo_seed.comments {
                self.add_comment(&full_name, comment.issue, &comment.user, &comment.body);
            }
            for (git_ref, files) in repo_seed.contents {
                for (path, text) in files {
                    self.put_content(&full_name, &git_ref, &path, &text);
                }
            }
            for run in repo_seed.runs {
                self.add_run(&full_name, run);
            }
            if let Some(git) = repo_seed.git {
                self.apply_git_seed(&full_name, git)
                    .map_err(|error| SeedError {
                        path: format!("repos.{full_name}.git"),
                        message: error.to_string(),
                    })?;
            }
        }
        Ok(())
    }
}
