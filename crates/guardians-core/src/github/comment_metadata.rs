//! Hidden metadata of a sticky comment, written and read in one place for every guardian.
//!
//! A guardian's comment embeds text it does not control (diffs of base-branch files, PR titles,
//! file names). Metadata found *anywhere* in the body could therefore be forged by whoever
//! controls that text. So a comment carries at most one metadata line, at one fixed place — the
//! line right after the sticky marker, before any other text — and it is read only there, only
//! from a comment whose author is our identity and whose first line is our marker.
//!
//! Stored body:
//!
//! ```text
//! <!-- guardians:{key} -->
//! <!-- {tag} {payload} -->
//! ...the rendered report, possibly holding untrusted text...
//! ```

use super::identity::Identity;
use super::models::IssueComment;
use super::sticky_comment::marker;

/// Longest payload read back; more is not ours (ours are a few kilobytes at most).
pub const MAX_PAYLOAD: usize = 64 * 1024;

/// The metadata line `<!-- {tag} {payload} -->`, to be the first line of a guardian's body
/// (core puts the marker line above it). `<`, `>`, CR and LF in the payload are replaced by
/// U+FFFD, so the line can neither end early nor span lines; the reader's validation of the
/// payload then rejects it.
pub fn line(tag: &str, payload: &str) -> String {
    let safe: String = payload
        .chars()
        .map(|c| match c {
            '<' | '>' | '\r' | '\n' => '\u{FFFD}',
            c => c,
        })
        .collect();
    format!("<!-- {tag} {safe} -->")
}

/// Whether `body` starts with guardian `key`'s marker as its whole first line.
pub fn starts_with_marker(body: &str, key: &str) -> bool {
    let marker = marker(key);
    body.strip_prefix(&marker)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('\n') || rest.starts_with("\r\n"))
}

/// Whether `comment` is guardian `key`'s sticky comment written by `identity`: our author and
/// our marker as the first line. Anything else is someone else's comment, whatever it contains.
pub fn is_ours(comment: &IssueComment, identity: &Identity, key: &str) -> bool {
    identity.is(comment.author()) && starts_with_marker(comment.body_text(), key)
}

/// What the fixed place of a body holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found<'b> {
    /// No metadata line of this tag there.
    Absent,
    /// A line of this tag that is not well formed (cut, oversized, or holding `<`, `>` or
    /// `--`): damaged or not ours. Callers treat it as stricter than absent.
    Malformed,
    /// The payload of a well-formed line.
    Payload(&'b str),
}

impl<'b> Found<'b> {
    pub fn payload(self) -> Option<&'b str> {
        match self {
            Found::Payload(p) => Some(p),
            Found::Absent | Found::Malformed => None,
        }
    }
}

/// Metadata `tag` in a body of guardian `key`, read only at the fixed place: the first line
/// after the marker line (a stored body), or the first line when the body has no marker (a
/// body as rendered, before core adds the marker). A metadata-looking line anywhere else is
/// ignored.
///
/// This checks the place, not the author: use [`read_comment`] for a comment from GitHub.
pub fn read<'b>(body: &'b str, key: &str, tag: &str) -> Found<'b> {
    let rest = if starts_with_marker(body, key) {
        match body.split_once('\n') {
            Some((_, rest)) => rest,
            None => return Found::Absent,
        }
    } else {
        body
    };
    let first = rest.split('\n').next().unwrap_or("");
    let first = first.strip_suffix('\r').unwrap_or(first);
    let Some(after_tag) = first
        .strip_prefix("<!-- ")
        .and_then(|l| l.strip_prefix(tag))
    else {
        return Found::Absent;
    };
    if !(after_tag.is_empty() || after_tag.starts_with(' ')) {
        // `<!-- {tag}x`: another tag that starts with ours.
        return Found::Absent;
    }
    let payload = after_tag
        .strip_prefix(' ')
        .and_then(|p| p.strip_suffix(" -->"));
    match payload {
        Some(p)
            if !p.is_empty()
                && p.len() <= MAX_PAYLOAD
                && !p.contains(['<', '>'])
                && !p.contains("--") =>
        {
            Found::Payload(p)
        }
        _ => Found::Malformed,
    }
}

