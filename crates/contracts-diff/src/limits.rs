//! Bounds that keep hostile or huge contracts from exhausting time or memory.

/// Limits applied while loading and comparing documents. Every limit ends in a clear
/// error or a gating `analysis-incomplete` / `comparison-too-complex` finding, never in a hang.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted file, in bytes.
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
            max_bytes: 64 * 1024 * 1024,
            max_nodes: 8_000_000,
            max_files: 200,
            max_schema_depth: 64,
            max_comparisons: 2_000_000,
        }
    }
}
