//! Which pull request a run is about — the one place every PR guardian decides it.
//!
//! `pull_request` and `pull_request_target` name the PR (and only some of their actions change
//! what a guardian looks at). A `workflow_run` — the fork-safe two-workflow setup — names it in
//! `workflow_run.pull_requests`, except for runs from forks, where GitHub sends an empty list
//! and the PR is found by the run's head commit (`GET /repos/{o}/{r}/commits/{sha}/pulls`). A
//! `deployment_status` names only the deployed commit. Any event may name the PR with the
//! `pr-number` input or `--pr N`.
//!
//! A run from a fork is untrusted: whatever names its PR (the list, the commit lookup, or a
//! number the fork's own workflow wrote into an artifact), the PR acted on must have the run's
//! head commit *in the run's head repository* as its head, or the run acts on nothing.
//!
//! [`decide`] is pure (what the payload and inputs say); [`select_pull_request`] performs the
//! reads that decision asks for.

use crate::context::RepoName;
use crate::event::{Event, PullRequest, WorkflowRunEvent};
use crate::github::{ApiError, GitHub, path};

use super::{RunError, Selection, Session};

/// The events, and the `pull_request` actions, a guardian reacts to.
#[derive(Debug, Clone, Copy)]
pub struct Triggers {
    /// The guardian's name, for the sentence that says why there is nothing to do.
    pub guardian: &'static str,
    /// The `pull_request` / `pull_request_target` actions that can change what it looks at.
    pub pull_request_actions: &'static [&'static str],
    /// Whether it runs on `workflow_run` (the PR from the payload, the `pr-number` input, or
    /// the run's head commit).
    pub workflow_run: bool,
    /// Whether it runs on `deployment_status` (the PR from `pr-number`, or whose head is the
    /// deployed commit). Whether the deployment is finished is the guardian's own question.
    pub deployment_status: bool,
    /// Whether any other event (`workflow_dispatch`, `push`, `schedule`, ...) runs it when the
    /// `pr-number` input or `--pr` names the PR.
    pub any_event_with_pr_number: bool,
}

impl Triggers {
    /// The events it runs on, in words: the end of every "nothing to do" sentence.
    pub fn describe(&self) -> String {
        let mut parts = vec![format!(
            "`pull_request` and `pull_request_target` ({})",
            self.pull_request_actions.join(", ")
        )];
        if self.workflow_run {
            parts.push("`workflow_run`".to_owned());
        }
        if self.deployment_status {
            parts.push("`deployment_status`".to_owned());
        }
        if self.any_event_with_pr_number {
            parts.push("any event given the `pr-number` input or `--pr N`".to_owned());
        }
        let last = parts.pop().unwrap_or_default();
        let runs_on = if parts.is_empty() {
            last
        } else {
            format!("{}, and {last}", parts.join(", "))
        };
        format!("{} runs on {runs_on}", self.guardian)
    }
}

/// The commit a run was for and where it came from; a PR acted on for a fork's run must have
/// exactly this head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunHead {
    pub sha: String,
    /// The head repository's `owner/name`; `None` when the payload does not say.
    pub repository: Option<String>,
    /// The commit came from another repository than the one the workflow runs in (or from an
    /// unknown one): the PR must then match both SHA and repository.
    pub from_fork: bool,
}

/// What the event and inputs say about the PR, before any request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The payload carries the PR: no request.
    Payload(Box<PullRequest>),
    /// Read PR `number`; when `head` is given, act only if the PR's head is that commit.
    Number { number: u64, head: Option<RunHead> },
    /// Find the PR whose head is this commit.
    HeadCommit(RunHead),
}

