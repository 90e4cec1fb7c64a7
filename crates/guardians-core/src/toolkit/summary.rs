//! The step summary: Markdown appended to `$GITHUB_STEP_SUMMARY`, kept under GitHub's limit.

/// GitHub refuses to show a step summary of 1 MiB or more; stay under it.
pub const MAX_SUMMARY_BYTES: u64 = 1024 * 1024 - 1;

pub(crate) const CUT_NOTE: &str = "\n\n> [!NOTE]\n> The rest of this summary was cut: GitHub \
                                   shows at most 1 MiB of a step's summary.\n";

/// What to append to a summary file of `current_len` bytes so it stays within
/// [`MAX_SUMMARY_BYTES`]: all of `markdown` when it fits, else as much as fits (cut at a line
/// break when there is one) and a visible note; `None` when not even the note fits.
pub(crate) fn fit_summary(current_len: u64, markdown: &str) -> Option<String> {
    let room = MAX_SUMMARY_BYTES.saturating_sub(current_len);
    let room = usize::try_from(room).unwrap_or(usize::MAX);
    if markdown.len() <= room {
        return Some(markdown.to_owned());
    }
    let budget = room.checked_sub(CUT_NOTE.len())?;
    let mut cut = budget.min(markdown.len());
    while !markdown.is_char_boundary(cut) {
        cut -= 1;
    }
    let kept = &markdown[..cut];
    // A cut mid-line can leave a broken table row or link; end at the last full line instead.
    let kept = match kept.rfind('\n') {
        Some(end) => &kept[..end],
        None => kept,
    };
    Some(format!("{kept}{CUT_NOTE}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitting_markdown_is_kept_whole() {
        assert_eq!(fit_summary(0, "# Hi\n").as_deref(), Some("# Hi\n"));
        let almost_full = MAX_SUMMARY_BYTES - 5;
        assert_eq!(fit_summary(almost_full, "12345").as_deref(), Some("12345"));
    }

    #[test]
    fn too_long_markdown_is_cut_at_a_line_with_a_note_and_stays_under_the_limit() {
        let line = "| a | b |\n";
        let markdown = line.repeat(200_000);
        let fitted = fit_summary(1000, &markdown).unwrap();
        assert!(1000 + fitted.len() as u64 <= MAX_SUMMARY_BYTES);
        assert!(fitted.ends_with(CUT_NOTE));
        let body = fitted.strip_suffix(CUT_NOTE).unwrap();
        assert!(body.ends_with("| a | b |"), "cut at a line end");
        assert!(body.len() > 1_000_000);
    }

    #[test]
    fn cut_never_splits_a_character() {
        let markdown = "é".repeat(600_000);
        let fitted = fit_summary(0, &markdown).unwrap();
        assert!(fitted.len() as u64 <= MAX_SUMMARY_BYTES);
        assert!(fitted.starts_with("éé"));
    }

    #[test]
    fn a_full_file_gets_nothing() {
        assert_eq!(fit_summary(MAX_SUMMARY_BYTES, "more"), None);
        assert_eq!(fit_summary(MAX_SUMMARY_BYTES - 10, &"x".repeat(100)), None);
    }
}
