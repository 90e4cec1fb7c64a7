//! How headings are compared: an author may drop an emoji, change case, or shorten
//! "Tests added (with coverage)" to "Tests added", and still mean the same section.

use std::sync::LazyLock;

use regex::Regex;

static SHORTCODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r":[a-z0-9_+-]+:").expect("the emoji shortcode pattern is valid"));
static PARENTHESIZED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(([^()]*)\)").expect("the parenthesis pattern is valid"));

/// A heading reduced to what identifies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingKey {
    /// Lower-case words without emoji, `:shortcodes:`, punctuation or parenthesized hints:
    /// "🧪 Tests added (with coverage)" becomes `tests added`.
    pub key: String,
    /// The parenthesized hints, lower-cased: `with coverage`.
    pub hint: Option<String>,
}

impl HeadingKey {
    pub fn new(heading: &str) -> Self {
        let without_shortcodes = SHORTCODE.replace_all(heading, " ");
        let hints: Vec<String> = PARENTHESIZED
            .captures_iter(&without_shortcodes)
            .filter_map(|captures| captures.get(1))
            .map(|hint| words(hint.as_str()))
            .filter(|hint| !hint.is_empty())
            .collect();
        let mut key = without_filler(&words(&PARENTHESIZED.replace_all(&without_shortcodes, " ")));
        if key.is_empty() {
            // A heading made only of a parenthesized phrase is still a heading.
            key = words(&without_shortcodes);
        }
        let hint = (!hints.is_empty()).then(|| hints.join(" "));
        Self { key, hint }
    }

    /// Whether the hint marks the section as optional: "(optional)", "(if applicable)", "(if any)".
    pub fn hint_says_optional(&self) -> bool {
        self.hint.as_deref().is_some_and(|hint| {
            hint.starts_with("optional")
                || hint.starts_with("if ")
                || hint.starts_with("when ")
                || hint.starts_with("only ")
        })
    }

    /// Whether the hint asks for a Yes/No answer: "(Yes/No)".
    pub fn hint_asks_yes_no(&self) -> bool {
        self.hint
            .as_deref()
            .is_some_and(|hint| hint.contains("yes no"))
    }
}

/// "Risk assessment and rollout plan" names the same section as "Risk assessment & rollout plan".
fn without_filler(key: &str) -> String {
    key.split(' ')
        .filter(|word| *word != "and")
        .collect::<Vec<_>>()
        .join(" ")
}

/// Lower-case alphanumeric words joined by single spaces.
pub(crate) fn words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Whether `needle` (a key) occurs in `key` as a run of whole words.
pub(crate) fn contains_words(key: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    key.match_indices(needle).any(|(at, _)| {
        let before_ok = at == 0 || key.as_bytes()[at - 1] == b' ';
        let end = at + needle.len();
        let after_ok = end == key.len() || key.as_bytes()[end] == b' ';
        before_ok && after_ok
    })
}

/// Whether a body heading names the template heading `template_key`: the same words, or the same
/// words followed by more (an answer written into the heading, "Contracts touched: No").
pub(crate) fn body_matches_template(body_key: &str, template_key: &str) -> bool {
    if body_key.is_empty() || template_key.is_empty() {
        return false;
    }
    body_key == template_key
        || body_key
            .strip_prefix(template_key)
            .is_some_and(|rest| rest.starts_with(' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_shortcodes_punctuation_and_hints_are_ignored() {
        let key = HeadingKey::new("🧪 :test_tube: Tests added (with coverage)");
        assert_eq!(key.key, "tests added");
        assert_eq!(key.hint.as_deref(), Some("with coverage"));
        assert_eq!(
            HeadingKey::new("Risk assessment & rollout plan").key,
            "risk assessment rollout plan"
        );
        assert_eq!(
            HeadingKey::new("Risk assessment and rollout plan").key,
            "risk assessment rollout plan"
        );
        assert_eq!(
            HeadingKey::new("Endpoints added/changed").key,
            "endpoints added changed"
        );
    }

    #[test]
    fn hints_mark_optional_and_yes_no_sections() {
        assert!(HeadingKey::new("Agent metadata (if AI-assisted)").hint_says_optional());
        assert!(HeadingKey::new("Notes (optional)").hint_says_optional());
        assert!(!HeadingKey::new("Tests added (with coverage)").hint_says_optional());
        assert!(HeadingKey::new("Contracts touched (Yes/No)").hint_asks_yes_no());
        assert!(!HeadingKey::new("Scope").hint_asks_yes_no());
    }

    #[test]
    fn a_heading_of_only_a_hint_keeps_its_words() {
        assert_eq!(HeadingKey::new("(optional)").key, "optional");
    }

    #[test]
    fn word_runs_do_not_match_inside_words() {
        assert!(contains_words("tests added", "tests"));
        assert!(contains_words("how was this tested", "was this"));
        assert!(!contains_words("contests", "tests"));
        assert!(!contains_words("tests added", "test"));
        assert!(!contains_words("tests", ""));
    }

    #[test]
    fn a_body_heading_may_carry_its_answer() {
        assert!(body_matches_template(
            "contracts touched no",
            "contracts touched"
        ));
        assert!(body_matches_template("scope", "scope"));
        assert!(!body_matches_template("scopes", "scope"));
        assert!(!body_matches_template("", ""));
    }
}
