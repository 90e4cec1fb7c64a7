//! A Yes/No question has exactly one answer: one ticked box of a `- [ ] Yes` / `- [ ] No` pair,
//! or a line that answers `Yes` or `No` (also "Contracts touched: No", in the heading or below it).

use crate::finding::{Finding, RuleId};
use crate::heading::words;
use crate::markdown::Section;
use crate::rules::Inputs;
use crate::rules::fill::{Fill, assess, own_lines, problem};
use crate::sections::{Need, SectionSpec};
use crate::text::code;

/// A Yes/No answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answer {
    Yes,
    No,
}

impl Answer {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Yes => "Yes",
            Self::No => "No",
        }
    }
}

/// The section's answer, or why there is not exactly one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Answered {
    One(Answer),
    /// The section is not filled in at all.
    Unfilled(Fill),
    None,
    Both,
}

/// The first word of a text, if it is `yes` or `no`.
fn leading_answer(text: &str) -> Option<Answer> {
    match words(text).split(' ').next() {
        Some("yes") => Some(Answer::Yes),
        Some("no") => Some(Answer::No),
        _ => None,
    }
}

/// The answers a line gives: "No", "**Yes**, the user schema", "Answer: no", "Yes / No" (both).
fn line_answers(line: &str) -> Vec<Answer> {
    let line = line.trim_start_matches("- ");
    let candidates = [Some(line), line.split_once(':').map(|(_, answer)| answer)];
    for text in candidates.into_iter().flatten() {
        let text_words = words(text);
        if text_words == "yes no" || text_words == "no yes" {
            return vec![Answer::Yes, Answer::No];
        }
        if let Some(answer) = leading_answer(text) {
            return vec![answer];
        }
    }
    Vec::new()
}

/// Reads the answers of a description section. Ticked boxes win when the section has Yes/No
/// boxes; otherwise the author's own lines (and the heading, after a colon) are read.
pub(crate) fn answers(section: Section<'_>, template: Option<&SectionSpec<'_>>) -> Vec<Answer> {
    let mut found = Vec::new();
    let boxes: Vec<_> = section
        .tasks()
        .filter(|task| !task.struck)
        .filter_map(|task| leading_answer(&task.text).map(|answer| (answer, task.checked)))
        .collect();
    if boxes.is_empty() {
        if let Some((_, answer)) = section.heading.text.rsplit_once(':') {
            found.extend(leading_answer(answer));
        }
        let template_lines = template.and_then(|spec| spec.template).map(|t| &t.lines);
        // An example in a code block ("Yes/No" in a fenced sample) is not an answer.
        let code: Vec<&str> = section
            .blocks
            .iter()
            .flat_map(|block| block.code_lines.iter().map(String::as_str))
            .collect();
        for line in own_lines(section, template_lines).filter(|line| !code.contains(line)) {
            found.extend(line_answers(line));
        }
    } else {
        found.extend(
            boxes
                .iter()
                .filter(|(_, checked)| *checked)
                .map(|(answer, _)| *answer),
        );
    }
    found.dedup();
    if found.len() > 1 && found.iter().all(|answer| *answer == found[0]) {
        found.truncate(1);
    }
    found
}

/// The answer to `spec`'s question in the description.
pub(crate) fn answered(inputs: &Inputs<'_>, spec: &SectionSpec<'_>) -> Answered {
    let assessed = assess(inputs, spec);
    let Some(section) = assessed.section else {
        return Answered::Unfilled(Fill::Missing);
    };
    let found = answers(section, Some(spec));
    let has_yes = found.contains(&Answer::Yes);
    let has_no = found.contains(&Answer::No);
    match (has_yes, has_no) {
        (true, true) => Answered::Both,
        (true, false) => Answered::One(Answer::Yes),
        (false, true) => Answered::One(Answer::No),
        (false, false) if assessed.fill == Fill::Filled => Answered::None,
        (false, false) => Answered::Unfilled(assessed.fill),
    }
}

