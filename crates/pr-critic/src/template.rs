//! The PR template: every heading is a section, and the text under it is what an untouched
//! description holds there.

use std::collections::HashSet;

use crate::body::truncate_chars;
use crate::cues::{self, Cues};
use crate::heading::{HeadingKey, words};
use crate::instructions::{self, Ask};
use crate::markdown::{Document, TaskItem};

/// Templates longer than this are cut; a real one is a few hundred lines.
pub(crate) const MAX_TEMPLATE_CHARS: usize = 65_536;

/// One heading of the template and its hint text.
#[derive(Debug, Clone)]
pub(crate) struct TemplateSection {
    /// The heading as written, e.g. `Tests added (with coverage)`.
    pub heading: String,
    pub key: HeadingKey,
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
    /// A heading with only a comment before its sub-headings (`### Screenshots`, "add one per
    /// platform", `#### Web`, `#### iOS`): what is written under its sub-headings fills it too.
    pub is_umbrella: bool,
    /// What the template asks of the author here (see [`crate::instructions`]).
    pub ask: Ask,
    /// The template says `N/A` is an answer here ("write N/A if ...").
    pub accepts_na: bool,
    /// Sections with the same number are alternatives: the template says to keep the one that
    /// applies and delete the others.
    pub choice: Option<usize>,
    /// The text before the first heading, asking for a description (heading and key empty).
    pub is_lead: bool,
    /// The heading is a bold line, a `Field:` line, a numbered question or a table row.
    pub is_pseudo: bool,
}

impl TemplateSection {
    /// The heading as a reader sees it, in quotes: “Tests added (with coverage)”.
    pub(crate) fn quoted(&self) -> String {
        if self.is_lead {
            "the description before the first heading".to_owned()
        } else {
            quote(&self.heading)
        }
    }
}

/// A heading in quotes as a reader sees it: Markdown escaped, `:shortcodes:` (rendered as emoji
/// by GitHub, which we cannot show) left out.
pub(crate) fn quote(heading: &str) -> String {
    static SHORTCODE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r":[a-z0-9_+-]+:\s*").expect("the shortcode pattern is valid")
    });
    let shown = SHORTCODE.replace_all(heading, "");
    format!("“{}”", crate::text::plain(shown.trim()))
}

/// A parsed PR template.
#[derive(Debug, Clone, Default)]
pub(crate) struct Template {
    /// Where it was read from, for the report.
    pub path: Option<String>,
    pub sections: Vec<TemplateSection>,
    /// The template was longer than [`MAX_TEMPLATE_CHARS`] and only its start was read.
    pub truncated: bool,
    /// The pseudo-headings of a template without Markdown headings; a description is read with
    /// the same ones (see [`crate::cues`]).
    pub cues: Cues,
}

impl Template {
    pub(crate) fn parse(path: Option<&str>, text: &str) -> Self {
        let (kept, truncated) = truncate_chars(text, MAX_TEMPLATE_CHARS);
        let (rewritten, cues) = cues::template(kept);
        let document = Document::parse(&rewritten);
        let mut sections: Vec<TemplateSection> = Vec::new();
        if let Some(lead) = lead_section(&document) {
            sections.push(lead);
        }
        // Alternatives, by block index: "pick one and delete the rest" over sub-headings, or
        // "choose the right checklist" before the first heading over the top-level sections.
        let mut choice_of: Vec<Option<usize>> = vec![None; document.blocks.len()];
        let mut choices = 0;
        for (index, block) in document.blocks.iter().enumerate() {
            if !instructions::says_choose_one(&block.comments, &block.lines) {
                continue;
            }
            let range = if block.heading.is_none() {
                0..document.blocks.len()
            } else {
                document.section_range(index)
            };
            let children = top_headings(&document, range);
            if children.len() >= 2 {
                for child in children {
                    choice_of[child] = Some(choices);
                }
                choices += 1;
            }
        }
        for (index, _) in document.headings() {
            // In a template every heading is a section of its own.
            let section = document.section(index, |_| true);
            let block = &document.blocks[index];
            let lines: HashSet<String> = section.lines().map(str::to_lowercase).collect();
            let tasks: Vec<TaskItem> = section.tasks().cloned().collect();
            let asks_yes_no = section.heading.key.hint_asks_yes_no()
                || has_yes_no_pair(&tasks)
                || lines.iter().any(|line| words(line) == "yes no");
            let has_subheadings = document.has_subheadings(index);
            let is_group = !block.has_source && has_subheadings;
            let is_umbrella = block.lines.is_empty() && block.tasks.is_empty() && has_subheadings;
            sections.push(TemplateSection {
                is_group,
                is_umbrella,
                heading: section.heading.text.clone(),
                key: section.heading.key.clone(),
                lines,
                tasks,
                asks_yes_no,
                ask: match instructions::ask(
                    &section.heading.key,
                    &section.heading.text,
                    &block.comments,
                    &block.lines,
                ) {
                    Ask::Fill if cues.has_default(&section.heading.key.key) => Ask::KeepIntact,
                    ask => ask,
                },
                accepts_na: instructions::accepts_na(&block.comments, &block.lines),
                choice: choice_of[index],
                is_lead: false,
                is_pseudo: !cues.is_empty(),
            });
        }
        Self {
            path: path.map(str::to_owned),
            sections,
            truncated,
            cues,
        }
    }
}

