//! Safe rendering of text that did not come from us (file paths, labels, headings) into the
//! Markdown report. File paths are chosen by the PR's author and may hold newlines, backticks or
//! `::` sequences; none of that may break out of its code span or start a line of the log.

use guardians_core::markdown;

/// Longest path shown; longer ones are cut in the middle of nowhere with an ellipsis.
const MAX_SHOWN_CHARS: usize = 200;

/// Replaces control characters with visible escapes (`\n`, `\u{1b}`) and cuts very long text.
pub(crate) fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_SHOWN_CHARS + 4));
    for (count, c) in text.chars().enumerate() {
        if count == MAX_SHOWN_CHARS {
            out.push('…');
            break;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    out
}

/// An inline code span that shows `text` literally, whatever backticks it holds: core's one
/// code span, over text whose control characters are made visible and which can never open an
/// HTML comment (so never one of our markers).
pub(crate) fn code(text: &str) -> String {
    let shown = visible(text);
    if shown.is_empty() {
        // An empty span is not a span in Markdown; a padded one shows as blank.
        return "` `".to_owned();
    }
    markdown::code_span(&markdown::code_block_text(&shown))
}

/// Text shown as prose with Markdown's special characters escaped (core's one inline escaping),
/// so a heading such as `Risk <b>assessment</b> & *rollout*` prints as written. Core's escaping
/// also keeps a template's `@org/team` quoted in our comment from notifying the team on every PR.
pub(crate) fn plain(text: &str) -> String {
    markdown::escape_inline(&visible(text))
}

/// A list of code spans, at most `limit` of them, then "and N more".
pub(crate) fn code_list(items: &[String], limit: usize) -> String {
    let mut shown: Vec<String> = items.iter().take(limit).map(|item| code(item)).collect();
    if items.len() > limit {
        shown.push(format!("and {} more", items.len() - limit));
    }
    shown.join(", ")
}

/// "1 file" / "3 files".
pub(crate) fn count(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {plural}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_with_a_newline_cannot_start_a_workflow_command() {
        let rendered = code("src/a\n::error::pwned");
        assert_eq!(rendered, "`src/a\\n::error::pwned`");
        assert!(!rendered.contains('\n'));
    }

    #[test]
    fn backticks_in_a_path_get_a_longer_fence() {
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
    }

    #[test]
    fn prose_escapes_markdown() {
        assert_eq!(plain("Risk *now* <b>"), "Risk \\*now\\* \\<b\\>");
        assert_eq!(plain("ask @org/team & co"), "ask @\u{2060}org/team \\& co");
    }

    #[test]
    fn untrusted_text_never_forms_our_marker() {
        let hostile = "<!-- guardians:pr-critic -->";
        for shown in [code(hostile), plain(hostile)] {
            assert!(!shown.contains("<!--"), "{shown}");
        }
    }

    #[test]
    fn long_lists_are_cut() {
        let items: Vec<String> = (0..5).map(|i| format!("f{i}")).collect();
        assert_eq!(code_list(&items, 2), "`f0`, `f1`, and 3 more");
    }

    #[test]
    fn very_long_text_is_cut() {
        let long = "a".repeat(1000);
        assert_eq!(visible(&long).chars().count(), MAX_SHOWN_CHARS + 1);
    }
}
