//! What a template says about its own sections, in its comments, its text and its headings:
//! "remove this section if ...", "leave blank if ...", "(optional)", "(REQUIRED)", "pick one and
//! delete the rest", "do not edit", "for reviewers", "updated by the bot". A section is only
//! asked of the author when the template asks it.

use std::sync::LazyLock;

use regex::Regex;

use crate::heading::HeadingKey;

fn pattern(source: &str) -> Regex {
    Regex::new(source).expect("the instruction patterns are valid")
}

static OPTIONAL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\boptional\b|\bif (applicable|any|relevant|needed|necessary|appropriate)\b|\bwhere (applicable|relevant)\b|\bnot mandatory\b|\b(this section|it) is not (required|mandatory)\b|\bleav(e|ing) (it |this |this section |this field )?(blank|empty)\b|\b(delete|remove|omit|skip) (this|the) (section|heading|part|block)\b|\b(delete|remove) (it|this) if\b|\bonly fill\b|\bfill (this|it) (in )?only\b",
    )
});
static REQUIRED: LazyLock<Regex> = LazyLock::new(|| pattern(r"(?i)\(\s*required\s*\)"));
static NA_ACCEPTED: LazyLock<Regex> =
    LazyLock::new(|| pattern(r#"(?i)\bwrite\s*["'“`]?\s*(n/a|none|na)\b"#));
static CHOOSE_ONE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(choose|pick|select|keep|check|tick|use) (only |exactly )?(one|1|the right|the relevant|the appropriate|the one)\b|\b(delete|remove) the (rest|others|ones that)\b",
    )
});
static KEEP_INTACT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(do not|don't|please do not|never) (edit|modify|change|remove|delete|alter)( (this|the following|the text))?\b|\bkeep (this|it|the following|this text|the text)( section| text| line| block)? (intact|as is|as it is|unchanged|verbatim)\b|\bleave (this|it)( section| text)? (as is|intact|unchanged|in place)\b",
    )
});
static LEGAL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\bby (submitting|opening|creating|sending) (this|a) (pull request|pr|contribution|change)\b|\bi (hereby )?(confirm|certify|agree)\b.*\b(licen[cs]e|terms|dco|cla)\b",
    )
});
static FOR_REVIEWERS_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(reviewers?|maintainers?|mergers?|review checklist|bots?|qa only)\b")
});
static FOR_REVIEWERS_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(for|by) (the |our )?(c\+ |code )?(reviewers?|maintainers?|mergers?|core team)( only)?\s*[.:)]|\bchecklist for (the |our )?(c\+ )?(reviewers?|maintainers?)\b|\bto be (filled|completed|checked) (in |out )?by (the |a )?(reviewers?|maintainers?)\b",
    )
});
static BOT_MANAGED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\bauto-?generated\b|\bautomatically (generated|updated|filled|managed|maintained|added)\b|\b(managed|generated|updated|filled( in)?|written|maintained|populated|edited) (automatically )?by (a |the |our )?([\w-]+[- ])?(bot|automation|workflow|github action)\b|\bbot-managed\b",
    )
});
/// Text that asks the author for something: a lead paragraph without it (a notice, a thank-you)
/// is not a section.
static PROMPT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(replace|describe|description|explain|summar|list|provide|link|fill|write|include|tell us)\w*\b|\b(fixes|closes|resolves) #|\?",
    )
});

/// Headings conventionally left empty when there is nothing to say (compared by key).
const CONVENTIONALLY_OPTIONAL: &[&str] = &[
    "other information",
    "additional information",
    "additional context",
    "additional notes",
    "additional comments",
    "any other comments",
    "other comments",
    "anything else",
    "notes",
    "other",
    "special notes for your reviewer",
    "further comments",
    "extra information",
    "miscellaneous",
];

