//! The `contracts-diff:` section of `.github/guardians.yml`. The type is shared in
//! `guardians-core` (telemetry-emitter reads the section's globs too); this module adds what the
//! guardian needs: the checks that need the rule catalogue, and the severity overrides.

pub use guardians_core::config::contracts_diff::{
    ContractsDiffConfig, DEFAULT_CONTRACT_GLOBS, FailOn, RequireApprovalOn, RuleSeverity,
};

use std::path::Path;

use guardians_core::config::{ConfigError, LoadedConfig};

use crate::change::Severity;
use crate::rules::Rule;

/// Rules that keep the gate safe: what was not (or could not be) analysed must reach a person,
/// so a config cannot make them less than breaking.
pub const GATE_RULES: &[Rule] = &[
    Rule::ContractUnreadable,
    Rule::ChangesUnlisted,
    Rule::ComparisonTooComplex,
    Rule::AnalysisIncomplete,
    Rule::ContractRemoved,
];

/// Whether findings of `worst` severity (None: no semantic finding) plus `any_change` meet `fail_on`.
pub fn fail_on_met(fail_on: FailOn, worst: Option<Severity>, any_change: bool) -> bool {
    match fail_on {
        FailOn::None => false,
        FailOn::Any => any_change,
        FailOn::Breaking => worst == Some(Severity::Breaking),
        FailOn::PotentiallyBreaking => worst >= Some(Severity::PotentiallyBreaking),
    }
}

impl From<RuleSeverity> for Severity {
    fn from(severity: RuleSeverity) -> Self {
        match severity {
            RuleSeverity::Breaking => Severity::Breaking,
            RuleSeverity::PotentiallyBreaking => Severity::PotentiallyBreaking,
            RuleSeverity::NonBreaking => Severity::NonBreaking,
        }
    }
}

/// The severity `config` gives `rule`, if it overrides it. A gate is never lowered, even by a
/// config that skipped [`check`].
pub fn severity_override(config: &ContractsDiffConfig, rule: Rule) -> Option<Severity> {
    let severity = Severity::from(*config.severity.get(rule.id())?);
    if GATE_RULES.contains(&rule) && severity != Severity::Breaking {
        return None;
    }
    Some(severity)
}

