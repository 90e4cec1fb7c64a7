//! A pull request and its files.

use super::models::PullFile;
use super::pagination;
use super::{ApiError, GitHub};
use crate::context::RepoName;
use crate::event::PullRequest;

/// GitHub lists at most this many files of a pull request.
pub const FILES_CAP: u64 = 3000;

/// The files of a pull request as GitHub lists them.
#[derive(Debug, Clone, Default)]
pub struct PullFiles {
    pub files: Vec<PullFile>,
    /// GitHub's 3,000-file cap cut the list: totals must come from the PR itself.
    pub truncated: bool,
}

pub async fn pull_request(
    gh: &GitHub,
    repo: &RepoName,
    number: u64,
) -> Result<PullRequest, ApiError> {
    gh.get(&format!("/repos/{repo}/pulls/{number}")).await
}

/// All files of PR `number`. `expected` is the PR's `changed_files` when known (from the
/// payload): the pages are then fetched concurrently in one round trip instead of one by one.
/// Pages beyond what `expected` predicted are followed by `Link` when the PR grew meanwhile.
pub async fn pull_files(
    gh: &GitHub,
    repo: &RepoName,
    number: u64,
    expected: Option<u64>,
) -> Result<PullFiles, ApiError> {
    let path = format!("/repos/{repo}/pulls/{number}/files");
    let mut files: Vec<PullFile> = match expected {
        Some(expected) => {
            let pages = pagination::pages_for(expected.min(FILES_CAP)).max(1);
            let known = pagination::fetch_known_pages(gh, &path, pages).await?;
            let mut files: Vec<PullFile> = known.chunks.into_iter().flatten().collect();
            if known.more {
                let more_pages = pagination::pages_for(FILES_CAP).saturating_sub(pages);
                files.extend(pagination::fetch_remaining(gh, &path, pages + 1, more_pages).await?);
            }
            files
        }
        None => pagination::fetch_remaining(gh, &path, 1, pagination::pages_for(FILES_CAP)).await?,
    };
    // A PR that changed between listing pages can repeat a file across page boundaries.
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert(f.filename.clone()));
    let listed = files.len() as u64;
    let truncated = listed >= FILES_CAP && expected.is_none_or(|e| e > listed);
    Ok(PullFiles { files, truncated })
}

/// Commit messages of PR `number` (for trailers such as `Assisted-by:`), at most 250 commits as
/// GitHub documents for this endpoint.
pub async fn pull_commit_messages(
    gh: &GitHub,
    repo: &RepoName,
    number: u64,
) -> Result<Vec<String>, ApiError> {
    #[derive(serde::Deserialize)]
    struct CommitEntry {
        commit: CommitBody,
    }
    #[derive(serde::Deserialize)]
    struct CommitBody {
        #[serde(default)]
        message: String,
    }
    let path = format!("/repos/{repo}/pulls/{number}/commits");
    let commits: Vec<CommitEntry> = pagination::fetch_remaining(gh, &path, 1, 3).await?;
    Ok(commits.into_iter().map(|c| c.commit.message).collect())
}
