//! Limits on which paths a PR may touch, optionally only for PRs with a given label.

use crate::finding::{Finding, RuleId};
use crate::rules::Inputs;
use crate::text::{code, code_list, count};

pub(crate) fn check(inputs: &Inputs<'_>) -> Vec<Finding> {
    inputs
        .policy
        .allowed_paths
        .iter()
        .map(|rule| {
            let subject = match &rule.label {
                Some(label) => format!("Allowed paths for PRs labelled {label}"),
                None => "Allowed paths".to_owned(),
            };
            if let Some(label) = &rule.label
                && !inputs.facts.has_label(label)
            {
                return Finding::not_applicable(
                    RuleId::AllowedPaths,
                    subject,
                    format!("the PR has no {} label.", code(label)),
                );
            }
            let outside: Vec<String> = inputs
                .facts
                .changed_files
                .iter()
                .filter(|path| !rule.paths.is_match(path))
                .cloned()
                .collect();
            if outside.is_empty() {
                return Finding::passed(
                    RuleId::AllowedPaths,
                    subject,
                    format!(
                        "all {} within {}.",
                        count(
                            inputs.facts.changed_files.len(),
                            "changed file is",
                            "changed files are"
                        ),
                        code_list(&rule.paths.patterns, 5)
                    ),
                );
            }
            let remedy = match &rule.label {
                Some(label) => format!(
                    ", or remove the {} label if it does not fit this PR",
                    code(label)
                ),
                None => String::new(),
            };
            Finding::error(
                RuleId::AllowedPaths,
                subject,
                format!(
                    "{} outside the allowed paths {}.",
                    count(outside.len(), "file is", "files are"),
                    code_list(&rule.paths.patterns, 5)
                ),
                format!("Move these changes to another PR{remedy}."),
            )
            .with_files(outside)
        })
        .collect()
}
