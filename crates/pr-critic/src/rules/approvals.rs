//! Sensitive paths need an approval label: a missing label is an error naming the files.

use crate::finding::{Finding, RuleId};
use crate::rules::Inputs;
use crate::text::{code, count};

pub(crate) fn check(inputs: &Inputs<'_>) -> Vec<Finding> {
    inputs
        .policy
        .approvals
        .iter()
        .map(|approval| {
            let subject = format!("Approval label {}", approval.label);
            let files: Vec<String> = inputs
                .facts
                .changed_files
                .iter()
                .filter(|path| approval.paths.is_match(path))
                .cloned()
                .collect();
            if files.is_empty() {
                return Finding::not_applicable(
                    RuleId::Approval,
                    subject,
                    format!("not needed: no {} changed.", approval.description),
                );
            }
            if inputs.facts.has_label(&approval.label) {
                Finding::passed(
                    RuleId::Approval,
                    subject,
                    format!(
                        "present for {} ({}).",
                        count(files.len(), "file", "files"),
                        approval.description
                    ),
                )
                .with_files(files)
            } else {
                Finding::error(
                    RuleId::Approval,
                    subject,
                    format!(
                        "missing; {} it ({}).",
                        count(files.len(), "changed file needs", "changed files need"),
                        approval.description
                    ),
                    format!(
                        "Ask a maintainer who reviews these files to add the {} label once they approve; this check runs again when labels change.",
                        code(&approval.label)
                    ),
                )
                .with_files(files)
            }
        })
        .collect()
}
