//! Step outputs: a heredoc appended to `$GITHUB_OUTPUT`.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

use super::error::ToolkitError;
use super::random_token::random_token;

/// The heredoc entry for one output: `name<<ghadelimiter_<token>\nvalue\nghadelimiter_<token>\n`.
///
/// The delimiter is random per call so a value taken from a pull request cannot end the
/// heredoc early and set other outputs.
pub(crate) fn output_entry(name: &str, value: &str) -> Result<String, ToolkitError> {
    if name.is_empty() || name.contains(['\n', '\r']) {
        return Err(ToolkitError::InvalidOutputName {
            name: name.to_owned(),
        });
    }
    let delimiter = format!("ghadelimiter_{}", random_token());
    if name.contains(&delimiter) {
        return Err(ToolkitError::InvalidOutputName {
            name: name.to_owned(),
        });
    }
    if value.contains(&delimiter) {
        return Err(ToolkitError::DelimiterInValue {
            name: name.to_owned(),
        });
    }
    Ok(format!("{name}<<{delimiter}\n{value}\n{delimiter}\n"))
}

/// `name=value` on one line for a terminal: `\`, LF and CR in the value are shown as `\\`,
/// `\n` and `\r` so each output stays on its line.
pub(crate) fn output_plain(name: &str, value: &str) -> String {
    let mut line = format!("{name}=");
    for c in value.chars() {
        match c {
            '\\' => line.push_str("\\\\"),
            '\n' => line.push_str("\\n"),
            '\r' => line.push_str("\\r"),
            other => line.push(other),
        }
    }
    line
}

/// Appends `text` to a runner file command (`$GITHUB_OUTPUT`, `$GITHUB_STEP_SUMMARY`).
pub(crate) fn append_to(
    variable: &'static str,
    path: &Path,
    text: &str,
) -> Result<(), ToolkitError> {
    let failed = |source| ToolkitError::FileCommand {
        variable,
        path: path.to_owned(),
        source,
    };
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(failed)?;
    file.write_all(text.as_bytes()).map_err(failed)?;
    file.flush().map_err(failed)
}
