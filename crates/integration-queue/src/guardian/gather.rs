//! Reads the queue's whole world from GitHub in three rounds of concurrent reads, whatever the
//! number of queued PRs:
//!
//! 1. open PRs, each base's head, rules and classic protection, the integration and kept
//!    failed branches;
//! 2. per labelled PR its details (mergeable), `labeled` events, check runs and statuses; per
//!    integration branch its head commit (the manifest and who made it), its checks and runs;
//! 3. per integration branch the first-parent chain back to the manifest's base (compare), the
//!    evidence commit's checks, and closed PRs the manifest lists.

use std::collections::{BTreeMap, BTreeSet};

use futures::stream::{self, StreamExt, TryStreamExt};
use guardians_core::context::RepoName;
use guardians_core::github::path::segment;
use guardians_core::github::{ApiError, GitHub, pagination};
use jiff::Timestamp;
use serde::Deserialize;

use crate::manifest::Manifest;
use crate::plan::QueueStatus;
use crate::state::{
    CheckOutcome, CheckResult, IntegrationBranch, Mergeable, PullRequest, QueueState, Sha,
    StatusSeen,
};

use super::settings::Settings;

/// The check run the queue keeps on each queued PR's head.
pub const STATUS_CHECK: &str = "integration-queue";

/// At most this many PRs (or integration heads) read at once. Each issues up to 4 requests
/// together; the client is allowed [`READS`] in flight, under GitHub's 100.
const IN_FLIGHT: usize = 22;
const READS: usize = 4 * IN_FLIGHT;

/// What one run read, with the extras the writes need.
#[derive(Debug, Clone)]
pub struct Gathered {
    pub state: QueueState,
    /// Links to the CI of each integration head, per base (for `status`).
    pub ci_links: BTreeMap<String, Vec<CheckResult>>,
    /// Notes for the log: what could not be read and what that means.
    pub notes: Vec<String>,
    /// How many rounds of reads (for the stats line; each round's reads go out together).
    pub rounds: u32,
}

#[derive(Deserialize)]
struct Label {
    name: String,
}

#[derive(Deserialize)]
struct Branch {
    #[serde(rename = "ref")]
    name: String,
    sha: Sha,
}

#[derive(Deserialize)]
struct PullListed {
    number: u64,
    #[serde(default)]
    title: String,
    state: String,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    merged_at: Option<String>,
    head: Branch,
    base: Branch,
    #[serde(default)]
    labels: Vec<Label>,
}

#[derive(Deserialize)]
struct PullDetail {
    #[serde(default)]
    mergeable: Option<bool>,
    #[serde(default)]
    merged: bool,
}

#[derive(Deserialize)]
struct IssueEvent {
    event: String,
    #[serde(default)]
    label: Option<Label>,
    created_at: Timestamp,
}

#[derive(Deserialize)]
struct CheckRuns {
    check_runs: Vec<CheckRun>,
}

#[derive(Deserialize)]
struct CheckRun {
    name: String,
    status: String,
    #[serde(default)]
    conclusion: Option<String>,
    #[serde(default)]
    html_url: Option<String>,
    #[serde(default)]
    details_url: Option<String>,
    #[serde(default)]
    external_id: Option<String>,
    #[serde(default)]
    started_at: Option<Timestamp>,
}

#[derive(Deserialize)]
struct Combined {
    #[serde(default)]
    statuses: Vec<Status>,
}

#[derive(Deserialize)]
struct Status {
    context: String,
    state: String,
    #[serde(default)]
    target_url: Option<String>,
    #[serde(default)]
    created_at: Option<Timestamp>,
}

#[derive(Deserialize)]
struct Runs {
    workflow_runs: Vec<Run>,
}

#[derive(Deserialize)]
struct Run {
    #[serde(default)]
    run_attempt: Option<u32>,
}

#[derive(Deserialize)]
struct RefObject {
    sha: Sha,
}

#[derive(Deserialize)]
struct GitRef {
    #[serde(rename = "ref")]
    name: String,
    object: RefObject,
}

#[derive(Deserialize)]
struct Login {
    login: String,
}

#[derive(Deserialize)]
struct CommitMeta {
    message: String,
    committer: CommitDate,
}

#[derive(Deserialize)]
struct CommitDate {
    date: Timestamp,
}

