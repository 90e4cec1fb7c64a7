//! The fake's world: tokens, users and repositories with their pulls, labels, comments, contents,
//! deployments and workflow runs. Tests seed it directly and inspect it after a run.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::seed::{PullSeed, RunSeed};

/// The token every fake answers to out of the box, as `GITHUB_TOKEN` would be in a workflow.
pub const DEFAULT_TOKEN: &str = "ghs_test";
/// The identity behind [`DEFAULT_TOKEN`].
pub const DEFAULT_LOGIN: &str = "github-actions[bot]";
/// GitHub's user id for `github-actions[bot]`.
const GITHUB_ACTIONS_BOT_ID: u64 = 41_898_282;

/// Whether a token belongs to a person or an app installation (bots cannot call `GET /user`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    User,
    Bot,
}

/// What a token may do: `ReadOnly` is what a fork's `pull_request` run gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Permission {
    Write,
    #[serde(alias = "read", alias = "readonly", alias = "read_only")]
    ReadOnly,
}

/// Who a token authenticates as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenInfo {
    pub login: String,
    pub kind: TokenKind,
    pub permission: Permission,
}

/// A GitHub account as it appears in `user`, `creator` and `author` objects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub id: u64,
    pub kind: TokenKind,
}

/// A repository label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub id: u64,
    pub name: String,
    pub color: String,
    pub description: Option<String>,
    pub default: bool,
}

/// `open` or `closed`, as GitHub spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum PullState {
    #[default]
    Open,
    Closed,
}

impl PullState {
    pub fn as_str(self) -> &'static str {
        match self {
            PullState::Open => "open",
            PullState::Closed => "closed",
        }
    }
}

/// One side of a pull request (`head` or `base`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GitRef {
    #[serde(rename = "ref")]
    pub ref_name: String,
    pub sha: String,
    /// `owner/name` of the repository the ref lives in (a fork for fork PRs).
    pub repo: String,
}

/// One entry of `GET /pulls/{n}/files`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullFile {
    pub filename: String,
    pub status: String,
    pub additions: u64,
    pub deletions: u64,
    pub changes: u64,
    pub patch: Option<String>,
    pub previous_filename: Option<String>,
    /// The file's blob SHA, for PRs of git-backed repositories (hand-seeded files get a derived one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blob_sha: Option<String>,
}

/// One entry of `GET /pulls/{n}/commits`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullCommit {
    pub sha: String,
    pub message: String,
    pub author_name: String,
    pub author_email: String,
    /// Login of the GitHub account behind the author e-mail, when there is one.
    pub author_login: Option<String>,
}

/// A pull request (also the issue of the same number: labels and comments hang off it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pull {
    pub id: u64,
    pub number: u64,
    pub title: String,
    pub body: Option<String>,
    pub state: PullState,
    pub draft: bool,
    pub merged: bool,
    pub user: String,
    pub head: GitRef,
    pub base: GitRef,
    /// Names of repository labels on this PR, in the order they were added.
    pub labels: Vec<String>,
    pub files: Vec<PullFile>,
    pub commits: Vec<PullCommit>,
    pub additions: u64,
    pub deletions: u64,
    pub changed_files: u64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// An issue comment (on a PR's conversation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueComment {
    pub id: u64,
    pub issue_number: u64,
    pub body: String,
    pub user: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A deployment and its statuses (newest last).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deployment {
    pub id: u64,
    pub sha: String,
    #[serde(rename = "ref")]
    pub ref_name: String,
    pub task: String,
    pub payload: serde_json::Value,
    pub environment: String,
    pub original_environment: String,
    pub description: Option<String>,
    pub creator: String,
    pub transient_environment: bool,
    pub production_environment: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub statuses: Vec<DeploymentStatus>,
}

/// One status of a deployment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeploymentStatus {
    pub id: u64,
    pub state: String,
    pub description: String,
    pub environment: String,
    pub environment_url: String,
    pub log_url: String,
    pub creator: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A workflow run; `run_attempt` is its latest attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkflowRun {
    pub id: u64,
    pub name: String,
    pub workflow_id: u64,
    pub path: String,
    pub head_branch: String,
    pub head_sha: String,
    pub event: String,
    pub status: String,
    pub conclusion: Option<String>,
    pub run_number: u64,
    pub run_attempt: u32,
    pub actor: String,
    pub pull_requests: Vec<u64>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub run_started_at: Timestamp,
    pub jobs: Vec<Job>,
}

