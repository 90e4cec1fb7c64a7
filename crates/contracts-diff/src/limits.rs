//! Bounds that keep hostile or huge contracts from exhausting time or memory.

use guardians_core::config::contracts_diff::{ContractsDiffConfig, DEFAULT_MAX_FILE_BYTES};

/// Limits applied while loading and comparing documents. Every limit ends in a clear
/// error or a gating `analysis-incomplete` / `comparison-too-complex` finding, never in a hang.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted file, in bytes (`contracts-diff.max-file-bytes`).
    pub max_bytes: usize,
    /// Most JSON values one document may expand to (YAML aliases count each time used).
    pub max_nodes: usize,
    /// Most external files one document may pull in through relative `$ref`s.
    pub max_files: usize,
    /// Deepest schema nesting compared (cycles are cut separately).
    pub max_schema_depth: usize,
    /// Most schema pairs compared per document pair.
    pub max_comparisons: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: DEFAULT_MAX_FILE_BYTES as usize,
            max_nodes: 8_000_000,
            max_files: 200,
            max_schema_depth: 64,
            max_comparisons: 2_000_000,
        }
    }
}

impl Limits {
    /// The defaults with the config's `max-file-bytes`.
    pub fn from_config(config: &ContractsDiffConfig) -> Self {
        Self {
            max_bytes: usize::try_from(config.max_file_bytes).unwrap_or(usize::MAX),
            ..Self::default()
        }
    }

    /// Whether a file of `size` bytes is over `max_bytes`.
    pub fn too_large(&self, size: u64) -> bool {
        usize::try_from(size).map_or(true, |size| size > self.max_bytes)
    }
}

/// Why a file over the size limit is not read, naming the size, the limit and the setting.
pub(crate) fn too_large_message(name: &str, size: u64, limit: usize) -> String {
    format!(
        "{name} is {size} bytes, over the limit of {limit} bytes (`contracts-diff.max-file-bytes`); split the contract or raise the limit"
    )
}
