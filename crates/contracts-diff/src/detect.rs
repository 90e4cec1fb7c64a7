//! What kind of diff each contract file gets. Which files are contracts is
//! `guardians_core::contract_paths`, shared with telemetry-emitter.

/// The diff a contract file gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ContractKind {
    /// YAML or JSON: OpenAPI or JSON Schema get a semantic diff (decided on content).
    Structured,
    Graphql,
    Proto,
    /// Anything else (TypeScript types, ...): text diff only.
    Text,
}

/// The kind of diff for a contract path, by extension.
pub(crate) fn kind_of(path: &str) -> ContractKind {
    let lower = path.to_ascii_lowercase();
    if [".yaml", ".yml", ".json"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        ContractKind::Structured
    } else if lower.ends_with(".graphql") || lower.ends_with(".gql") || lower.ends_with(".graphqls")
    {
        ContractKind::Graphql
    } else if lower.ends_with(".proto") {
        ContractKind::Proto
    } else {
        ContractKind::Text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_extension() {
        assert_eq!(kind_of("a/openapi.YAML"), ContractKind::Structured);
        assert_eq!(kind_of("a.gql"), ContractKind::Graphql);
        assert_eq!(kind_of("a.proto"), ContractKind::Proto);
        assert_eq!(kind_of("a.ts"), ContractKind::Text);
    }
}
