//! Reading the context: overrides from flags first, then the runner's environment, then the
//! payload itself.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Deserialize;

use crate::event::Event;

use super::Context;
use super::env::{EnvSource, non_empty};
use super::error::ContextError;
use super::repo_name::RepoName;

/// GitHub caps webhook payloads at 25 MiB; a bigger file is not an event payload.
pub const MAX_EVENT_FILE_BYTES: u64 = 25 * 1024 * 1024;

const DEFAULT_API_URL: &str = "https://api.github.com";
const DEFAULT_SERVER_URL: &str = "https://github.com";

/// Values given on the command line; each wins over its environment variable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContextOverrides {
    /// `--event FILE`, over `GITHUB_EVENT_PATH`.
    pub event_path: Option<PathBuf>,
    /// `--event-name NAME`, over `GITHUB_EVENT_NAME`.
    pub event_name: Option<String>,
    /// `--repo OWNER/NAME`, over `GITHUB_REPOSITORY`.
    pub repository: Option<String>,
    /// `--api-url URL`, over `GITHUB_API_URL`.
    pub api_url: Option<String>,
}

impl Context {
    /// Reads the context from `env`, with `overrides` winning.
    ///
    /// The repository falls back to the payload's `repository.full_name`, and, outside
    /// Actions, the event name to what the payload's shape shows.
    pub fn load(
        env: &dyn EnvSource,
        overrides: &ContextOverrides,
    ) -> Result<Context, ContextError> {
        let (event_path, path_origin) = match &overrides.event_path {
            Some(path) => (path.clone(), "--event"),
            None => match non_empty(env, "GITHUB_EVENT_PATH") {
                Some(path) => (PathBuf::from(path), "GITHUB_EVENT_PATH"),
                None => return Err(ContextError::MissingEventPath),
            },
        };
        let payload = read_event_file(&event_path, path_origin)?;

        let event_name = overrides
            .event_name
            .as_deref()
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::to_owned)
            .or_else(|| non_empty(env, "GITHUB_EVENT_NAME"))
            .or_else(|| guess_event_name(&payload).map(str::to_owned))
            .ok_or_else(|| ContextError::MissingEventName {
                path: event_path.clone(),
            })?;
        let event =
            Event::parse(&event_name, &payload).map_err(|source| ContextError::EventMalformed {
                path: event_path.clone(),
                source,
            })?;

        let repository = repository(env, overrides, &event, &payload)?;

        let (api_url, api_overridden) = match &overrides.api_url {
            Some(url) => (checked_url(url, "--api-url")?, true),
            None => match non_empty(env, "GITHUB_API_URL") {
                Some(url) => (checked_url(&url, "GITHUB_API_URL")?, false),
                None => (DEFAULT_API_URL.to_owned(), false),
            },
        };
        // A flag pointing at another server makes the runner's other URLs wrong too.
        let from_env = |name| {
            if api_overridden {
                None
            } else {
                non_empty(env, name).map(|url| url.trim_end_matches('/').to_owned())
            }
        };
        let server_url = from_env("GITHUB_SERVER_URL").unwrap_or_else(|| server_url_for(&api_url));
        let graphql_url =
            from_env("GITHUB_GRAPHQL_URL").unwrap_or_else(|| graphql_url_for(&api_url));

        Ok(Context {
            event_name,
            event,
            repository,
            api_url,
            server_url,
            graphql_url,
            sha: non_empty(env, "GITHUB_SHA"),
            git_ref: non_empty(env, "GITHUB_REF"),
            actor: non_empty(env, "GITHUB_ACTOR"),
            workflow: non_empty(env, "GITHUB_WORKFLOW"),
            job: non_empty(env, "GITHUB_JOB"),
            run_id: number(env, "GITHUB_RUN_ID")?,
            run_attempt: number(env, "GITHUB_RUN_ATTEMPT")?,
            run_number: number(env, "GITHUB_RUN_NUMBER")?,
            runner_os: non_empty(env, "RUNNER_OS"),
            runner_arch: non_empty(env, "RUNNER_ARCH"),
            runner_temp: non_empty(env, "RUNNER_TEMP").map(PathBuf::from),
            tool_cache: non_empty(env, "RUNNER_TOOL_CACHE").map(PathBuf::from),
            in_actions: env.var("GITHUB_ACTIONS").as_deref() == Some("true"),
        })
    }
}

fn read_event_file(path: &Path, origin: &'static str) -> Result<Vec<u8>, ContextError> {
    let unreadable = |source| ContextError::EventFileUnreadable {
        path: path.to_owned(),
        origin,
        source,
    };
    let too_large = || ContextError::EventFileTooLarge {
        path: path.to_owned(),
        origin,
        limit_mib: MAX_EVENT_FILE_BYTES / (1024 * 1024),
    };
    let file = File::open(path).map_err(unreadable)?;
    let metadata = file.metadata().map_err(unreadable)?;
    if metadata.is_dir() {
        return Err(unreadable(std::io::Error::other(
            "it is a directory, not a file",
        )));
    }
    if metadata.len() > MAX_EVENT_FILE_BYTES {
        return Err(too_large());
    }
    // The length can lie (pipes, files still growing): cap what is read, too.
    let mut payload = Vec::new();
    file.take(MAX_EVENT_FILE_BYTES + 1)
        .read_to_end(&mut payload)
        .map_err(unreadable)?;
    if payload.len() as u64 > MAX_EVENT_FILE_BYTES {
        return Err(too_large());
    }
    Ok(payload)
}

