//! Parsing and loading the config file, from the base branch or from disk.

use std::path::Path;

use super::{CONFIG_PATH, ConfigError, ConfigSection, GuardiansConfig};
use crate::context::RepoName;
use crate::data::{ReadError, Reason};
use crate::github::{ApiError, GitHub, contents};

/// The file is a few hundred lines at most; anything far larger is a mistake or an attack.
pub const MAX_CONFIG_BYTES: usize = 256 * 1024;

/// Where the config came from, for logs and summaries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSource {
    /// No file: every default applies.
    Defaults,
    /// `path` at `git_ref` in the repository (the base branch).
    Repository { path: String, git_ref: String },
    /// A local file (`--config`).
    File { path: String },
}

impl std::fmt::Display for ConfigSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigSource::Defaults => write!(f, "defaults (no {CONFIG_PATH})"),
            ConfigSource::Repository { path, git_ref } => write!(f, "{path} at {git_ref}"),
            ConfigSource::File { path } => write!(f, "{path}"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub config: GuardiansConfig,
    pub source: ConfigSource,
}

/// Parse the text of a config file; `source_name` names it in errors.
pub fn parse(text: &str, source_name: &str) -> Result<GuardiansConfig, ConfigError> {
    if text.len() > MAX_CONFIG_BYTES {
        return Err(ConfigError::TooLarge {
            source_name: source_name.into(),
            bytes: text.len(),
        });
    }
    // An empty file or one with only comments is "no settings", not an error.
    let meaningful = text
        .lines()
        .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#') && l.trim() != "---");
    if !meaningful {
        return Ok(GuardiansConfig::default());
    }
    // The shared reader refuses deep nesting in linear time before parsing and keeps
    // yaml_serde's alias repetition limit, so hostile YAML ends in an error, not a hang.
    GuardiansConfig::from_text(text, source_name)
}

/// Parse the text of a config file and read section `S` from it.
pub fn parse_section<S: ConfigSection>(text: &str, source_name: &str) -> Result<S, ConfigError> {
    parse(text, source_name)?.section()
}

/// A read error of the file (`source_name`), for the person editing it: the key path and the
/// shape wanted, never a Rust type.
pub(super) fn invalid(source_name: &str, err: ReadError) -> ConfigError {
    let (key_path, message) = match err.reason {
        Reason::Invalid { key_path, message } => (key_path, without_rust_types(&message)),
        other => (String::new(), other.to_string()),
    };
    ConfigError::Invalid {
        source_name: source_name.into(),
        key_path,
        line: err.line,
        message,
    }
}

/// serde names the Rust type it wanted (`expected struct SizeLabelerConfig`); the person
/// editing the YAML needs the shape instead.
fn without_rust_types(message: &str) -> String {
    const STRUCT: &str = "expected struct ";
    let Some(start) = message.find(STRUCT) else {
        return message.to_owned();
    };
    let rest = &message[start + STRUCT.len()..];
    let name_end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    format!(
        "{}expected a mapping of settings (`key: value` lines){}",
        &message[..start],
        &rest[name_end..]
    )
}

pub fn load_from_file(path: &Path) -> Result<LoadedConfig, ConfigError> {
    let source_name = path.display().to_string();
    let metadata = std::fs::metadata(path).map_err(|e| ConfigError::Unreadable {
        source_name: source_name.clone(),
        detail: e.to_string(),
    })?;
    if metadata.len() as usize > MAX_CONFIG_BYTES {
        return Err(ConfigError::TooLarge {
            source_name,
            bytes: metadata.len() as usize,
        });
    }
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Unreadable {
        source_name: source_name.clone(),
        detail: e.to_string(),
    })?;
    Ok(LoadedConfig {
        config: parse(&text, &source_name)?,
        source: ConfigSource::File { path: source_name },
    })
}

/// Read `.github/guardians.yml` at `git_ref` (the PR's base branch) through the API.
pub async fn load_from_ref(
    gh: &GitHub,
    repo: &RepoName,
    git_ref: &str,
) -> Result<LoadedConfig, LoadError> {
    let Some(text) = contents::file_text(gh, repo, CONFIG_PATH, git_ref).await? else {
        return Ok(LoadedConfig {
            config: GuardiansConfig::default(),
            source: ConfigSource::Defaults,
        });
    };
    let source_name = format!("{CONFIG_PATH} (at {git_ref})");
    Ok(LoadedConfig {
        config: parse(&text, &source_name)?,
        source: ConfigSource::Repository {
            path: CONFIG_PATH.into(),
            git_ref: git_ref.into(),
        },
    })
}

/// Loading through the API fails either at GitHub or in the file.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    Config(#[from] ConfigError),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::size_labeler::SizeLabelerConfig;

    #[test]
    fn a_file_that_is_not_a_mapping_is_named_without_rust_types() {
        let err = parse("- size-labeler\n", ".github/guardians.yml").unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(
                "invalid type: sequence, expected a mapping of settings (`key: value` lines)"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_section_of_the_wrong_type_is_named_without_rust_types() {
        let err = parse_section::<SizeLabelerConfig>("size-labeler: 5\n", ".github/guardians.yml")
            .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(
                "at `size-labeler`: invalid type: integer `5`, expected a mapping of settings (`key: value` lines)."
            ),
            "{text}"
        );
        assert!(!text.contains("struct"), "{text}");
    }

    #[test]
    fn deep_flow_nesting_is_refused_with_file_and_line_before_parsing() {
        // A config near the size cap that is all flow nesting took 50 s to parse.
        let mut text = String::from("size-labeler:\n  ignore: ");
        text.push_str(&"[".repeat(MAX_CONFIG_BYTES - text.len() - 1));
        let err = parse(&text, ".github/guardians.yml").unwrap_err();
        assert_eq!(
            err.to_string(),
            ".github/guardians.yml:2: collections nest more than 128 levels deep; deeper YAML or JSON is refused so that reading stays fast, flatten the document. Fix the file (the schema is schema/guardians.schema.json in the Guardians repository)"
        );
    }
}
