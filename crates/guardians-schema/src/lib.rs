//! The JSON Schema of `.github/guardians.yml`, as shipped in `schema/guardians.schema.json`.
//!
//! Each guardian owns its config section's type; guardians-core assembles the file's schema from
//! the sections it is given. This crate is where every section is visible, so it lists them and
//! its test keeps the shipped file equal to what the types say.

use guardians_core::config::schema::{self, SchemaError, SectionSchema};
use guardians_core::config::{contracts_diff, size_labeler};

/// Every section of the file, each from the crate that owns its type: the guardian that reads it,
/// or guardians-core for a section more than one guardian reads.
pub fn sections() -> Vec<SectionSchema> {
    vec![
        SectionSchema::of::<size_labeler::SizeLabelerConfig>(),
        SectionSchema::of::<pr_critic::config::PrCriticConfig>(),
        SectionSchema::of::<contracts_diff::ContractsDiffConfig>(),
        SectionSchema::of::<preview_commenter::config::PreviewCommenterConfig>(),
        SectionSchema::of::<telemetry_emitter::config::TelemetryEmitterConfig>(),
        SectionSchema::of::<integration_queue::config::IntegrationQueueConfig>(),
    ]
}

/// The schema of the whole file.
pub fn json_schema() -> Result<serde_json::Value, SchemaError> {
    schema::json_schema(&sections())
}
