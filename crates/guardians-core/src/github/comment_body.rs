//! Keeping a comment body inside GitHub's limit, with a visible note where it was cut.

/// GitHub rejects issue comments longer than this many characters.
pub const COMMENT_LIMIT: usize = 65_536;

/// Room kept below the limit: GitHub's count and ours may differ on unusual characters.
const SAFETY_MARGIN: usize = 512;

const CUT_NOTE: &str = "\n\n---\n> ✂️ **This report was cut here**: it is longer than GitHub's limit of 65,536 characters \
for a comment. The job's step summary and log have the rest.\n";

/// `body` unchanged when it fits, or cut at a line boundary with a note. Code fences and
/// `<details>` left open by the cut are closed so that the note renders as text.
pub fn fit_comment_body(body: &str) -> String {
    // UTF-16 units are never fewer than characters, so this count is on the safe side.
    if body.encode_utf16().count() <= COMMENT_LIMIT - SAFETY_MARGIN {
        return body.to_string();
    }
    let budget = COMMENT_LIMIT - SAFETY_MARGIN - CUT_NOTE.encode_utf16().count() - 64;
    let mut used = 0usize;
    let mut end = 0usize;
    for (index, ch) in body.char_indices() {
        used += ch.len_utf16();
        if used > budget {
            break;
        }
        end = index + ch.len_utf8();
    }
    let mut kept = &body[..end];
    if let Some(newline) = kept.rfind('\n') {
        kept = &kept[..newline];
    }
    let mut out = kept.to_string();
    let fences = kept
        .lines()
        .filter(|l| l.trim_start().starts_with("```"))
        .count();
    if fences % 2 == 1 {
        out.push_str("\n```");
    }
    let opened = kept.matches("<details").count();
    let closed = kept.matches("</details>").count();
    for _ in closed..opened {
        out.push_str("\n</details>");
    }
    out.push_str(CUT_NOTE);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_bodies_are_untouched() {
        assert_eq!(fit_comment_body("hello"), "hello");
    }

    #[test]
    fn long_bodies_are_cut_with_a_note_and_closed_blocks() {
        let mut body = String::from("<details>\n\n```diff\n");
        for i in 0..20_000 {
            body.push_str(&format!("+ line {i}\n"));
        }
        let fitted = fit_comment_body(&body);
        assert!(fitted.encode_utf16().count() <= COMMENT_LIMIT);
        assert!(fitted.contains("This report was cut here"));
        assert!(fitted.contains("```\n</details>"));
        assert!(fitted.starts_with("<details>"));
    }

    #[test]
    fn multibyte_text_is_cut_on_a_character_boundary() {
        let body = "🐘".repeat(40_000);
        let fitted = fit_comment_body(&body);
        assert!(fitted.encode_utf16().count() <= COMMENT_LIMIT);
        assert!(fitted.ends_with(CUT_NOTE));
    }
}