/// Decides from the event alone. `Err` is the sentence saying why there is nothing to do.
pub fn decide(
    event: &Event,
    event_name: &str,
    pr_number: Option<u64>,
    triggers: &Triggers,
) -> Result<Lookup, String> {
    match event {
        Event::PullRequest(event) => {
            if triggers
                .pull_request_actions
                .contains(&event.action.as_str())
            {
                let mut pr = event.pull_request.clone();
                pr.number = event.number;
                Ok(Lookup::Payload(Box::new(pr)))
            } else {
                Err(format!(
                    "nothing to do for `{}` pull requests; {}.",
                    event.action,
                    triggers.describe()
                ))
            }
        }
        // A guardian that takes `pr-number` on any event still checks a fork's run against it.
        Event::WorkflowRun(event)
            if triggers.workflow_run
                || (triggers.any_event_with_pr_number && pr_number.is_some()) =>
        {
            Ok(workflow_run_lookup(event, pr_number))
        }
        Event::DeploymentStatus(event) if triggers.deployment_status => {
            // Deployments live in the base repository: the commit is not a fork's claim.
            let head = RunHead {
                sha: event.deployment.sha.clone(),
                repository: None,
                from_fork: false,
            };
            Ok(match pr_number {
                Some(number) => Lookup::Number { number, head: None },
                None => Lookup::HeadCommit(head),
            })
        }
        _ => match pr_number {
            Some(number) if triggers.any_event_with_pr_number => {
                Ok(Lookup::Number { number, head: None })
            }
            Some(_) => Err(format!(
                "this is `{event_name}`, which it does not run on even with `pr-number`; {}.",
                triggers.describe()
            )),
            None => Err(format!(
                "this is `{event_name}`{}, so there is nothing to do; {}.",
                if triggers.any_event_with_pr_number {
                    " without the `pr-number` input or `--pr`"
                } else {
                    ""
                },
                triggers.describe()
            )),
        },
    }
}

fn workflow_run_lookup(event: &WorkflowRunEvent, pr_number: Option<u64>) -> Lookup {
    let run = &event.workflow_run;
    let head_repository = run.head_repository.as_ref().map(|r| r.full_name.clone());
    let from_fork = head_repository
        .as_deref()
        .is_none_or(|head| !head.eq_ignore_ascii_case(&event.repository.full_name));
    let head = RunHead {
        sha: run.head_sha.clone(),
        repository: head_repository,
        from_fork,
    };
    // The number given wins over the payload's list; for a fork's run it is checked against
    // the run's head like any other way of naming the PR.
    if let Some(number) = pr_number {
        return Lookup::Number {
            number,
            head: from_fork.then_some(head),
        };
    }
    let listed = run
        .pull_requests
        .iter()
        .find(|pr| pr.head.sha.eq_ignore_ascii_case(&run.head_sha))
        .or(run.pull_requests.first());
    match listed {
        Some(pr) => Lookup::Number {
            number: pr.number,
            head: from_fork.then_some(head),
        },
        None => Lookup::HeadCommit(head),
    }
}

/// Whether `pr` has the run's head; `Err` says how it differs.
fn check_head(pr: &PullRequest, head: &RunHead) -> Result<(), String> {
    let sha_matches = pr.head.sha.eq_ignore_ascii_case(&head.sha);
    let pr_repo = pr.head.repo.as_ref().map(|r| r.full_name.as_str());
    let repo_matches = match (pr_repo, head.repository.as_deref()) {
        (Some(pr_repo), Some(run_repo)) => pr_repo.eq_ignore_ascii_case(run_repo),
        // Either side unknown (a deleted fork, a payload without `head_repository`): the
        // origin cannot be shown to match, so it does not.
        _ => false,
    };
    if sha_matches && repo_matches {
        return Ok(());
    }
    Err(format!(
        "the workflow run was for commit `{}` of `{}`, but pull request #{}'s head is `{}` of `{}`; \
         a run from a fork acts only on the pull request whose head it built (a newer run follows \
         a newer push), so there is nothing to do.",
        short(&head.sha),
        head.repository
            .as_deref()
            .unwrap_or("an unknown repository"),
        pr.number,
        short(&pr.head.sha),
        pr_repo.unwrap_or("a deleted repository"),
    ))
}

fn short(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

/// The pull request selected, and whether it was read from GitHub during this run (its head,
/// labels and totals are current, so `gather` need not read it again) or taken from the
/// payload (as it was when the event fired).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub pull_request: PullRequest,
    pub read_now: bool,
}

/// The PR number the user gave: `--pr N` or the `pr-number` input (they must agree).
pub fn requested_pr_number(session: &Session) -> Result<Option<u64>, RunError> {
    let input = session.toolkit.input_pr_number("pr-number")?;
    match (session.args.pr, input) {
        (Some(flag), Some(input)) if flag != input => Err(RunError::Other(format!(
            "`--pr {flag}` and the `pr-number` input ({input}) name different pull requests; give one of them"
        ))),
        (flag, input) => Ok(flag.or(input)),
    }
}

