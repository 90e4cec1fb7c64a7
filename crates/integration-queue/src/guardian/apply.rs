//! Performs the plan's writes in order. Three answers stop a run cleanly (the next run, which
//! re-reads everything, carries on): another run holds the lock, the base moved, a PR
//! conflicts with its batch.

use guardians_core::context::RepoName;
use guardians_core::github::identity::Identity;
use guardians_core::github::{ApiError, GitHub, StickyComment, labels};
use guardians_core::runner::RunError;
use serde_json::json;

use crate::config::Landing;
use crate::plan::{QueueStatus, Write, lane_slots, tested_stack};
use crate::state::{QueueConfig, QueueState};

use super::gather::STATUS_CHECK;

/// The hidden key of the queue's one comment per PR.
pub(super) const COMMENT_KEY: &str = "integration-queue";

/// How the writes ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// Every write done.
    Done,
    /// Stopped early, on purpose; the message says why and what happens next.
    Stopped(String),
}

pub(super) struct Writer<'a> {
    pub gh: &'a GitHub,
    pub repo: &'a RepoName,
    pub config: &'a QueueConfig,
    pub identity: Identity,
    pub landing: Landing,
    /// What the plan was made from (the manifest `merge-api` landing merges by).
    pub state: &'a QueueState,
}

