//! `<!-- preview-commenter:meta {...} -->`: which commit and run a comment describes.

use guardians_core::github::comment_metadata;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

const OPEN: &str = "<!-- preview-commenter:meta ";
const CLOSE: &str = " -->";
/// Our metadata is about 150 bytes; anything much longer is not ours.
const MAX_JSON: usize = 1_024;

/// What the comment shows: the commit, the run that wrote it, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommentMeta {
    pub sha: String,
    pub run_id: u64,
    pub run_attempt: u32,
    pub updated_at: Timestamp,
}

impl CommentMeta {
    /// The hidden HTML comment carrying this metadata.
    pub fn to_html_comment(&self) -> String {
        // Timestamps, digits and a hex SHA cannot close the HTML comment; `<` and `>` are
        // escaped anyway in case a SHA from a hostile payload was not hex.
        let json = serde_json::to_string(self)
            .unwrap_or_default()
            .replace('<', "\\u003c")
            .replace('>', "\\u003e");
        format!("{OPEN}{json}{CLOSE}")
    }

    /// Reads the metadata from a comment body, only at the fixed place core reserves for it
    /// (the line right after the marker; see `guardians_core::github::comment_metadata`), never
    /// from text further down. Missing, malformed, oversized or implausible metadata (a SHA
    /// that is not hex, attempt 0) reads as absent: such a comment is rewritten.
    pub fn parse(body: &str) -> Option<Self> {
        let tag = OPEN.trim_start_matches("<!-- ").trim_end();
        let json = comment_metadata::read(body, super::COMMENT_KEY, tag)
            .payload()?
            .trim();
        if json.len() > MAX_JSON {
            return None;
        }
        let meta: Self = serde_json::from_str(json).ok()?;
        meta.is_plausible().then_some(meta)
    }

    fn is_plausible(&self) -> bool {
        matches!(self.sha.len(), 40 | 64)
            && self.sha.bytes().all(|b| b.is_ascii_hexdigit())
            && self.run_attempt >= 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> CommentMeta {
        CommentMeta {
            sha: "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432".to_owned(),
            run_id: 7001,
            run_attempt: 2,
            updated_at: "2026-11-22T10:15:00Z".parse().expect("valid"),
        }
    }

    #[test]
    fn renders_the_documented_format() {
        insta::assert_snapshot!(meta().to_html_comment(), @r#"<!-- preview-commenter:meta {"sha":"9f8e7d6c5b4a39281706f5e4d3c2b1a098765432","run_id":7001,"run_attempt":2,"updated_at":"2026-11-22T10:15:00Z"} -->"#);
    }

    #[test]
    fn round_trips_inside_a_comment_body() {
        let body = format!(
            "<!-- guardians:preview-commenter -->\n{}\n### Previews\n| a |",
            meta().to_html_comment()
        );
        assert_eq!(CommentMeta::parse(&body), Some(meta()));
        // Anywhere but the line after the marker (say, in text a template put there), it is
        // not ours.
        let lower = format!(
            "<!-- guardians:preview-commenter -->\n### Previews\n{}",
            meta().to_html_comment()
        );
        assert_eq!(CommentMeta::parse(&lower), None);
    }

    #[test]
    fn hostile_or_malformed_metadata_reads_as_absent() {
        let bodies = [
            "no metadata at all".to_owned(),
            "<!-- preview-commenter:meta {\"sha\":\"9f8e7d6c5b4a39281706f5e4d3c2b1a098765432\"".to_owned(),
            "<!-- preview-commenter:meta not json -->".to_owned(),
            "<!-- preview-commenter:meta {} -->".to_owned(),
            r#"<!-- preview-commenter:meta {"sha":"zz","run_id":1,"run_attempt":1,"updated_at":"2026-11-22T10:15:00Z"} -->"#.to_owned(),
            r#"<!-- preview-commenter:meta {"sha":"9f8e7d6c5b4a39281706f5e4d3c2b1a098765432","run_id":-1,"run_attempt":1,"updated_at":"2026-11-22T10:15:00Z"} -->"#.to_owned(),
            r#"<!-- preview-commenter:meta {"sha":"9f8e7d6c5b4a39281706f5e4d3c2b1a098765432","run_id":1,"run_attempt":0,"updated_at":"2026-11-22T10:15:00Z"} -->"#.to_owned(),
            r#"<!-- preview-commenter:meta {"sha":"9f8e7d6c5b4a39281706f5e4d3c2b1a098765432","run_id":1e99,"run_attempt":1,"updated_at":"yesterday"} -->"#.to_owned(),
            format!("<!-- preview-commenter:meta {{\"sha\":\"{}\"}} -->", "a".repeat(100_000)),
            format!("<!-- preview-commenter:meta {} -->", "[".repeat(10_000)),
            "<!-- preview-commenter:meta \u{0}\u{ffff} -->".to_owned(),
        ];
        for body in &bodies {
            assert_eq!(CommentMeta::parse(body), None, "{:.80}", body);
        }
    }

    #[test]
    fn a_hostile_sha_cannot_close_the_html_comment() {
        let mut meta = meta();
        meta.sha = "--><script>".to_owned();
        let html = meta.to_html_comment();
        assert_eq!(html.matches("-->").count(), 1, "{html}");
        assert!(html.ends_with(" -->"));
    }
}