/// Metadata `tag` in `comment`, only when the comment [`is_ours`] and the metadata sits at the
/// fixed place; Absent for anyone else's comment.
pub fn read_comment<'c>(
    comment: &'c IssueComment,
    identity: &Identity,
    key: &str,
    tag: &str,
) -> Found<'c> {
    if !is_ours(comment, identity, key) {
        return Found::Absent;
    }
    read(comment.body_text(), key, tag)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::User;

    const KEY: &str = "contracts-diff";
    const TAG: &str = "contracts-diff:approved";

    fn comment(author: &str, body: &str) -> IssueComment {
        IssueComment {
            id: 1,
            body: Some(body.to_owned()),
            user: Some(User {
                login: author.to_owned(),
                id: None,
                r#type: None,
            }),
            html_url: None,
            created_at: None,
            updated_at: None,
        }
    }

    fn stored(body: &str) -> String {
        format!("{}\n{body}", marker(KEY))
    }

    #[test]
    fn round_trips_at_the_fixed_place() {
        let body = stored(&format!("{}\n## Report", line(TAG, "ab,cd")));
        assert_eq!(read(&body, KEY, TAG), Found::Payload("ab,cd"));
        let me = Identity::actions_bot();
        assert_eq!(
            read_comment(&comment("github-actions[bot]", &body), &me, KEY, TAG),
            Found::Payload("ab,cd")
        );
        // A rendered body, before core adds the marker.
        assert_eq!(read(&line(TAG, "x"), KEY, TAG), Found::Payload("x"));
        // Edited on github.com: CRLF line ends.
        let crlf = body.replace('\n', "\r\n");
        assert_eq!(read(&crlf, KEY, TAG), Found::Payload("ab,cd"));
    }

    #[test]
    fn metadata_anywhere_else_is_ignored() {
        let forged = line(TAG, "ff");
        for body in [
            // In a text diff we embed, as a context line.
            stored(&format!("## Report\n```diff\n {forged}\n```")),
            stored(&format!("\n{forged}")),
            stored(&format!(" {forged}")),
            format!("Thanks!\n{}\n{forged}", marker(KEY)),
            format!("{}x\n{forged}", marker(KEY)),
            format!("{}\n{}\n{forged}", marker(KEY), marker(KEY)),
        ] {
            assert_eq!(read(&body, KEY, TAG), Found::Absent, "{body}");
        }
    }

    #[test]
    fn only_our_author_and_our_marker_count() {
        let body = stored(&line(TAG, "ab"));
        let me = Identity::actions_bot();
        assert_eq!(
            read_comment(&comment("mallory", &body), &me, KEY, TAG),
            Found::Absent
        );
        let other_key = format!("{}\n{}", marker("pr-critic"), line(TAG, "ab"));
        assert_eq!(
            read_comment(&comment("github-actions[bot]", &other_key), &me, KEY, TAG),
            Found::Absent
        );
        // A comment that starts with the metadata, not the marker, is someone else's.
        let metadata_first = format!("{}\n{}", line(TAG, "ab"), marker(KEY));
        assert_eq!(
            read_comment(
                &comment("github-actions[bot]", &metadata_first),
                &me,
                KEY,
                TAG
            ),
            Found::Absent
        );
    }

    #[test]
    fn a_hostile_payload_cannot_close_the_line_or_span_lines() {
        let written = line(TAG, "a --> <!-- guardians:x -->\nb");
        assert_eq!(written.lines().count(), 1);
        assert_eq!(written.matches("-->").count(), 1, "{written}");
        assert_eq!(
            read(&written, KEY, TAG),
            Found::Malformed,
            "-- is never ours"
        );
        for bad in [
            format!("<!-- {TAG} a<b -->"),
            format!("<!-- {TAG}  -->x"),
            format!("<!-- {TAG} -->"),
            format!("<!-- {TAG} ab"),
            format!("<!-- {TAG} {} -->", "a".repeat(MAX_PAYLOAD + 1)),
        ] {
            assert_eq!(read(&bad, KEY, TAG), Found::Malformed, "{bad:.80}");
        }
        assert_eq!(read(&format!("<!-- {TAG}x a -->"), KEY, TAG), Found::Absent);
    }
}
