//! Escaping for text placed into the comment's Markdown.

/// Escapes text for a table cell or a line of prose: Markdown and HTML syntax is shown as typed,
/// a `|` does not end the cell, and line breaks do not end the row.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '#' | '!' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A URL inside `<...>` or `(...)`: characters that would end the link or the table cell are
/// percent-encoded (the URL stays equivalent).
pub fn escape_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '|' => out.push_str("%7C"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            ' ' => out.push_str("%20"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A fence longer than any run of backticks in `content`, so the content cannot close it.
pub fn code_fence(content: &str) -> String {
    let longest = content.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_text_cannot_break_the_table_or_inject_html() {
        assert_eq!(escape_text("a|b\n<img src=x>"), r"a\|b \<img src=x\>");
        assert_eq!(escape_text("Front_end *v2*"), r"Front\_end \*v2\*");
    }

    #[test]
    fn urls_keep_their_meaning() {
        assert_eq!(
            escape_url("https://x.dev/a|b(c)"),
            "https://x.dev/a%7Cb%28c%29"
        );
    }

    #[test]
    fn fence_outgrows_backticks_in_content() {
        assert_eq!(code_fence("curl x"), "```");
        assert_eq!(code_fence("echo ````"), "`````");
    }
}
