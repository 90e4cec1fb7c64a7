//! Base and head versions of each changed contract file: from the local checkout when both
//! commits are in it, otherwise from the contents API at the two SHAs. Files reached through
//! relative `$ref`s are read the same way (through the API in rounds, as the resolver asks).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use futures::stream::{self, StreamExt, TryStreamExt};
use guardians_core::context::RepoName;
use guardians_core::contract_paths::Detector;
use guardians_core::github::models::PullFile;
use guardians_core::github::pulls::PullFiles;
use guardians_core::github::{ApiError, GitHub, contents, trees};

use crate::detect::{ContractKind, kind_of};
use crate::limits::Limits;
use crate::plan::{ContractFile, Facts, FileStatus, UnreadableFile, Version};
use crate::resolve::Spec;

/// Requests in flight at once when reading contents: enough for one round trip on typical
/// PRs, few enough to stay clear of GitHub's secondary rate limits.
const CONCURRENT_READS: usize = 16;
/// Rounds of referenced-file reads: one per level of `$ref` nesting across files.
const MAX_REF_ROUNDS: usize = 16;

/// Where the contents come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Origin {
    /// The local checkout, comparing `base` (the merge base when known) with `head`.
    Git {
        dir: PathBuf,
        base: String,
        head: String,
    },
    /// The contents API at the PR's base and head SHAs.
    Api { base: String, head: String },
}

impl Origin {
    /// The checkout when it holds both commits, otherwise the API.
    pub(crate) fn choose(workspace: Option<&Path>, base_sha: &str, head_sha: &str) -> Origin {
        if let Some(dir) = workspace
            && crate::git::has_commit(dir, base_sha)
            && crate::git::has_commit(dir, head_sha)
        {
            // GitHub lists a PR's files against the merge base; compare the same versions.
            let base = crate::git::merge_base(dir, base_sha, head_sha)
                .unwrap_or_else(|| base_sha.to_owned());
            return Origin::Git {
                dir: dir.to_path_buf(),
                base,
                head: head_sha.to_owned(),
            };
        }
        Origin::Api {
            base: base_sha.to_owned(),
            head: head_sha.to_owned(),
        }
    }

    pub(crate) fn describe(&self) -> &'static str {
        match self {
            Origin::Git { .. } => "the local checkout",
            Origin::Api { .. } => "the contents API",
        }
    }
}

/// The facts, plus files that could not be compared and why.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sources {
    pub facts: Facts,
    pub notes: Vec<String>,
}

/// A changed contract file before its contents are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Changed {
    pub path: String,
    pub status: FileStatus,
}

impl Changed {
    fn base_path(&self) -> &str {
        match &self.status {
            FileStatus::Renamed(from) => from,
            _ => &self.path,
        }
    }
}

/// The PR's changed files, completed beyond GitHub's 3,000-file cap.
pub(crate) struct Listing {
    pub files: Vec<PullFile>,
    /// What completed a capped listing: the local checkout or the git trees.
    pub completed_from: Option<&'static str>,
    /// Why the list may still be incomplete (it then gates).
    pub incomplete: Option<String>,
}

/// The listing as GitHub gave it when complete; when capped, every changed path from the local
/// checkout (when it has both commits) or else from the base and head git trees.
pub(crate) async fn complete_listing(
    gh: &GitHub,
    repo: &RepoName,
    listed: PullFiles,
    workspace: &Path,
    base_sha: &str,
    head_sha: &str,
) -> Result<Listing, ApiError> {
    if !listed.truncated {
        return Ok(Listing {
            files: listed.files,
            completed_from: None,
            incomplete: None,
        });
    }
    if let Origin::Git { dir, base, head } = Origin::choose(Some(workspace), base_sha, head_sha)
        && let Ok(changed) = crate::git::changed_files(&dir, &base, &head)
    {
        let files = changed
            .into_iter()
            .map(|(status, path)| pull_file(path, &status))
            .collect();
        return Ok(Listing {
            files,
            completed_from: Some("the commits in the local checkout"),
            incomplete: None,
        });
    }
    let completed = trees::complete_listing(gh, repo, listed, base_sha, head_sha).await?;
    Ok(Listing {
        files: completed.files,
        completed_from: Some("the git trees of base and head"),
        incomplete: completed.incomplete,
    })
}

