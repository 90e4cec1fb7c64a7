//! The `contracts-diff:` section of `.github/guardians.yml`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::repo_path;

/// Which changes make `contracts-diff` ask for the approval label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RequireApprovalOn {
    /// Any change to a contract file needs the approval label.
    Any,
    /// Only breaking changes need the approval label.
    Breaking,
}

/// The least severe finding that fails the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FailOn {
    /// Fail when a breaking change is found.
    Breaking,
    /// Fail when a breaking or potentially breaking change is found.
    PotentiallyBreaking,
    /// Fail on any change to a contract file.
    Any,
    /// Never fail; only report.
    None,
}

/// A severity a rule can be given in `severity:`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum RuleSeverity {
    /// Existing clients break: needs the approval label.
    Breaking,
    /// Some clients may break (exhaustive switches, readers of an optional value).
    PotentiallyBreaking,
    /// No existing client breaks.
    NonBreaking,
}

/// Default `max-file-bytes`: 64 MiB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Largest `max-file-bytes` accepted (1 GiB): past it one contract could take the runner's memory.
pub const MAX_FILE_BYTES_CEILING: u64 = 1024 * 1024 * 1024;

/// Settings of the `contracts-diff` guardian: which files are API contracts, which files
/// implement endpoints, and when an architect's approval is required.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct ContractsDiffConfig {
    /// Glob patterns (gitignore-like, `**` crosses directories) of API contract files.
    /// OpenAPI and JSON Schema files get a semantic diff; every other match gets a text diff.
    #[serde(deserialize_with = "repo_path::repo_globs")]
    pub contracts: Vec<String>,
    /// Glob patterns of route or handler source files. A change to a matching file sets
    /// the `endpoints-touched` output even when no contract file changed.
    #[serde(deserialize_with = "repo_path::repo_globs")]
    pub endpoints: Vec<String>,
    /// Glob patterns excluded from `contracts` (generated clients, fixtures, ...).
    #[serde(deserialize_with = "repo_path::repo_globs")]
    pub ignore: Vec<String>,
    /// The label an architect puts on the pull request to approve contract changes.
    pub approval_label: String,
    /// `breaking`: only breaking changes need the approval label; `any`: every contract change does.
    pub require_approval_on: RequireApprovalOn,
    /// The least severe finding that fails the check when the approval label is missing:
    /// `breaking`, `potentially-breaking`, `any` or `none`.
    pub fail_on: FailOn,
    /// At most this many lines of text diff are shown per file; the rest is counted as omitted.
    pub max_diff_lines: usize,
    /// Rule id -> `breaking`, `potentially-breaking` or `non-breaking`: replaces the rule's
    /// default severity wherever it fires, for the approval gate and `fail-on` too. The gates
    /// (`contract-unreadable`, `changes-unlisted`, `comparison-too-complex`,
    /// `analysis-incomplete`, `contract-removed`) cannot be lowered.
    pub severity: BTreeMap<String, RuleSeverity>,
    /// Largest contract file read, in bytes (default 64 MiB, at most 1 GiB). A larger version
    /// is not read or parsed: it is a breaking `contract-unreadable` finding naming its size.
    #[schemars(range(min = 1, max = 1_073_741_824))]
    pub max_file_bytes: u64,
}

/// Contract globs used when the config names none.
pub const DEFAULT_CONTRACT_GLOBS: &[&str] = &[
    "packages/contracts/**",
    "packages/types/**",
    "**/openapi*.{yaml,yml,json}",
    "**/swagger*.{yaml,yml,json}",
    "**/*.schema.json",
    "**/*.proto",
    "**/*.graphql",
    "**/*.gql",
];

impl super::ConfigSection for ContractsDiffConfig {
    const NAME: &'static str = "contracts-diff";
}

impl Default for ContractsDiffConfig {
    fn default() -> Self {
        Self {
            contracts: DEFAULT_CONTRACT_GLOBS
                .iter()
                .map(|g| (*g).to_owned())
                .collect(),
            endpoints: Vec::new(),
            ignore: Vec::new(),
            approval_label: "architect-approved".to_owned(),
            require_approval_on: RequireApprovalOn::Breaking,
            fail_on: FailOn::Breaking,
            max_diff_lines: 400,
            severity: BTreeMap::new(),
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
        }
    }
}
