//! What a user would see on a pull request, read from the fake's state in one call: the domain
//! assertions every guardian's tests share (labels, comments and their authors, deployments of
//! the head), instead of each test suite digging through `State` its own way.

use crate::server::FakeGitHub;
use crate::state::{Deployment, IssueComment};

/// One PR (or issue) as its page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct PullView {
    /// Label names in the order they were added.
    pub labels: Vec<String>,
    /// Comments, oldest first.
    pub comments: Vec<IssueComment>,
    /// Deployments whose `ref` or `sha` is the PR's head (or all deployments of an issue's
    /// repository when there is no PR of that number), oldest first.
    pub deployments: Vec<Deployment>,
}

impl PullView {
    pub fn comment_bodies(&self) -> Vec<String> {
        self.comments.iter().map(|c| c.body.clone()).collect()
    }

    /// The comments `login` wrote, oldest first.
    pub fn comments_by(&self, login: &str) -> Vec<&IssueComment> {
        self.comments.iter().filter(|c| c.user == login).collect()
    }

    /// The single comment on the PR; panics (a test failure) naming how many there are otherwise.
    pub fn only_comment(&self) -> &IssueComment {
        match self.comments.as_slice() {
            [one] => one,
            other => panic!(
                "expected exactly one comment, found {}: {:#?}",
                other.len(),
                self.comment_bodies()
            ),
        }
    }

    pub fn has_label(&self, name: &str) -> bool {
        self.labels.iter().any(|l| l.eq_ignore_ascii_case(name))
    }

    /// Each deployment's environment with the states of its statuses, oldest first.
    pub fn deployment_states(&self) -> Vec<(String, Vec<String>)> {
        self.deployments
            .iter()
            .map(|d| {
                (
                    d.environment.clone(),
                    d.statuses.iter().map(|s| s.state.clone()).collect(),
                )
            })
            .collect()
    }
}

impl FakeGitHub {
    /// PR/issue `number` of `repo` as a user sees it. An unknown repository or number is an
    /// empty view (no labels, comments or deployments), as an empty page would be.
    pub fn pull(&self, repo: &str, number: u64) -> PullView {
        let state = self.state();
        let Some(repo) = state.repo(repo) else {
            return PullView {
                labels: Vec::new(),
                comments: Vec::new(),
                deployments: Vec::new(),
            };
        };
        let head = repo
            .pulls
            .get(&number)
            .map(|p| (p.head.ref_name.clone(), p.head.sha.clone()));
        PullView {
            labels: repo.issue_labels(number).unwrap_or_default().to_vec(),
            comments: repo.comments_on(number).into_iter().cloned().collect(),
            deployments: repo
                .deployments
                .iter()
                .filter(|d| match &head {
                    Some((ref_name, sha)) => &d.ref_name == ref_name || &d.sha == sha,
                    None => true,
                })
                .cloned()
                .collect(),
        }
    }
}
