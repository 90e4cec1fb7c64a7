//! Quoting for the test commands reviewers copy into a shell.

/// Returns `word` as is when a POSIX shell would read it literally, and single-quoted otherwise,
/// so a branch named `x;rm -rf ~` stays one harmless argument.
pub(crate) fn quote_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_./:@%+=,-".contains(&b));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::quote_word;

    #[test]
    fn urls_stay_bare_and_shell_syntax_is_quoted() {
        assert_eq!(
            quote_word("https://myapp-pr-42.pages.dev/health"),
            "https://myapp-pr-42.pages.dev/health"
        );
        assert_eq!(
            quote_word("https://x.dev/?a=1&b=2"),
            "'https://x.dev/?a=1&b=2'"
        );
        assert_eq!(quote_word("x;rm -rf ~"), "'x;rm -rf ~'");
        assert_eq!(quote_word("it's"), r"'it'\''s'");
        assert_eq!(quote_word("$(id)"), "'$(id)'");
        assert_eq!(quote_word(""), "''");
    }
}