fn pull_file(filename: String, status: &FileStatus) -> PullFile {
    let (status, previous_filename) = match status {
        FileStatus::Added => ("added", None),
        FileStatus::Removed => ("removed", None),
        FileStatus::Modified => ("modified", None),
        FileStatus::Renamed(from) => ("renamed", Some(from.clone())),
    };
    PullFile {
        filename,
        status: status.to_owned(),
        additions: 0,
        deletions: 0,
        changes: 0,
        previous_filename,
    }
}

/// GitHub's file entries as contract changes (`status`: added, removed, renamed, modified,
/// changed, copied, unchanged), and the changed endpoint files.
pub(crate) fn select(files: &[PullFile], detector: &Detector) -> (Vec<Changed>, Vec<String>) {
    let mut contracts = Vec::new();
    let mut endpoints = Vec::new();
    for file in files {
        if detector.is_endpoint(&file.filename) {
            endpoints.push(file.filename.clone());
        }
        let status = match (file.status.as_str(), &file.previous_filename) {
            ("added" | "copied", _) => FileStatus::Added,
            ("removed", _) => FileStatus::Removed,
            ("renamed", Some(from)) if from != &file.filename => FileStatus::Renamed(from.clone()),
            _ => FileStatus::Modified,
        };
        let changed = Changed {
            path: file.filename.clone(),
            status,
        };
        if detector.is_contract(&changed.path) || detector.is_contract(changed.base_path()) {
            contracts.push(changed);
        }
    }
    (contracts, endpoints)
}

/// Reads both versions of every changed contract.
pub(crate) async fn collect(
    gh: &GitHub,
    repo: &RepoName,
    origin: &Origin,
    changed: Vec<Changed>,
    endpoint_files: Vec<String>,
    limits: &Limits,
) -> Result<Sources, ApiError> {
    let mut sources = Sources {
        facts: Facts {
            endpoint_files,
            ..Facts::default()
        },
        notes: Vec::new(),
    };
    match origin {
        Origin::Git { dir, base, head } => {
            for file in changed {
                use crate::git::{GitVersion, version_checked};
                let base_version = if file.status == FileStatus::Added {
                    GitVersion::Missing
                } else {
                    version_checked(dir, base, file.base_path(), limits)
                };
                let head_version = if file.status == FileStatus::Removed {
                    GitVersion::Missing
                } else {
                    version_checked(dir, head, &file.path, limits)
                };
                if let Some(unreadable) = crate::git::too_large_file(
                    &file.path,
                    &file.status,
                    &base_version,
                    &head_version,
                    base,
                    head,
                ) {
                    sources.facts.unreadable.push(unreadable);
                    continue;
                }
                sources.facts.contracts.push(ContractFile {
                    path: file.path,
                    status: file.status,
                    base: base_version.into_version(),
                    head: head_version.into_version(),
                });
            }
        }
        Origin::Api { base, head } => {
            let read = |file: Changed| async move {
                let base_side = async {
                    if file.status == FileStatus::Added {
                        Ok(Fetched::NotWanted)
                    } else {
                        api_version(gh, repo, file.base_path(), base, limits).await
                    }
                };
                let head_side = async {
                    if file.status == FileStatus::Removed {
                        Ok(Fetched::NotWanted)
                    } else {
                        api_version(gh, repo, &file.path, head, limits).await
                    }
                };
                let (b, h) = futures::try_join!(base_side, head_side)?;
                Ok::<_, ApiError>((file, b, h))
            };
            let read: Vec<(Changed, Fetched, Fetched)> =
                stream::iter(changed.into_iter().map(read))
                    .buffered(CONCURRENT_READS / 2)
                    .try_collect()
                    .await?;
            for (file, b, h) in read {
                let unreadable: Vec<&str> = [&b, &h]
                    .iter()
                    .filter_map(|f| match f {
                        Fetched::Unreadable(why) => Some(why.as_str()),
                        _ => None,
                    })
                    .collect();
                if !unreadable.is_empty() {
                    // Not seen is not approved: the file gates, tied to the two commits.
                    sources.facts.unreadable.push(UnreadableFile {
                        reason: format!(
                            "`{}` could not be read through the contents API ({}); check the repository out with `actions/checkout` (`fetch-depth: 0`) so it is read from git",
                            file.path,
                            unreadable.join("; ")
                        ),
                        path: file.path,
                        status: file.status,
                        version: format!("{base}..{head}"),
                    });
                    continue;
                }
                sources.facts.contracts.push(ContractFile {
                    path: file.path,
                    status: file.status,
                    base: b.into_version(),
                    head: h.into_version(),
                });
            }
        }
    }
    Ok(sources)
}

