//! The PR template: every heading is a section, and the text under it is what an untouched
//! description holds there.

use std::collections::HashSet;

use crate::body::truncate_chars;
use crate::heading::{HeadingKey, words};
use crate::markdown::{Document, TaskItem};

/// Templates longer than this are cut; a real one is a few hundred lines.
pub const MAX_TEMPLATE_CHARS: usize = 65_536;

/// One heading of the template and its hint text.
#[derive(Debug, Clone)]
pub struct TemplateSection {
    /// The heading as written, e.g. `Tests added (with coverage)`.
    pub heading: String,
    pub key: HeadingKey,
    pub level: u8,
    /// The lower-cased visible lines under the heading (sub-headings' text included): a line of
    /// the description found here is the template's, not the author's.
    pub lines: HashSet<String>,
    /// The template's own task items under the heading, in order.
    pub tasks: Vec<TaskItem>,
    /// The section asks for a Yes/No answer: a `(Yes/No)` hint, a `- [ ] Yes` / `- [ ] No` pair,
    /// or a `Yes / No` line.
    pub asks_yes_no: bool,
    /// A heading followed directly by sub-headings, without even a comment between them
    /// (`## Testing` over `### Unit` and `### Manual`): a title for its sub-sections, not a
    /// section to fill in.
    pub is_group: bool,
}

/// A parsed PR template.
#[derive(Debug, Clone, Default)]
pub struct Template {
    /// Where it was read from, for the report.
    pub path: Option<String>,
    pub sections: Vec<TemplateSection>,
    /// The template was longer than [`MAX_TEMPLATE_CHARS`] and only its start was read.
    pub truncated: bool,
}

impl Template {
    pub fn parse(path: Option<&str>, text: &str) -> Self {
        let (kept, truncated) = truncate_chars(text, MAX_TEMPLATE_CHARS);
        let document = Document::parse(kept);
        let sections = document
            .headings()
            .map(|(index, _)| {
                // In a template every heading is a section of its own.
                let section = document.section(index, |_| true);
                let lines: HashSet<String> = section.lines().map(str::to_lowercase).collect();
                let tasks: Vec<TaskItem> = section.tasks().cloned().collect();
                let asks_yes_no = section.heading.key.hint_asks_yes_no()
                    || has_yes_no_pair(&tasks)
                    || lines.iter().any(|line| words(line) == "yes no");
                let is_group =
                    !document.blocks[index].has_source && document.has_subheadings(index);
                TemplateSection {
                    is_group,
                    heading: section.heading.text.clone(),
                    key: section.heading.key.clone(),
                    level: section.heading.level,
                    lines,
                    tasks,
                    asks_yes_no,
                }
            })
            .collect();
        Self {
            path: path.map(str::to_owned),
            sections,
            truncated,
        }
    }
}

fn has_yes_no_pair(tasks: &[TaskItem]) -> bool {
    let first_words: Vec<String> = tasks
        .iter()
        .map(|task| words(&task.text).split(' ').next().unwrap_or("").to_owned())
        .collect();
    first_words.iter().any(|word| word == "yes") && first_words.iter().any(|word| word == "no")
}

/// The first of `candidates` present in `existing`, compared case-insensitively (GitHub finds
/// `.github/PULL_REQUEST_TEMPLATE.md` and `.github/pull_request_template.md` alike). Returns the
/// path as it exists.
pub fn pick_path<'a>(candidates: &[String], existing: &'a [String]) -> Option<&'a str> {
    candidates.iter().find_map(|candidate| {
        existing
            .iter()
            .find(|path| path.eq_ignore_ascii_case(candidate))
            .map(String::as_str)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_heading_is_a_section_with_its_hint_text() {
        let template = Template::parse(
            None,
            "## Scope\n<!-- what and why -->\nDescribe the change.\n\n## Contracts touched (Yes/No)\n- [ ] Yes\n- [ ] No\n",
        );
        let headings: Vec<_> = template
            .sections
            .iter()
            .map(|s| s.heading.as_str())
            .collect();
        assert_eq!(headings, vec!["Scope", "Contracts touched (Yes/No)"]);
        assert!(template.sections[0].lines.contains("describe the change."));
        assert!(!template.sections[0].asks_yes_no);
        assert!(template.sections[1].asks_yes_no);
        assert_eq!(template.sections[1].tasks.len(), 2);
    }

    #[test]
    fn a_heading_over_sub_headings_only_is_a_group() {
        let template = Template::parse(
            None,
            "# Pull request\n## Testing\n### Unit\n### Manual\nSteps:\n\nSummary\n=======\nWhat.\n### Details\n# Notes\n<!-- hint -->\n## More\n",
        );
        let groups: Vec<_> = template
            .sections
            .iter()
            .map(|s| (s.heading.as_str(), s.is_group))
            .collect();
        assert_eq!(
            groups,
            vec![
                ("Pull request", true),
                ("Testing", true),
                ("Unit", false),
                ("Manual", false),
                ("Summary", false),
                ("Details", false),
                ("Notes", false),
                ("More", false)
            ]
        );
        assert!(template.sections[4].lines.contains("what."));
        assert!(!template.sections[4].lines.contains("steps:"));
    }

    #[test]
    fn a_yes_no_pair_without_a_hint_asks_for_an_answer() {
        let template = Template::parse(None, "## Breaking change?\n- [ ] Yes\n- [ ] No\n");
        assert!(template.sections[0].asks_yes_no);
        let template = Template::parse(None, "## Breaking change?\nYes / No\n");
        assert!(template.sections[0].asks_yes_no);
    }

    #[test]
    fn template_paths_are_found_case_insensitively_in_order() {
        let candidates = vec![
            ".github/pull_request_template.md".to_owned(),
            "PULL_REQUEST_TEMPLATE.md".to_owned(),
        ];
        let existing = vec![
            "pull_request_template.md".to_owned(),
            ".github/PULL_REQUEST_TEMPLATE.md".to_owned(),
        ];
        assert_eq!(
            pick_path(&candidates, &existing),
            Some(".github/PULL_REQUEST_TEMPLATE.md")
        );
        assert_eq!(pick_path(&candidates, &[]), None);
    }
}
