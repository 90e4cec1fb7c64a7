use std::path::PathBuf;

use crate::event::EventError;

use super::repo_name::RepoNameError;

/// Why the run's context could not be read. Each message names the variable, flag, file or
/// field to fix.
#[derive(Debug, thiserror::Error)]
pub enum ContextError {
    #[error("GITHUB_EVENT_PATH is not set: run inside GitHub Actions, or pass --event FILE")]
    MissingEventPath,

    #[error(
        "GITHUB_EVENT_NAME is not set and the payload in {path} does not show which event it is: \
         pass --event-name NAME (pull_request, push, workflow_run, ...)"
    )]
    MissingEventName { path: PathBuf },

    #[error("cannot read the event payload {path} (from {origin}): {source}")]
    EventFileUnreadable {
        path: PathBuf,
        origin: &'static str,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "the event payload {path} (from {origin}) is larger than {limit_mib} MiB, GitHub's \
         limit for a webhook payload: check that it is the event payload"
    )]
    EventFileTooLarge {
        path: PathBuf,
        origin: &'static str,
        limit_mib: u64,
    },

    #[error("{path}: {source}")]
    EventMalformed {
        path: PathBuf,
        #[source]
        source: EventError,
    },

    #[error(
        "GITHUB_REPOSITORY is not set and the event payload names no repository: \
         pass --repo OWNER/NAME"
    )]
    MissingRepository,

    #[error("{origin} is invalid: {source}")]
    InvalidRepository {
        origin: &'static str,
        #[source]
        source: RepoNameError,
    },

    #[error(
        "{origin} is `{value}`, which is not an http(s) URL: set it to the API's base URL, \
         like https://api.github.com or https://HOST/api/v3 for GitHub Enterprise Server"
    )]
    InvalidApiUrl { origin: &'static str, value: String },

    #[error("{variable} is `{value}`, which is not a whole number: unset it or fix its value")]
    InvalidNumber {
        variable: &'static str,
        value: String,
    },
}
