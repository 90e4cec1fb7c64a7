//! The endpoints section is required when route or handler code changed.

use crate::finding::{Finding, RuleId};
use crate::rules::Inputs;
use crate::rules::sections::check_as;
use crate::sections::SectionSpec;

pub(crate) fn check(inputs: &Inputs<'_>, spec: &SectionSpec<'_>) -> Finding {
    let mut finding = check_as(RuleId::Endpoints, inputs, spec);
    if let Some(fix) = &mut finding.fix {
        fix.push_str(
            " List each endpoint added or changed, e.g. `POST /users` and what it returns.",
        );
    }
    finding
}