/// What the template asks of the author for one section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ask {
    /// Fill it in.
    Fill,
    /// Fill it in; the template marks it "(REQUIRED)".
    Required,
    /// Not required; the reason is shown in the report.
    Optional(&'static str),
    /// Keep the template's text as it is (legal text, a sign-off).
    KeepIntact,
    /// Addressed to someone else: reviewers, maintainers, a bot.
    NotForAuthor(&'static str),
}

/// Reads one section's heading, comments and visible lines.
pub(crate) fn ask(key: &HeadingKey, heading: &str, comments: &[String], lines: &[String]) -> Ask {
    let said: String = comments
        .iter()
        .chain(lines.iter())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("\n");
    if REQUIRED.is_match(heading) || key.hint.as_deref() == Some("required") {
        return Ask::Required;
    }
    if BOT_MANAGED.is_match(heading) || BOT_MANAGED.is_match(&said) {
        return Ask::NotForAuthor("the template says a bot maintains it");
    }
    if CONVENTIONALLY_OPTIONAL.contains(&key.key.as_str()) {
        return Ask::Optional(
            "it is a section conventionally left empty when there is nothing to add",
        );
    }
    if FOR_REVIEWERS_HEADING.is_match(&key.key)
        || comments
            .iter()
            .any(|comment| FOR_REVIEWERS_TEXT.is_match(comment))
    {
        return Ask::NotForAuthor("the template addresses it to reviewers or maintainers");
    }
    if key.hint_says_optional() {
        return Ask::Optional("optional");
    }
    if OPTIONAL.is_match(heading) || OPTIONAL.is_match(&said) {
        return Ask::Optional("the template says it is optional or may be removed");
    }
    if KEEP_INTACT.is_match(&said) || lines.iter().any(|line| LEGAL.is_match(line)) {
        return Ask::KeepIntact;
    }
    Ask::Fill
}

/// The template says "N/A" (or "none") is an answer here.
pub(crate) fn accepts_na(comments: &[String], lines: &[String]) -> bool {
    comments
        .iter()
        .chain(lines.iter())
        .any(|text| NA_ACCEPTED.is_match(text))
}

/// The text tells the author to keep one of the sections that follow and delete the others.
pub(crate) fn says_choose_one(comments: &[String], lines: &[String]) -> bool {
    comments
        .iter()
        .chain(lines.iter())
        .any(|text| CHOOSE_ONE.is_match(text))
}

/// The text before the first heading asks the author for something.
pub(crate) fn is_prompt(lines: &[String]) -> bool {
    lines.iter().any(|line| PROMPT.is_match(line))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask_of(heading: &str, comment: &str, line: &str) -> Ask {
        let comments: Vec<String> = [comment]
            .iter()
            .filter(|c| !c.is_empty())
            .map(|c| (*c).to_owned())
            .collect();
        let lines: Vec<String> = [line]
            .iter()
            .filter(|l| !l.is_empty())
            .map(|l| (*l).to_owned())
            .collect();
        ask(&HeadingKey::new(heading), heading, &comments, &lines)
    }

    #[test]
    fn instructions_make_sections_optional() {
        assert!(matches!(
            ask_of(
                "Breaking change",
                "Note: Remove this section if this PR is NOT a breaking change.",
                ""
            ),
            Ask::Optional(_)
        ));
        assert!(matches!(ask_of("Notes", "", ""), Ask::Optional(_)));
        assert!(matches!(
            ask_of("Any other comments?", "", ""),
            Ask::Optional(_)
        ));
        assert!(matches!(
            ask_of("Release notes", "Leave blank if no user-facing change", ""),
            Ask::Optional(_)
        ));
        assert!(matches!(
            ask_of(
                "A picture of a cute animal (not mandatory but encouraged)",
                "",
                ""
            ),
            Ask::Optional(_)
        ));
        assert_eq!(ask_of("Summary", "Describe the change", ""), Ask::Fill);
    }

    #[test]
    fn required_wins_over_conditional_wording() {
        assert_eq!(
            ask_of(
                "AI Assistance Disclosure (REQUIRED)",
                "",
                "If AI tools were used, say which (optional details)"
            ),
            Ask::Required
        );
    }

    #[test]
    fn reviewer_bot_and_legal_sections() {
        assert!(matches!(
            ask_of("Checklist for Maintainers", "", ""),
            Ask::NotForAuthor(_)
        ));
        assert!(matches!(
            ask_of("Contributor Plus (C+) PR Review Checklist", "", ""),
            Ask::NotForAuthor(_)
        ));
        assert!(matches!(
            ask_of("Canary", "This section is updated by the release bot.", ""),
            Ask::NotForAuthor(_)
        ));
        assert!(matches!(
            ask_of("Checks", "This is a checklist for C+ reviewers.", ""),
            Ask::NotForAuthor(_)
        ));
        assert_eq!(
            ask_of(
                "License",
                "",
                "By submitting this pull request, I confirm that my contribution is made under the terms of the Apache-2.0 license"
            ),
            Ask::KeepIntact
        );
        assert_eq!(
            ask_of("Sign-off", "Do not edit this section", "Signed"),
            Ask::KeepIntact
        );
    }

    #[test]
    fn choose_one_and_na() {
        assert!(says_choose_one(
            &["Choose the right checklist for the change that you're making:".to_owned()],
            &[]
        ));
        assert!(says_choose_one(
            &["Pick one below and delete the rest".to_owned()],
            &[]
        ));
        assert!(accepts_na(
            &["Or delete the line and write \"N/A\" if this is a trivial PR.".to_owned()],
            &[]
        ));
    }
}
