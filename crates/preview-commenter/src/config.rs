//! The `preview-commenter:` section of `.github/guardians.yml`.
//!
//! Only shape and defaults live here; the guardian validates the templates and values
//! (placeholders, URLs, ranges) where it uses them, because it owns their meaning.

use guardians_core::config::ConfigSection;
use serde::{Deserialize, Serialize};

/// Where a pull request's previews live, how to check that they are up, and what to tell
/// reviewers about them.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct PreviewCommenterConfig {
    /// The previews of a pull request, in the order the comment lists them. URL templates take
    /// `{number}`, `{sha}`, `{short_sha}`, `{branch}`, `{branch_slug}`, `{owner}` and `{repo}`;
    /// write `{{` and `}}` for literal braces.
    pub environments: Vec<PreviewEnvironmentConfig>,
    /// Fail the step when any preview is unhealthy. With `false` the comment still shows the
    /// failure but the step succeeds.
    pub fail_on_unhealthy: bool,
    /// Record a GitHub deployment per preview so the PR timeline shows "View deployment"
    /// (needs `deployments: write`).
    pub deployments: bool,
    /// Name of each preview's GitHub deployment environment. Takes the URL placeholders plus
    /// `{name}` (the preview's name).
    pub deployment_environment: String,
    /// How hard to try before calling a preview unhealthy.
    pub health_check: HealthCheckConfig,
}

impl ConfigSection for PreviewCommenterConfig {
    const NAME: &'static str = "preview-commenter";
}

impl Default for PreviewCommenterConfig {
    fn default() -> Self {
        Self {
            environments: Vec::new(),
            fail_on_unhealthy: true,
            deployments: true,
            deployment_environment: "preview/pr-{number}/{name}".to_owned(),
            health_check: HealthCheckConfig::default(),
        }
    }
}

/// One preview environment of a pull request.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PreviewEnvironmentConfig {
    /// Shown in the comment and used in the deployment environment's name, e.g. `Frontend`.
    pub name: String,
    /// URL template of the preview, e.g. `https://myapp-pr-{number}.pages.dev`.
    pub url: String,
    /// Path appended to the URL for the health check, e.g. `/health`. Without it the URL itself
    /// is checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_path: Option<String>,
    /// The HTTP status a healthy preview answers with. Without it any 2xx status is healthy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_status: Option<u16>,
    /// Commands reviewers can copy to try the preview. They take the URL placeholders plus
    /// `{url}` and `{health_url}`; values that need shell quoting are quoted for you, so do not
    /// wrap placeholders in quotes. Without this key the comment suggests
    /// `curl -fsS {health_url}`; an empty list shows no commands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_commands: Option<Vec<String>>,
}

/// Retry policy of the health checks.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct HealthCheckConfig {
    /// Attempts per preview before it is called unhealthy (1 to 20).
    pub attempts: u32,
    /// Time limit of one attempt, in seconds.
    pub timeout_seconds: u64,
    /// Time limit of all attempts of one preview together, in seconds, waits included.
    pub budget_seconds: u64,
    /// Wait before the first retry, in milliseconds; it doubles for each further retry, with
    /// random jitter of up to half of it.
    pub initial_backoff_ms: u64,
    /// Longest wait between two attempts, in milliseconds.
    pub max_backoff_ms: u64,
}

impl Default for HealthCheckConfig {
    fn default() -> Self {
        Self {
            attempts: 5,
            timeout_seconds: 10,
            budget_seconds: 120,
            initial_backoff_ms: 1_000,
            max_backoff_ms: 15_000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(text: &str) -> Result<PreviewCommenterConfig, guardians_core::config::ConfigError> {
        guardians_core::config::parse_section(text, ".github/guardians.yml")
    }

    #[test]
    fn empty_section_takes_the_defaults() {
        let config = section("preview-commenter: {}\n").expect("valid YAML");
        assert_eq!(config, PreviewCommenterConfig::default());
        assert!(config.fail_on_unhealthy && config.deployments);
        assert_eq!(config.health_check.attempts, 5);
    }

    #[test]
    fn the_documented_example_parses() {
        let yaml = r#"
preview-commenter:
  environments:
    - name: Frontend
      url: https://myapp-pr-{number}.pages.dev
    - name: API
      url: https://myapp-api-pr-{number}.workers.dev
      health-path: /health
      expect-status: 200
      test-commands: ["curl -fsS {health_url}"]
  fail-on-unhealthy: false
  health-check:
    attempts: 3
"#;
        let config = section(yaml).expect("valid config");
        assert_eq!(config.environments.len(), 2);
        assert_eq!(
            config.environments[1].health_path.as_deref(),
            Some("/health")
        );
        assert!(!config.fail_on_unhealthy);
        assert_eq!(config.health_check.attempts, 3);
        assert_eq!(config.health_check.timeout_seconds, 10);
    }

    #[test]
    fn unknown_keys_are_rejected_by_name() {
        let yaml = "preview-commenter:\n  environments:\n    - name: A\n      url: https://a\n      heath-path: /x\n";
        let err = section(yaml).expect_err("typo").to_string();
        assert!(
            err.contains(
                "at `preview-commenter.environments[0].heath-path`: unknown field `heath-path`"
            ),
            "{err}"
        );
    }
}