fn message(err: &ApiError) -> String {
    match err {
        ApiError::Status { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

impl Writer<'_> {
    pub(super) async fn apply(&self, writes: &[Write]) -> Result<Applied, RunError> {
        for write in writes {
            if let Some(stop) = self.one(write).await? {
                return Ok(Applied::Stopped(stop));
            }
        }
        Ok(Applied::Done)
    }

    fn is_base(&self, branch: &str) -> bool {
        self.config.bases.iter().any(|b| b == branch)
    }

    /// One write; `Some(why)` stops the run.
    async fn one(&self, write: &Write) -> Result<Option<String>, RunError> {
        let repo = self.repo;
        match write {
            Write::CreateRef { branch, sha } => {
                let body = json!({"ref": format!("refs/heads/{branch}"), "sha": sha});
                match self
                    .gh
                    .post::<_, serde_json::Value>(&format!("/repos/{repo}/git/refs"), &body)
                    .await
                {
                    Ok(_) => {}
                    // The lock: creating a ref is atomic, so of two runs building at once
                    // exactly one gets here first.
                    Err(e)
                        if e.status() == Some(422)
                            && branch.starts_with(&self.config.integration_prefix) =>
                    {
                        return Ok(Some(format!(
                            "`{branch}` already exists: another queue run is building a batch \
                             (the lock is held); this run stops and the next one carries on"
                        )));
                    }
                    // A kept failed branch that exists already is what we wanted.
                    Err(e) if e.status() == Some(422) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            Write::UpdateRef { branch, sha, force }
                if !force && self.is_base(branch) && self.landing == Landing::MergeApi =>
            {
                return self.land_by_merge_api(branch, sha).await;
            }
            Write::UpdateRef { branch, sha, force } => {
                let path = format!("/repos/{repo}/git/refs/heads/{branch}");
                let body = json!({"sha": sha, "force": force});
                match self.gh.patch::<_, serde_json::Value>(&path, &body).await {
                    Ok(_) => {}
                    Err(e) if e.status() == Some(422) && self.is_base(branch) => {
                        let said = message(&e);
                        if said.contains("not a fast forward") {
                            return Ok(Some(format!(
                                "`{branch}` moved while the batch was tested: nothing landed; the \
                                 next run rebuilds the batch on the new `{branch}` and tests it again"
                            )));
                        }
                        return Err(RunError::Other(protection_refusal(branch, &said)));
                    }
                    Err(e) if e.status() == Some(422) => {
                        return Ok(Some(format!(
                            "`{branch}` could not be moved ({}): another run changed it; the \
                             next run carries on",
                            message(&e)
                        )));
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            Write::DeleteRef { branch } => {
                let path = format!("/repos/{repo}/git/refs/heads/{branch}");
                match self.gh.delete(&path).await {
                    Ok(()) => {}
                    Err(e) if matches!(e.status(), Some(404 | 422)) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            Write::Merge {
                into,
                pr,
                head,
                message: commit_message,
                conflict_comment,
            } => {
                let body = json!({"base": into, "head": head, "commit_message": commit_message});
                match self
                    .gh
                    .post::<_, serde_json::Value>(&format!("/repos/{repo}/merges"), &body)
                    .await
                {
                    Ok(_) => {}
                    Err(e) if e.status() == Some(409) => {
                        labels::remove_label(self.gh, repo, *pr, &self.config.label).await?;
                        self.comment(*pr, conflict_comment).await?;
                        return Ok(Some(format!(
                            "#{pr} conflicts with its batch on `{into}`: it left the queue (label \
                             removed, comment posted); the next run rebuilds the batch without it"
                        )));
                    }
                    Err(e) if e.status() == Some(404) => {
                        return Ok(Some(format!(
                            "`{into}` disappeared while the batch was built (deleted by hand or \
                             by another run); the next run rebuilds it"
                        )));
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            Write::Dispatch { workflow, branch } => {
                let path = format!(
                    "/repos/{repo}/actions/workflows/{}/dispatches",
                    guardians_core::github::path::segment(workflow)
                );
                self.gh
                    .post::<_, serde_json::Value>(&path, &json!({"ref": branch}))
                    .await?;
            }
            Write::RerunFailed { sha } => {
                #[derive(serde::Deserialize)]
                struct Runs {
                    workflow_runs: Vec<Run>,
                }
                #[derive(serde::Deserialize)]
                struct Run {
                    id: u64,
                    #[serde(default)]
                    conclusion: Option<String>,
                }
                let runs: Runs = self
                    .gh
                    .get(&format!(
                        "/repos/{repo}/actions/runs?head_sha={sha}&per_page=100"
                    ))
                    .await?;
                for run in runs
                    .workflow_runs
                    .iter()
                    .filter(|r| r.conclusion.as_deref() == Some("failure"))
                {
                    let path = format!("/repos/{repo}/actions/runs/{}/rerun-failed-jobs", run.id);
                    self.gh
                        .post::<_, serde_json::Value>(&path, &json!({}))
                        .await?;
                }
            }
            Write::RemoveLabel { pr, label } => {
                labels::remove_label(self.gh, repo, *pr, label).await?;
            }
            Write::Comment { pr, body } => self.comment(*pr, body).await?,
            Write::SetStatus { pr: _, sha, status } => {
                let (state, conclusion, title) = status_check(status);
                let mut body = json!({
                    "name": STATUS_CHECK,
                    "head_sha": sha,
                    "status": state,
                    "external_id": serde_json::to_string(status).unwrap_or_default(),
                    "output": {"title": title, "summary": title},
                });
                if let Some(c) = conclusion {
                    body["conclusion"] = json!(c);
                }
                self.gh
                    .post::<_, serde_json::Value>(&format!("/repos/{repo}/check-runs"), &body)
                    .await?;
            }
        }
        Ok(None)
    }

    /// `landing: merge-api`: each PR of the tested batch merged through `PUT /pulls/{n}/merge`,
    /// pinned to its tested head, in manifest order; then the base's tree must equal the tested
    /// tree (the same merges in the same order give it, unless someone pushed in between).
    async fn land_by_merge_api(
        &self,
        base: &str,
        tested: &str,
    ) -> Result<Option<String>, RunError> {
        let repo = self.repo;
        // With lanes, the tested commit may hold several lanes' batches: merge them all, bottom
        // lane first, each in its manifest's order.
        let Some(stack) = tested_stack(self.state, base, tested) else {
            let known = lane_slots(self.state, base)
                .iter()
                .any(|s| *s.head() == tested && s.manifest.is_some());
            if known {
                return Ok(Some(format!(
                    "`{base}` moved while the batch was tested: nothing landed; the next run rebuilds"
                )));
            }
            return Err(RunError::Other(format!(
                "merge-api landing: the tested commit `{tested}` carries no manifest to merge by"
            )));
        };
        for pinned in stack.iter().flat_map(|m| &m.prs) {
            let path = format!("/repos/{repo}/pulls/{}/merge", pinned.number);
            let body = json!({"merge_method": "merge", "sha": pinned.sha});
            match self.gh.put::<_, serde_json::Value>(&path, &body).await {
                Ok(_) => {}
                Err(e) if matches!(e.status(), Some(405 | 409 | 422)) => {
                    return Ok(Some(format!(
                        "merge-api landing: GitHub refused to merge #{} at its tested head ({});                          the PRs before it are merged, the next run rebuilds the rest",
                        pinned.number,
                        message(&e)
                    )));
                }
                Err(e) => return Err(e.into()),
            }
        }
        #[derive(serde::Deserialize)]
        struct Tree {
            sha: String,
        }
        #[derive(serde::Deserialize)]
        struct Meta {
            tree: Tree,
        }
        #[derive(serde::Deserialize)]
        struct Commit {
            commit: Meta,
        }
        let landed_path = format!("/repos/{repo}/commits/{base}");
        let tested_path = format!("/repos/{repo}/commits/{tested}");
        let (landed, want) = futures::try_join!(
            self.gh.get::<Commit>(&landed_path),
            self.gh.get::<Commit>(&tested_path)
        )?;
        if landed.commit.tree.sha != want.commit.tree.sha {
            return Err(RunError::Other(format!(
                "merge-api landing: `{base}` now holds tree `{}`, but the tested commit `{tested}`                  has tree `{}`: what landed on `{base}` is NOT what CI tested. Check `{base}`'s                  history for a push made during the landing, and test `{base}` again",
                landed.commit.tree.sha, want.commit.tree.sha
            )));
        }
        Ok(None)
    }

    async fn comment(&self, pr: u64, body: &str) -> Result<(), ApiError> {
        let sticky = StickyComment::new(self.gh, self.repo, pr, COMMENT_KEY, self.identity.clone());
        let existing = sticky.find(None).await?;
        sticky.upsert(body, &existing).await?;
        Ok(())
    }
}

/// The check run's status, conclusion and title for a queue status.
fn status_check(status: &QueueStatus) -> (&'static str, Option<&'static str>, String) {
    match status {
        QueueStatus::Waiting { checks } => (
            "queued",
            None,
            format!("waiting for required checks: {}", checks.join(", ")),
        ),
        QueueStatus::Stuck { check, branch } => (
            "in_progress",
            None,
            format!("stuck: the required check `{check}` never reported on `{branch}`"),
        ),
        QueueStatus::Queued { position } => {
            ("queued", None, format!("queued, position {position}"))
        }
        QueueStatus::Testing { batch, round } => (
            "in_progress",
            None,
            format!("testing in batch {batch} (CI round {round})"),
        ),
        QueueStatus::Merged { sha } => ("completed", Some("success"), format!("merged as {sha}")),
        QueueStatus::Failed { reason } => {
            ("completed", Some("failure"), format!("failed: {reason}"))
        }
    }
}

/// Branch protection (or a ruleset) refused the fast-forward: which rule, and the two fixes.
pub fn protection_refusal(branch: &str, said: &str) -> String {
    format!(
        "the fast-forward of `{branch}` was refused by its protection: {}. Nothing landed. Two \
         fixes: (1) let the queue bypass the rule — run it with a GitHub App token (the \
         `github-token` input) and put that App on the bypass list of the rule or ruleset that \
         protects `{branch}`; or (2) set `landing: merge-api`, which merges each PR of the tested \
         batch through the pull-request merge API, pinned to its tested head, and checks that \
         `{branch}`'s tree then equals the tested tree",
        said.trim().trim_end_matches('.')
    )
}
