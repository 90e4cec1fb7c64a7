//! From the config's environment templates to this PR's concrete previews.
//!
//! [`EnvironmentTemplates::from_config`] checks everything that does not depend on the PR (run it
//! when the config is loaded, so mistakes are reported before any request);
//! [`EnvironmentTemplates::resolve`] fills in the PR's facts.

use serde::Serialize;
use thiserror::Error;
use url::Url;

use crate::config::{PreviewCommenterConfig, PreviewEnvironmentConfig};
use crate::facts::RunFacts;
use crate::shell::quote_word;
use crate::slug::branch_slug;
use crate::template::{Template, TemplateError};
use crate::url_template::{self, UrlPosition};

/// Placeholders every template takes.
pub const URL_PLACEHOLDERS: &[&str] = &[
    "number",
    "sha",
    "short_sha",
    "branch",
    "branch_slug",
    "owner",
    "repo",
];
const COMMAND_PLACEHOLDERS: &[&str] = &[
    "number",
    "sha",
    "short_sha",
    "branch",
    "branch_slug",
    "owner",
    "repo",
    "url",
    "health_url",
];
const DEPLOYMENT_PLACEHOLDERS: &[&str] = &[
    "number",
    "sha",
    "short_sha",
    "branch",
    "branch_slug",
    "owner",
    "repo",
    "name",
];
const DEFAULT_TEST_COMMAND: &str = "curl -fsS {health_url}";

/// Which HTTP status means healthy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpectedStatus {
    /// Any 2xx.
    AnySuccess,
    Exactly(u16),
}

impl ExpectedStatus {
    pub fn accepts(self, status: u16) -> bool {
        match self {
            Self::AnySuccess => (200..300).contains(&status),
            Self::Exactly(expected) => status == expected,
        }
    }
}

impl std::fmt::Display for ExpectedStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::AnySuccess => f.write_str("2xx"),
            Self::Exactly(status) => write!(f, "{status}"),
        }
    }
}

/// One preview of this PR, with every template filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Environment {
    pub name: String,
    pub url: Url,
    pub health_url: Url,
    pub expected_status: ExpectedStatus,
    pub test_commands: Vec<String>,
    /// The GitHub deployment environment, e.g. `preview/pr-42/Frontend`.
    pub deployment_environment: String,
}

/// A problem in the `preview-commenter:` config, worded for the person who wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    #[error(
        "preview-commenter has no environments: add `environments:` with at least one `name` and `url` under `preview-commenter:` in .github/guardians.yml"
    )]
    NoEnvironments,
    #[error("environment #{index} has an empty `name`: give every environment a name")]
    EmptyName { index: usize },
    #[error("environment name {name:?} contains control characters: use plain text")]
    ControlCharacters { name: String },
    #[error("two environments are named {name:?} (names are compared ignoring case): rename one")]
    DuplicateName { name: String },
    #[error("environment {name:?}, `{field}`: {source}")]
    Template {
        name: String,
        field: &'static str,
        source: TemplateError,
    },
    #[error("`deployment-environment`: {0}")]
    DeploymentTemplate(TemplateError),
    #[error(
        "environment {name:?}, `{field}` {template:?}: `{{{placeholder}}}` stands in the host, where the branch name could point the link and the health check at another server (a branch may be named `x@127.0.0.1/`); use `{{branch_slug}}`, which is always one DNS label, or move `{{{placeholder}}}` into the path or query"
    )]
    PlaceholderInHost {
        name: String,
        field: &'static str,
        template: String,
        placeholder: String,
    },
    #[error("environment {name:?}: `health-path` must start with `/`, got {path:?}")]
    HealthPath { name: String, path: String },
    #[error(
        "environment {name:?}: `expect-status` must be an HTTP status from 100 to 599, got {status}"
    )]
    ExpectStatus { name: String, status: u16 },
    #[error("`health-check.{field}` must be {range}, got {value}")]
    HealthCheck {
        field: &'static str,
        range: &'static str,
        value: u64,
    },
}

/// A URL that the filled-in template does not make usable. The URL may carry PR-controlled text
/// (the branch name), hence it is only ever shown quoted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ResolveError {
    #[error(
        "environment {name:?}: the URL template gave {url:?}, which is not a valid URL ({reason}); check `url` in .github/guardians.yml"
    )]
    InvalidUrl {
        name: String,
        url: String,
        reason: String,
    },
    #[error(
        "environment {name:?}: the URL template gave {url:?}; only http and https URLs can be checked"
    )]
    UnsupportedScheme { name: String, url: String },
    #[error(
        "environment {name:?}: the URL template gave {url:?}, whose host is not the template's host {expected:?}; a placeholder value must not change the host"
    )]
    HostChanged {
        name: String,
        url: String,
        expected: String,
    },
}

