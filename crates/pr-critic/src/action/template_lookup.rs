//! Finding the PR template on the base branch, case-insensitively, in as few round trips as the
//! repository allows.
//!
//! The candidates (`template-paths`, default four) are first fetched concurrently by their exact
//! spelling, beside the run's other reads: almost every repository spells its template as one of
//! them, so the template costs no round trip of its own. Only when that cannot settle the answer
//! -- no candidate matched exactly, or one matched after an earlier candidate whose spelling may
//! differ only in case -- are the candidates' directories listed (one more round trip) and the
//! file under its stored spelling read (one more). Listing first would cost the second round
//! trip on every run; fetching exactly first costs it only for unusual spellings.

use std::collections::{BTreeSet, HashMap};

use futures::future::try_join_all;
use guardians_core::context::RepoName;
use guardians_core::github::{ApiError, GitHub, contents};

use super::directory;
use crate::facts::SourceFile;
use crate::template::pick_path;

/// Texts of candidates fetched by their exact spelling; `None` where there is no such file.
pub type ExactTexts = HashMap<String, Option<String>>;

/// Fetches `paths` at `git_ref` concurrently, by their exact spelling.
pub async fn fetch_exact(
    gh: &GitHub,
    repo: &RepoName,
    git_ref: &str,
    paths: &[String],
) -> Result<ExactTexts, ApiError> {
    let texts = try_join_all(paths.iter().map(|path| async move {
        contents::file_text(gh, repo, path, git_ref)
            .await
            .map(|text| (path.clone(), text))
    }))
    .await?;
    Ok(texts.into_iter().collect())
}

/// The first of `candidates` present at `git_ref`, compared without case. `exact` holds what was
/// already fetched (see [`fetch_exact`]); candidates missing from it are fetched here.
pub async fn find(
    gh: &GitHub,
    repo: &RepoName,
    git_ref: &str,
    candidates: &[String],
    mut exact: ExactTexts,
) -> Result<Option<SourceFile>, ApiError> {
    let missing: Vec<String> = candidates
        .iter()
        .filter(|candidate| !exact.contains_key(*candidate))
        .cloned()
        .collect();
    if !missing.is_empty() {
        exact.extend(fetch_exact(gh, repo, git_ref, &missing).await?);
    }
    let hit = candidates
        .iter()
        .position(|candidate| exact.get(candidate).is_some_and(Option::is_some));
    let unsettled = unsettled_candidates(candidates, hit);
    let found = |path: &str, text: String| SourceFile {
        path: path.to_owned(),
        text,
    };
    let exact_hit = hit.and_then(|index| {
        let path = &candidates[index];
        exact
            .get(path)
            .cloned()
            .flatten()
            .map(|text| found(path, text))
    });
    if unsettled.is_empty() {
        return Ok(exact_hit);
    }
    let directories: BTreeSet<&str> = unsettled.iter().map(|path| parent(path)).collect();
    let listings = try_join_all(
        directories
            .iter()
            .map(|dir| directory::list_files(gh, repo, dir, git_ref)),
    )
    .await?;
    let existing: Vec<String> = listings.into_iter().flatten().collect();
    let Some(stored) = pick_path(&unsettled, &existing) else {
        return Ok(exact_hit);
    };
    if let Some(Some(text)) = exact.get(stored) {
        return Ok(Some(found(stored, text.clone())));
    }
    Ok(contents::file_text(gh, repo, stored, git_ref)
        .await?
        .map(|text| found(stored, text)))
}

/// Candidates that come before the exact hit (all of them without one) and might exist under
/// another spelling. A candidate spelt like the hit but for case is settled: it names the same
/// file on every case-insensitive checkout, and the hit is that file.
fn unsettled_candidates(candidates: &[String], hit: Option<usize>) -> Vec<String> {
    let before = &candidates[..hit.unwrap_or(candidates.len())];
    before
        .iter()
        .filter(|candidate| {
            hit.is_none_or(|index| !candidate.eq_ignore_ascii_case(&candidates[index]))
        })
        .cloned()
        .collect()
}

/// `docs` for `docs/x.md`, `""` for a file at the root.
fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(list: &[&str]) -> Vec<String> {
        list.iter().map(|p| (*p).to_owned()).collect()
    }

    #[test]
    fn only_candidates_before_the_hit_and_spelt_otherwise_need_a_listing() {
        let candidates = paths(&[
            ".github/pull_request_template.md",
            ".github/PULL_REQUEST_TEMPLATE.md",
            "PULL_REQUEST_TEMPLATE.md",
            "docs/pull_request_template.md",
        ]);
        assert!(unsettled_candidates(&candidates, Some(0)).is_empty());
        assert!(unsettled_candidates(&candidates, Some(1)).is_empty());
        assert_eq!(
            unsettled_candidates(&candidates, Some(2)),
            paths(&[
                ".github/pull_request_template.md",
                ".github/PULL_REQUEST_TEMPLATE.md"
            ])
        );
        assert_eq!(unsettled_candidates(&candidates, None), candidates);
    }

    #[test]
    fn parents() {
        assert_eq!(parent(".github/x.md"), ".github");
        assert_eq!(parent("x.md"), "");
        assert_eq!(parent("a/b/c.md"), "a/b");
    }
}