/// One side of a file, read through the API.
enum Fetched {
    NotWanted,
    Missing,
    /// Too large for the contents API, or not UTF-8 text.
    Unreadable(String),
    Found(Version),
}

impl Fetched {
    fn into_version(self) -> Option<Version> {
        match self {
            Fetched::Found(v) => Some(v),
            _ => None,
        }
    }
}

/// `Ok(None)` for a missing file; a file the contents API cannot serve as text is reported,
/// not fatal.
async fn text_at(
    gh: &GitHub,
    repo: &RepoName,
    path: &str,
    sha: &str,
) -> Result<Result<Option<Vec<u8>>, String>, ApiError> {
    match contents::file_text(gh, repo, path, sha).await {
        Ok(text) => Ok(Ok(text.map(String::into_bytes))),
        Err(ApiError::Decode { detail, .. }) => Ok(Err(detail)),
        Err(err) => Err(err),
    }
}

async fn api_version(
    gh: &GitHub,
    repo: &RepoName,
    path: &str,
    sha: &str,
    limits: &Limits,
) -> Result<Fetched, ApiError> {
    let content = match text_at(gh, repo, path, sha).await? {
        Ok(Some(content)) => content,
        Ok(None) => return Ok(Fetched::Missing),
        Err(why) => return Ok(Fetched::Unreadable(why)),
    };
    let mut related = BTreeMap::new();
    if kind_of(path) == ContractKind::Structured && crate::git::has_file_ref(&content) {
        related = referenced_files(gh, repo, path, sha, &content, limits).await?;
    }
    Ok(Fetched::Found(Version { content, related }))
}

/// The files a document reaches through relative `$ref`s, read in rounds: the resolver runs
/// over what is known, names what it lacks, and those files are read together.
async fn referenced_files(
    gh: &GitHub,
    repo: &RepoName,
    path: &str,
    sha: &str,
    content: &[u8],
    limits: &Limits,
) -> Result<BTreeMap<String, Vec<u8>>, ApiError> {
    let mut known: BTreeMap<String, Option<Vec<u8>>> = BTreeMap::new();
    for _ in 0..MAX_REF_ROUNDS {
        let mut wanted: Vec<String> = Vec::new();
        {
            let mut fetch = |p: &str| match known.get(p) {
                Some(bytes) => bytes.clone(),
                None => {
                    wanted.push(p.to_owned());
                    None
                }
            };
            // Parse errors surface later in the plan; here only the wanted files matter.
            let _ = Spec::load(path, content, &mut fetch, limits);
        }
        wanted.sort();
        wanted.dedup();
        if wanted.is_empty() {
            break;
        }
        let read: Vec<(String, Option<Vec<u8>>)> =
            stream::iter(wanted.into_iter().map(|p| async move {
                let bytes = text_at(gh, repo, &p, sha).await?.ok().flatten();
                Ok::<_, ApiError>((p, bytes))
            }))
            .buffer_unordered(CONCURRENT_READS)
            .try_collect()
            .await?;
        known.extend(read);
    }
    Ok(known
        .into_iter()
        .filter_map(|(p, bytes)| bytes.map(|b| (p, b)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ContractsDiffConfig;

    fn file(name: &str, status: &str, previous: Option<&str>) -> PullFile {
        serde_json::from_value(serde_json::json!({
            "filename": name,
            "status": status,
            "previous_filename": previous,
        }))
        .unwrap()
    }

    #[test]
    fn github_statuses_map_to_file_statuses() {
        let detector = Detector::new(&ContractsDiffConfig::default()).unwrap();
        let files = [
            file("api/openapi.yaml", "modified", None),
            file("api/new.schema.json", "added", None),
            file("api/old.proto", "removed", None),
            file("api/openapi-v2.yaml", "renamed", Some("api/openapi.yaml")),
            file("docs/moved.md", "renamed", Some("api/gone.schema.json")),
            file("src/main.rs", "modified", None),
        ];
        let (contracts, _) = select(&files, &detector);
        let got: Vec<(String, FileStatus)> =
            contracts.into_iter().map(|c| (c.path, c.status)).collect();
        assert_eq!(
            got,
            vec![
                ("api/openapi.yaml".into(), FileStatus::Modified),
                ("api/new.schema.json".into(), FileStatus::Added),
                ("api/old.proto".into(), FileStatus::Removed),
                (
                    "api/openapi-v2.yaml".into(),
                    FileStatus::Renamed("api/openapi.yaml".into())
                ),
                (
                    "docs/moved.md".into(),
                    FileStatus::Renamed("api/gone.schema.json".into())
                ),
            ]
        );
    }
}