/// A job of a workflow run attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub id: u64,
    pub run_attempt: u32,
    pub name: String,
    pub status: String,
    pub conclusion: Option<String>,
    pub created_at: Timestamp,
    pub started_at: Timestamp,
    pub completed_at: Option<Timestamp>,
    pub labels: Vec<String>,
    pub runner_name: Option<String>,
}

/// A repository and everything the fake knows about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Repo {
    pub id: u64,
    pub owner: String,
    pub name: String,
    pub private: bool,
    pub default_branch: String,
    pub labels: Vec<Label>,
    pub pulls: BTreeMap<u64, Pull>,
    pub comments: Vec<IssueComment>,
    /// File contents by ref (branch, tag or sha exactly as clients ask for it), then path.
    pub contents: BTreeMap<String, BTreeMap<String, String>>,
    /// Extra commit -> PR associations for `GET /commits/{sha}/pulls` (head shas and PR commits count too).
    pub commit_pulls: BTreeMap<String, Vec<u64>>,
    pub deployments: Vec<Deployment>,
    pub runs: BTreeMap<u64, WorkflowRun>,
}

impl Repo {
    pub fn full_name(&self) -> String {
        format!("{}/{}", self.owner, self.name)
    }

    /// The repository label with this name, compared case-insensitively as GitHub does.
    pub fn label(&self, name: &str) -> Option<&Label> {
        self.labels
            .iter()
            .find(|l| l.name.eq_ignore_ascii_case(name))
    }

    /// Label names on issue/PR `number`, or `None` when there is no such PR.
    pub fn issue_labels(&self, number: u64) -> Option<&[String]> {
        self.pulls.get(&number).map(|p| p.labels.as_slice())
    }

    /// Comments on issue/PR `number`, oldest first.
    pub fn comments_on(&self, number: u64) -> Vec<&IssueComment> {
        self.comments
            .iter()
            .filter(|c| c.issue_number == number)
            .collect()
    }

    /// The file at `path` on `git_ref`, as text.
    pub fn content(&self, git_ref: &str, path: &str) -> Option<&str> {
        self.contents
            .get(git_ref)
            .and_then(|files| files.get(path))
            .map(String::as_str)
    }
}

/// Everything the fake serves. Seed it through [`crate::FakeGitHub::state`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub tokens: BTreeMap<String, TokenInfo>,
    pub users: BTreeMap<String, UserInfo>,
    pub repos: BTreeMap<String, Repo>,
    next_id: u64,
    /// The real git repositories behind git-backed repositories (see [`State::git_repo`]).
    #[serde(skip)]
    pub(crate) git: crate::git::GitStore,
}

impl Default for State {
    fn default() -> Self {
        let mut state = State {
            tokens: BTreeMap::new(),
            users: BTreeMap::new(),
            repos: BTreeMap::new(),
            next_id: 1_000,
            git: crate::git::GitStore::default(),
        };
        state.users.insert(
            DEFAULT_LOGIN.to_owned(),
            UserInfo {
                id: GITHUB_ACTIONS_BOT_ID,
                kind: TokenKind::Bot,
            },
        );
        state.add_token(
            DEFAULT_TOKEN,
            DEFAULT_LOGIN,
            TokenKind::Bot,
            Permission::Write,
        );
        state
    }
}

impl State {
    /// A fresh id, unique across every kind of object, increasing so that id order is creation order.
    pub fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Registers `token` as authenticating `login` (creating the user when unknown).
    pub fn add_token(
        &mut self,
        token: &str,
        login: &str,
        kind: TokenKind,
        permission: Permission,
    ) -> &mut Self {
        self.user(login, kind);
        self.tokens.insert(
            token.to_owned(),
            TokenInfo {
                login: login.to_owned(),
                kind,
                permission,
            },
        );
        self
    }

    /// The account `login`, created with `kind` if unknown.
    pub fn user(&mut self, login: &str, kind: TokenKind) -> UserInfo {
        if let Some(user) = self.users.get(login) {
            return user.clone();
        }
        let user = UserInfo {
            id: self.next_id(),
            kind,
        };
        self.users.insert(login.to_owned(), user.clone());
        user
    }