#[derive(Deserialize)]
struct Commit {
    sha: Sha,
    commit: CommitMeta,
    #[serde(default)]
    author: Option<Login>,
}

#[derive(Deserialize)]
struct Parent {
    sha: Sha,
}

#[derive(Deserialize)]
struct ChainCommit {
    sha: Sha,
    parents: Vec<Parent>,
}

#[derive(Deserialize)]
struct Compare {
    commits: Vec<ChainCommit>,
}

#[derive(Deserialize)]
struct Rule {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    parameters: Option<RuleParameters>,
}

#[derive(Deserialize)]
struct RuleParameters {
    #[serde(default)]
    required_status_checks: Vec<Context>,
}

#[derive(Deserialize)]
struct Context {
    context: String,
}

#[derive(Deserialize)]
struct ClassicChecks {
    #[serde(default)]
    contexts: Vec<String>,
    #[serde(default)]
    checks: Vec<Context>,
}

/// Runs `futures` with at most [`IN_FLIGHT`] of them at once, answers in order.
async fn all<T, F>(futures: Vec<F>) -> Result<Vec<T>, ApiError>
where
    F: std::future::Future<Output = Result<T, ApiError>>,
{
    stream::iter(futures)
        .buffered(IN_FLIGHT)
        .try_collect()
        .await
}

