//! Line coverage from a report file, compared with the threshold.

use crate::coverage::parse_report;
use crate::finding::{Finding, RuleId};
use crate::rules::Inputs;
use crate::text::code;

pub(crate) fn check(inputs: &Inputs<'_>) -> Option<Finding> {
    let input = inputs.facts.coverage.as_ref()?;
    let policy = &inputs.policy.coverage;
    const SUBJECT: &str = "Coverage";
    let failing = |message: String, fix: String| {
        if policy.fail_below {
            Finding::error(RuleId::Coverage, SUBJECT, message, fix)
        } else {
            Finding::warning(RuleId::Coverage, SUBJECT, message, fix)
        }
    };
    let path = code(&input.path);
    let text = match &input.contents {
        Ok(text) => text,
        Err(reason) => {
            return Some(failing(
                format!("the report {path} could not be read: {reason}."),
                "Produce the coverage report in an earlier step, or correct `coverage.report` in `.github/guardians.yml`.".to_owned(),
            ));
        }
    };
    let summary = match parse_report(text) {
        Ok(summary) => summary,
        Err(error) => {
            return Some(failing(
                format!("the report {path} could not be read: {error}."),
                "Write the report as lcov, Cobertura XML or Istanbul json-summary.".to_owned(),
            ));
        }
    };
    let shown = summary.describe();
    let threshold = format_percent(policy.threshold);
    Some(if summary.percent() + 1e-9 >= policy.threshold {
        Finding::passed(
            RuleId::Coverage,
            SUBJECT,
            format!("line coverage is {shown}, at or above {threshold}."),
        )
    } else {
        failing(
            format!("line coverage is {shown}, below the {threshold} threshold."),
            format!("Add tests for the changed code until line coverage reaches {threshold}."),
        )
    })
}

/// `80%`, `72.5%`.
pub(crate) fn format_percent(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}%")
    } else {
        format!("{rounded:.1}%")
    }
}
