//! `.github/guardians.yml`: one file, one section per guardian.
//!
//! The file is read from the PR's *base* branch, so that a PR cannot loosen its own gates; action
//! inputs override it. Unknown keys are rejected with their path, because a misspelt key that is
//! silently ignored is a gate silently off.

pub mod contracts_diff;
mod error;
pub mod integration_queue;
mod load;
pub mod pr_critic;
pub mod preview_commenter;
pub mod repo_path;
pub mod size_labeler;
pub mod telemetry_emitter;

use serde::{Deserialize, Serialize};

pub use error::ConfigError;
pub use load::{
    ConfigSource, LoadError, LoadedConfig, MAX_CONFIG_BYTES, load_from_file, load_from_ref, parse,
};
pub use repo_path::{PathKind, RepoPathError, validate_repo_path, validate_repo_paths};

/// Where the file lives in a repository.
pub const CONFIG_PATH: &str = ".github/guardians.yml";

/// The whole `.github/guardians.yml`. Every section is optional.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "Guardians configuration (.github/guardians.yml)")]
pub struct GuardiansConfig {
    pub size_labeler: size_labeler::SizeLabelerConfig,
    pub pr_critic: pr_critic::PrCriticConfig,
    pub contracts_diff: contracts_diff::ContractsDiffConfig,
    pub preview_commenter: preview_commenter::PreviewCommenterConfig,
    pub telemetry_emitter: telemetry_emitter::TelemetryEmitterConfig,
    pub integration_queue: integration_queue::IntegrationQueueConfig,
}

/// The JSON Schema of the file, as shipped in `schema/guardians.schema.json`.
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(GuardiansConfig))
        .expect("a JSON Schema always serializes")
}
