//! Unified text diffs for contract files that get no semantic diff, truncated per file.

use std::time::Duration;

use similar::TextDiff;

/// A unified diff, possibly cut to a maximum number of lines.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TextChange {
    /// The diff text (without the cut lines).
    pub unified: String,
    /// Lines added and removed in the whole diff.
    pub added: usize,
    pub removed: usize,
    /// Diff lines left out because of `max_lines`.
    pub omitted_lines: usize,
}

/// Diffs `old` against `new` line by line. Huge inputs fall back to a coarser diff after a
/// deadline rather than taking unbounded time.
pub(crate) fn unified(
    old_name: &str,
    new_name: &str,
    old: &str,
    new: &str,
    max_lines: usize,
) -> TextChange {
    let diff = TextDiff::configure()
        .timeout(Duration::from_secs(2))
        .diff_lines(old, new);
    let mut added = 0;
    let mut removed = 0;
    for op in diff.ops() {
        for change in diff.iter_changes(op) {
            match change.tag() {
                similar::ChangeTag::Insert => added += 1,
                similar::ChangeTag::Delete => removed += 1,
                similar::ChangeTag::Equal => {}
            }
        }
    }
    let full = diff
        .unified_diff()
        .context_radius(3)
        .header(old_name, new_name)
        .to_string();
    let total = full.lines().count();
    if total <= max_lines {
        return TextChange {
            unified: full,
            added,
            removed,
            omitted_lines: 0,
        };
    }
    let mut kept = String::new();
    for line in full.lines().take(max_lines) {
        kept.push_str(line);
        kept.push('\n');
    }
    TextChange {
        unified: kept,
        added,
        removed,
        omitted_lines: total - max_lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_added_and_removed_lines_with_headers() {
        let d = unified(
            "a/x.ts",
            "b/x.ts",
            "type A = {\n  id: string\n}\n",
            "type A = {\n  id: number\n}\n",
            100,
        );
        assert!(
            d.unified.starts_with("--- a/x.ts\n+++ b/x.ts\n"),
            "{}",
            d.unified
        );
        assert!(d.unified.contains("-  id: string\n+  id: number\n"));
        assert_eq!((d.added, d.removed, d.omitted_lines), (1, 1, 0));
    }

    #[test]
    fn truncates_and_counts_omitted_lines() {
        let old: String = (0..100).map(|i| format!("line {i}\n")).collect();
        let new: String = (0..100).map(|i| format!("line {}\n", i * 2)).collect();
        let d = unified("old", "new", &old, &new, 10);
        assert_eq!(d.unified.lines().count(), 10);
        assert!(d.omitted_lines > 0);
    }
}
