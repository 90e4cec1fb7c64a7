//! The sticky comment for large PRs.

use guardians_core::change_size::Measurement;
use guardians_core::config::size_labeler::SizeBucket;
use guardians_core::markdown::{code_span, thousands};

/// The key of our sticky comment's hidden marker.
pub(crate) const COMMENT_KEY: &str = "size-labeler";

pub(crate) fn render(
    bucket: &SizeBucket,
    measurement: &Measurement,
    head_sha: &str,
    at_threshold: bool,
    threshold: &SizeBucket,
) -> String {
    let short_sha: String = head_sha.chars().take(7).collect();
    let lines = thousands(measurement.lines);
    let files = thousands(measurement.files_counted);
    let mut body = if at_threshold {
        format!(
            "### {emoji} This pull request is {name}: {lines} lines in {files} files\n\n\
             Pull requests this large take longer to review and hide more mistakes. If you can, \
             split it into smaller pull requests that each make one change (for example: \
             refactoring first, then the behaviour change).\n",
            emoji = emoji(bucket),
            name = code_span(&bucket.label),
        )
    } else {
        format!(
            "### ✅ This pull request is now {name}: {lines} lines in {files} files\n\n\
             It is below {threshold}. Thank you for keeping it reviewable.\n",
            name = code_span(&bucket.label),
            threshold = code_span(&threshold.label),
        )
    };
    if !measurement.ignored.is_empty() {
        let ignored_lines: u64 = measurement.ignored.iter().map(|f| f.lines).sum();
        body.push_str(&format!(
            "\n{} more files ({} lines) are not counted: lockfiles, generated files and ignored paths.\n",
            thousands(measurement.ignored.len() as u64),
            thousands(ignored_lines)
        ));
    }
    body.push_str(&format!("\n<sub>size-labeler · as of {short_sha}</sub>\n"));
    body
}

fn emoji(bucket: &SizeBucket) -> &str {
    bucket
        .description
        .split_whitespace()
        .next()
        .filter(|word| !word.chars().any(|c| c.is_alphanumeric()))
        .unwrap_or("📏")
}
