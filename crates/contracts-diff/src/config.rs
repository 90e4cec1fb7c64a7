//! The `contracts-diff:` section of `.github/guardians.yml`. The type is shared in
//! `guardians-core` (telemetry-emitter reads the section's globs too); this module adds what the
//! guardian needs.

pub use guardians_core::config::contracts_diff::{
    ContractsDiffConfig, DEFAULT_CONTRACT_GLOBS, FailOn, RequireApprovalOn,
};

use std::path::Path;

use guardians_core::config::ConfigError;

use crate::change::Severity;

/// Whether findings of `worst` severity (None: no semantic finding) plus `any_change` meet `fail_on`.
pub fn fail_on_met(fail_on: FailOn, worst: Option<Severity>, any_change: bool) -> bool {
    match fail_on {
        FailOn::None => false,
        FailOn::Any => any_change,
        FailOn::Breaking => worst == Some(Severity::Breaking),
        FailOn::PotentiallyBreaking => worst >= Some(Severity::PotentiallyBreaking),
    }
}

/// Reads the `contracts-diff:` section of a `guardians.yml` on disk (`--config`), through the
/// core loader like every guardian's. A missing section gives the defaults; unknown keys are
/// rejected with their path, the file and the line.
pub fn load_file(path: &Path) -> Result<ContractsDiffConfig, ConfigError> {
    guardians_core::config::load_from_file(path)?
        .config
        .section()
}
