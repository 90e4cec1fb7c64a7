//! Which delivery event, if any, a GitHub event stands for.

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::config::TelemetryEmitterConfig;
use crate::error::EmitError;
use crate::event_name::EventName;
use crate::subject::strip_heads;
use guardians_core::event::{DeploymentStatusEvent, Event, PushEvent, WorkflowRunEvent};

/// The parts of the config that decide the mapping, with globs compiled once.
#[derive(Debug, Clone)]
pub struct MappingRules {
    pub queue_label: String,
    pub integration_branches: GlobSet,
    pub production_environments: GlobSet,
    pub push_is_deploy: bool,
}

fn glob_set(key: &'static str, patterns: &[String]) -> Result<GlobSet, EmitError> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern).map_err(|e| EmitError::Glob {
            key,
            pattern: pattern.clone(),
            message: e.kind().to_string(),
        })?;
        builder.add(glob);
    }
    builder.build().map_err(|e| EmitError::Glob {
        key,
        pattern: patterns.join(", "),
        message: e.to_string(),
    })
}

impl MappingRules {
    pub fn from_config(config: &TelemetryEmitterConfig) -> Result<Self, EmitError> {
        Ok(Self {
            queue_label: config.queue_label.clone(),
            integration_branches: glob_set("integration-branches", &config.integration_branches)?,
            production_environments: glob_set(
                "production-environments",
                &config.production_environments,
            )?,
            push_is_deploy: config.push_is_deploy,
        })
    }
}

/// The outcome of mapping: an event to send, or why there is none (shown to the user).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Mapping {
    Emit(EventName),
    Skip(String),
}

/// CI conclusions that count as a failure; `neutral`, `skipped`, `action_required` and `stale`
/// say nothing about the change and produce no event.
const FAILED_CONCLUSIONS: [&str; 4] = ["failure", "timed_out", "cancelled", "startup_failure"];

/// Derives the delivery event from the triggering event (`event_name` is `GITHUB_EVENT_NAME`).
pub(crate) fn derive_event(event_name: &str, event: &Event, rules: &MappingRules) -> Mapping {
    match event {
        Event::PullRequest(e) => match e.action.as_str() {
            "opened" | "reopened" => Mapping::Emit(EventName::DevPrOpened),
            "labeled" => {
                let label = e.label.as_ref().map(|l| l.name.as_str());
                if label.is_some_and(|l| l.eq_ignore_ascii_case(&rules.queue_label)) {
                    Mapping::Emit(EventName::DevIntegrationQueueEntered)
                } else {
                    Mapping::Skip(format!(
                        "the added label is not the queue label `{}`",
                        rules.queue_label
                    ))
                }
            }
            other => Mapping::Skip(format!("{event_name} `{other}` is not a delivery event")),
        },
        Event::MergeGroup(e) => match e.action.as_str() {
            "checks_requested" => Mapping::Emit(EventName::DevIntegrationQueueEntered),
            other => Mapping::Skip(format!("merge_group `{other}` is not a delivery event")),
        },
        Event::WorkflowRun(e) => derive_from_workflow_run(e, rules),
        Event::DeploymentStatus(e) => derive_from_deployment(e, rules),
        Event::Push(e) => derive_from_push(e, rules),
        Event::IssueComment(_) | Event::Other { .. } => Mapping::Skip(format!(
            "`{event_name}` events map to no delivery event; name one with the `event` input"
        )),
    }
}

fn derive_from_workflow_run(e: &WorkflowRunEvent, rules: &MappingRules) -> Mapping {
    let run = &e.workflow_run;
    match e.action.as_str() {
        // A run held for approval (a first-time contributor) is "requested" and already
        // concluded `action_required`: it has not started.
        "requested" | "in_progress" => {
            return match run.conclusion.as_deref() {
                Some(conclusion) => Mapping::Skip(format!(
                    "the run was requested but concluded `{conclusion}` without starting"
                )),
                None => Mapping::Emit(EventName::DevCiStarted),
            };
        }
        "completed" => {}
        other => return Mapping::Skip(format!("workflow_run `{other}` is not a delivery event")),
    }
    let branch = run
        .head_branch
        .as_deref()
        .map(strip_heads)
        .unwrap_or_default();
    let integration = run.event == "merge_group" || rules.integration_branches.is_match(branch);
    let Some(conclusion) = run.conclusion.as_deref() else {
        return Mapping::Skip("the completed run has no conclusion yet".to_owned());
    };
    let passed = conclusion == "success";
    if !passed && !FAILED_CONCLUSIONS.contains(&conclusion) {
        return Mapping::Skip(format!(
            "a run concluded `{conclusion}` says nothing about the change"
        ));
    }
    Mapping::Emit(match (integration, passed) {
        (false, true) => EventName::DevCiPassed,
        (false, false) => EventName::DevCiFailed,
        (true, true) => EventName::DevIntegrationCiPassed,
        (true, false) => EventName::DevIntegrationCiFailed,
    })
}

fn derive_from_deployment(e: &DeploymentStatusEvent, rules: &MappingRules) -> Mapping {
    let (deployment, status) = (&e.deployment, &e.deployment_status);
    let environment = status
        .environment
        .as_deref()
        .filter(|env| !env.is_empty())
        .unwrap_or(&deployment.environment);
    let production = deployment.production_environment == Some(true)
        || rules.production_environments.is_match(environment);
    if !production {
        return Mapping::Skip(format!(
            "environment `{environment}` is not a production environment (see production-environments)"
        ));
    }
    match status.state.as_str() {
        "success" => Mapping::Emit(EventName::DevDeploySucceeded),
        "failure" | "error" => Mapping::Emit(EventName::DevDeployFailed),
        other => Mapping::Skip(format!("deployment state `{other}` is not final")),
    }
}

fn derive_from_push(e: &PushEvent, rules: &MappingRules) -> Mapping {
    if !rules.push_is_deploy {
        return Mapping::Skip("a push is a deploy only with push-is-deploy: true".to_owned());
    }
    if e.deleted {
        return Mapping::Skip("the push deleted the branch".to_owned());
    }
    let Some(branch) = e.branch() else {
        return Mapping::Skip(format!("the push is to `{}`, not a branch", e.ref_));
    };
    let default_branch = e.repository.default_branch.as_deref().unwrap_or_default();
    if branch == default_branch {
        Mapping::Emit(EventName::DevDeploySucceeded)
    } else {
        Mapping::Skip(format!(
            "the push is to `{branch}`, not the default branch `{default_branch}`"
        ))
    }
}
