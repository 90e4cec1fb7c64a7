//! Facts from a local git checkout: the changed files between two commits and their
//! contents at each commit (`git diff --name-status`, `git show`).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use guardians_core::contract_paths::Detector;

use crate::cli::GitRange;
use crate::detect::{ContractKind, kind_of};
use crate::limits::Limits;
use crate::plan::{ContractFile, Facts, FileStatus, UnreadableFile, Version};
use crate::resolve::Spec;

/// A git command that failed, with its stderr.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`git {args}` failed: {stderr}")]
pub(crate) struct GitError {
    pub args: String,
    pub stderr: String,
}

fn git(repo: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .map_err(|e| GitError {
            args: args.join(" "),
            stderr: format!("could not run git: {e}"),
        })?;
    if !output.status.success() {
        return Err(GitError {
            args: args.join(" "),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        });
    }
    Ok(output.stdout)
}

/// Changed paths between `base` and `head`, with renames detected.
pub(crate) fn changed_files(
    repo: &Path,
    base: &str,
    head: &str,
) -> Result<Vec<(FileStatus, String)>, GitError> {
    let raw = git(
        repo,
        &["diff", "--name-status", "-z", "-M", base, head, "--"],
    )?;
    let fields: Vec<String> = raw
        .split(|b| *b == 0)
        .filter(|f| !f.is_empty())
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < fields.len() {
        let status = fields[i].as_str();
        match status.chars().next() {
            Some('R') | Some('C') if i + 2 < fields.len() => {
                out.push((
                    FileStatus::Renamed(fields[i + 1].clone()),
                    fields[i + 2].clone(),
                ));
                i += 3;
            }
            Some('A') if i + 1 < fields.len() => {
                out.push((FileStatus::Added, fields[i + 1].clone()));
                i += 2;
            }
            Some('D') if i + 1 < fields.len() => {
                out.push((FileStatus::Removed, fields[i + 1].clone()));
                i += 2;
            }
            _ if i + 1 < fields.len() => {
                out.push((FileStatus::Modified, fields[i + 1].clone()));
                i += 2;
            }
            _ => break,
        }
    }
    Ok(out)
}

/// The bytes of `path` at `rev`, or None when it does not exist there.
pub(crate) fn show(repo: &Path, rev: &str, path: &str) -> Option<Vec<u8>> {
    git(repo, &["show", &format!("{rev}:{path}")]).ok()
}

/// Whether `sha` names a commit present in the checkout at `repo`.
pub(crate) fn has_commit(repo: &Path, sha: &str) -> bool {
    git(repo, &["cat-file", "-e", &format!("{sha}^{{commit}}")]).is_ok()
}

/// The best common ancestor of two commits: what a pull request's changes are measured from.
pub(crate) fn merge_base(repo: &Path, a: &str, b: &str) -> Option<String> {
    let out = git(repo, &["merge-base", a, b]).ok()?;
    let sha = String::from_utf8_lossy(&out).trim().to_owned();
    (!sha.is_empty()).then_some(sha)
}

/// The size in bytes of `path` at `rev`, without reading it.
fn size(repo: &Path, rev: &str, path: &str) -> Option<u64> {
    let out = git(repo, &["cat-file", "-s", &format!("{rev}:{path}")]).ok()?;
    String::from_utf8_lossy(&out).trim().parse().ok()
}

/// One side of a changed contract in git.
pub(crate) enum GitVersion {
    Missing,
    /// Over `max_bytes`: not read. The reason names the size, the limit and the setting.
    TooLarge(String),
    Found(Version),
}

impl GitVersion {
    /// The version read, if any; a file too large counts as read-and-refused by the caller.
    pub(crate) fn into_version(self) -> Option<Version> {
        match self {
            GitVersion::Found(v) => Some(v),
            GitVersion::Missing | GitVersion::TooLarge(_) => None,
        }
    }
}

/// A version of `path` at `rev` with the repository files its `$ref`s reach. Its size is
/// checked before it is read, so an oversized contract never reaches memory.
pub(crate) fn version_checked(repo: &Path, rev: &str, path: &str, limits: &Limits) -> GitVersion {
    if let Some(bytes) = size(repo, rev, path)
        && limits.too_large(bytes)
    {
        let short = rev.get(..12).unwrap_or(rev);
        return GitVersion::TooLarge(crate::limits::too_large_message(
            &format!("`{path}` at {short}"),
            bytes,
            limits.max_bytes,
        ));
    }
    version(repo, rev, path, limits).map_or(GitVersion::Missing, GitVersion::Found)
}

