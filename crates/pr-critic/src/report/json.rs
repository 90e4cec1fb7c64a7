//! The findings as JSON: the `findings` output and `--format json`.

use serde::Serialize;

use crate::finding::Finding;
use crate::plan::{Plan, Verdict};

/// The findings as a compact JSON array.
pub fn findings(findings: &[Finding]) -> String {
    serde_json::to_string(findings).unwrap_or_else(|_| "[]".to_owned())
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Document<'a> {
    #[serde(flatten)]
    verdict: &'a Verdict,
    template: Option<&'a str>,
    changed_files: usize,
    notes: &'a [String],
    findings: &'a [Finding],
}

/// The whole plan as pretty-printed JSON.
pub fn document(plan: &Plan) -> String {
    let document = Document {
        verdict: &plan.verdict,
        template: plan.template_path.as_deref(),
        changed_files: plan.changed_files,
        notes: &plan.notes,
        findings: &plan.findings,
    };
    serde_json::to_string_pretty(&document).unwrap_or_else(|_| "{}".to_owned())
}