/// What the section's types cannot check alone: `severity:` keys are rule ids of the
/// catalogue, and no gate is lowered. `source_name` names the file in the error.
pub fn check(config: &ContractsDiffConfig, source_name: &str) -> Result<(), ConfigError> {
    let invalid = |id: &str, message: String| ConfigError::Invalid {
        source_name: source_name.to_owned(),
        key_path: format!("contracts-diff.severity.{id}"),
        line: None,
        message,
    };
    let ceiling = guardians_core::config::contracts_diff::MAX_FILE_BYTES_CEILING;
    if config.max_file_bytes == 0 || config.max_file_bytes > ceiling {
        return Err(ConfigError::Invalid {
            source_name: source_name.to_owned(),
            key_path: "contracts-diff.max-file-bytes".to_owned(),
            line: None,
            message: format!(
                "{} bytes is out of range: give 1 to {ceiling} bytes (1 GiB; the default is 64 MiB, {})",
                config.max_file_bytes,
                guardians_core::config::contracts_diff::DEFAULT_MAX_FILE_BYTES
            ),
        });
    }
    for (id, severity) in &config.severity {
        let Some(rule) = Rule::ALL.iter().copied().find(|r| r.id() == id) else {
            let ids: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
            return Err(invalid(
                id,
                format!(
                    "`{id}` is not a contracts-diff rule id; valid ids: {}",
                    ids.join(", ")
                ),
            ));
        };
        if GATE_RULES.contains(&rule) && *severity != RuleSeverity::Breaking {
            let gates: Vec<&str> = GATE_RULES.iter().map(|r| r.id()).collect();
            return Err(invalid(
                id,
                format!(
                    "`{id}` is a safety gate and cannot be lowered below breaking: what could not be read, listed or compared needs an architect's approval (gates: {})",
                    gates.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// The `contracts-diff:` section of a loaded config, checked.
pub fn read_section(loaded: &LoadedConfig) -> Result<ContractsDiffConfig, ConfigError> {
    let config = loaded.config.section::<ContractsDiffConfig>()?;
    check(&config, &loaded.source.to_string())?;
    Ok(config)
}

/// Reads the `contracts-diff:` section of a `guardians.yml` on disk (`--config`), through the
/// core loader like every guardian's. A missing section gives the defaults; unknown keys are
/// rejected with their path, the file and the line.
pub fn load_file(path: &Path) -> Result<ContractsDiffConfig, ConfigError> {
    read_section(&guardians_core::config::load_from_file(path)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> Result<ContractsDiffConfig, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let path = dir.path().join("guardians.yml");
        std::fs::write(&path, yaml).map_err(|e| e.to_string())?;
        load_file(&path).map_err(|e| e.to_string())
    }

    #[test]
    fn severity_overrides_are_read() {
        let config = parse(
            "contracts-diff:\n  severity:\n    union-member-added: breaking\n    operation-removed: potentially-breaking\n    contract-removed: breaking\n",
        )
        .unwrap();
        assert_eq!(
            severity_override(&config, Rule::UnionMemberAdded),
            Some(Severity::Breaking)
        );
        assert_eq!(
            severity_override(&config, Rule::OperationRemoved),
            Some(Severity::PotentiallyBreaking)
        );
        assert_eq!(
            severity_override(&config, Rule::ContractRemoved),
            Some(Severity::Breaking)
        );
        assert_eq!(severity_override(&config, Rule::EnumValueAdded), None);
    }

    #[test]
    fn an_unknown_rule_id_is_refused_with_the_valid_ids() {
        let err = parse("contracts-diff:\n  severity:\n    union-added: breaking\n").unwrap_err();
        assert!(
            err.contains("at `contracts-diff.severity.union-added`")
                && err.contains(
                    "`union-added` is not a contracts-diff rule id; valid ids: operation-removed, "
                )
                && err.contains("union-member-added"),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_severity_is_refused_with_the_valid_ones() {
        let err =
            parse("contracts-diff:\n  severity:\n    union-member-added: fatal\n").unwrap_err();
        assert!(
            err.contains("contracts-diff.severity")
                && err.contains("`fatal`")
                && err.contains("`breaking`, `potentially-breaking`, `non-breaking`"),
            "{err}"
        );
    }

    #[test]
    fn max_file_bytes_is_read_and_bounded() {
        let config = parse("contracts-diff:\n  max-file-bytes: 1000\n").unwrap();
        assert_eq!(crate::Limits::from_config(&config).max_bytes, 1000);
        assert_eq!(
            crate::Limits::from_config(&ContractsDiffConfig::default()).max_bytes,
            64 * 1024 * 1024
        );
        for bad in ["0", "1073741825"] {
            let err = parse(&format!("contracts-diff:\n  max-file-bytes: {bad}\n")).unwrap_err();
            assert!(
                err.contains("at `contracts-diff.max-file-bytes`")
                    && err.contains(&format!(
                        "{bad} bytes is out of range: give 1 to 1073741824 bytes"
                    )),
                "{err}"
            );
        }
    }

    #[test]
    fn a_gate_cannot_be_lowered() {
        for gate in GATE_RULES {
            let err = parse(&format!(
                "contracts-diff:\n  severity:\n    {}: non-breaking\n",
                gate.id()
            ))
            .unwrap_err();
            assert!(
                err.contains(&format!("at `contracts-diff.severity.{}`", gate.id()))
                    && err.contains("is a safety gate and cannot be lowered below breaking"),
                "{err}"
            );
        }
        // Unchecked (a config built in code), a lowered gate is still not applied.
        let mut config = ContractsDiffConfig::default();
        config
            .severity
            .insert("analysis-incomplete".into(), RuleSeverity::NonBreaking);
        assert_eq!(severity_override(&config, Rule::AnalysisIncomplete), None);
    }
}