/// The pull request this run is about, or why there is none. Reads GitHub only when the
/// payload does not carry the PR (then a token is required).
pub async fn select_pull_request(
    session: &Session,
    triggers: &Triggers,
) -> Result<Selection<Target>, RunError> {
    let pr_number = requested_pr_number(session)?;
    let lookup = match decide(
        &session.context.event,
        &session.context.event_name,
        pr_number,
        triggers,
    ) {
        Ok(lookup) => lookup,
        Err(why) => return Ok(Selection::NothingToDo(why)),
    };
    let read_now = !matches!(lookup, Lookup::Payload(_));
    Ok(match resolve(session, lookup).await? {
        Selection::Subject(pull_request) => Selection::Subject(Target {
            pull_request,
            read_now,
        }),
        Selection::NothingToDo(why) => Selection::NothingToDo(why),
    })
}

/// The client for a lookup that must read GitHub. A dry run without a token gets past
/// selection only when the payload carries the PR; say that rather than "pass --dry-run".
fn client_for_lookup(session: &Session) -> Result<&GitHub, RunError> {
    match session.github_if_available() {
        Some(gh) => Ok(gh),
        None if session.dry_run => Err(RunError::Other(
            "a dry run without a token works on a `pull_request` payload, which carries the pull \
             request; to find it from this event (or by its number), set GITHUB_TOKEN"
                .to_owned(),
        )),
        None => Err(RunError::MissingToken),
    }
}

/// Performs the reads `lookup` asks for.
pub async fn resolve(
    session: &Session,
    lookup: Lookup,
) -> Result<Selection<PullRequest>, RunError> {
    let repo = &session.context.repository;
    match lookup {
        Lookup::Payload(pr) => Ok(Selection::Subject(*pr)),
        Lookup::Number { number, head } => {
            let gh = client_for_lookup(session)?;
            let pr: PullRequest = gh.get(&format!("/repos/{repo}/pulls/{number}")).await?;
            match head.map(|head| check_head(&pr, &head)) {
                Some(Err(why)) => Ok(Selection::NothingToDo(why)),
                _ => Ok(Selection::Subject(pr)),
            }
        }
        Lookup::HeadCommit(head) => {
            let gh = client_for_lookup(session)?;
            Ok(match pull_for_commit(gh, repo, &head).await? {
                Some(pr) => Selection::Subject(pr),
                None => Selection::NothingToDo(format!(
                    "no pull request{} has commit `{}` as its head (a branch without a pull \
                     request, or one pushed to since), so there is nothing to do.",
                    if head.from_fork {
                        format!(
                            " from `{}`",
                            head.repository
                                .as_deref()
                                .unwrap_or("an unknown repository")
                        )
                    } else {
                        String::new()
                    },
                    short(&head.sha)
                )),
            })
        }
    }
}

/// The PR whose head is `head` (an open one first). For a fork's run the head repository must
/// match too, so a same-SHA branch elsewhere is never picked.
async fn pull_for_commit(
    gh: &GitHub,
    repo: &RepoName,
    head: &RunHead,
) -> Result<Option<PullRequest>, ApiError> {
    let matches = |pr: &&PullRequest| {
        if head.from_fork {
            check_head(pr, head).is_ok()
        } else {
            pr.head.sha.eq_ignore_ascii_case(&head.sha)
        }
    };
    let pick = |pulls: &[PullRequest]| {
        pulls
            .iter()
            .filter(matches)
            .find(|pr| pr.state == "open")
            .or_else(|| pulls.iter().find(matches))
            .cloned()
    };
    let path = format!("/repos/{repo}/commits/{}/pulls", path::segment(&head.sha));
    match gh.get::<Vec<PullRequest>>(&path).await {
        Ok(pulls) => {
            if let Some(found) = pick(&pulls) {
                return Ok(Some(found));
            }
        }
        // GitHub answers 422 for a SHA it does not know, 404 for a missing commit.
        Err(err) if matches!(err.status(), Some(404 | 422)) => {}
        Err(err) => return Err(err),
    }
    // GitHub does not always associate a fork's commits with the PR; the most recently updated
    // open PRs (the one just pushed to is among them) are the fallback.
    let recent: Vec<PullRequest> = gh
        .get(&format!(
            "/repos/{repo}/pulls?state=open&sort=updated&direction=desc&per_page=100"
        ))
        .await?;
    Ok(pick(&recent))
}

#[cfg(test)]
mod tests;
