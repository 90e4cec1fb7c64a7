//! The description links an issue: a closing keyword reference (`Fixes #12`,
//! `Closes owner/repo#3`, `Resolves https://github.com/owner/repo/issues/3`) or a configured
//! pattern such as `[A-Z]+-\d+`.

use std::sync::LazyLock;

use regex::Regex;

use crate::finding::{Finding, RuleId};
use crate::rules::Inputs;
use crate::text::code;

static CLOSING_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\b:?\s+\[?(?:#\d+|[\w.-]+/[\w.-]+#\d+|https?://[^\s/]+/[\w.-]+/[\w.-]+/issues/\d+)",
    )
    .expect("the closing reference pattern is valid")
});

/// Whether a line links an issue.
pub(crate) fn links_issue(line: &str, patterns: &[Regex]) -> bool {
    CLOSING_REFERENCE.is_match(line) || patterns.iter().any(|pattern| pattern.is_match(line))
}

pub(crate) fn check(inputs: &Inputs<'_>) -> Option<Finding> {
    let policy = &inputs.policy.issue_link;
    if !policy.required {
        return None;
    }
    const SUBJECT: &str = "Linked issue";
    if inputs
        .own_lines()
        .any(|line| links_issue(line, &policy.patterns))
    {
        return Some(Finding::passed(
            RuleId::IssueLink,
            SUBJECT,
            "the description links an issue.",
        ));
    }
    let patterns: Vec<String> = policy.patterns.iter().map(|p| code(p.as_str())).collect();
    let also = if patterns.is_empty() {
        String::new()
    } else {
        format!(", or a reference matching {}", patterns.join(" or "))
    };
    Some(Finding::error(
        RuleId::IssueLink,
        SUBJECT,
        "the description does not link an issue.",
        format!(
            "Add a closing reference such as {} or {}{also}.",
            code("Fixes #123"),
            code("Closes owner/repo#123")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_references() {
        assert!(links_issue("Fixes #12", &[]));
        assert!(links_issue("This closes owner/repo#3.", &[]));
        assert!(links_issue("Resolves https://github.com/o/r/issues/3", &[]));
        assert!(links_issue(
            "fixed: [#12](https://github.com/o/r/issues/12)",
            &[]
        ));
        assert!(!links_issue("Fixes #", &[]));
        assert!(!links_issue("See #12", &[]));
        assert!(!links_issue("prefixes #12", &[]));
    }

    #[test]
    fn configured_patterns() {
        let jira = vec![Regex::new(r"[A-Z]+-\d+").expect("valid")];
        assert!(links_issue("Part of PAY-1234", &jira));
        assert!(!links_issue("Part of the payments work", &jira));
    }
}