/// The config's environments, checked and parsed, not yet tied to a PR.
#[derive(Debug, Clone)]
pub struct EnvironmentTemplates {
    environments: Vec<EnvironmentTemplate>,
    deployment_environment: Template,
}

#[derive(Debug, Clone)]
struct EnvironmentTemplate {
    name: String,
    url: Template,
    health_path: Option<Template>,
    expected_status: ExpectedStatus,
    test_commands: Vec<Template>,
}

impl EnvironmentTemplates {
    /// Checks the config's environments and health-check numbers.
    pub fn from_config(config: &PreviewCommenterConfig) -> Result<Self, ConfigError> {
        check_health_numbers(config)?;
        if config.environments.is_empty() {
            return Err(ConfigError::NoEnvironments);
        }
        let mut seen = std::collections::HashSet::new();
        let environments = config
            .environments
            .iter()
            .enumerate()
            .map(|(index, env)| {
                if !seen.insert(env.name.trim().to_lowercase()) {
                    return Err(ConfigError::DuplicateName {
                        name: env.name.clone(),
                    });
                }
                EnvironmentTemplate::from_config(index + 1, env)
            })
            .collect::<Result<_, _>>()?;
        let deployment_environment =
            Template::parse(&config.deployment_environment, DEPLOYMENT_PLACEHOLDERS)
                .map_err(ConfigError::DeploymentTemplate)?;
        Ok(Self {
            environments,
            deployment_environment,
        })
    }

    /// Fills in the PR's facts, in config order.
    pub fn resolve(&self, facts: &RunFacts) -> Result<Vec<Environment>, ResolveError> {
        let vars = PrVars::new(facts);
        self.environments
            .iter()
            .map(|env| env.resolve(&vars, &self.deployment_environment))
            .collect()
    }
}

impl EnvironmentTemplate {
    fn from_config(index: usize, env: &PreviewEnvironmentConfig) -> Result<Self, ConfigError> {
        let name = env.name.trim().to_owned();
        if name.is_empty() {
            return Err(ConfigError::EmptyName { index });
        }
        if name.chars().any(char::is_control) {
            return Err(ConfigError::ControlCharacters { name });
        }
        let template = |field: &'static str, text: &str, allowed: &[&str]| {
            Template::parse(text, allowed).map_err(|source| ConfigError::Template {
                name: name.clone(),
                field,
                source,
            })
        };
        let url = template("url", &env.url, URL_PLACEHOLDERS)?;
        let in_host = |field: &'static str, text: &str, parsed: &Template, start| {
            match url_template::host_placeholder(parsed, start) {
                Some(found) => Err(ConfigError::PlaceholderInHost {
                    name: name.clone(),
                    field,
                    template: text.to_owned(),
                    placeholder: found.name,
                }),
                None => Ok(()),
            }
        };
        in_host("url", &env.url, &url, UrlPosition::Scheme)?;
        let health_path = match &env.health_path {
            Some(path) if !path.starts_with('/') => {
                return Err(ConfigError::HealthPath {
                    name,
                    path: path.clone(),
                });
            }
            Some(path) => {
                let parsed = template("health-path", path, URL_PLACEHOLDERS)?;
                in_host("health-path", path, &parsed, UrlPosition::Path)?;
                Some(parsed)
            }
            None => None,
        };
        let expected_status = match env.expect_status {
            None => ExpectedStatus::AnySuccess,
            Some(status @ 100..=599) => ExpectedStatus::Exactly(status),
            Some(status) => return Err(ConfigError::ExpectStatus { name, status }),
        };
        let test_commands = match &env.test_commands {
            None => vec![template(
                "test-commands",
                DEFAULT_TEST_COMMAND,
                COMMAND_PLACEHOLDERS,
            )?],
            Some(commands) => commands
                .iter()
                .map(|command| template("test-commands", command, COMMAND_PLACEHOLDERS))
                .collect::<Result<_, _>>()?,
        };
        Ok(Self {
            name,
            url,
            health_path,
            expected_status,
            test_commands,
        })
    }

    fn resolve(&self, vars: &PrVars, deployment: &Template) -> Result<Environment, ResolveError> {
        let rendered = url_template::render(&self.url, UrlPosition::Scheme, |name| {
            vars.get(name).to_owned()
        });
        let invalid = |url: &str, err: url::ParseError| ResolveError::InvalidUrl {
            name: self.name.clone(),
            url: url.to_owned(),
            reason: err.to_string(),
        };
        let url = Url::parse(&rendered.text).map_err(|err| invalid(&rendered.text, err))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(ResolveError::UnsupportedScheme {
                name: self.name.clone(),
                url: rendered.text,
            });
        }
        // The host as the template's structure places it, values included: the parsed URL must
        // reach that same server, whatever the values hold.
        let intended = rendered.intended_host();
        if intended.as_ref() != url.host().map(|h| h.to_owned()).as_ref() {
            return Err(ResolveError::HostChanged {
                name: self.name.clone(),
                url: rendered.text,
                expected: rendered.authority,
            });
        }
        let health_url = match &self.health_path {
            Some(path) => {
                let path =
                    url_template::render(path, UrlPosition::Path, |name| vars.get(name).to_owned());
                with_health_path(&url, &path.text)
            }
            None => url.clone(),
        };
        let url_text = display_url(&url);
        let health_text = display_url(&health_url);
        let test_commands = self
            .test_commands
            .iter()
            .map(|command| {
                command.render(|name| {
                    quote_word(match name {
                        "url" => &url_text,
                        "health_url" => &health_text,
                        other => vars.get(other),
                    })
                })
            })
            .collect();
        let deployment_environment = deployment.render(|name| match name {
            "name" => self.name.clone(),
            other => vars.get(other).to_owned(),
        });
        Ok(Environment {
            name: self.name.clone(),
            url,
            health_url,
            expected_status: self.expected_status,
            test_commands,
            deployment_environment,
        })
    }
}

