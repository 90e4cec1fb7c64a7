//! Command-line flags. In Actions none are needed: inputs arrive as `INPUT_*` variables.

use std::path::PathBuf;

use guardians_core::runner::CommonArgs;

/// Label a pull request XS / S / M / L / XL by the lines it changes, ignoring lockfiles,
/// generated files and paths you choose.
///
/// In GitHub Actions it reads the event and inputs from the environment. From a terminal:
///   size-labeler --event payload.json --repo OWNER/NAME --dry-run    (GITHUB_TOKEN for API reads)
///   size-labeler --git origin/main...HEAD                             (a local checkout, no API)
#[derive(Debug, clap::Parser)]
#[command(name = "size-labeler", version, verbatim_doc_comment)]
pub struct Cli {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Size BASE...HEAD of a local git checkout instead of a pull request; writes nothing.
    #[arg(long, value_name = "BASE...HEAD")]
    pub git: Option<String>,
    /// The checkout for --git.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub repo_dir: PathBuf,
}
