//! The git trees API, for the files a pull request changed when its file listing cannot say.
//!
//! GitHub lists at most 3,000 files of a pull request; a gate that reads only the listing can
//! be walked around by putting 3,000 unrelated files first. Comparing the base and head trees
//! (`GET /repos/{o}/{r}/git/trees/{sha}?recursive=1`, one request each) finds every changed
//! path by blob SHA. A recursive tree is itself capped (GitHub answers `truncated: true`), and
//! then the change set is unknown: callers must treat that as a reason to ask a person.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::models::PullFile;
use super::pulls::{FILES_CAP, PullFiles};
use super::{ApiError, GitHub, path};
use crate::context::RepoName;

/// Every file (blob or submodule) of a commit: path -> object SHA.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tree {
    pub files: BTreeMap<String, String>,
    /// GitHub's limit on a recursive tree cut the list.
    pub truncated: bool,
}

#[derive(Deserialize)]
struct TreeResponse {
    #[serde(default)]
    tree: Vec<TreeEntry>,
    #[serde(default)]
    truncated: bool,
}

#[derive(Deserialize)]
struct TreeEntry {
    path: String,
    #[serde(rename = "type")]
    kind: String,
    sha: String,
}

/// The recursive tree of commit (or tree) `sha`.
pub async fn tree(gh: &GitHub, repo: &RepoName, sha: &str) -> Result<Tree, ApiError> {
    let response: TreeResponse = gh
        .get(&format!(
            "/repos/{repo}/git/trees/{}?recursive=1",
            path::segment(sha)
        ))
        .await?;
    Ok(Tree {
        files: response
            .tree
            .into_iter()
            // Directories are implied by their files; a submodule (`commit`) is a file here.
            .filter(|e| e.kind != "tree")
            .map(|e| (e.path, e.sha))
            .collect(),
        truncated: response.truncated,
    })
}

/// How a path differs between two trees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TreeChange {
    Added,
    Removed,
    Modified,
}

impl TreeChange {
    /// GitHub's word for it in a PR file listing.
    pub fn as_str(self) -> &'static str {
        match self {
            TreeChange::Added => "added",
            TreeChange::Removed => "removed",
            TreeChange::Modified => "modified",
        }
    }
}

/// The paths whose blob differs between `base` and `head`, in path order. Renames show as a
/// removal and an addition (trees do not record them).
pub fn diff(base: &Tree, head: &Tree) -> Vec<(String, TreeChange)> {
    let mut changes = Vec::new();
    for (path, sha) in &head.files {
        match base.files.get(path) {
            None => changes.push((path.clone(), TreeChange::Added)),
            Some(old) if old != sha => changes.push((path.clone(), TreeChange::Modified)),
            Some(_) => {}
        }
    }
    for path in base.files.keys() {
        if !head.files.contains_key(path) {
            changes.push((path.clone(), TreeChange::Removed));
        }
    }
    changes.sort();
    changes
}

/// A pull request's changed files, as complete as GitHub lets us know them.
#[derive(Debug, Clone, Default)]
pub struct ChangedFiles {
    /// The listing's entries, plus the entries the trees found beyond it (status only).
    pub files: Vec<PullFile>,
    /// Why the list may still be incomplete: the listing was capped and the trees were
    /// truncated too. A gate must ask a person when this is set.
    pub incomplete: Option<String>,
    /// Whether the trees were read (the listing was capped).
    pub from_trees: bool,
}

/// Why a listing could not be completed, worded for the PR comment.
pub fn incomplete_reason(listed: usize) -> String {
    format!(
        "GitHub lists at most {FILES_CAP} files of a pull request and listed {listed}; the git trees of base and head, \
         which would name the rest, are truncated too, so not every changed file could be seen"
    )
}

/// The listing in `listed`, completed from the trees of `base_sha` and `head_sha` when GitHub's
/// cap cut it. `base_sha` should be the commit the PR is compared with (the merge base when
/// known); a later base tip only adds paths, which errs on the side of looking at more.
pub async fn complete_listing(
    gh: &GitHub,
    repo: &RepoName,
    listed: PullFiles,
    base_sha: &str,
    head_sha: &str,
) -> Result<ChangedFiles, ApiError> {
    if !listed.truncated {
        return Ok(ChangedFiles {
            files: listed.files,
            incomplete: None,
            from_trees: false,
        });
    }
    let (base, head) = futures::try_join!(tree(gh, repo, base_sha), tree(gh, repo, head_sha))?;
    Ok(merge_listing(listed.files, &base, &head))
}

/// The listing plus what the trees show beyond it (pure, for tests).
pub fn merge_listing(listed: Vec<PullFile>, base: &Tree, head: &Tree) -> ChangedFiles {
    let count = listed.len();
    let mut files = listed;
    let mut seen: std::collections::HashSet<String> = files
        .iter()
        .flat_map(|f| std::iter::once(f.filename.clone()).chain(f.previous_filename.clone()))
        .collect();
    for (path, change) in diff(base, head) {
        if seen.insert(path.clone()) {
            files.push(PullFile {
                filename: path,
                status: change.as_str().to_owned(),
                additions: 0,
                deletions: 0,
                changes: 0,
                previous_filename: None,
            });
        }
    }
    ChangedFiles {
        files,
        incomplete: (base.truncated || head.truncated).then(|| incomplete_reason(count)),
        from_trees: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(entries: &[(&str, &str)], truncated: bool) -> Tree {
        Tree {
            files: entries
                .iter()
                .map(|(p, s)| ((*p).to_owned(), (*s).to_owned()))
                .collect(),
            truncated,
        }
    }

    fn listed(name: &str) -> PullFile {
        PullFile {
            filename: name.to_owned(),
            status: "modified".to_owned(),
            additions: 1,
            deletions: 0,
            changes: 1,
            previous_filename: None,
        }
    }

    #[test]
    fn trees_differ_by_blob() {
        let base = tree(&[("a", "1"), ("b", "2"), ("gone", "3")], false);
        let head = tree(&[("a", "1"), ("b", "9"), ("new", "4")], false);
        assert_eq!(
            diff(&base, &head),
            vec![
                ("b".to_owned(), TreeChange::Modified),
                ("gone".to_owned(), TreeChange::Removed),
                ("new".to_owned(), TreeChange::Added),
            ]
        );
    }

    #[test]
    fn the_listing_is_completed_from_the_trees() {
        let base = tree(&[("junk/1", "1"), ("api/openapi.yaml", "2")], false);
        let head = tree(&[("junk/1", "9"), ("api/openapi.yaml", "3")], false);
        let merged = merge_listing(vec![listed("junk/1")], &base, &head);
        let names: Vec<(&str, &str)> = merged
            .files
            .iter()
            .map(|f| (f.filename.as_str(), f.status.as_str()))
            .collect();
        assert_eq!(
            names,
            [("junk/1", "modified"), ("api/openapi.yaml", "modified")]
        );
        assert!(merged.incomplete.is_none() && merged.from_trees);
    }

    #[test]
    fn truncated_trees_leave_the_listing_incomplete() {
        let base = tree(&[], true);
        let head = tree(&[("a", "1")], false);
        let merged = merge_listing(vec![listed("x")], &base, &head);
        let why = merged.incomplete.unwrap_or_default();
        assert!(why.contains("truncated too"), "{why}");
    }
}
