use std::path::PathBuf;

/// A step output or summary that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ToolkitError {
    #[error("cannot write to ${variable} ({path}): {source}")]
    FileCommand {
        variable: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "output name {name:?} is not usable: an output name is one non-empty line, like `size`"
    )]
    InvalidOutputName { name: String },

    #[error(
        "the value of output `{name}` contains the random heredoc delimiter, so it cannot be \
         written safely"
    )]
    DelimiterInValue { name: String },

    #[error(
        "GITHUB_OUTPUT is not set although GITHUB_ACTIONS is true: step outputs need Actions \
         runner 2.297.0 or newer"
    )]
    NoOutputFile,
}
