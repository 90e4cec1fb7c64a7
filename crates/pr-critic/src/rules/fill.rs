//! Whether a section is really filled in, and how to say what is wrong with it.

use std::collections::HashSet;

use crate::markdown::Section;
use crate::policy::Placeholders;
use crate::rules::Inputs;
use crate::sections::SectionSpec;
use crate::text::code;

/// How far a section is filled in, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fill {
    /// No heading of that name in the description.
    Missing,
    /// Nothing under the heading, or only HTML comments.
    Empty,
    /// Only the template's own text.
    TemplateText,
    /// Only placeholders such as TODO, TBD or N/A.
    Placeholder,
    Filled,
}

/// A section of the description found for a spec, with its assessment.
#[derive(Debug, Clone, Copy)]
pub struct Assessed<'a> {
    pub fill: Fill,
    pub section: Option<Section<'a>>,
}

/// The lines of `section` that the template does not already hold.
pub fn own_lines<'a>(
    section: Section<'a>,
    template_lines: Option<&'a HashSet<String>>,
) -> impl Iterator<Item = &'a str> + 'a {
    section.lines().filter(move |line| {
        template_lines.is_none_or(|lines| !lines.contains(&line.to_lowercase()))
    })
}

/// Assesses one section of the description.
pub fn assess_section(
    section: Section<'_>,
    template_lines: Option<&HashSet<String>>,
    placeholders: &Placeholders,
    allow_na: bool,
) -> Fill {
    if section.lines().next().is_none() {
        return Fill::Empty;
    }
    let mut own = own_lines(section, template_lines).peekable();
    if own.peek().is_none() {
        return Fill::TemplateText;
    }
    if own.all(|line| placeholders.is_placeholder(line, allow_na)) {
        Fill::Placeholder
    } else {
        Fill::Filled
    }
}

/// Finds the description's section for `spec` and assesses it. When the author repeated the
/// heading, the best-filled occurrence counts.
pub fn assess<'a>(inputs: &Inputs<'a>, spec: &SectionSpec<'_>) -> Assessed<'a> {
    let template_lines = spec.template.map(|template| &template.lines);
    let placeholders = &inputs.policy.placeholders;
    let is_section = |key: &str| inputs.is_section(key);
    inputs
        .body
        .sections_for(&spec.key, &is_section)
        .into_iter()
        .map(|section| Assessed {
            fill: assess_section(section, template_lines, placeholders, spec.allow_na),
            section: Some(section),
        })
        .max_by_key(|assessed| assessed.fill)
        .unwrap_or(Assessed {
            fill: Fill::Missing,
            section: None,
        })
}

/// What is wrong with a section that is not filled in, and how to fix it.
pub fn problem(fill: Fill, spec: &SectionSpec<'_>) -> (String, String) {
    let heading = code(&spec.markdown_heading());
    match fill {
        Fill::Missing => (
            "missing from the description".to_owned(),
            format!("Add a {heading} heading (as in the template) and write the answer under it."),
        ),
        Fill::Empty => (
            "empty (HTML comments do not count)".to_owned(),
            format!("Write the answer under {heading}, outside any `<!-- -->` comment."),
        ),
        Fill::TemplateText => (
            "still only the template's text".to_owned(),
            format!("Replace the template's prompt under {heading} with your own answer."),
        ),
        Fill::Placeholder => (
            if spec.allow_na {
                "only a placeholder such as TODO or TBD".to_owned()
            } else {
                "only a placeholder such as TODO, TBD or N/A".to_owned()
            },
            format!(
                "Replace the placeholder under {heading} with a real answer{}.",
                if spec.allow_na {
                    ""
                } else {
                    " (N/A is not accepted for this section)"
                }
            ),
        ),
        Fill::Filled => ("filled in".to_owned(), String::new()),
    }
}
