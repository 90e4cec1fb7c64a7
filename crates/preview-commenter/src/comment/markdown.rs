//! Escaping for URLs and code placed into the comment's Markdown. Text (names, reasons) goes
//! through guardians-core's one `markdown::escape_inline`.

/// A URL inside `<...>` or `(...)`: characters that would end the link or the table cell are
/// percent-encoded (the URL stays equivalent).
pub(super) fn escape_url(url: &str) -> String {
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
pub(super) fn code_fence(content: &str) -> String {
    let longest = content.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

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
