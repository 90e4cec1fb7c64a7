//! Whether a section is really filled in, and how to say what is wrong with it.

use std::collections::HashSet;

use crate::markdown::Section;
use crate::policy::{Placeholders, normalize_answer};
use crate::rules::Inputs;
use crate::sections::SectionSpec;

/// How far a section is filled in, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Fill {
    /// No heading of that name in the description.
    Missing,
    /// Nothing under the heading, or only HTML comments.
    Empty,
    /// Only the template's own text.
    TemplateText,
    /// Only placeholders such as TODO, TBD or N/A.
    Placeholder,
    /// A checklist without a heading (the template's boxes are what it asks) with no box ticked,
    /// or with the template's boxes left unticked.
    Unticked,
    Filled,
}

/// Answers that say "nothing here". One rule: in a section that is required they are
/// placeholders (unless the section allows `N/A`); a section that is not required is never an
/// error, so there they are as good as any answer.
const NOTHING_ANSWERS: &[&str] = &[
    "n/a",
    "na",
    "n.a",
    "n a",
    "not applicable",
    "none",
    "nothing",
    "-",
    "--",
    "—",
    "–",
];

/// Whether a line only says "nothing here" (`N/A`, `None.`, `-`).
pub(crate) fn says_nothing(line: &str) -> bool {
    NOTHING_ANSWERS.contains(&normalize_answer(line).as_str())
}

/// Whether a line is no answer in a required section.
pub(crate) fn is_placeholder(placeholders: &Placeholders, line: &str, allow_na: bool) -> bool {
    if says_nothing(line) {
        return !allow_na;
    }
    placeholders.is_placeholder(line, allow_na)
}

/// A section of the description found for a spec, with its assessment.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Assessed<'a> {
    pub fill: Fill,
    pub section: Option<Section<'a>>,
}

/// The lines of `section` that the template does not already hold.
pub(crate) fn own_lines<'a>(
    section: Section<'a>,
    template_lines: Option<&'a HashSet<String>>,
) -> impl Iterator<Item = &'a str> + 'a {
    section.lines().filter(move |line| {
        template_lines.is_none_or(|lines| !lines.contains(&line.to_lowercase()))
    })
}

/// Assesses one section of the description.
pub(crate) fn assess_section(
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
    if own.all(|line| is_placeholder(placeholders, line, allow_na)) {
        Fill::Placeholder
    } else {
        Fill::Filled
    }
}

/// Finds the description's section for `spec` and assesses it. When the author repeated the
/// heading, the best-filled occurrence counts.
pub(crate) fn assess<'a>(inputs: &Inputs<'a>, spec: &SectionSpec<'_>) -> Assessed<'a> {
    if let Some(template) = spec.template.filter(|template| template.is_lead) {
        return Assessed {
            fill: assess_lead(inputs, template, spec.allow_na),
            section: None,
        };
    }
    let template_lines = spec.template.map(|template| &template.lines);
    let is_section = |key: &str| inputs.is_section(key);
    let own = assess_under(inputs, spec, template_lines, &is_section);
    if own.fill != Fill::Filled && spec.template.is_some_and(|template| template.is_umbrella) {
        // The umbrella's sub-sections fill it: read its whole extent against every line of the
        // template; report its own state when that is not filled either.
        let whole = assess_under(inputs, spec, Some(&inputs.template_lines), &|_| false);
        if whole.fill == Fill::Filled {
            return whole;
        }
    }
    own
}

fn assess_under<'a>(
    inputs: &Inputs<'a>,
    spec: &SectionSpec<'_>,
    template_lines: Option<&HashSet<String>>,
    is_section: &dyn Fn(&str) -> bool,
) -> Assessed<'a> {
    let placeholders = &inputs.policy.placeholders;
    inputs
        .body
        .sections_for(&spec.key, is_section)
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

