//! The `pr-critic:` section of `.github/guardians.yml` and how the CLI reads it from a file.
//!
//! The types live in `guardians-core` (one schema for the whole file); until that crate exports
//! the module, the same source file is compiled here.

#[path = "../../guardians-core/src/config/pr_critic.rs"]
mod section;

pub use section::*;

use std::path::Path;

/// A `guardians.yml` that could not be read as configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigFileError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not valid YAML: {message}")]
    Yaml { path: String, message: String },
    #[error("{path}: `pr-critic.{key}`: {message}")]
    Field {
        path: String,
        key: String,
        message: String,
    },
}

/// Reads the `pr-critic:` section of a `guardians.yml`; a file without one yields the defaults.
pub fn load_file(path: &Path) -> Result<PrCriticConfig, ConfigFileError> {
    let display = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| ConfigFileError::Read {
        path: display.clone(),
        source,
    })?;
    parse_guardians_yml(&text).map_err(|error| match error {
        SectionError::Yaml(message) => ConfigFileError::Yaml {
            path: display.clone(),
            message,
        },
        SectionError::Field { key, message } => ConfigFileError::Field {
            path: display.clone(),
            key,
            message,
        },
    })
}

/// Why the `pr-critic:` section could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum SectionError {
    Yaml(String),
    Field { key: String, message: String },
}

/// Parses the text of a `guardians.yml` and deserializes its `pr-critic:` section, naming the
/// offending key (e.g. `approvals[0].label`) when a value is wrong or unknown.
pub fn parse_guardians_yml(text: &str) -> Result<PrCriticConfig, SectionError> {
    let document: yaml_serde::Value =
        yaml_serde::from_str(text).map_err(|error| SectionError::Yaml(error.to_string()))?;
    let section = match &document {
        yaml_serde::Value::Null => None,
        yaml_serde::Value::Mapping(map) => map.get("pr-critic").cloned(),
        _ => {
            return Err(SectionError::Yaml(
                "the top level must be a mapping of guardian names to their settings".to_owned(),
            ));
        }
    };
    let Some(section) = section.filter(|value| !value.is_null()) else {
        return Ok(PrCriticConfig::default());
    };
    serde_path_to_error::deserialize(section).map_err(|error| SectionError::Field {
        key: error.path().to_string(),
        message: error.inner().to_string(),
    })
}
