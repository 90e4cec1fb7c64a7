//! The contracts question agrees with the diff: "No" while contract files changed is an error
//! naming them; "Yes" while none changed is a warning.

use crate::finding::{Finding, RuleId};
use crate::rules::Inputs;
use crate::rules::yes_no::{Answer, Answered, answer_problem, answered};
use crate::sections::{Need, SectionSpec};
use crate::text::{code, code_list, count};

pub(crate) fn check(inputs: &Inputs<'_>, spec: &SectionSpec<'_>) -> Finding {
    if let Need::NotRequired { because } = spec.need(inputs) {
        return Finding::not_applicable(
            RuleId::Contracts,
            &spec.heading,
            format!("not required: {because}."),
        );
    }
    let answered = answered(inputs, spec);
    let Answered::One(answer) = answered else {
        return answer_problem(RuleId::Contracts, spec, &answered)
            .unwrap_or_else(|| Finding::passed(RuleId::Contracts, &spec.heading, "answered."));
    };
    let changed = &inputs.changes.contracts;
    let heading = spec.quoted();
    match (answer, changed.is_empty()) {
        (Answer::No, false) => Finding::error(
            RuleId::Contracts,
            &spec.heading,
            format!(
                "answered No, but {} changed.",
                count(changed.len(), "contract file", "contract files")
            ),
            format!(
                "Answer {} under {heading} and describe the contract change, or take these files out of the PR.",
                code("- [x] Yes")
            ),
        )
        .with_files(changed.clone()),
        (Answer::Yes, true) => Finding::warning(
            RuleId::Contracts,
            &spec.heading,
            "answered Yes, but no contract file changed.".to_owned(),
            format!(
                "Answer {} under {heading} if no contract changes, or add the contract change to this PR (contract files match {}).",
                code("- [x] No"),
                code_list(&inputs.policy.contracts.paths.patterns, 4)
            ),
        ),
        (Answer::Yes, false) => Finding::passed(
            RuleId::Contracts,
            &spec.heading,
            format!(
                "answered Yes; {} changed.",
                count(changed.len(), "contract file", "contract files")
            ),
        )
        .with_files(changed.clone()),
        (Answer::No, true) => Finding::passed(
            RuleId::Contracts,
            &spec.heading,
            "answered No; no contract file changed.",
        ),
    }
}
