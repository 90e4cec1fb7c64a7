//! DORA's keys from a repository's history, decided without I/O: which production deployment
//! first shipped each merged PR (lead time), which deployments failed or rolled back, which
//! PRs reverted others (change failures), and how long each failure took to restore.

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use serde::Serialize;

/// A PR merged into the default branch.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MergedPr {
    pub number: u64,
    pub title: String,
    pub body: String,
    pub merged_at: Timestamp,
    /// The PR's first commit (its earliest author date), or its opening when the commits
    /// could not be read.
    pub first_commit_at: Timestamp,
    /// The commits that stand for the PR on the default branch: `merge_commit_sha` (the merge
    /// or squash commit) and the PR's head (a merge commit's second parent, a rebase's tip).
    pub shas: Vec<String>,
}

/// A deployment to a production environment, with the outcome of its first final status.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ProdDeployment {
    pub id: u64,
    pub sha: String,
    pub created_at: Timestamp,
    /// `Some((succeeded, at))` once a `success`, `failure` or `error` status exists.
    pub outcome: Option<(bool, Timestamp)>,
}

/// What `GET /compare/{base}...{head}` said about two deployed SHAs.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Comparison {
    /// The commits on `head` that are not on `base`.
    pub commits: HashSet<String>,
    /// `head` is an ancestor of `base`: the deployment went back in history.
    pub behind: bool,
    /// GitHub lists at most 250 commits: more were not named.
    pub truncated: bool,
}

/// How deployments were told apart from merges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Production deployments with statuses.
    Deployments,
    /// No production deployment in the window: each merge into the default branch is a deploy
    /// (`push-is-deploy`).
    MergeIsDeploy,
}

/// The history's facts behind DORA's keys, each with its time so they can be drawn per week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delivery {
    pub mode: Mode,
    /// Production deploys that reached a final status: `(at, succeeded)`.
    pub deploys: Vec<(Timestamp, bool)>,
    /// Successful deploys of a commit older than the one already in production.
    pub rollbacks: Vec<Timestamp>,
    /// Merged PRs that revert another (GitHub's "Revert" button, or `This reverts commit`).
    pub reverts: Vec<Timestamp>,
    /// First commit -> the production deploy that first contained it: `(deployed at, seconds)`.
    pub lead_times: Vec<(Timestamp, i64)>,
    /// Failure -> restored: `(restored at, seconds)`.
    pub restores: Vec<(Timestamp, i64)>,
    /// Deployments whose contents came from a comparison, and from merge times when the
    /// comparison could not be read (or listed fewer commits than it counted).
    pub contained_by_compare: usize,
    pub contained_by_merge_time: usize,
    /// Merged PRs no production deploy has contained yet.
    pub not_yet_deployed: usize,
}

/// The pairs of SHAs whose comparison says what each successful deployment shipped: every
/// successful production deployment against the one before it.
pub(crate) fn compare_pairs(deployments: &[ProdDeployment]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = successes(deployments)
        .windows(2)
        .filter(|w| w[0].sha != w[1].sha)
        .map(|w| (w[0].sha.clone(), w[1].sha.clone()))
        .collect();
    pairs.sort();
    pairs.dedup();
    pairs
}

fn successes(deployments: &[ProdDeployment]) -> Vec<&ProdDeployment> {
    let mut ok: Vec<&ProdDeployment> = deployments
        .iter()
        .filter(|d| d.outcome.is_some_and(|(succeeded, _)| succeeded))
        .collect();
    ok.sort_by_key(|d| (d.outcome.map(|(_, at)| at), d.id));
    ok
}

/// A merged PR that reverts another, and the title of the PR it reverts when GitHub's button
/// wrote it (`Revert "<title>"`).
pub(crate) fn reverted_title(pr: &MergedPr) -> Option<Option<&str>> {
    let title = pr.title.trim();
    if let Some(inner) = title
        .strip_prefix("Revert \"")
        .and_then(|t| t.strip_suffix('"'))
    {
        return Some(Some(inner));
    }
    (title.starts_with("Revert ") || pr.body.contains("This reverts commit")).then_some(None)
}

fn seconds(from: Timestamp, to: Timestamp) -> i64 {
    to.as_second() - from.as_second()
}

