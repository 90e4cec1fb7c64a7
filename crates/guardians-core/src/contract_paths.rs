//! Which changed files are API contracts and which are endpoint implementations, by the
//! `contracts-diff` section's globs. Shared so that the files contracts-diff checks and the
//! `contracts_touched` / `endpoints_touched` telemetry-emitter sends are decided once.

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::config::contracts_diff::ContractsDiffConfig;

/// A glob from the config that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid glob `{glob}` in `contracts-diff.{key}`: {reason}; fix the pattern (globs use `*`, `**`, `?`, `[...]` and `{{a,b}}`)"
)]
pub struct GlobError {
    pub key: &'static str,
    pub glob: String,
    pub reason: String,
}

/// Compiled contract, ignore and endpoint globs.
#[derive(Debug, Clone)]
pub struct Detector {
    contracts: GlobSet,
    ignore: GlobSet,
    endpoints: GlobSet,
}

fn build(key: &'static str, globs: &[String]) -> Result<GlobSet, GlobError> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        let compiled = globset::GlobBuilder::new(glob)
            .literal_separator(true)
            .build()
            .or_else(|_| Glob::new(glob))
            .map_err(|e| GlobError {
                key,
                glob: glob.clone(),
                reason: e.kind().to_string(),
            })?;
        builder.add(compiled);
    }
    builder.build().map_err(|e| GlobError {
        key,
        glob: globs.join(", "),
        reason: e.to_string(),
    })
}

impl Detector {
    pub fn new(config: &ContractsDiffConfig) -> Result<Self, GlobError> {
        Ok(Detector {
            contracts: build("contracts", &config.contracts)?,
            ignore: build("ignore", &config.ignore)?,
            endpoints: build("endpoints", &config.endpoints)?,
        })
    }

    pub fn is_contract(&self, path: &str) -> bool {
        self.contracts.is_match(path) && !self.ignore.is_match(path)
    }

    pub fn is_endpoint(&self, path: &str) -> bool {
        self.endpoints.is_match(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_globs_match_contracts_and_not_code() {
        let d = Detector::new(&ContractsDiffConfig::default()).unwrap();
        for path in [
            "openapi.yaml",
            "api/openapi.v2.json",
            "svc/swagger.yml",
            "schemas/user.schema.json",
            "proto/user.proto",
            "web/schema.graphql",
            "packages/contracts/src/index.ts",
            "packages/types/user.d.ts",
        ] {
            assert!(d.is_contract(path), "{path}");
        }
        for path in ["src/main.rs", "package.json", "docs/openapi.md"] {
            assert!(!d.is_contract(path), "{path}");
        }
    }

    #[test]
    fn ignore_and_endpoint_globs_apply() {
        let config = ContractsDiffConfig {
            ignore: vec!["**/generated/**".into()],
            endpoints: vec!["src/routes/**".into()],
            ..ContractsDiffConfig::default()
        };
        let d = Detector::new(&config).unwrap();
        assert!(!d.is_contract("api/generated/openapi.yaml"));
        assert!(d.is_endpoint("src/routes/users.ts"));
        assert!(!d.is_endpoint("src/lib/users.ts"));
    }

    #[test]
    fn invalid_glob_is_a_clear_error() {
        let config = ContractsDiffConfig {
            endpoints: vec!["src/{routes".into()],
            ..ContractsDiffConfig::default()
        };
        let err = Detector::new(&config).unwrap_err().to_string();
        assert!(
            err.starts_with("invalid glob `src/{routes` in `contracts-diff.endpoints`"),
            "{err}"
        );
    }
}
