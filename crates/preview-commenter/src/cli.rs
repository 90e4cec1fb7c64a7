//! The command line: the flags every guardian shares, plus what this one needs from a terminal.

use std::path::PathBuf;

use clap::Parser;
use guardians_core::runner::CommonArgs;

/// Posts one living PR comment with the previews' URLs, their health and how to try them.
#[derive(Debug, Parser)]
#[command(name = "preview-commenter", version)]
pub struct Cli {
    #[command(flatten)]
    pub common: CommonArgs,
    /// With --dry-run and no token: a file with the body of the PR's existing comment, to see
    /// whether this run would overwrite it.
    #[arg(long, value_name = "FILE")]
    pub existing_comment: Option<PathBuf>,
}
