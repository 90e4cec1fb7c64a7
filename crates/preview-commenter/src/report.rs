//! What a run shows people and machines: the Markdown plan (step summary and dry run), the
//! JSON plan, the step outputs.

use std::fmt::Write as _;

use crate::deployments::DeploymentPlan;
use crate::plan::Plan;

/// The plan for people: the comment as reviewers see it (or why it is left alone), then the
/// deployments. It is the step summary, and what `--dry-run` prints.
pub(crate) fn markdown(plan: &Plan) -> String {
    let mut out = plan.summary.clone();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    match &plan.deployments {
        DeploymentPlan::Nothing => {}
        DeploymentPlan::Publish {
            create, finished, ..
        } => {
            out.push_str("\n#### Deployments\n\n");
            for (deployment, status) in create.iter().zip(finished) {
                let _ = writeln!(
                    out,
                    "- create {} at {}: in_progress, then {}",
                    deployment.environment,
                    deployment.git_ref,
                    status.state.as_str()
                );
            }
        }
        DeploymentPlan::Deactivate { statuses } => {
            out.push_str("\n#### Deployments\n\n");
            for status in statuses {
                let _ = writeln!(out, "- mark {} inactive", status.environment);
            }
        }
    }
    out
}

/// The step outputs `urls` (JSON object), `healthy` (`true`, `false`, or empty when nothing was
/// checked) and `comment-id` (empty when there is none).
pub(crate) fn outputs(plan: &Plan) -> [(&'static str, String); 3] {
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