fn repository(
    env: &dyn EnvSource,
    overrides: &ContextOverrides,
    event: &Event,
    payload: &[u8],
) -> Result<RepoName, ContextError> {
    let (value, origin) = if let Some(flag) = overrides.repository.as_deref() {
        (flag.trim().to_owned(), "--repo")
    } else if let Some(variable) = non_empty(env, "GITHUB_REPOSITORY") {
        (variable, "GITHUB_REPOSITORY")
    } else if let Some(repository) = event.repository() {
        (
            repository.full_name.clone(),
            "the payload's repository.full_name",
        )
    } else if let Some(full_name) = payload_repository(payload) {
        (full_name, "the payload's repository.full_name")
    } else {
        return Err(ContextError::MissingRepository);
    };
    RepoName::from_str(&value).map_err(|source| ContextError::InvalidRepository { origin, source })
}

/// `repository.full_name` of a payload whose event is not parsed (`workflow_dispatch`, ...).
fn payload_repository(payload: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct Payload {
        repository: Option<FullName>,
    }
    #[derive(Deserialize)]
    struct FullName {
        full_name: String,
    }
    let parsed: Payload = serde_json::from_slice(payload).ok()?;
    parsed.repository.map(|repository| repository.full_name)
}

/// The event a payload belongs to, judged by the top-level keys only its event has. Only used
/// when no event name is given (a payload file passed with `--event` outside Actions).
fn guess_event_name(payload: &[u8]) -> Option<&'static str> {
    let object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(payload).ok()?;
    let has = |key: &str| object.contains_key(key);
    // deployment_status payloads carry a workflow_run too, so they are checked first.
    if has("deployment_status") {
        Some("deployment_status")
    } else if has("pull_request") {
        Some("pull_request")
    } else if has("merge_group") {
        Some("merge_group")
    } else if has("workflow_run") {
        Some("workflow_run")
    } else if has("comment") && has("issue") {
        Some("issue_comment")
    } else if has("ref") && has("after") && has("pusher") {
        Some("push")
    } else {
        None
    }
}

fn checked_url(value: &str, origin: &'static str) -> Result<String, ContextError> {
    let trimmed = value.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => {
            Ok(trimmed.to_owned())
        }
        _ => Err(ContextError::InvalidApiUrl {
            origin,
            value: value.to_owned(),
        }),
    }
}

/// The web URL that goes with an API URL: github.com for api.github.com, the host of a GHES
/// `/api/v3`, and the API URL itself for anything else (a local fake).
fn server_url_for(api_url: &str) -> String {
    if api_url == DEFAULT_API_URL {
        DEFAULT_SERVER_URL.to_owned()
    } else if let Some(host) = api_url.strip_suffix("/api/v3") {
        host.to_owned()
    } else {
        api_url.to_owned()
    }
}

fn graphql_url_for(api_url: &str) -> String {
    match api_url.strip_suffix("/api/v3") {
        Some(host) => format!("{host}/api/graphql"),
        None => format!("{api_url}/graphql"),
    }
}

fn number<T: FromStr>(
    env: &dyn EnvSource,
    variable: &'static str,
) -> Result<Option<T>, ContextError> {
    non_empty(env, variable)
        .map(|value| {
            value
                .parse()
                .map_err(|_| ContextError::InvalidNumber { variable, value })
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_and_graphql_urls_follow_the_api_url() {
        assert_eq!(
            server_url_for("https://api.github.com"),
            "https://github.com"
        );
        assert_eq!(
            graphql_url_for("https://api.github.com"),
            "https://api.github.com/graphql"
        );
        assert_eq!(
            server_url_for("https://ghe.example.com/api/v3"),
            "https://ghe.example.com"
        );
        assert_eq!(
            graphql_url_for("https://ghe.example.com/api/v3"),
            "https://ghe.example.com/api/graphql"
        );
        assert_eq!(
            server_url_for("http://127.0.0.1:8080"),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            graphql_url_for("http://127.0.0.1:8080"),
            "http://127.0.0.1:8080/graphql"
        );
    }

    #[test]
    fn urls_must_be_http_and_lose_trailing_slashes() {
        assert_eq!(
            checked_url(" https://x.test/api/v3/ ", "F").unwrap(),
            "https://x.test/api/v3"
        );
        assert!(checked_url("x.test", "F").is_err());
        assert!(checked_url("https://", "F").is_err());
        assert!(checked_url("ftp://x.test", "F").is_err());
    }

    #[test]
    fn event_names_are_guessed_only_from_distinctive_keys() {
        let guess = |json: &str| guess_event_name(json.as_bytes());
        assert_eq!(guess(r#"{"pull_request": {}}"#), Some("pull_request"));
        assert_eq!(
            guess(r#"{"deployment_status": {}, "workflow_run": {}}"#),
            Some("deployment_status")
        );
        assert_eq!(guess(r#"{"workflow_run": {}}"#), Some("workflow_run"));
        assert_eq!(
            guess(r#"{"issue": {}, "comment": {}}"#),
            Some("issue_comment")
        );
        assert_eq!(guess(r#"{"issue": {}}"#), None);
        assert_eq!(
            guess(r#"{"ref": "r", "after": "a", "pusher": {}}"#),
            Some("push")
        );
        assert_eq!(guess(r#"{"merge_group": {}}"#), Some("merge_group"));
        assert_eq!(guess(r#"{"inputs": {}}"#), None);
        assert_eq!(guess("not json"), None);
    }
}
