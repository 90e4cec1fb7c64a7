//! Source code changed without test changes: a warning, unless the tests section says why.

use crate::finding::{Finding, RuleId};
use crate::rules::Inputs;
use crate::rules::fill::own_lines;
use crate::sections::{Role, SectionSpec};
use crate::text::count;

pub(crate) fn check(inputs: &Inputs<'_>, specs: &[SectionSpec<'_>]) -> Option<Finding> {
    let policy = &inputs.policy.tests;
    if !policy.enabled {
        return None;
    }
    const SUBJECT: &str = "Tests for changed source code";
    let changes = &inputs.changes;
    if changes.sources.is_empty() {
        return Some(Finding::not_applicable(
            RuleId::Tests,
            SUBJECT,
            "no source files changed.",
        ));
    }
    if !changes.tests.is_empty() {
        return Some(
            Finding::passed(
                RuleId::Tests,
                SUBJECT,
                format!(
                    "{} changed along with {}.",
                    count(changes.tests.len(), "test file", "test files"),
                    count(changes.sources.len(), "source file", "source files")
                ),
            )
            .with_files(changes.tests.clone()),
        );
    }
    // The tests section of the template, or one the author added under a usual name.
    let spec = specs.iter().find(|spec| {
        spec.role == Role::Generic
            && policy
                .headings
                .iter()
                .any(|name| crate::heading::contains_words(&spec.key, name))
    });
    let is_section = |key: &str| inputs.is_section(key);
    let section = match spec {
        Some(spec) => inputs
            .body
            .sections_for(&spec.key, &is_section)
            .into_iter()
            .next(),
        None => inputs.body.section_named(&policy.headings, &is_section),
    };
    let template_lines = spec.and_then(|spec| spec.template).map(|t| &t.lines);
    let explained = section.is_some_and(|section| {
        own_lines(section, template_lines).any(|line| {
            let line = line.to_lowercase();
            policy
                .explanations
                .iter()
                .any(|pattern| pattern.is_match(&line))
        })
    });
    let heading = spec.map_or_else(
        || "a section headed “Tests”".to_owned(),
        SectionSpec::quoted,
    );
    if explained {
        return Some(Finding::passed(
            RuleId::Tests,
            SUBJECT,
            format!("no test file changed; {} explains why.", heading),
        ));
    }
    Some(
        Finding::warning(
            RuleId::Tests,
            SUBJECT,
            format!(
                "{} changed but no test file did.",
                count(changes.sources.len(), "source file", "source files")
            ),
            format!(
                "Add or update tests for these files, or say under {} why none are needed (e.g. \"no behaviour change: pure refactor\").",
                heading
            ),
        )
        .with_files(changes.sources.clone()),
    )
}