/// The heading blocks of `range` (past its first block) at the highest level found there.
fn top_headings(document: &Document, range: std::ops::Range<usize>) -> Vec<usize> {
    let start = range.start + 1;
    let headings: Vec<(usize, u8)> = document
        .headings()
        .filter(|(index, _)| (start..range.end).contains(index))
        .map(|(index, heading)| (index, heading.level))
        .collect();
    let Some(top) = headings.iter().map(|(_, level)| *level).min() else {
        return Vec::new();
    };
    headings
        .into_iter()
        .filter(|(_, level)| *level == top)
        .map(|(index, _)| index)
        .collect()
}

/// The text before the first heading, when it asks for something: the description itself
/// (`*Replace this paragraph with a description ...*`) or, in a template without any heading,
/// everything the template holds (a bare checklist).
fn lead_section(document: &Document) -> Option<TemplateSection> {
    let first = document.blocks.first()?;
    if first.heading.is_some() || (first.lines.is_empty() && first.tasks.is_empty()) {
        return None;
    }
    let has_headings = document.headings().next().is_some();
    if has_headings && !instructions::is_prompt(&first.lines) {
        return None;
    }
    Some(TemplateSection {
        heading: String::new(),
        key: HeadingKey::new(""),
        lines: first.lines.iter().map(|line| line.to_lowercase()).collect(),
        tasks: first.tasks.clone(),
        asks_yes_no: false,
        is_group: false,
        is_umbrella: false,
        ask: Ask::Fill,
        accepts_na: false,
        choice: None,
        is_lead: true,
        is_pseudo: false,
    })
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
pub(crate) fn pick_path<'a>(candidates: &[String], existing: &'a [String]) -> Option<&'a str> {
    candidates.iter().find_map(|candidate| {
        existing
            .iter()
            .find(|path| path.eq_ignore_ascii_case(candidate))
            .map(String::as_str)
    })
}

/// Where GitHub looks for a PR template, in its order.
pub(crate) const GITHUB_DIRECTORIES: [&str; 3] = [".github", "", "docs"];

fn file_name(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(_, name)| name)
}

fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The template file GitHub would use among `existing` paths: `pull_request_template` in any
/// case, with any extension (`.md`, `.txt`) or none, in `.github/`, the root, then `docs/`.
pub(crate) fn documented_file(existing: &[String]) -> Option<&str> {
    GITHUB_DIRECTORIES.iter().find_map(|dir| {
        existing
            .iter()
            .filter(|path| parent_dir(path) == *dir)
            .find(|path| {
                let name = file_name(path).to_ascii_lowercase();
                name == "pull_request_template"
                    || name
                        .strip_prefix("pull_request_template.")
                        .is_some_and(|ext| !ext.is_empty() && !ext.contains('.'))
            })
            .map(String::as_str)
    })
}

