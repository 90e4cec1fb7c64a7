//! The pure decision: from the run's facts, the config and the health reports to what the
//! GitHub-facing half does. Two steps, because the health checks happen in between:
//!
//! 1. [`stage`]: leave everything alone (an older run), close (PR closed), or publish (check the
//!    previews; `deployments::starting` is applied before the checks).
//! 2. [`plan`]: the comment body, deployment statuses, outputs, step summary and verdict.

use indexmap::IndexMap;
use serde::Serialize;

use crate::comment::{CommentMeta, render_closed, render_open};
use crate::config::PreviewCommenterConfig;
use crate::deployments::{self, DeploymentPlan};
use crate::environments::{Environment, EnvironmentTemplates, ResolveError, display_url};
use crate::facts::{PullRequestState, RunFacts};
use crate::freshness::{self, Freshness, StaleReason};
use crate::health::HealthReport;

/// What this run is about to do, decided before any request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub(crate) enum Stage {
    /// A later run or a newer commit owns the comment: check nothing, write nothing.
    LeaveAlone {
        reason: StaleReason,
        environments: Vec<Environment>,
    },
    /// A `deployment_status` of one of this guardian's own deployments (which, with a token that
    /// triggers workflows, would start it again and again): check nothing, write nothing.
    OwnDeployment {
        environment: String,
        environments: Vec<Environment>,
    },
    /// The PR is closed: rewrite the comment as removed, deactivate deployments, check nothing.
    Close {
        environments: Vec<Environment>,
        merged: bool,
    },
    /// The PR is open: check the previews, then write the comment.
    Publish { environments: Vec<Environment> },
}

impl Stage {
    /// The environments whose health to check (none unless publishing).
    pub(crate) fn to_check(&self) -> &[Environment] {
        match self {
            Self::Publish { environments } => environments,
            Self::LeaveAlone { .. } | Self::OwnDeployment { .. } | Self::Close { .. } => &[],
        }
    }

    /// The PR's environments, whatever the stage.
    pub(crate) fn environments(&self) -> &[Environment] {
        match self {
            Self::LeaveAlone { environments, .. }
            | Self::OwnDeployment { environments, .. }
            | Self::Close { environments, .. }
            | Self::Publish { environments } => environments,
        }
    }
}

/// Decides the stage: resolves the environments and applies the freshness rule
/// (see [`crate::freshness`]) against the existing comment's metadata.
pub(crate) fn stage(
    facts: &RunFacts,
    templates: &EnvironmentTemplates,
) -> Result<Stage, ResolveError> {
    let environments = templates.resolve(facts)?;
    let shown = facts
        .existing_comment
        .as_ref()
        .and_then(|comment| CommentMeta::parse(&comment.body));
    if let Freshness::LeaveAlone { reason } = freshness::decide(facts, shown.as_ref()) {
        return Ok(Stage::LeaveAlone {
            reason,
            environments,
        });
    }
    Ok(match facts.pull_request.state {
        PullRequestState::Closed { merged } => Stage::Close {
            environments,
            merged,
        },
        PullRequestState::Open => Stage::Publish { environments },
    })
}

/// The stage of a run whose event was a `deployment_status` of `deployment_environment` (`None`
/// for other events): [`stage`], unless that deployment is one of this guardian's own.
pub(crate) fn stage_for(
    facts: &RunFacts,
    templates: &EnvironmentTemplates,
    deployment_environment: Option<&str>,
) -> Result<Stage, ResolveError> {
    let stage = stage(facts, templates)?;
    let own = deployment_environment.filter(|status_of| {
        stage
            .environments()
            .iter()
            .any(|env| env.deployment_environment == *status_of)
    });
    Ok(match own {
        Some(environment) => Stage::OwnDeployment {
            environment: environment.to_owned(),
            environments: stage.environments().to_vec(),
        },
        None => stage,
    })
}

/// Everything the run will do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub comment: CommentPlan,
    pub deployments: DeploymentPlan,
    pub outputs: Outputs,
    /// Markdown for `$GITHUB_STEP_SUMMARY`: the comment as reviewers see it.
    pub summary: String,
    pub verdict: Verdict,
}

/// The sticky comment's fate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum CommentPlan {
    /// Create the comment, or update it in place when its body differs.
    Write {
        body: String,
    },
    LeaveAlone {
        reason: String,
    },
}