/// DORA's facts from deployments (or merges, when there are none and `merge_is_deploy`).
pub(crate) fn delivery(
    prs: &[MergedPr],
    deployments: &[ProdDeployment],
    comparisons: &HashMap<(String, String), Comparison>,
    merge_is_deploy: bool,
) -> Delivery {
    let mut prs: Vec<&MergedPr> = prs.iter().collect();
    prs.sort_by_key(|p| (p.merged_at, p.number));
    let finished: Vec<&ProdDeployment> = {
        let mut f: Vec<&ProdDeployment> =
            deployments.iter().filter(|d| d.outcome.is_some()).collect();
        f.sort_by_key(|d| (d.outcome.map(|(_, at)| at), d.id));
        f
    };
    if finished.is_empty() && merge_is_deploy {
        return merges_as_deploys(&prs);
    }
    let mut out = Delivery {
        mode: Mode::Deployments,
        deploys: Vec::new(),
        rollbacks: Vec::new(),
        reverts: Vec::new(),
        lead_times: Vec::new(),
        restores: Vec::new(),
        contained_by_compare: 0,
        contained_by_merge_time: 0,
        not_yet_deployed: 0,
    };
    // When each PR first reached production, and what was in production before.
    let mut deployed_at: HashMap<u64, Timestamp> = HashMap::new();
    let mut shipped_shas: HashSet<&str> = HashSet::new();
    let mut previous: Option<&ProdDeployment> = None;
    let mut failing_since: Option<Timestamp> = None;
    for d in finished {
        let Some((succeeded, at)) = d.outcome else {
            continue;
        };
        out.deploys.push((at, succeeded));
        if !succeeded {
            failing_since.get_or_insert(at);
            continue;
        }
        if let Some(since) = failing_since.take() {
            out.restores.push((at, seconds(since, at)));
        }
        let comparison = previous.and_then(|p| comparisons.get(&(p.sha.clone(), d.sha.clone())));
        let same_as_previous = previous.is_some_and(|p| p.sha == d.sha);
        let rollback = !same_as_previous
            && (comparison.is_some_and(|c| c.behind)
                || (comparison.is_none() && shipped_shas.contains(d.sha.as_str())));
        if rollback {
            out.rollbacks.push(at);
            // Restored from the moment the rolled-back deployment went out.
            if let Some((_, bad_at)) = previous.and_then(|p| p.outcome) {
                out.restores.push((at, seconds(bad_at, at)));
            }
        }
        let newly: Vec<u64> = match comparison.filter(|c| !c.truncated) {
            // Going back, or again, ships nothing new.
            _ if rollback || same_as_previous => Vec::new(),
            Some(c) => {
                out.contained_by_compare += 1;
                prs.iter()
                    .filter(|p| !deployed_at.contains_key(&p.number))
                    .filter(|p| p.shas.iter().any(|s| c.commits.contains(s) || *s == d.sha))
                    .map(|p| p.number)
                    .collect()
            }
            None => {
                // No comparison (the first deployment seen, or compare unreadable): what was
                // merged before the deployment started and not shipped yet.
                out.contained_by_merge_time += 1;
                prs.iter()
                    .filter(|p| !deployed_at.contains_key(&p.number))
                    .filter(|p| p.merged_at <= d.created_at || p.shas.contains(&d.sha))
                    .map(|p| p.number)
                    .collect()
            }
        };
        for number in newly {
            deployed_at.insert(number, at);
        }
        shipped_shas.insert(d.sha.as_str());
        previous = Some(d);
    }
    let by_title: HashMap<&str, u64> = prs.iter().map(|p| (p.title.trim(), p.number)).collect();
    for pr in &prs {
        match deployed_at.get(&pr.number) {
            Some(&at) => out
                .lead_times
                .push((at, seconds(pr.first_commit_at, at).max(0))),
            None => out.not_yet_deployed += 1,
        }
        if let Some(reverted) = reverted_title(pr) {
            out.reverts.push(pr.merged_at);
            // Restored when the revert reached production, from when the reverted change did.
            let original = reverted.and_then(|t| by_title.get(t));
            if let (Some(bad), Some(fix)) = (
                original.and_then(|n| deployed_at.get(n)),
                deployed_at.get(&pr.number),
            ) {
                out.restores.push((*fix, seconds(*bad, *fix).max(0)));
            }
        }
    }
    out.lead_times.sort();
    out.restores.sort();
    out
}