fn check_health_numbers(config: &PreviewCommenterConfig) -> Result<(), ConfigError> {
    let health = &config.health_check;
    let checks: [(&'static str, &'static str, u64, bool); 4] = [
        (
            "attempts",
            "from 1 to 20",
            u64::from(health.attempts),
            (1..=20).contains(&health.attempts),
        ),
        (
            "timeout-seconds",
            "from 1 to 600",
            health.timeout_seconds,
            (1..=600).contains(&health.timeout_seconds),
        ),
        (
            "budget-seconds",
            "from 1 to 3600",
            health.budget_seconds,
            (1..=3600).contains(&health.budget_seconds),
        ),
        (
            "max-backoff-ms",
            "at most 600000",
            health.max_backoff_ms,
            health.max_backoff_ms <= 600_000,
        ),
    ];
    match checks.into_iter().find(|(_, _, _, ok)| !ok) {
        Some((field, range, value, _)) => Err(ConfigError::HealthCheck {
            field,
            range,
            value,
        }),
        None => Ok(()),
    }
}

/// The URL as people write it: no lone trailing `/` after the host.
pub fn display_url(url: &Url) -> String {
    let text = url.as_str();
    if url.path() == "/" && url.query().is_none() && url.fragment().is_none() {
        text.strip_suffix('/').unwrap_or(text).to_owned()
    } else {
        text.to_owned()
    }
}

/// Appends the health path (with an optional query) to the preview URL's own path.
fn with_health_path(url: &Url, health_path: &str) -> Url {
    let (path, query) = match health_path.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (health_path, None),
    };
    let mut health = url.clone();
    health.set_path(&format!("{}{path}", url.path().trim_end_matches('/')));
    health.set_query(query);
    health.set_fragment(None);
    health
}

/// The PR's values for the URL placeholders.
struct PrVars {
    number: String,
    sha: String,
    short_sha: String,
    branch: String,
    branch_slug: String,
    owner: String,
    repo: String,
}

impl PrVars {
    fn new(facts: &RunFacts) -> Self {
        Self {
            number: facts.pull_request.number.to_string(),
            sha: facts.sha.clone(),
            short_sha: facts.short_sha().to_owned(),
            branch: facts.pull_request.head_ref.clone(),
            branch_slug: branch_slug(&facts.pull_request.head_ref),
            owner: facts.owner.clone(),
            repo: facts.repo.clone(),
        }
    }

    /// Only names from the placeholder lists reach here: templates were parsed against them.
    fn get(&self, name: &str) -> &str {
        match name {
            "number" => &self.number,
            "sha" => &self.sha,
            "short_sha" => &self.short_sha,
            "branch" => &self.branch,
            "branch_slug" => &self.branch_slug,
            "owner" => &self.owner,
            "repo" => &self.repo,
            _ => "",
        }
    }
}

#[cfg(test)]
mod tests;
