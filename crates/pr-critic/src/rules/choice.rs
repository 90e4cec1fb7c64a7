//! Alternatives: the template says to keep the section that applies ("pick one and delete the
//! rest", "choose the right checklist"). One of them must be filled in; the others may be gone.

use std::collections::BTreeMap;

use crate::finding::{Finding, RuleId};
use crate::rules::Inputs;
use crate::rules::fill::{Fill, assess};
use crate::sections::SectionSpec;

/// One finding per group of alternatives.
pub(crate) fn check(inputs: &Inputs<'_>, specs: &[SectionSpec<'_>]) -> Vec<Finding> {
    let mut groups: BTreeMap<usize, Vec<&SectionSpec<'_>>> = BTreeMap::new();
    for spec in specs {
        if let Some(choice) = spec.choice {
            groups.entry(choice).or_default().push(spec);
        }
    }
    groups
        .into_values()
        .map(|alternatives| check_group(inputs, &alternatives))
        .collect()
}

fn check_group(inputs: &Inputs<'_>, alternatives: &[&SectionSpec<'_>]) -> Finding {
    let subject = alternatives
        .iter()
        .map(|spec| spec.heading.as_str())
        .collect::<Vec<_>>()
        .join(" / ");
    let names = alternatives
        .iter()
        .map(|spec| spec.quoted())
        .collect::<Vec<_>>()
        .join(", ");
    let fills: Vec<Fill> = alternatives
        .iter()
        .map(|spec| assess(inputs, spec).fill)
        .collect();
    if let Some(index) = fills.iter().position(|fill| *fill == Fill::Filled) {
        return Finding::passed(
            RuleId::Section,
            subject,
            format!(
                "{} filled in (one of the alternatives is enough).",
                alternatives[index].quoted()
            ),
        );
    }
    let all_missing = fills.iter().all(|fill| *fill == Fill::Missing);
    Finding::error(
        RuleId::Section,
        subject,
        if all_missing {
            "none of the alternatives is in the description.".to_owned()
        } else {
            "the alternatives kept are not filled in.".to_owned()
        },
        format!(
            "Keep the one of {names} that applies to this PR and fill it in; the template says the others may be deleted."
        ),
    )
}