    /// The account `login`; names ending in `[bot]` are bots, as on GitHub.
    pub fn user_or_default(&mut self, login: &str) -> UserInfo {
        let kind = if login.ends_with("[bot]") {
            TokenKind::Bot
        } else {
            TokenKind::User
        };
        self.user(login, kind)
    }

    /// The repository `owner/name`, created (public, default branch `main`) when missing.
    pub fn repo_mut(&mut self, full_name: &str) -> &mut Repo {
        if !self.repos.contains_key(full_name) {
            let (owner, name) = full_name.split_once('/').unwrap_or((full_name, full_name));
            let repo = Repo {
                id: self.next_id(),
                owner: owner.to_owned(),
                name: name.to_owned(),
                private: false,
                default_branch: "main".to_owned(),
                labels: Vec::new(),
                pulls: BTreeMap::new(),
                comments: Vec::new(),
                contents: BTreeMap::new(),
                commit_pulls: BTreeMap::new(),
                deployments: Vec::new(),
                runs: BTreeMap::new(),
            };
            self.repos.insert(full_name.to_owned(), repo);
        }
        self.repos
            .get_mut(full_name)
            .expect("the repository was inserted just above")
    }

    pub fn repo(&self, full_name: &str) -> Option<&Repo> {
        self.repos.get(full_name)
    }

    /// Adds (or replaces) a repository label.
    pub fn add_label(
        &mut self,
        repo: &str,
        name: &str,
        color: &str,
        description: Option<&str>,
    ) -> &mut Self {
        let id = self.next_id();
        let repo = self.repo_mut(repo);
        repo.labels.retain(|l| !l.name.eq_ignore_ascii_case(name));
        repo.labels.push(Label {
            id,
            name: name.to_owned(),
            color: color.trim_start_matches('#').to_owned(),
            description: description.map(str::to_owned),
            default: false,
        });
        self
    }

    /// Adds a pull request built from `seed`; its labels are created on the repository when missing.
    pub fn add_pull(&mut self, repo: &str, seed: PullSeed) -> &mut Pull {
        let number = seed.number;
        for label in &seed.labels {
            if self.repo_mut(repo).label(label).is_none() {
                self.add_label(repo, label, "ededed", None);
            }
        }
        self.user_or_default(&seed.user);
        let id = self.next_id();
        let pull = seed.build(id, repo);
        let repo = self.repo_mut(repo);
        repo.pulls.insert(number, pull);
        repo.pulls
            .get_mut(&number)
            .expect("the pull request was inserted just above")
    }

    /// Adds an issue comment by `login` on issue/PR `number` and returns its id.
    pub fn add_comment(&mut self, repo: &str, number: u64, login: &str, body: &str) -> u64 {
        self.user_or_default(login);
        let id = self.next_id();
        let now = now();
        self.repo_mut(repo).comments.push(IssueComment {
            id,
            issue_number: number,
            body: body.to_owned(),
            user: login.to_owned(),
            created_at: now,
            updated_at: now,
        });
        id
    }

    /// Stores a file's text at `path` on `git_ref`.
    pub fn put_content(&mut self, repo: &str, git_ref: &str, path: &str, text: &str) -> &mut Self {
        self.repo_mut(repo)
            .contents
            .entry(git_ref.to_owned())
            .or_default()
            .insert(path.trim_start_matches('/').to_owned(), text.to_owned());
        self
    }

    /// Adds a workflow run with its jobs; job ids are assigned here.
    pub fn add_run(&mut self, repo: &str, seed: RunSeed) -> &mut WorkflowRun {
        self.user_or_default(&seed.actor);
        let job_ids: Vec<u64> = seed.jobs.iter().map(|_| self.next_id()).collect();
        let workflow_id = self.next_id();
        let run = seed.build(workflow_id, &job_ids);
        let id = run.id;
        let repo = self.repo_mut(repo);
        repo.runs.insert(id, run);
        repo.runs
            .get_mut(&id)
            .expect("the run was inserted just above")
    }
}

/// Now, to the second, as GitHub reports times.
pub(crate) fn now() -> Timestamp {
    let now = Timestamp::now();
    Timestamp::from_second(now.as_second()).unwrap_or(now)
}
