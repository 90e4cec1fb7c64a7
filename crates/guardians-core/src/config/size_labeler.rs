//! The `size-labeler:` section of `.github/guardians.yml`.
//!
//! The `///` comments become the JSON Schema descriptions that editors show.

use serde::{Deserialize, Serialize};

use super::repo_path;

/// Labels a pull request by the number of lines it changes (additions + deletions of counted
/// files), ignoring lockfiles, generated files and globs you list.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct SizeLabelerConfig {
    /// Size buckets, smallest first. A PR gets the last bucket whose `min-lines` it reaches; the
    /// first bucket must start at 0. Add an `XXL` bucket or drop some to suit your repository.
    pub buckets: Vec<SizeBucket>,
    /// Globs (gitignore-like: `*` stays within a directory, `**` crosses directories) of files
    /// whose lines are not counted. A pattern starting with `!` counts a file again that an
    /// earlier pattern (or a default) ignored. Later patterns win.
    #[serde(deserialize_with = "repo_path::repo_globs")]
    pub ignore: Vec<String>,
    /// Do not count well-known lockfiles (Cargo.lock, package-lock.json, npm-shrinkwrap.json,
    /// yarn.lock, pnpm-lock.yaml, go.sum, poetry.lock, uv.lock, Gemfile.lock, composer.lock).
    pub ignore_lockfiles: bool,
    /// Do not count files marked `linguist-generated` in the base branch's root `.gitattributes`.
    pub ignore_generated: bool,
    /// Post one sticky comment when the PR reaches the bucket named here (for example `XL`),
    /// suggesting to split it. The comment is posted once and kept up to date; it is never
    /// posted for smaller PRs. Absent: never comment.
    pub comment_on: Option<String>,
    /// Fail the step when the PR reaches the bucket named here (for example `XL`).
    pub fail_on_size: Option<String>,
}

/// One size bucket and its label.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SizeBucket {
    /// Short name, used in outputs and in `fail-on-size` / `comment-on` (for example `M`).
    pub name: String,
    /// The label set on the PR (for example `size/M`).
    pub label: String,
    /// Lines changed at which this bucket starts (inclusive).
    pub min_lines: u64,
    /// Label colour, six hex digits without `#`.
    #[serde(default = "default_color")]
    pub color: String,
    /// Label description shown on GitHub (at most 100 characters).
    #[serde(default)]
    pub description: String,
}

fn default_color() -> String {
    "ededed".into()
}

impl super::ConfigSection for SizeLabelerConfig {
    const NAME: &'static str = "size-labeler";
}

impl Default for SizeLabelerConfig {
    fn default() -> Self {
        Self {
            buckets: default_buckets(),
            ignore: Vec::new(),
            ignore_lockfiles: true,
            ignore_generated: true,
            comment_on: None,
            fail_on_size: None,
        }
    }
}

/// XS < 50, S 50–199, M 200–499, L 500–999, XL ≥ 1000 lines changed.
pub fn default_buckets() -> Vec<SizeBucket> {
    let bucket = |name: &str, min: u64, color: &str, description: &str| SizeBucket {
        name: name.into(),
        label: format!("size/{name}"),
        min_lines: min,
        color: color.into(),
        description: description.into(),
    };
    vec![
        bucket(
            "XS",
            0,
            "3cbf00",
            "🐁 Extra small: fewer than 50 lines changed",
        ),
        bucket("S", 50, "5d9801", "🐹 Small: 50 to 199 lines changed"),
        bucket("M", 200, "7f7203", "🐰 Medium: 200 to 499 lines changed"),
        bucket("L", 500, "a14c05", "🐺 Large: 500 to 999 lines changed"),
        bucket(
            "XL",
            1000,
            "c32607",
            "🐘 Extra large: 1,000 or more lines changed",
        ),
    ]
}
