//! What to ask of GitHub's Deployments API so the PR timeline shows "View deployment".
//!
//! An open PR gets, per environment, a transient non-production deployment of the run's commit
//! with status `in_progress` before the health check and `success` or `failure` after it. A
//! closed PR gets an `inactive` status on its environments' deployments.

use serde::Serialize;

use crate::environments::{Environment, display_url};
use crate::facts::RunFacts;
use crate::health::HealthReport;

/// GitHub's limit on a deployment or status description.
const MAX_DESCRIPTION: usize = 140;

/// A deployment to create (`POST /repos/{owner}/{repo}/deployments`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewDeployment {
    pub environment: String,
    /// The commit deployed (`ref` in the API).
    #[serde(rename = "ref")]
    pub git_ref: String,
    pub description: String,
    pub transient_environment: bool,
    pub production_environment: bool,
    /// Off: the user's own deploy step already deployed; GitHub must not merge or wait on checks.
    pub auto_merge: bool,
    pub required_contexts: Vec<String>,
}

/// A deployment status to add (`POST .../deployments/{id}/statuses`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusUpdate {
    /// Which deployment: the one created for this environment, or on close every deployment of
    /// this environment.
    pub environment: String,
    pub state: DeploymentState,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment_url: Option<String>,
    pub log_url: String,
    pub description: String,
}

/// The deployment states this guardian uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeploymentState {
    InProgress,
    Success,
    Failure,
    Inactive,
}

impl DeploymentState {
    /// The state as the Deployments API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InProgress => "in_progress",
            Self::Success => "success",
            Self::Failure => "failure",
            Self::Inactive => "inactive",
        }
    }
}

/// Everything to do with deployments in one run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum DeploymentPlan {
    /// Deployments are turned off, or the run leaves everything alone.
    Nothing,
    /// Open PR: create, mark `in_progress` (before the checks), then the checks' outcome.
    Publish {
        create: Vec<NewDeployment>,
        started: Vec<StatusUpdate>,
        finished: Vec<StatusUpdate>,
    },
    /// Closed PR: mark each environment's deployments `inactive`.
    Deactivate { statuses: Vec<StatusUpdate> },
}

/// The deployments to create before the health checks, each with its `in_progress` status.
pub(crate) fn starting(
    facts: &RunFacts,
    environments: &[Environment],
) -> (Vec<NewDeployment>, Vec<StatusUpdate>) {
    let number = facts.pull_request.number;
    environments
        .iter()
        .map(|env| {
            let deployment = NewDeployment {
                environment: env.deployment_environment.clone(),
                git_ref: facts.sha.clone(),
                description: describe(format!("Preview of PR #{number} at {}", facts.short_sha())),
                transient_environment: true,
                production_environment: false,
                auto_merge: false,
                required_contexts: Vec::new(),
            };
            let status = StatusUpdate {
                environment: env.deployment_environment.clone(),
                state: DeploymentState::InProgress,
                environment_url: Some(display_url(&env.url)),
                log_url: facts.run.url.clone(),
                description: describe("Checking the preview's health".to_owned()),
            };
            (deployment, status)
        })
        .unzip()
}

/// The statuses after the health checks: `success` for a healthy preview, `failure` otherwise.
pub(crate) fn finished(
    facts: &RunFacts,
    environments: &[Environment],
    reports: &[HealthReport],
) -> Vec<StatusUpdate> {
    environments
        .iter()
        .map(|env| {
            let report = reports.iter().find(|r| r.environment == env.name);
            let (state, description) = match report {
                Some(r) if r.healthy => (DeploymentState::Success, "Preview is up".to_owned()),
                Some(r) => (
                    DeploymentState::Failure,
                    format!(
                        "Preview is not healthy: {}",
                        r.last_error
                            .as_ref()
                            .map_or_else(|| "not checked".to_owned(), ToString::to_string)
                    ),
                ),
                None => (
                    DeploymentState::Failure,
                    "Preview was not checked".to_owned(),
                ),
            };
            StatusUpdate {
                environment: env.deployment_environment.clone(),
                state,
                environment_url: Some(display_url(&env.url)),
                log_url: facts.run.url.clone(),
                description: describe(description),
            }
        })
        .collect()
}

/// The statuses of a closed PR: every environment's deployments become `inactive`.
pub(crate) fn deactivating(facts: &RunFacts, environments: &[Environment]) -> Vec<StatusUpdate> {
    environments
        .iter()
        .map(|env| StatusUpdate {
            environment: env.deployment_environment.clone(),
            state: DeploymentState::Inactive,
            environment_url: None,
            log_url: facts.run.url.clone(),
            description: describe(format!(
                "PR #{} closed: preview removed",
                facts.pull_request.number
            )),
        })
        .collect()
}

fn describe(text: String) -> String {
    match text.char_indices().nth(MAX_DESCRIPTION - 1) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::environments::EnvironmentTemplates;
    use crate::health::HealthFailure;
    use crate::test_support::{example_config, facts};

    fn environments() -> Vec<Environment> {
        EnvironmentTemplates::from_config(&example_config())
            .expect("valid")
            .resolve(&facts())
            .expect("resolvable")
    }

    #[test]
    fn one_transient_deployment_per_environment_starting_in_progress() {
        let (create, started) = starting(&facts(), &environments());
        insta::assert_json_snapshot!((&create[1], &started[1]), @r#"
        [
          {
            "environment": "preview/pr-42/API",
            "ref": "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432",
            "description": "Preview of PR #42 at 9f8e7d6",
            "transient_environment": true,
            "production_environment": false,
            "auto_merge": false,
            "required_contexts": []
          },
          {
            "environment": "preview/pr-42/API",
            "state": "in_progress",
            "environment_url": "https://myapp-api-pr-42.workers.dev",
            "log_url": "https://github.com/octo-org/myapp/actions/runs/7001",
            "description": "Checking the preview's health"
          }
        ]
        "#);
        assert_eq!(create.len(), 2);
        assert_eq!(create[0].environment, "preview/pr-42/Frontend");
    }

    #[test]
    fn outcome_follows_health() {
        let envs = environments();
        let report = |env: &Environment, healthy: bool| HealthReport {
            environment: env.name.clone(),
            health_url: env.health_url.clone(),
            healthy,
            status: None,
            latency: None,
            attempts: 1,
            last_error: (!healthy).then_some(HealthFailure::Refused),
            stopped_by: None,
        };
        let statuses = finished(
            &facts(),
            &envs,
            &[report(&envs[0], true), report(&envs[1], false)],
        );
        let summary: Vec<_> = statuses
            .iter()
            .map(|s| (s.state, s.description.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                (DeploymentState::Success, "Preview is up"),
                (
                    DeploymentState::Failure,
                    "Preview is not healthy: connection refused"
                ),
            ]
        );
        assert!(statuses.iter().all(|s| s.log_url.ends_with("/runs/7001")));
    }

    #[test]
    fn close_marks_every_environment_inactive() {
        let statuses = deactivating(&facts(), &environments());
        assert_eq!(statuses.len(), 2);
        assert!(
            statuses
                .iter()
                .all(|s| s.state == DeploymentState::Inactive && s.environment_url.is_none())
        );
        assert_eq!(statuses[0].description, "PR #42 closed: preview removed");
    }

    #[test]
    fn descriptions_fit_githubs_limit() {
        let long = describe("x".repeat(500));
        assert_eq!(long.chars().count(), MAX_DESCRIPTION);
    }
}