fn merges_as_deploys(prs: &[&MergedPr]) -> Delivery {
    let by_title: HashMap<&str, &MergedPr> = prs.iter().map(|p| (p.title.trim(), *p)).collect();
    let mut out = Delivery {
        mode: Mode::MergeIsDeploy,
        deploys: prs.iter().map(|p| (p.merged_at, true)).collect(),
        rollbacks: Vec::new(),
        reverts: Vec::new(),
        lead_times: prs
            .iter()
            .map(|p| (p.merged_at, seconds(p.first_commit_at, p.merged_at).max(0)))
            .collect(),
        restores: Vec::new(),
        contained_by_compare: 0,
        contained_by_merge_time: 0,
        not_yet_deployed: 0,
    };
    for pr in prs {
        if let Some(reverted) = reverted_title(pr) {
            out.reverts.push(pr.merged_at);
            if let Some(original) = reverted.and_then(|t| by_title.get(t)) {
                out.restores.push((
                    pr.merged_at,
                    seconds(original.merged_at, pr.merged_at).max(0),
                ));
            }
        }
    }
    out.lead_times.sort();
    out.restores.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> Timestamp {
        text.parse().expect("a test time")
    }

    fn pr(number: u64, merged: &str, sha: &str) -> MergedPr {
        MergedPr {
            number,
            title: format!("Change {number}"),
            body: String::new(),
            merged_at: t(merged),
            first_commit_at: t("2026-01-01T00:00:00Z"),
            shas: vec![sha.to_owned()],
        }
    }

    fn ok(id: u64, sha: &str, created: &str, done: &str) -> ProdDeployment {
        ProdDeployment {
            id,
            sha: sha.to_owned(),
            created_at: t(created),
            outcome: Some((true, t(done))),
        }
    }

    #[test]
    fn a_truncated_comparison_falls_back_to_merge_times_and_a_behind_one_is_a_rollback() {
        let prs = [
            pr(1, "2026-01-02T00:00:00Z", "a"),
            pr(2, "2026-01-03T00:00:00Z", "b"),
        ];
        let deployments = [
            ok(1, "a", "2026-01-02T01:00:00Z", "2026-01-02T02:00:00Z"),
            ok(2, "b", "2026-01-03T01:00:00Z", "2026-01-03T02:00:00Z"),
            ok(3, "a", "2026-01-04T01:00:00Z", "2026-01-04T02:00:00Z"),
        ];
        assert_eq!(
            compare_pairs(&deployments),
            [("a".into(), "b".into()), ("b".into(), "a".into())]
        );
        let mut comparisons = HashMap::new();
        // GitHub counted more commits than it listed: the listing cannot be trusted.
        comparisons.insert(
            ("a".to_owned(), "b".to_owned()),
            Comparison {
                commits: HashSet::new(),
                behind: false,
                truncated: true,
            },
        );
        comparisons.insert(
            ("b".to_owned(), "a".to_owned()),
            Comparison {
                behind: true,
                ..Comparison::default()
            },
        );
        let d = delivery(&prs, &deployments, &comparisons, false);
        // PR 2 by merge time (deploy 2 started after its merge), not lost to the truncation.
        assert_eq!(d.lead_times.len(), 2);
        assert_eq!(d.contained_by_merge_time, 2);
        assert_eq!(d.rollbacks, vec![t("2026-01-04T02:00:00Z")]);
        // Restored from deploy 2 going out to the rollback: 24 h.
        assert_eq!(d.restores, vec![(t("2026-01-04T02:00:00Z"), 86_400)]);
    }

    #[test]
    fn reverts_are_recognised_by_title_or_body() {
        let mut revert = pr(3, "2026-01-05T00:00:00Z", "c");
        revert.title = "Revert \"Change 1\"".into();
        assert_eq!(reverted_title(&revert), Some(Some("Change 1")));
        revert.title = "Undo the cache".into();
        revert.body = "This reverts commit 0123abc.".into();
        assert_eq!(reverted_title(&revert), Some(None));
        assert_eq!(reverted_title(&pr(4, "2026-01-05T00:00:00Z", "d")), None);
    }
}
