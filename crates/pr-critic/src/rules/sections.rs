//! A section of the template is filled in: not missing, empty, only HTML comments, only the
//! template's own text, or only a placeholder.

use crate::finding::{Finding, RuleId};
use crate::rules::Inputs;
use crate::rules::fill::{Fill, assess, problem};
use crate::sections::{Need, SectionSpec};

/// The message of a section kept as the template has it: satisfied, but not the author's words.
pub(crate) const KEPT: &str = "kept as the template has it.";

pub(crate) fn check(inputs: &Inputs<'_>, spec: &SectionSpec<'_>) -> Finding {
    check_as(RuleId::Section, inputs, spec)
}

/// The filled-in check under another rule's name, for rules that require a section only when
/// something in the PR calls for it.
pub(crate) fn check_as(rule: RuleId, inputs: &Inputs<'_>, spec: &SectionSpec<'_>) -> Finding {
    let (because, files) = match spec.need(inputs) {
        Need::NotRequired { because } => {
            return Finding::not_applicable(
                rule,
                spec.subject(),
                format!("not required: {because}."),
            );
        }
        Need::Required { because, files } => (because, files),
    };
    let assessed = assess(inputs, spec);
    if spec.keep_intact && matches!(assessed.fill, Fill::TemplateText | Fill::Filled) {
        return Finding::passed(rule, spec.subject(), KEPT);
    }
    if spec.keep_intact {
        return Finding::error(
            rule,
            spec.subject(),
            "removed, but the template asks to keep it as it is.",
            format!(
                "Put the section {} back with the template's text, unchanged.",
                spec.quoted()
            ),
        );
    }
    if assessed.fill == Fill::Filled {
        let message = match &because {
            Some(because) => format!("filled in (required because {because})."),
            None => "filled in.".to_owned(),
        };
        return Finding::passed(rule, spec.subject(), message).with_files(files);
    }
    let (what, fix) = problem(assessed.fill, spec);
    let message = match &because {
        Some(because) => format!("required because {because}, but {what}."),
        None => format!("{what}."),
    };
    Finding::error(rule, spec.subject(), message, fix).with_files(files)
}
