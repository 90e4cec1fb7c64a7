//! Config errors, written for the person who edits the file.

use std::fmt;

/// Why `.github/guardians.yml` (or a `--config` file) could not be used.
#[derive(Debug)]
pub enum ConfigError {
    /// The YAML is malformed, a key is unknown, or a value has the wrong type.
    Invalid {
        source_name: String,
        key_path: String,
        line: Option<usize>,
        message: String,
    },
    /// Larger than we read.
    TooLarge { source_name: String, bytes: usize },
    /// The file could not be read.
    Unreadable { source_name: String, detail: String },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Invalid {
                source_name,
                key_path,
                line,
                message,
            } => {
                write!(f, "{source_name}")?;
                if let Some(line) = line {
                    write!(f, ":{line}")?;
                }
                if !key_path.is_empty() && key_path != "." {
                    write!(f, ": at `{key_path}`")?;
                }
                write!(
                    f,
                    ": {message}. Fix the file (the schema is schema/guardians.schema.json in the Guardians repository)"
                )
            }
            ConfigError::TooLarge { source_name, bytes } => write!(
                f,
                "{source_name} is {bytes} bytes; config files are read up to {} bytes. Keep only the guardians' settings in it",
                super::MAX_CONFIG_BYTES
            ),
            ConfigError::Unreadable {
                source_name,
                detail,
            } => write!(f, "could not read {source_name}: {detail}"),
        }
    }
}

impl std::error::Error for ConfigError {}