/// The error for a question without exactly one answer; `None` when it has one.
pub(crate) fn answer_problem(
    rule: RuleId,
    spec: &SectionSpec<'_>,
    answered: &Answered,
) -> Option<Finding> {
    let heading = spec.quoted();
    let fix_one = format!(
        "Under {heading}, tick exactly one box ({} or {}) or write `Yes` or `No` on its own line.",
        code("- [x] Yes"),
        code("- [x] No")
    );
    match answered {
        Answered::One(_) => None,
        Answered::Unfilled(Fill::Missing) => {
            let (what, fix) = problem(Fill::Missing, spec);
            Some(Finding::error(rule, &spec.heading, format!("{what}."), fix))
        }
        Answered::Unfilled(_) | Answered::None => Some(Finding::error(
            rule,
            &spec.heading,
            "no Yes/No answer.",
            fix_one,
        )),
        Answered::Both => Some(Finding::error(
            rule,
            &spec.heading,
            "answered both Yes and No.",
            format!(
                "Keep exactly one answer under {heading}: untick the other box or remove the other line."
            ),
        )),
    }
}

pub(crate) fn check(inputs: &Inputs<'_>, spec: &SectionSpec<'_>) -> Finding {
    if let Need::NotRequired { because } = spec.need(inputs) {
        return Finding::not_applicable(
            RuleId::YesNo,
            &spec.heading,
            format!("not required: {because}."),
        );
    }
    let answered = answered(inputs, spec);
    if let Answered::One(answer) = answered {
        return Finding::passed(
            RuleId::YesNo,
            &spec.heading,
            format!("answered {}.", answer.as_str()),
        );
    }
    answer_problem(RuleId::YesNo, spec, &answered)
        .unwrap_or_else(|| Finding::passed(RuleId::YesNo, &spec.heading, "answered."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::Document;

    fn answers_of(markdown: &str) -> Vec<Answer> {
        let document = Document::parse(markdown);
        let section = document.sections().next().expect("one section");
        answers(section, None)
    }

    #[test]
    fn ticked_boxes_are_the_answer() {
        assert_eq!(answers_of("## Q\n- [x] Yes\n- [ ] No\n"), vec![Answer::Yes]);
        assert_eq!(
            answers_of("## Q\n- [ ] Yes\n- [X] No, internal only\n"),
            vec![Answer::No]
        );
        assert_eq!(answers_of("## Q\n- [ ] Yes\n- [ ] No\n"), vec![]);
        assert_eq!(
            answers_of("## Q\n- [x] Yes\n- [x] No\n"),
            vec![Answer::Yes, Answer::No]
        );
    }

    #[test]
    fn a_struck_box_is_withdrawn() {
        assert_eq!(
            answers_of("## Q\n- [x] ~~Yes~~\n- [x] No\n"),
            vec![Answer::No]
        );
    }

    #[test]
    fn lines_answer_when_there_are_no_boxes() {
        assert_eq!(answers_of("## Q\nNo\n"), vec![Answer::No]);
        assert_eq!(
            answers_of("## Q\n**Yes**, the user schema.\n"),
            vec![Answer::Yes]
        );
        assert_eq!(
            answers_of("## Q\nContracts touched: No\n"),
            vec![Answer::No]
        );
        assert_eq!(answers_of("## Contracts touched: No\n"), vec![Answer::No]);
        assert_eq!(
            answers_of("## Q\nYes / No\n"),
            vec![Answer::Yes, Answer::No]
        );
        assert_eq!(answers_of("## Q\nNot sure\n"), vec![]);
        assert_eq!(answers_of("## Q\n```\nYes\nNo\n```\n"), vec![]);
        assert_eq!(
            answers_of("## Q\n```\nYes / No\n```\nNo\n"),
            vec![Answer::No]
        );
        assert_eq!(answers_of("## Q\nNobody knows\n"), vec![]);
        assert_eq!(
            answers_of("## Q\nYes: the user schema\n"),
            vec![Answer::Yes]
        );
    }
}
