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
use crate::template::{
    GITHUB_DIRECTORIES, best_match, documented_file, documented_folder, pick_path,
};

/// Templates read from a `PULL_REQUEST_TEMPLATE/` folder at most; a real folder holds a few.
const MAX_FOLDER_TEMPLATES: usize = 20;

/// A listed path and whether it is a directory.
type Entry = (String, bool);

/// Texts of candidates fetched by their exact spelling; `None` where there is no such file.
pub(crate) type ExactTexts = HashMap<String, Option<String>>;

/// Fetches `paths` at `git_ref` concurrently, by their exact spelling.
pub(crate) async fn fetch_exact(
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

/// The first of `candidates` present at `git_ref`, compared without case, or else the template
/// GitHub would use (see the module's notes); `body` picks among a folder's templates. `exact`
/// holds what was already fetched (see [`fetch_exact`]); candidates missing from it are fetched
/// here.
pub(crate) async fn find(
    gh: &GitHub,
    repo: &RepoName,
    git_ref: &str,
    candidates: &[String],
    mut exact: ExactTexts,
    body: Option<&str>,
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
    let mut directories: BTreeSet<&str> = unsettled.iter().map(|path| parent(path)).collect();
    if exact_hit.is_none() {
        directories.extend(GITHUB_DIRECTORIES);
    }
    let listings = try_join_all(
        directories
            .iter()
            .map(|dir| directory::list_entries(gh, repo, dir, git_ref)),
    )
    .await?;
    let (folders, existing): (Vec<Entry>, Vec<Entry>) = listings
        .into_iter()
        .flatten()
        .partition(|(_, is_dir)| *is_dir);
    let existing: Vec<String> = existing.into_iter().map(|(path, _)| path).collect();
    let folders: Vec<String> = folders.into_iter().map(|(path, _)| path).collect();
    let Some(stored) = pick_path(&unsettled, &existing) else {
        if exact_hit.is_some() {
            return Ok(exact_hit);
        }
        return github_default(gh, repo, git_ref, &existing, &folders, body).await;
    };
    if let Some(Some(text)) = exact.get(stored) {
        return Ok(Some(found(stored, text.clone())));
    }
    Ok(contents::file_text(gh, repo, stored, git_ref)
        .await?
        .map(|text| found(stored, text)))
}

/// No configured candidate exists: the file GitHub would use under another accepted name, or the
/// best match among the templates of a `PULL_REQUEST_TEMPLATE/` folder.
async fn github_default(
    gh: &GitHub,
    repo: &RepoName,
    git_ref: &str,
    files: &[String],
    folders: &[String],
    body: Option<&str>,
) -> Result<Option<SourceFile>, ApiError> {
    if let Some(path) = documented_file(files) {
        return Ok(contents::file_text(gh, repo, path, git_ref)
            .await?
            .map(|text| SourceFile {
                path: path.to_owned(),
                text,
            }));
    }
    let Some(folder) = documented_folder(folders) else {
        return Ok(None);
    };
    let mut paths = directory::list_files(gh, repo, folder, git_ref).await?;
    paths.sort();
    paths.truncate(MAX_FOLDER_TEMPLATES);
    let texts = try_join_all(paths.iter().map(|path| async move {
        contents::file_text(gh, repo, path, git_ref)
            .await
            .map(|text| {
                text.map(|text| SourceFile {
                    path: path.clone(),
                    text,
                })
            })
    }))
    .await?;
    let templates: Vec<SourceFile> = texts.into_iter().flatten().collect();
    Ok(best_match(body, &templates).map(|index| templates[index].clone()))
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
