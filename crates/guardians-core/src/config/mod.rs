//! `.github/guardians.yml`: one file, one section per guardian.
//!
//! The file is read from the PR's *base* branch, so that a PR cannot loosen its own gates; action
//! inputs override it. Unknown keys are rejected with their path, because a misspelt key that is
//! silently ignored is a gate silently off.
//!
//! Core keeps what the file as a whole needs: the loader (base branch, size limit, the one
//! YAML reader), the outline check (only known section names), error rendering and the schema
//! assembly. Each section's type lives with the guardian that reads it and implements
//! [`ConfigSection`]; sections more than one guardian reads (size-labeler's, contracts-diff's)
//! live here.

pub mod contracts_diff;
mod error;
mod load;
pub mod queue_defaults;
pub mod repo_path;
pub mod schema;
mod section;
pub mod size_labeler;

pub use error::ConfigError;
pub use load::{
    ConfigSource, LoadError, LoadedConfig, MAX_CONFIG_BYTES, load_from_file, load_from_ref, parse,
    parse_section,
};
pub use repo_path::{PathKind, RepoPathError, validate_repo_path, validate_repo_paths};
pub use section::{ConfigSection, GuardiansConfig, SECTION_NAMES};

/// Where the file lives in a repository.
pub const CONFIG_PATH: &str = ".github/guardians.yml";