/// The description's text outside the template's sections: before its first heading, and under
/// headings of the author's own. Returns (visible lines, task items).
fn outside_sections<'a>(inputs: &Inputs<'a>) -> (Vec<&'a str>, Vec<&'a crate::markdown::TaskItem>) {
    let mut lines = Vec::new();
    let mut tasks = Vec::new();
    let mut inside: Option<u8> = None;
    for block in &inputs.body.document.blocks {
        if let Some(heading) = &block.heading {
            if inputs.is_section(&heading.key.key) {
                inside = Some(heading.level);
            } else if inside.is_some_and(|level| heading.level <= level) {
                inside = None;
            }
        }
        if inside.is_none() {
            lines.extend(block.lines.iter().map(String::as_str));
            tasks.extend(block.tasks.iter());
        }
    }
    (lines, tasks)
}

fn is_task_line(line: &str) -> bool {
    let line = line.trim_start_matches("- ");
    line.starts_with("[ ]") || line.starts_with("[x]") || line.starts_with("[X]")
}

/// The text before the first heading: the author's description (the template's prompt replaced)
/// and, when the template has boxes there, the boxes ticked.
fn assess_lead(
    inputs: &Inputs<'_>,
    template: &crate::template::TemplateSection,
    allow_na: bool,
) -> Fill {
    let (lines, tasks) = outside_sections(inputs);
    let asks_prose = template.lines.iter().any(|line| !is_task_line(line));
    if asks_prose {
        let prose: Vec<&str> = lines
            .iter()
            .copied()
            .filter(|line| !is_task_line(line))
            .collect();
        if prose.is_empty() {
            return Fill::Empty;
        }
        let own: Vec<&str> = prose
            .iter()
            .copied()
            .filter(|line| !inputs.template_lines.contains(&line.to_lowercase()))
            .collect();
        if own.is_empty() {
            return Fill::TemplateText;
        }
        if own
            .iter()
            .all(|line| is_placeholder(&inputs.policy.placeholders, line, allow_na))
        {
            return Fill::Placeholder;
        }
    }
    if !template.tasks.is_empty() {
        let template_texts: Vec<&str> = template
            .tasks
            .iter()
            .map(|task| task.text.as_str())
            .collect();
        let live: Vec<_> = tasks.iter().filter(|task| !task.struck).collect();
        let ticked = live.iter().any(|task| task.checked);
        // "(If changing the API) I documented it" applies only sometimes: it may stay unticked.
        let template_unticked = live.iter().any(|task| {
            let conditional = task
                .text
                .trim_start_matches('(')
                .to_lowercase()
                .starts_with("if ");
            !task.checked && !conditional && template_texts.contains(&task.text.as_str())
        });
        if !ticked || template_unticked {
            return if lines.is_empty() {
                Fill::Missing
            } else {
                Fill::Unticked
            };
        }
    }
    Fill::Filled
}

/// What is wrong with a section that is not filled in, and how to fix it. Headings are quoted
/// as a reader sees them.
pub(crate) fn problem(fill: Fill, spec: &SectionSpec<'_>) -> (String, String) {
    let heading = spec.quoted();
    let lead = spec.is_lead();
    let pseudo = spec.template.is_some_and(|template| template.is_pseudo);
    match fill {
        Fill::Missing if lead => (
            "missing: the template asks for a description before its first heading".to_owned(),
            "Describe the change at the top of the description, in your own words, as the template asks.".to_owned(),
        ),
        Fill::Missing if pseudo => (
            "missing from the description".to_owned(),
            format!("Keep the template's line {heading} and write the answer after it."),
        ),
        Fill::Missing => (
            "missing from the description".to_owned(),
            format!("Add a section headed {heading} (as in the template) and write the answer under it."),
        ),
        Fill::Empty if lead => (
            "empty: nothing is written before the first heading".to_owned(),
            "Describe the change at the top of the description, outside any `<!-- -->` comment.".to_owned(),
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
                    " (this section is required, so N/A, None or - is not an answer)"
                }
            ),
        ),
        Fill::Unticked => (
            "the template's checklist is not ticked".to_owned(),
            "Tick (`- [x]`) each box of the template's checklist that holds for this PR, and delete or strike through (`~~item~~`) the ones that do not apply.".to_owned(),
        ),
        Fill::Filled => ("filled in".to_owned(), String::new()),
    }
}
