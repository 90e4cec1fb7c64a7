//! The agent-metadata section is required when the PR is AI-assisted: it has a configured label,
//! a commit trailer (`Co-authored-by:`, `Assisted-by:`) naming an AI tool, or the description
//! says so ("AI-assisted", "generated with Claude").

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::body::Body;
use crate::facts::Facts;
use crate::finding::{Finding, RuleId};
use crate::policy::AgentMetadataPolicy;
use crate::rules::Inputs;
use crate::rules::sections::check_as;
use crate::sections::SectionSpec;
use crate::text::code;

static TRAILER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*([A-Za-z][A-Za-z0-9-]*)\s*:\s*(\S.*)$").expect("the trailer pattern is valid")
});
/// "generated with", "written by", "co-authored using": followed by a tool name, a declaration.
static MADE_WITH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(generated|written|created|authored|drafted|assisted|co-authored|made|built)\b.{0,30}?\b(with|by|using|via)\b")
        .expect("the made-with pattern is valid")
});
static NEGATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(not|no|non|without|never|none)\b").expect("the negation pattern is valid")
});

/// Why the PR counts as AI-assisted; empty when it does not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct AiAssistance {
    /// Trusted phrases only, naming a configured label, trailer or tool, or "the description".
    pub reasons: Vec<String>,
}

impl AiAssistance {
    pub(crate) fn is_assisted(&self) -> bool {
        !self.reasons.is_empty()
    }

    /// "the label `ai-assisted` and a commit's `Co-authored-by` trailer naming Claude".
    pub(crate) fn summary(&self) -> String {
        self.reasons.join(" and ")
    }

    pub(crate) fn detect(
        facts: &Facts,
        body: &Body,
        template_lines: &HashSet<String>,
        policy: &AgentMetadataPolicy,
    ) -> Self {
        let mut reasons = Vec::new();
        if !policy.enabled {
            return Self { reasons };
        }
        if let Some(label) = policy.labels.iter().find(|label| facts.has_label(label)) {
            reasons.push(format!("the label {}", code(label)));
        }
        if let Some((trailer, tool)) = trailer_naming_tool(&facts.commit_messages, policy) {
            reasons.push(format!(
                "a commit's {} trailer naming {tool}",
                code(&trailer)
            ));
        }
        let declares = body
            .document
            .lines()
            .filter(|line| !template_lines.contains(&line.to_lowercase()))
            .any(|line| declares_ai_assistance(line, policy));
        if declares {
            reasons.push("the description".to_owned());
        }
        Self { reasons }
    }
}

/// The first trailer (as configured) and AI tool (as configured) found in the commit messages.
fn trailer_naming_tool(
    messages: &[String],
    policy: &AgentMetadataPolicy,
) -> Option<(String, String)> {
    let tools = policy.ai_tool_pattern.as_ref()?;
    messages
        .iter()
        .flat_map(|message| message.lines())
        .find_map(|line| {
            let captures = TRAILER.captures(line)?;
            let name = captures.get(1)?.as_str().to_lowercase();
            let trailer = policy.trailers.iter().find(|trailer| **trailer == name)?;
            let found = tools.find(captures.get(2)?.as_str())?.as_str();
            let tool = policy
                .ai_tools
                .iter()
                .find(|tool| tool.trim().eq_ignore_ascii_case(found))
                .map_or_else(|| found.to_owned(), |tool| tool.trim().to_owned());
            let trailer_display = policy_trailer_display(trailer);
            Some((trailer_display, tool))
        })
}

/// `co-authored-by` as people write it: `Co-authored-by`.
fn policy_trailer_display(trailer: &str) -> String {
    let mut display = String::with_capacity(trailer.len());
    let mut chars = trailer.chars();
    if let Some(first) = chars.next() {
        display.extend(first.to_uppercase());
    }
    display.extend(chars);
    display
}

/// Whether a line of the description declares AI assistance. Unticked boxes and negations
/// ("not AI-assisted") do not.
fn declares_ai_assistance(line: &str, policy: &AgentMetadataPolicy) -> bool {
    let line = line.trim_start_matches("- ");
    if line.starts_with("[ ] ") {
        return false;
    }
    let declared_at = policy
        .declarations
        .iter()
        .find_map(|pattern| pattern.find(line).map(|found| found.start()))
        .or_else(|| {
            let made_with = MADE_WITH.find(line)?;
            let tools = policy.ai_tool_pattern.as_ref()?;
            tools
                .is_match(&line[made_with.end()..])
                .then_some(made_with.start())
        });
    match declared_at {
        Some(at) => !NEGATION.is_match(&line[..at]),
        None => false,
    }
}

pub(crate) fn check(inputs: &Inputs<'_>, spec: &SectionSpec<'_>) -> Finding {
    let mut finding = check_as(RuleId::AgentMetadata, inputs, spec);
    if let Some(fix) = &mut finding.fix {
        fix.push_str(
            " Say which tool and model helped, with what, and how the output was reviewed.",
        );
    }
    finding
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;

    fn detect(labels: &[&str], commits: &[&str], body: &str) -> AiAssistance {
        let facts = Facts {
            labels: labels.iter().map(|s| (*s).to_owned()).collect(),
            commit_messages: commits.iter().map(|s| (*s).to_owned()).collect(),
            ..Facts::default()
        };
        let body = Body::parse(Some(body));
        AiAssistance::detect(
            &facts,
            &body,
            &HashSet::new(),
            &Policy::default().agent_metadata,
        )
    }

    #[test]
    fn a_label_marks_the_pr() {
        let ai = detect(&["AI-Assisted"], &[], "");
        assert_eq!(ai.reasons, vec!["the label `ai-assisted`"]);
    }

    #[test]
    fn a_trailer_naming_a_tool_marks_the_pr() {
        let ai = detect(
            &[],
            &["Add users\n\nCo-authored-by: Claude <noreply@anthropic.com>"],
            "",
        );
        assert_eq!(
            ai.reasons,
            vec!["a commit's `Co-authored-by` trailer naming Claude"]
        );
        let ai = detect(&[], &["Fix\n\nassisted-by: GitHub Copilot"], "");
        assert!(ai.is_assisted());
    }

    #[test]
    fn a_human_co_author_does_not() {
        let ai = detect(
            &[],
            &["Fix\n\nCo-authored-by: Jane Doe <jane@example.com>"],
            "",
        );
        assert!(!ai.is_assisted());
        let ai = detect(&[], &["Claude suggested this in review"], "");
        assert!(!ai.is_assisted(), "only trailers count in commits");
    }

    #[test]
    fn the_description_can_declare_it() {
        assert!(detect(&[], &[], "This PR is AI-assisted.").is_assisted());
        assert!(detect(&[], &[], "- [x] AI-assisted").is_assisted());
        assert!(
            detect(
                &[],
                &[],
                "🤖 Generated with [Claude Code](https://claude.com/claude-code)"
            )
            .is_assisted()
        );
        assert!(!detect(&[], &[], "- [ ] AI-assisted").is_assisted());
        assert!(!detect(&[], &[], "This PR is not AI-assisted.").is_assisted());
        assert!(!detect(&[], &[], "Written by hand, reviewed by Jane.").is_assisted());
    }
}
