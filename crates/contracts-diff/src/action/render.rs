//! How a pull request's plan is shown: the sticky comment, the step summary (the same text
//! without the hidden metadata), the JSON for `--json`, the outputs and the annotations. It
//! only reads the plan.

use guardians_core::runner;
use guardians_core::toolkit::{AnnotationProps, Toolkit};
use serde_json::json;

use crate::approval::Gate;
use crate::comment;

use super::pr_plan::PrPlan;

/// At most this many breaking changes become error annotations (GitHub shows ten per step).
const MAX_ANNOTATIONS: usize = 50;

/// The sticky comment's body: the notes after the hidden metadata line (if any), then the
/// verdict and the report.
pub(crate) fn comment_body(plan: &PrPlan) -> String {
    with_notes(
        plan,
        comment::body(&plan.diff, &plan.gate, &plan.label, &plan.breaking),
    )
}

/// The step summary and what `--dry-run` prints: the comment without its hidden metadata.
pub(crate) fn summary(plan: &PrPlan) -> String {
    let without_metadata = Gate {
        record: None,
        ..plan.gate.clone()
    };
    with_notes(
        plan,
        comment::body(&plan.diff, &without_metadata, &plan.label, &plan.breaking),
    )
}

fn with_notes(plan: &PrPlan, body: String) -> String {
    if plan.notes.is_empty() {
        return body;
    }
    let notes: String = plan
        .notes
        .iter()
        .map(|note| format!("> ⚠️ {note}\n\n"))
        .collect();
    match body.split_once('\n') {
        Some((first, rest)) if first.starts_with("<!--") => format!("{first}\n{notes}{rest}"),
        _ => format!("{notes}{body}"),
    }
}

impl runner::Plan for PrPlan {
    fn failed(&self) -> bool {
        self.gate.fail
    }

    fn markdown(&self) -> String {
        summary(self)
    }

    fn outputs(&self) -> Vec<(&'static str, String)> {
        self.diff.outputs.as_pairs()
    }

    /// Each breaking change as an error on its file, and the gate's verdict when it fails.
    fn annotate(&self, toolkit: &Toolkit) {
        for b in self.breaking.iter().take(MAX_ANNOTATIONS) {
            let location = if b.change.pointer.is_empty() {
                String::new()
            } else {
                format!(" at {}", b.change.pointer)
            };
            toolkit.error(
                &format!("{}{location}: {}", b.change.rule.id(), b.change.message),
                &AnnotationProps {
                    title: Some("Breaking API change".into()),
                    file: Some(b.file.clone()),
                    line: b.change.line.map(|l| l as u64),
                    ..Default::default()
                },
            );
        }
        if self.gate.fail {
            toolkit.error(
                &comment::verdict(&self.diff, &self.gate, &self.label, &self.breaking),
                &AnnotationProps {
                    title: Some("API contract approval".into()),
                    ..Default::default()
                },
            );
        }
    }
}

/// `--json`: the diff as `--format json` prints it, with the approval decision.
impl serde::Serialize for PrPlan {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut value = self.diff.to_json();
        value["approval"] = json!({
            "label": self.label,
            "fail": self.gate.fail,
            "remove-label": self.gate.remove_label,
            "verdict": comment::verdict(&self.diff, &self.gate, &self.label, &self.breaking),
            "breaking-fingerprints": self.breaking.iter().map(|b| b.fingerprint.clone()).collect::<Vec<_>>(),
            "write-comment": self.write_comment,
        });
        value.serialize(serializer)
    }
}
