//! The `pr-critic:` section of `.github/guardians.yml`. The types live in `guardians-core`, with
//! the rest of the file's schema; this module reads the section for the CLI.

use std::path::Path;

pub use guardians_core::config::ConfigError;
pub use guardians_core::config::pr_critic::*;

/// Reads the `pr-critic:` section of a `guardians.yml` on disk. The whole file is validated, so a
/// misspelt key anywhere is reported with its path; a file without the section yields defaults.
pub fn load_file(path: &Path) -> Result<PrCriticConfig, ConfigError> {
    Ok(guardians_core::config::load_from_file(path)?
        .config
        .pr_critic)
}

/// Parses the text of a `guardians.yml` and returns its `pr-critic:` section.
pub fn parse_guardians_yml(text: &str) -> Result<PrCriticConfig, ConfigError> {
    Ok(guardians_core::config::parse(text, "guardians.yml")?.pr_critic)
}
