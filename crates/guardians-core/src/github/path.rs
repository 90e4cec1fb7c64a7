//! Building API paths from untrusted parts (label names, file paths, refs).

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// Everything but RFC 3986 unreserved characters is escaped, so that a label named
/// `size/XL`, `needs review` or `🐘` stays one path segment.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b':')
    .add(b';')
    .add(b'<')
    .add(b'=')
    .add(b'>')
    .add(b'?')
    .add(b'@')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}')
    .add(b'&')
    .add(b'+')
    .add(b',')
    .add(b'$')
    .add(b'!')
    .add(b'\'')
    .add(b'(')
    .add(b')')
    .add(b'*');

/// Percent-encode one path segment.
pub fn segment(raw: &str) -> String {
    utf8_percent_encode(raw, SEGMENT).to_string()
}

/// Percent-encode a repository file path, keeping its `/` separators.
pub fn file_path(raw: &str) -> String {
    raw.split('/').map(segment).collect::<Vec<_>>().join("/")
}

/// Percent-encode a query value.
pub fn query_value(raw: &str) -> String {
    segment(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_names_stay_one_segment() {
        assert_eq!(segment("size/XL"), "size%2FXL");
        assert_eq!(segment("needs review"), "needs%20review");
        assert_eq!(segment("🐘"), "%F0%9F%90%98");
        assert_eq!(segment("a?b#c"), "a%3Fb%23c");
    }

    #[test]
    fn file_paths_keep_separators() {
        assert_eq!(file_path(".github/guardians.yml"), ".github/guardians.yml");
        assert_eq!(file_path("docs/a b.md"), "docs/a%20b.md");
    }
}