/// The `PULL_REQUEST_TEMPLATE/` folder (any case) among `directories`, in GitHub's order.
pub(crate) fn documented_folder(directories: &[String]) -> Option<&str> {
    GITHUB_DIRECTORIES.iter().find_map(|dir| {
        directories
            .iter()
            .filter(|path| parent_dir(path) == *dir)
            .find(|path| file_name(path).eq_ignore_ascii_case("pull_request_template"))
            .map(String::as_str)
    })
}

/// Which of several templates (a `PULL_REQUEST_TEMPLATE/` folder, used with `?template=`) a
/// description was written from: the one whose file name it mentions (`template=bug.md`), else
/// the one sharing the most lines with it, else the first. `None` only when there is none.
pub(crate) fn best_match(
    body: Option<&str>,
    candidates: &[crate::facts::SourceFile],
) -> Option<usize> {
    if candidates.is_empty() {
        return None;
    }
    let body = body.unwrap_or("");
    let lower = body.to_lowercase();
    if let Some(named) = candidates.iter().position(|candidate| {
        let name = file_name(&candidate.path).to_lowercase();
        lower.contains(&format!("template={name}")) || lower.contains(&format!("template: {name}"))
    }) {
        return Some(named);
    }
    let body_lines: HashSet<String> = body
        .lines()
        .map(|line| line.trim().to_lowercase())
        .filter(|line| line.chars().filter(|c| c.is_alphanumeric()).count() >= 3)
        .collect();
    let score = |candidate: &crate::facts::SourceFile| {
        candidate
            .text
            .lines()
            .map(|line| line.trim().to_lowercase())
            .filter(|line| body_lines.contains(line))
            .count()
    };
    let mut best = 0;
    for (index, candidate) in candidates.iter().enumerate() {
        if score(candidate) > score(&candidates[best]) {
            best = index;
        }
    }
    Some(best)
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
    fn a_comment_over_sub_headings_makes_an_umbrella_not_a_section_of_its_own() {
        let template = Template::parse(
            None,
            "### Screenshots\n<!-- one per platform -->\n#### Web\n<!-- web -->\n#### iOS\n",
        );
        assert!(template.sections[0].is_umbrella);
        assert!(!template.sections[0].is_group);
        assert!(!template.sections[1].is_umbrella);
    }

    #[test]
    fn a_yes_no_pair_without_a_hint_asks_for_an_answer() {
        let template = Template::parse(None, "## Breaking change?\n- [ ] Yes\n- [ ] No\n");
        assert!(template.sections[0].asks_yes_no);
        let template = Template::parse(None, "## Breaking change?\nYes / No\n");
        assert!(template.sections[0].asks_yes_no);
    }

    #[test]
    fn github_finds_templates_without_extension_and_in_any_case() {
        let existing = vec![
            "docs/pull_request_template.md".to_owned(),
            ".github/PULL_REQUEST_TEMPLATE".to_owned(),
        ];
        assert_eq!(
            documented_file(&existing),
            Some(".github/PULL_REQUEST_TEMPLATE")
        );
        let existing = vec![
            "Pull_Request_Template.txt".to_owned(),
            "README.md".to_owned(),
        ];
        assert_eq!(
            documented_file(&existing),
            Some("Pull_Request_Template.txt")
        );
        assert_eq!(documented_file(&["docs/other.md".to_owned()]), None);
        let dirs = vec![
            "docs/PULL_REQUEST_TEMPLATE".to_owned(),
            ".github/workflows".to_owned(),
        ];
        assert_eq!(documented_folder(&dirs), Some("docs/PULL_REQUEST_TEMPLATE"));
    }

    #[test]
    fn the_template_a_description_was_written_from_is_chosen() {
        let file = |path: &str, text: &str| crate::facts::SourceFile {
            path: path.to_owned(),
            text: text.to_owned(),
        };
        let candidates = vec![
            file("a/bug.md", "## What broke?\n## How to reproduce\n"),
            file("a/feature.md", "## What does it add?\n## Screenshots\n"),
        ];
        assert_eq!(
            best_match(
                Some("## What does it add?\nExport.\n## Screenshots\n"),
                &candidates
            ),
            Some(1)
        );
        assert_eq!(
            best_match(Some("<!-- template=bug.md -->\nhi"), &candidates),
            Some(0)
        );
        assert_eq!(best_match(None, &candidates), Some(0));
        assert_eq!(best_match(None, &[]), None);
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
