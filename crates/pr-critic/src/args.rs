//! The command line: one binary, two front ends. With `--body` it checks a local description
//! (see [`crate::cli`]); without, it runs as the GitHub Action on the event in
//! `GITHUB_EVENT_PATH` or `--event` (see [`crate::action`]).

use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use guardians_core::runner::CommonArgs;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    /// Exit 1 when any rule reports an error.
    Enforce,
    /// Report errors but exit 0.
    Warn,
}

/// Checks a pull request description against the repository's PR template and rules, and prints
/// the same report the GitHub Action posts.
///
/// Before pushing:   pr-critic --body description.md --changed-files -
/// As the Action:    no flags (the event, token and inputs come from the environment)
/// A PR, previewed:  pr-critic --event payload.json --repo OWNER/NAME --dry-run   (GITHUB_TOKEN)
///
/// Exit status: 0 passed (also in `--mode warn`, and when there is no template to check
/// against), 1 errors in the description in `enforce` mode, 2 bad input or configuration,
/// 3 GitHub or the network failed after retries.
#[derive(Debug, Parser)]
#[command(
    name = "pr-critic",
    version,
    max_term_width = 100,
    verbatim_doc_comment
)]
pub struct Args {
    /// The PR description: a Markdown file, or `-` for standard input. Checks it locally,
    /// without the API.
    #[arg(long, value_name = "FILE|-")]
    pub body: Option<String>,
    /// The PR template. Default: the first of `template-paths` (e.g.
    /// `.github/pull_request_template.md`) found in the current directory.
    #[arg(long, value_name = "FILE", requires = "body")]
    pub template: Option<PathBuf>,
    /// The changed files, one path per line (e.g. from `git diff --name-only origin/main...`), or
    /// `-` for standard input.
    #[arg(long, value_name = "FILE|-", requires = "body")]
    pub changed_files: Option<String>,
    /// Labels on the PR, comma-separated.
    #[arg(
        long,
        value_name = "LABEL,...",
        value_delimiter = ',',
        requires = "body"
    )]
    pub labels: Vec<String>,
    /// Commit messages, for AI-assistance trailers (e.g. `git log --format=%B%x00 origin/main..`;
    /// messages may be separated by NUL characters).
    #[arg(long, value_name = "FILE", requires = "body")]
    pub commits: Option<PathBuf>,
    /// A coverage report (lcov, Cobertura XML or Istanbul json-summary). Default: the input
    /// `coverage-file` in Actions, then `coverage.report` from the configuration.
    #[arg(long, value_name = "FILE")]
    pub coverage: Option<PathBuf>,
    /// Overrides the configuration's `mode` (and the input `mode`).
    #[arg(long, value_enum)]
    pub mode: Option<Mode>,
    #[command(flatten)]
    pub common: CommonArgs,
}

impl Args {
    /// A description given on the command line: the local check, no API.
    pub fn is_local(&self) -> bool {
        self.body.is_some()
    }
}