/// A 404 (or, for protection, a 403: reading it needs admin) is "none".
async fn optional<T: serde::de::DeserializeOwned>(
    gh: &GitHub,
    path: &str,
) -> Result<Option<T>, ApiError> {
    match gh.get::<T>(path).await {
        Ok(v) => Ok(Some(v)),
        Err(e) if matches!(e.status(), Some(403 | 404)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// What one commit's checks say.
struct OnCommit {
    /// The latest result per check name, from check runs and commit statuses.
    results: Vec<CheckResult>,
    /// The queue's own check run (not a CI result).
    own: Option<QueueStatus>,
    /// When CI first reported on the commit: for a PR head, about when it was pushed.
    first_seen: Option<Timestamp>,
}

/// The checks on one commit: check runs and the combined status, read together.
async fn checks_on(gh: &GitHub, repo: &RepoName, sha: &str) -> Result<OnCommit, ApiError> {
    let runs_path = format!("/repos/{repo}/commits/{sha}/check-runs?filter=latest&per_page=100");
    let status_path = format!("/repos/{repo}/commits/{sha}/status?per_page=100");
    let (runs, combined) = futures::try_join!(
        gh.get::<CheckRuns>(&runs_path),
        gh.get::<Combined>(&status_path)
    )?;
    let mut results = Vec::new();
    let mut own = None;
    let mut first_seen: Option<Timestamp> = None;
    let mut seen = |at: Option<Timestamp>| {
        if let Some(at) = at {
            first_seen = Some(first_seen.map_or(at, |f| f.min(at)));
        }
    };
    for run in runs.check_runs {
        if run.name == STATUS_CHECK {
            own = run
                .external_id
                .as_deref()
                .and_then(|id| serde_json::from_str::<QueueStatus>(id).ok());
            continue;
        }
        seen(run.started_at);
        let outcome = match (run.status.as_str(), run.conclusion.as_deref()) {
            ("completed", Some("success" | "neutral" | "skipped")) => CheckOutcome::Passed,
            ("completed", Some("cancelled")) => CheckOutcome::Cancelled,
            ("completed", _) => CheckOutcome::Failed,
            _ => CheckOutcome::Pending,
        };
        if results.iter().any(|r: &CheckResult| r.name == run.name) {
            continue;
        }
        results.push(CheckResult {
            url: run.html_url.or(run.details_url).unwrap_or_default(),
            name: run.name,
            outcome,
            attempt: 1,
        });
    }
    for status in combined.statuses {
        seen(status.created_at);
        if results.iter().any(|r| r.name == status.context) {
            continue;
        }
        let outcome = match status.state.as_str() {
            "success" => CheckOutcome::Passed,
            "pending" => CheckOutcome::Pending,
            _ => CheckOutcome::Failed,
        };
        results.push(CheckResult {
            name: status.context,
            outcome,
            url: status.target_url.unwrap_or_default(),
            attempt: 1,
        });
    }
    Ok(OnCommit {
        results,
        own,
        first_seen,
    })
}

/// The required checks of one base: rules (rulesets, organisation ones included) and classic
/// protection, plus what the config adds.
async fn required_checks(
    gh: &GitHub,
    repo: &RepoName,
    base: &str,
    extra: &[String],
) -> Result<Vec<String>, ApiError> {
    let rules_path = format!(
        "/repos/{repo}/rules/branches/{}?per_page=100",
        segment(base)
    );
    let classic_path = format!(
        "/repos/{repo}/branches/{}/protection/required_status_checks",
        segment(base)
    );
    let (rules, classic) = futures::try_join!(
        optional::<Vec<Rule>>(gh, &rules_path),
        optional::<ClassicChecks>(gh, &classic_path)
    )?;
    let mut names: BTreeSet<String> = extra.iter().cloned().collect();
    for rule in rules.unwrap_or_default() {
        if rule.kind == "required_status_checks" {
            for c in rule
                .parameters
                .map(|p| p.required_status_checks)
                .unwrap_or_default()
            {
                names.insert(c.context);
            }
        }
    }
    if let Some(classic) = classic {
        names.extend(classic.contexts);
        names.extend(classic.checks.into_iter().map(|c| c.context));
    }
    names.remove(STATUS_CHECK);
    Ok(names.into_iter().collect())
}

async fn base_head(gh: &GitHub, repo: &RepoName, base: &str) -> Result<Option<Sha>, ApiError> {
    let path = format!("/repos/{repo}/git/ref/heads/{base}");
    Ok(optional::<GitRef>(gh, &path).await?.map(|r| r.object.sha))
}

async fn refs_under(
    gh: &GitHub,
    repo: &RepoName,
    prefix: &str,
) -> Result<BTreeMap<String, Sha>, ApiError> {
    let path = format!("/repos/{repo}/git/matching-refs/heads/{prefix}");
    let refs: Vec<GitRef> = gh.get(&path).await?;
    Ok(refs
        .into_iter()
        .filter_map(|r| {
            let branch = r.name.strip_prefix("refs/heads/")?.to_string();
            Some((branch, r.object.sha))
        })
        .collect())
}

/// Per labelled PR: details, the label's latest `labeled` time, its head's checks.
struct PrFacts {
    detail: PullDetail,
    labeled_at: Option<Timestamp>,
    on_head: OnCommit,
}

async fn pr_facts(
    gh: &GitHub,
    repo: &RepoName,
    number: u64,
    head: &str,
    label: &str,
) -> Result<PrFacts, ApiError> {
    let detail_path = format!("/repos/{repo}/pulls/{number}");
    let events_path = format!("/repos/{repo}/issues/{number}/events?per_page=100");
    let (detail, events, on_head) = futures::try_join!(
        gh.get::<PullDetail>(&detail_path),
        pagination::fetch_all::<IssueEvent>(gh, &events_path),
        checks_on(gh, repo, head)
    )?;
    let labeled_at = events
        .iter()
        .filter(|e| e.event == "labeled" && e.label.as_ref().is_some_and(|l| l.name == label))
        .map(|e| e.created_at)
        .max();
    Ok(PrFacts {
        detail,
        labeled_at,
        on_head,
    })
}

/// Per integration branch, round 2: its head commit, checks and workflow runs.
struct HeadFacts {
    commit: Commit,
    checks: Vec<CheckResult>,
    attempt: u32,
    ci_started: bool,
}

async fn head_facts(gh: &GitHub, repo: &RepoName, sha: &str) -> Result<HeadFacts, ApiError> {
    let commit_path = format!("/repos/{repo}/commits/{sha}");
    let runs_path = format!("/repos/{repo}/actions/runs?head_sha={sha}&per_page=100");
    let (commit, on_head, runs) = futures::try_join!(
        gh.get::<Commit>(&commit_path),
        checks_on(gh, repo, sha),
        gh.get::<Runs>(&runs_path)
    )?;
    let attempt = runs
        .workflow_runs
        .iter()
        .filter_map(|r| r.run_attempt)
        .max()
        .unwrap_or(1);
    Ok(HeadFacts {
        commit,
        checks: on_head.results,
        attempt,
        ci_started: !runs.workflow_runs.is_empty(),
    })
}

/// The second parents along the first-parent chain from `head` back to `base`, oldest first;
/// `None` when the chain does not reach `base` (the branch was rewritten by hand).
fn merged_heads(chain: &[ChainCommit], base: &str, head: &str) -> Option<Vec<Sha>> {
    let by_sha: BTreeMap<&str, &ChainCommit> = chain.iter().map(|c| (c.sha.as_str(), c)).collect();
    let mut heads = Vec::new();
    let mut at = head;
    while at != base {
        let commit = by_sha.get(at)?;
        let first = commit.parents.first()?;
        if let Some(second) = commit.parents.get(1) {
            heads.push(second.sha.clone());
        }
        at = &first.sha;
    }
    heads.reverse();
    Some(heads)
}

/// Reads everything `plan` needs. `queue_login` is the token's identity: a manifest in a commit
/// anyone else authored is never trusted.
pub async fn gather(
    gh: &GitHub,
    repo: &RepoName,
    settings: &Settings,
    queue_login: &str,
    now: Timestamp,
) -> Result<Gathered, ApiError> {
    let cfg = &settings.queue;
    let mut notes = Vec::new();
    gh.allow_concurrent_reads(READS);

    // Round 1.
    let pulls_path = format!("/repos/{repo}/pulls?state=open&per_page=100");
    let base_reads: Vec<_> = cfg
        .bases
        .iter()
        .map(|b| async move {
            futures::try_join!(
                base_head(gh, repo, b),
                required_checks(gh, repo, b, &settings.extra_required)
            )
        })
        .collect();
    let (open, bases, integration_refs, failed_refs) = futures::try_join!(
        pagination::fetch_all::<PullListed>(gh, &pulls_path),
        all(base_reads),
        refs_under(gh, repo, &cfg.integration_prefix),
        refs_under(gh, repo, &cfg.failed_prefix)
    )?;
    let mut base_shas = BTreeMap::new();
    let mut required = BTreeMap::new();
    for (base, (sha, checks)) in cfg.bases.iter().zip(bases) {
        match sha {
            Some(sha) => {
                base_shas.insert(base.clone(), sha);
            }
            None => notes.push(format!("the base branch `{base}` does not exist")),
        }
        required.insert(base.clone(), checks);
    }
    let labelled: Vec<PullListed> = open
        .into_iter()
        .filter(|p| p.labels.iter().any(|l| l.name == cfg.label))
        .collect();
    // Every lane of every base: `integration/<base>` and `integration/<base>.lane-<k>`.
    let integration: Vec<(String, String, Sha)> = cfg
        .bases
        .iter()
        .flat_map(|b| {
            integration_refs
                .iter()
                .filter(|(branch, _)| cfg.lane_number(b, branch).is_some())
                .map(|(branch, sha)| (b.clone(), branch.clone(), sha.clone()))
        })
        .collect();

    // Round 2.
    let pr_reads: Vec<_> = labelled
        .iter()
        .map(|p| pr_facts(gh, repo, p.number, &p.head.sha, &cfg.label))
        .collect();
    let head_reads: Vec<_> = integration
        .iter()
        .map(|(_, _, sha)| head_facts(gh, repo, sha))
        .collect();
    let (pr_facts, head_facts) = futures::try_join!(all(pr_reads), all(head_reads))?;

    let mut checks: BTreeMap<Sha, Vec<CheckResult>> = BTreeMap::new();
    let mut statuses = BTreeMap::new();
    let mut prs = Vec::new();
    for (p, f) in labelled.iter().zip(pr_facts) {
        if let Some(status) = f.on_head.own {
            statuses.insert(
                p.number,
                StatusSeen {
                    sha: p.head.sha.clone(),
                    status,
                },
            );
        }
        checks.insert(p.head.sha.clone(), f.on_head.results);
        prs.push(PullRequest {
            number: p.number,
            title: p.title.clone(),
            head_sha: p.head.sha.clone(),
            base: p.base.name.clone(),
            open: p.state == "open",
            merged: f.detail.merged || p.merged_at.is_some(),
            draft: p.draft,
            mergeable: match f.detail.mergeable {
                Some(true) => Mergeable::Clean,
                Some(false) => Mergeable::Conflicting,
                None => Mergeable::Unknown,
            },
            labels: p.labels.iter().map(|l| l.name.clone()).collect(),
            labeled_at: f.labeled_at,
            // CI reports on a head when it is pushed: a push after the label sends the PR to
            // the back of the queue.
            head_pushed_at: f.on_head.first_seen,
        });
    }

    // Round 3: what the manifests point at.
    let mut ci_links = BTreeMap::new();
    let manifests: Vec<Option<Manifest>> = head_facts
        .iter()
        .map(|h| Manifest::parse(&h.commit.commit.message).ok())
        .collect();
    let chain_reads: Vec<_> = integration
        .iter()
        .zip(&manifests)
        .map(|((_, _, head), m)| async move {
            match m {
                Some(m) => {
                    let path = format!("/repos/{repo}/compare/{}...{head}?per_page=250", m.base);
                    optional::<Compare>(gh, &path).await
                }
                None => Ok(None),
            }
        })
        .collect();
    let evidence: Vec<Sha> = manifests
        .iter()
        .flatten()
        .filter_map(|m| m.evidence.clone())
        .collect();
    let evidence_reads: Vec<_> = evidence
        .iter()
        .map(|sha| checks_on(gh, repo, sha))
        .collect();
    let open_numbers: BTreeSet<u64> = prs.iter().map(|p| p.number).collect();
    let listed_closed: BTreeSet<u64> = manifests
        .iter()
        .flatten()
        .flat_map(|m| m.prs.iter().map(|p| p.number))
        .filter(|n| !open_numbers.contains(n))
        .collect();
    let closed_reads: Vec<_> = listed_closed
        .iter()
        .map(|n| {
            let path = format!("/repos/{repo}/pulls/{n}");
            async move { optional::<PullListed>(gh, &path).await }
        })
        .collect();
    let (chains, evidence_checks, closed) =
        futures::try_join!(all(chain_reads), all(evidence_reads), all(closed_reads))?;
    let round3 = !integration.is_empty();
    for (sha, on) in evidence.into_iter().zip(evidence_checks) {
        checks.insert(sha, on.results);
    }
    for p in closed.into_iter().flatten() {
        if p.state == "open" || !p.labels.iter().any(|l| l.name == cfg.label) {
            continue;
        }
        prs.push(PullRequest {
            number: p.number,
            title: p.title,
            head_sha: p.head.sha,
            base: p.base.name,
            open: false,
            merged: p.merged_at.is_some(),
            draft: p.draft,
            mergeable: Mergeable::Unknown,
            labels: p.labels.into_iter().map(|l| l.name).collect(),
            labeled_at: None,
            head_pushed_at: None,
        });
    }
    let mut branches = BTreeMap::new();
    let mut lanes = BTreeMap::new();
    for (((base, branch, head), h), (m, chain)) in integration
        .iter()
        .zip(head_facts)
        .zip(manifests.iter().zip(chains))
    {
        let mut results = h.checks;
        for r in &mut results {
            r.attempt = h.attempt;
        }
        ci_links.insert(branch.clone(), results.clone());
        checks.insert(head.clone(), results);
        let merged = match (m, chain) {
            (Some(m), Some(c)) => merged_heads(&c.commits, &m.base, head),
            _ => None,
        };
        let by_queue = h
            .commit
            .author
            .as_ref()
            .is_some_and(|a| a.login.eq_ignore_ascii_case(queue_login));
        if m.is_some() && !by_queue {
            notes.push(format!(
                "`{}` carries a manifest in a commit `{queue_login}` did not make: not trusted, \
                 the batch is rebuilt",
                branch
            ));
        }
        let read = IntegrationBranch {
            head_sha: h.commit.sha,
            head_message: h.commit.commit.message,
            head_by_queue: by_queue,
            head_committed_at: h.commit.commit.committer.date,
            merged_heads: merged,
            ci_started: h.ci_started,
        };
        if *branch == cfg.integration_branch(base) {
            branches.insert(base.clone(), read);
        } else {
            lanes.insert(branch.clone(), read);
        }
    }
    Ok(Gathered {
        state: QueueState {
            now,
            config: cfg.clone(),
            prs,
            bases: base_shas,
            required_checks: required,
            checks,
            integration: branches,
            lanes,
            failed_branches: failed_refs.into_keys().collect(),
            statuses,
        },
        ci_links,
        notes,
        rounds: if round3 { 3 } else { 2 },
    })
}
