//! Putting untrusted text (file names, labels, titles) into Markdown that we render, so that it
//! shows as the text it is and cannot break a table or inject markup.

/// Text for a table cell or inline prose: Markdown punctuation and HTML are escaped, line
/// breaks become spaces.
pub fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\r' | '\n' => out.push(' '),
            // GitHub turns `@name` into a mention (a notification) after Markdown is rendered, so
            // a backslash does not stop it; a word joiner after `@` does, and is invisible.
            '@' if chars.peek().is_some_and(|c| c.is_alphanumeric()) => {
                out.push('@');
                out.push('\u{2060}');
            }
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '!' | '~' | '&' => {
                out.push('\\');
                out.push(ch);
            }
            _ => out.push(ch),
        }
    }
    out
}

/// Text as an inline code span that survives backticks inside it, and `|` in tables.
pub fn code_span(text: &str) -> String {
    let text = text.replace(['\r', '\n'], " ").replace('|', "\\|");
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Untrusted text for the inside of a fenced code block (a diff, a file excerpt). GitHub shows a
/// code block literally, but `<!--` in it is still `<!--` in the raw body, where a reader of
/// hidden metadata looks. A zero-width joiner after each `<` that starts `<!` keeps the text as
/// it reads and makes an HTML comment — so any of our markers — impossible to form. (Outside
/// code, [`escape_inline`] already breaks `<!` with backslashes.)
pub fn code_block_text(text: &str) -> String {
    text.replace("<!", "<\u{200D}!")
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_text_cannot_break_out() {
        assert_eq!(escape_inline("a|b\n<img src=x>"), "a\\|b \\<img src=x\\>");
        assert_eq!(escape_inline("[x](http://e)"), "\\[x\\](http://e)");
    }

    #[test]
    fn untrusted_text_never_forms_an_html_comment() {
        let hostile = "<!-- guardians:contracts-diff -->\n<!-- contracts-diff:approved ab -->";
        for escaped in [escape_inline(hostile), code_block_text(hostile)] {
            assert!(!escaped.contains("<!--"), "{escaped}");
            assert!(!escaped.contains("<!"), "{escaped}");
        }
        assert_eq!(code_block_text("a <!-- b"), "a <\u{200D}!-- b");
        assert_eq!(code_block_text("a < b"), "a < b");
    }

    #[test]
    fn code_spans_survive_backticks_and_pipes() {
        assert_eq!(code_span("src/a.rs"), "`src/a.rs`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x"), "`` `x ``");
        assert_eq!(code_span("a|b"), "`a\\|b`");
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}

#[cfg(test)]
mod mention_tests {
    use super::escape_inline;

    #[test]
    fn untrusted_text_cannot_mention_anyone() {
        let escaped = escape_inline("ping @octocat and @org/team, mail a@b");
        assert!(!escaped.contains("@o"), "{escaped}");
        assert!(!escaped.contains("@b"), "{escaped}");
        assert_eq!(
            escaped.replace('\u{2060}', ""),
            "ping @octocat and @org/team, mail a@b"
        );
    }
}
