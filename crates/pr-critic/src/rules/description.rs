//! The description says something of the author's own. A template whose sections are all
//! optional, addressed to reviewers or kept as they are asks nothing by section; an untouched or
//! placeholder-only description must still not pass.

use crate::finding::{Finding, RuleId};
use crate::rules::Inputs;
use crate::rules::fill::says_nothing;

/// An error when the description holds nothing but the template's text, comments and
/// placeholders (`N/A`, `None`, `TODO`); nothing otherwise.
pub(crate) fn check(inputs: &Inputs<'_>) -> Option<Finding> {
    inputs.template?;
    let placeholders = &inputs.policy.placeholders;
    let says_something = inputs
        .own_lines()
        .any(|line| !says_nothing(line) && !placeholders.is_placeholder(line, false));
    if says_something {
        return None;
    }
    Some(Finding::error(
        RuleId::Section,
        "Description",
        "holds nothing of the author's own: only the template's text, comments or placeholders.",
        "Describe the change in your own words in the sections the template offers.",
    ))
}