/// A version of `path` at `rev` with the repository files its `$ref`s reach.
pub(crate) fn version(repo: &Path, rev: &str, path: &str, limits: &Limits) -> Option<Version> {
    let content = show(repo, rev, path)?;
    let mut related = BTreeMap::new();
    if kind_of(path) == ContractKind::Structured && has_file_ref(&content) {
        let mut fetch = |p: &str| {
            let bytes = show(repo, rev, p)?;
            related.insert(p.to_owned(), bytes.clone());
            Some(bytes)
        };
        // Parse errors surface later in the plan; here we only collect referenced files.
        let _ = Spec::load(path, &content, &mut fetch, limits);
    }
    Some(Version { content, related })
}

/// Whether the text has a `$ref` that names a file (not only `#/...`).
pub(crate) fn has_file_ref(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    text.match_indices("$ref").any(|(at, _)| {
        let rest = text[at + 4..]
            .trim_start_matches(|c: char| c == '"' || c == '\'' || c == ':' || c.is_whitespace());
        !rest.starts_with('#')
    })
}

/// Whether `repo` is inside a git work tree; otherwise an error that says so in one line
/// (git's own answer outside a repository is its usage text).
fn require_repository(repo: &Path) -> Result<(), GitError> {
    match git(repo, &["rev-parse", "--git-dir"]) {
        Ok(_) => Ok(()),
        Err(e) => Err(GitError {
            stderr: format!(
                "`{}` is not a git checkout ({}); run in one, or pass --repo-dir DIR",
                repo.display(),
                e.stderr.lines().next().unwrap_or("git could not read it")
            ),
            ..e
        }),
    }
}

/// The commit `rev` names, or an error saying how to fetch it.
fn commit(repo: &Path, rev: &str) -> Result<String, GitError> {
    let out = git(
        repo,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|e| GitError {
        stderr: format!("unknown revision `{rev}` (fetch it, e.g. `git fetch origin {rev}`)"),
        ..e
    })?;
    Ok(String::from_utf8_lossy(&out).trim().to_owned())
}

/// Gathers the facts for `plan` from a local checkout.
pub(crate) fn gather(
    repo: &Path,
    range: &GitRange,
    detector: &Detector,
    limits: &Limits,
) -> Result<Facts, GitError> {
    require_repository(repo)?;
    let base = commit(repo, &range.base)?;
    let head = commit(repo, &range.head)?;
    // `BASE...HEAD` is what a pull request shows: the changes since the merge base.
    let base = if range.from_merge_base {
        merge_base(repo, &base, &head).ok_or_else(|| GitError {
            args: format!("merge-base {} {}", range.base, range.head),
            stderr: format!(
                "`{}` and `{}` have no common ancestor; compare them directly with `--git {}..{}`",
                range.base, range.head, range.base, range.head
            ),
        })?
    } else {
        base
    };
    let (base, head) = (base.as_str(), head.as_str());
    let mut facts = Facts::default();
    for (status, path) in changed_files(repo, base, head)? {
        if detector.is_endpoint(&path) {
            facts.endpoint_files.push(path.clone());
        }
        let base_path = match &status {
            FileStatus::Renamed(from) => from.clone(),
            _ => path.clone(),
        };
        if !detector.is_contract(&path) && !detector.is_contract(&base_path) {
            continue;
        }
        let base_version = match status {
            FileStatus::Added => GitVersion::Missing,
            _ => version_checked(repo, base, &base_path, limits),
        };
        let head_version = match status {
            FileStatus::Removed => GitVersion::Missing,
            _ => version_checked(repo, head, &path, limits),
        };
        if let Some(unreadable) =
            too_large_file(&path, &status, &base_version, &head_version, base, head)
        {
            facts.unreadable.push(unreadable);
            continue;
        }
        let (base_version, head_version) =
            (base_version.into_version(), head_version.into_version());
        facts.contracts.push(ContractFile {
            path,
            status,
            base: base_version,
            head: head_version,
        });
    }
    Ok(facts)
}

/// A changed contract with a side over the size limit: it gates, unread, tied to the commits.
pub(crate) fn too_large_file(
    path: &str,
    status: &FileStatus,
    base: &GitVersion,
    head: &GitVersion,
    base_rev: &str,
    head_rev: &str,
) -> Option<UnreadableFile> {
    let reasons: Vec<&str> = [base, head]
        .into_iter()
        .filter_map(|side| match side {
            GitVersion::TooLarge(why) => Some(why.as_str()),
            _ => None,
        })
        .collect();
    (!reasons.is_empty()).then(|| UnreadableFile {
        path: path.to_owned(),
        status: status.clone(),
        reason: reasons.join("; "),
        version: format!("{base_rev}..{head_rev}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_refs_are_told_apart_from_local_refs() {
        assert!(!has_file_ref(br##"{"$ref": "#/components/schemas/A"}"##));
        assert!(has_file_ref(b"schema:\n  $ref: './common.yaml#/A'\n"));
        assert!(has_file_ref(b"$ref: common.yaml"));
    }
}
