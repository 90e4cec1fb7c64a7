//! What a run shows people and machines: the dry-run text, the JSON plan, the step outputs.

use std::fmt::Write as _;

use guardians_core::toolkit::{Toolkit, ToolkitError};

use crate::deployments::DeploymentPlan;
use crate::plan::{CommentPlan, Plan};

/// The comment, then what would happen to deployments and outputs.
pub fn for_people(plan: &Plan) -> String {
    let mut out = match &plan.comment {
        CommentPlan::Write { body } => format!("Comment (would be created or updated):\n\n{body}"),
        CommentPlan::LeaveAlone { reason } => format!("Comment left alone: {reason}.\n"),
    };
    out.push_str("\nDeployments:\n");
    match &plan.deployments {
        DeploymentPlan::Nothing => out.push_str("- none\n"),
        DeploymentPlan::Publish {
            create, finished, ..
        } => {
            for (deployment, status) in create.iter().zip(finished) {
                let _ = writeln!(
                    out,
                    "- create {} at {}: in_progress, then {:?}",
                    deployment.environment, deployment.git_ref, status.state
                );
            }
        }
        DeploymentPlan::Deactivate { statuses } => {
            for status in statuses {
                let _ = writeln!(out, "- mark {} inactive", status.environment);
            }
        }
    }
    let _ = write!(out, "\nOutputs:\n");
    for (name, value) in outputs(plan) {
        let _ = writeln!(out, "- {name}: {value}");
    }
    out
}

/// The plan as JSON for `--dry-run --json`.
pub fn as_json(plan: &Plan) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(plan)
}

/// The step outputs `urls` (JSON object), `healthy` (`true`, `false`, or empty when nothing was
/// checked) and `comment-id` (empty when there is none).
pub fn outputs(plan: &Plan) -> [(&'static str, String); 3] {
    let urls = serde_json::to_string(&plan.outputs.urls).unwrap_or_else(|_| "{}".to_owned());
    let healthy = plan
        .outputs
        .healthy
        .map_or_else(String::new, |h| h.to_string());
    let comment_id = plan
        .outputs
        .comment_id
        .map_or_else(String::new, |id| id.to_string());
    [
        ("urls", urls),
        ("healthy", healthy),
        ("comment-id", comment_id),
    ]
}

pub fn write_outputs(toolkit: &Toolkit, plan: &Plan) -> Result<(), ToolkitError> {
    for (name, value) in outputs(plan) {
        toolkit.set_output(name, &value)?;
    }
    Ok(())
}
