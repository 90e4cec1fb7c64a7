//! The action's inputs that override the config file, and the ignore rules settings make.

use guardians_core::change_size::{IgnoreRules, SizeOverrides};
use guardians_core::config;
use guardians_core::runner::RunError;
use guardians_core::toolkit::Toolkit;

use crate::settings::{InputOverrides, Settings};

/// The inputs, validated: a bad boolean or a glob leaving the repository names its input.
pub(crate) fn read(toolkit: &Toolkit) -> Result<InputOverrides, RunError> {
    let ignore: Vec<String> = toolkit
        .input("ignore")
        .map(|text| {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    // Same rule as the config's `ignore`: globs relative to the repository root.
    config::validate_repo_paths("input `ignore`", &ignore, config::PathKind::Glob)
        .map_err(|e| RunError::Other(e.to_string()))?;
    Ok(InputOverrides {
        size: SizeOverrides {
            ignore,
            ignore_lockfiles: toolkit.input_bool("ignore-lockfiles")?,
            ignore_generated: toolkit.input_bool("ignore-generated")?,
        },
        comment_on: toolkit.input("comment-on"),
        fail_on_size: toolkit.input("fail-on-size"),
    })
}

/// The rules in force; `gitattributes` is the base branch's, when read.
pub(crate) fn ignore_rules(
    settings: &Settings,
    gitattributes: Option<&str>,
) -> Result<IgnoreRules, RunError> {
    settings
        .size
        .ignore_rules(gitattributes)
        .map_err(|e| RunError::Other(e.to_string()))
}
