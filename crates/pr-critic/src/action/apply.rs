//! Acting on the plan: the sticky comment, the step's outputs, annotations and summary.

use anyhow::Context as _;
use guardians_core::context::RepoName;
use guardians_core::github::models::IssueComment;
use guardians_core::github::{ApiError, CommentOutcome, GitHub, Identity, StickyComment};
use guardians_core::toolkit::{AnnotationProps, Toolkit};

use super::gather::COMMENT_KEY;
use crate::plan::{AnnotationLevel, Plan};

/// Makes our one comment say the report. It is written on every run, passing or not, so a
/// comment that was red turns green and nothing stale stays; an identical report writes nothing.
pub async fn comment(
    gh: &GitHub,
    repo: &RepoName,
    number: u64,
    identity: Identity,
    existing: &[IssueComment],
    plan: &Plan,
) -> Result<CommentOutcome, ApiError> {
    StickyComment::new(gh, repo, number, COMMENT_KEY, identity)
        .upsert(&plan.markdown, existing)
        .await
}

/// `passed`, `result`, `errors`, `warnings` and `findings` (JSON).
pub fn outputs(toolkit: &Toolkit, plan: &Plan) -> anyhow::Result<()> {
    for (name, value) in plan.outputs.pairs() {
        toolkit
            .set_output(name, &value)
            .with_context(|| format!("could not write the output `{name}`"))?;
    }
    Ok(())
}

/// One annotation per error or warning; the toolkit escapes what the messages quote (file names).
pub fn annotations(toolkit: &Toolkit, plan: &Plan) {
    for annotation in &plan.annotations {
        let props = AnnotationProps {
            title: Some(annotation.title.clone()),
            ..Default::default()
        };
        match annotation.level {
            AnnotationLevel::Error => toolkit.error(&annotation.message, &props),
            AnnotationLevel::Warning => toolkit.warning(&annotation.message, &props),
            AnnotationLevel::Notice => toolkit.notice(&annotation.message, &props),
        }
    }
}
