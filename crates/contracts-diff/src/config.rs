//! The `contracts-diff:` section of `.github/guardians.yml`. The type lives in
//! `guardians-core` next to the other sections; this module adds what the guardian needs.

pub use guardians_core::config::contracts_diff::{
    ContractsDiffConfig, DEFAULT_CONTRACT_GLOBS, FailOn, RequireApprovalOn,
};

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

/// Reads the `contracts-diff:` section from the text of a `.github/guardians.yml`-style file.
/// A missing section gives the defaults; unknown keys are rejected with their name.
pub fn from_guardians_yml(text: &str) -> Result<ContractsDiffConfig, String> {
    let root: yaml_serde::Value =
        guardians_core::data::typed("the config file", text).map_err(|e| e.to_string())?;
    let Some(section) = root.get("contracts-diff") else {
        return Ok(ContractsDiffConfig::default());
    };
    if section.is_null() {
        return Ok(ContractsDiffConfig::default());
    }
    yaml_serde::from_value(section.clone())
        .map_err(|e| format!("the `contracts-diff` section of the config is invalid: {e}"))
}
