//! The rules, one per file. Each reads [`Inputs`] and returns findings; none does I/O.

pub(crate) mod agent_metadata;
pub(crate) mod allowed_paths;
pub(crate) mod approvals;
pub(crate) mod checklists;
pub(crate) mod choice;
pub(crate) mod contracts;
pub(crate) mod coverage;
pub(crate) mod description;
pub(crate) mod endpoints;
pub(crate) mod fill;
pub(crate) mod issue_link;
pub(crate) mod screenshots;
pub(crate) mod sections;
pub(crate) mod tests;
pub(crate) mod yes_no;

use std::collections::HashSet;

use crate::body::Body;
use crate::facts::Facts;
use crate::heading::body_matches_template;
use crate::policy::Policy;
use crate::sections::SectionSpec;
use crate::template::Template;

pub(crate) use agent_metadata::AiAssistance;

/// The changed files, sorted by what they are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Changes {
    pub contracts: Vec<String>,
    /// Route and handler code (tests excluded).
    pub routes: Vec<String>,
    /// UI code (tests excluded).
    pub ui: Vec<String>,
    pub tests: Vec<String>,
    /// Source code that is not a test.
    pub sources: Vec<String>,
}

impl Changes {
    pub(crate) fn classify(files: &[String], policy: &Policy) -> Self {
        let mut changes = Self::default();
        for path in files {
            let is_test = policy.tests.tests.is_match(path);
            if policy.contracts.paths.is_match(path) {
                changes.contracts.push(path.clone());
            }
            if is_test {
                changes.tests.push(path.clone());
                continue;
            }
            if policy.endpoints.paths.is_match(path) {
                changes.routes.push(path.clone());
            }
            if policy.screenshots.paths.is_match(path) {
                changes.ui.push(path.clone());
            }
            if policy.tests.sources.is_match(path) {
                changes.sources.push(path.clone());
            }
        }
        changes
    }
}

/// What every rule may read.
pub(crate) struct Inputs<'a> {
    pub facts: &'a Facts,
    pub policy: &'a Policy,
    pub body: &'a Body,
    pub template: Option<&'a Template>,
    pub changes: Changes,
    pub ai: AiAssistance,
    /// Every lower-cased line of the template: text the author did not write.
    pub template_lines: HashSet<String>,
    /// Keys of every heading that is a section of its own (the template's and the configured
    /// ones): a description's section ends at the next of these.
    pub section_keys: Vec<String>,
}

impl<'a> Inputs<'a> {
    pub(crate) fn new(
        facts: &'a Facts,
        policy: &'a Policy,
        body: &'a Body,
        template: Option<&'a Template>,
        specs: &[SectionSpec<'_>],
    ) -> Self {
        let template_lines: HashSet<String> = template
            .map(|template| {
                template
                    .sections
                    .iter()
                    .flat_map(|section| section.lines.iter().cloned())
                    .collect()
            })
            .unwrap_or_default();
        let changes = Changes::classify(&facts.changed_files, policy);
        let ai = AiAssistance::detect(facts, body, &template_lines, &policy.agent_metadata);
        let mut section_keys: Vec<String> = template
            .iter()
            .flat_map(|template| {
                template
                    .sections
                    .iter()
                    .map(|section| section.key.key.clone())
            })
            .chain(specs.iter().map(|spec| spec.key.clone()))
            .filter(|key| !key.is_empty())
            .collect();
        section_keys.sort();
        section_keys.dedup();
        Self {
            facts,
            policy,
            body,
            template,
            changes,
            ai,
            template_lines,
            section_keys,
        }
    }

    /// Whether a description heading (by key) is a section of its own.
    pub(crate) fn is_section(&self, key: &str) -> bool {
        self.section_keys
            .iter()
            .any(|section| body_matches_template(key, section))
    }

    /// The author's own lines of the description: visible lines that are not the template's.
    pub(crate) fn own_lines(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.body
            .document
            .lines()
            .filter(|line| !self.template_lines.contains(&line.to_lowercase()))
    }
}