/// The step's outputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outputs {
    /// Environment name to preview URL, in config order (output `urls`, as JSON).
    pub urls: IndexMap<String, String>,
    /// Whether every preview is healthy; `None` when nothing was checked (output `healthy`,
    /// empty then).
    pub healthy: Option<bool>,
    /// The comment's id (output `comment-id`): the existing one here; the GitHub half sets it
    /// after creating a comment.
    pub comment_id: Option<u64>,
}

/// How the step ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// Every preview is up.
    Healthy,
    /// Some previews are down; `fails_step` is `fail-on-unhealthy`.
    Unhealthy {
        environments: Vec<String>,
        fails_step: bool,
    },
    /// Nothing was checked (closed PR, or an older run).
    NotChecked,
}

impl Verdict {
    /// Whether the step should fail.
    pub fn fails_step(&self) -> bool {
        matches!(
            self,
            Self::Unhealthy {
                fails_step: true,
                ..
            }
        )
    }
}

/// Decides the comment, deployments, outputs and verdict. `reports` are the health checks of
/// `stage.to_check()`, in any order.
pub(crate) fn plan(
    facts: &RunFacts,
    config: &PreviewCommenterConfig,
    stage: &Stage,
    reports: &[HealthReport],
) -> Plan {
    let environments = stage.environments();
    let urls = environments
        .iter()
        .map(|env| (env.name.clone(), display_url(&env.url)))
        .collect();
    let comment_id = facts.existing_comment.as_ref().map(|c| c.id);
    let deployments_on = config.deployments;
    let (comment, deployments, healthy, verdict) = match stage {
        Stage::LeaveAlone { reason, .. } => (
            CommentPlan::LeaveAlone {
                reason: reason.to_string(),
            },
            DeploymentPlan::Nothing,
            None,
            Verdict::NotChecked,
        ),
        Stage::OwnDeployment { environment, .. } => (
            CommentPlan::LeaveAlone {
                reason: format!(
                    "`{environment}` is one of this guardian's own deployments; nothing to do"
                ),
            },
            DeploymentPlan::Nothing,
            None,
            Verdict::NotChecked,
        ),
        Stage::Close {
            environments,
            merged,
        } => (
            // A PR that never had a preview comment does not get one when it closes.
            if facts.existing_comment.is_some() {
                CommentPlan::Write {
                    body: render_closed(facts, environments, *merged),
                }
            } else {
                CommentPlan::LeaveAlone {
                    reason: "there is no preview comment to mark as removed".to_owned(),
                }
            },
            if deployments_on {
                DeploymentPlan::Deactivate {
                    statuses: deployments::deactivating(facts, environments),
                }
            } else {
                DeploymentPlan::Nothing
            },
            None,
            Verdict::NotChecked,
        ),
        Stage::Publish { environments } => {
            let unhealthy: Vec<String> = environments
                .iter()
                .filter(|env| {
                    !reports
                        .iter()
                        .any(|r| r.environment == env.name && r.healthy)
                })
                .map(|env| env.name.clone())
                .collect();
            let deployments = if deployments_on {
                let (create, started) = deployments::starting(facts, environments);
                let finished = deployments::finished(facts, environments, reports);
                DeploymentPlan::Publish {
                    create,
                    started,
                    finished,
                }
            } else {
                DeploymentPlan::Nothing
            };
            let verdict = if unhealthy.is_empty() {
                Verdict::Healthy
            } else {
                Verdict::Unhealthy {
                    environments: unhealthy,
                    fails_step: config.fail_on_unhealthy,
                }
            };
            (
                CommentPlan::Write {
                    body: render_open(facts, environments, reports),
                },
                deployments,
                Some(matches!(verdict, Verdict::Healthy)),
                verdict,
            )
        }
    };
    let summary = match &comment {
        CommentPlan::Write { body } => without_metadata(body),
        CommentPlan::LeaveAlone { reason } => {
            format!("### Preview environments\n\nThe comment was left alone: {reason}.\n")
        }
    };
    Plan {
        comment,
        deployments,
        outputs: Outputs {
            urls,
            healthy,
            comment_id,
        },
        summary,
        verdict,
    }
}

/// The body without its first line, the hidden metadata (invisible anyway, and meaningless in a
/// step summary).
fn without_metadata(body: &str) -> String {
    match body.split_once('\n') {
        Some((first, rest)) if first.starts_with("<!--") => rest.to_owned(),
        _ => body.to_owned(),
    }
}

#[cfg(test)]
mod tests;
