//! Gathering the facts from GitHub: every independent read goes out at once, so a small PR
//! costs one round trip of reads.

use guardians_core::change_size::{FileListing, Totals};
use guardians_core::config::LoadedConfig;
use guardians_core::event::PullRequest;
use guardians_core::github::{GitHub, contents, labels, pulls};
use guardians_core::runner::{RunError, Session};

use crate::facts::Facts;

/// Facts plus what the settings are made of.
pub(crate) struct Gathered {
    pub facts: Facts,
    pub config: LoadedConfig,
    pub gitattributes: Option<String>,
}

/// Read the config, the base branch's `.gitattributes`, the PR as it is now, its files and the
/// repository's labels, concurrently. The file list is fetched alongside the config rather than
/// after it: when the config then says nothing is ignored, the list goes unused, which costs a
/// request but never a round trip. A local `--config` (`local_config`, already read) is not read
/// again, and when it ignores nothing the file list is not fetched at all. `fresh` is the PR
/// when it was just read from GitHub (named by number): it is not read twice.
pub(crate) async fn gather(
    session: &Session,
    gh: &GitHub,
    event_pr: &PullRequest,
    fresh: Option<&PullRequest>,
    local_config: Option<LoadedConfig>,
    files_needed_hint: Option<bool>,
) -> Result<Gathered, RunError> {
    let repo = &session.context.repository;
    let base = event_pr.base.ref_.as_str();
    let number = event_pr.number;
    let want_files = files_needed_hint.unwrap_or(true);
    let files = async {
        if want_files {
            pulls::pull_files(gh, repo, number, event_pr.changed_files)
                .await
                .map(Some)
        } else {
            Ok(None)
        }
    };
    let (config, gitattributes, pr, files, known_labels) = tokio::try_join!(
        async {
            match local_config {
                Some(config) => Ok(config),
                None => session.load_config(base).await,
            }
        },
        async {
            contents::file_text(gh, repo, ".gitattributes", base)
                .await
                .map_err(RunError::from)
        },
        async {
            match fresh {
                Some(pr) => Ok(pr.clone()),
                None => pulls::pull_request(gh, repo, number)
                    .await
                    .map_err(RunError::from),
            }
        },
        async { files.await.map_err(RunError::from) },
        async { labels::known_labels(gh, repo).await.map_err(RunError::from) },
    )?;
    let listing = match files {
        None => FileListing::NotNeeded,
        Some(files) if files.truncated => FileListing::Truncated(files.files),
        Some(files) => FileListing::Complete(files.files),
    };
    let facts = Facts {
        number,
        head_sha: pr.head.sha.clone(),
        totals: Totals {
            additions: pr.additions.unwrap_or(0),
            deletions: pr.deletions.unwrap_or(0),
            changed_files: pr.changed_files.unwrap_or(0),
        },
        files: listing,
        current_labels: pr.labels.iter().map(|l| l.name.clone()).collect(),
        sticky_comments: None,
        known_labels: Some(known_labels),
    };
    Ok(Gathered {
        facts,
        config,
        gitattributes,
    })
}
