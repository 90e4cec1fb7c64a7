//! The plan as JSON: `--json` (and `--format json`) print it for machines.

use crate::plan::Plan;

/// The whole plan as pretty-printed JSON: the verdict's fields, the template, the changed-file
/// count, the notes and the findings.
pub fn document(plan: &Plan) -> String {
    serde_json::to_string_pretty(plan).unwrap_or_else(|_| "{}".to_owned())
}
