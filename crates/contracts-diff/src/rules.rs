//! The catalogue of rules: every change the engine reports carries one of these stable ids.

use serde::{Serialize, Serializer};

macro_rules! rules {
    ($($variant:ident => $id:literal, $severity:literal, $what:literal;)*) => {
        /// A stable rule id. The string form (`Rule::id`) never changes once released.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule { $($variant,)* }

        impl Rule {
            /// Every rule, in catalogue order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            /// The stable id, e.g. `operation-removed`.
            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id,)* }
            }

            /// The severity as documented (it may depend on the direction).
            pub fn documented_severity(self) -> &'static str {
                match self { $(Rule::$variant => $severity,)* }
            }

            /// What the rule detects, in one sentence.
            pub fn what(self) -> &'static str {
                match self { $(Rule::$variant => $what,)* }
            }
        }
    };
}

rules! {
    OperationRemoved => "operation-removed", "breaking", "An operation (method + path template) no longer exists.";
    DeprecatedOperationRemoved => "deprecated-operation-removed", "potentially-breaking", "An operation that was already deprecated was removed; clients had notice, but any still calling it break.";
    OperationAdded => "operation-added", "non-breaking", "A new operation.";
    OperationDeprecated => "operation-deprecated", "non-breaking", "An operation was marked deprecated (or no longer is).";
    SunsetChanged => "sunset-changed", "non-breaking", "The `x-sunset` date of an operation was added, changed or removed.";
    DocumentationChanged => "documentation-changed", "non-breaking", "Descriptions, summaries, titles, examples, tags, servers, external docs or operation ids changed.";
    ExtensionChanged => "extension-changed", "non-breaking", "An `x-` extension of an operation, path item, parameter, response or security scheme was added, removed or changed (its meaning is unknown to us).";
    SecurityRequirementAdded => "security-requirement-added", "breaking", "Authentication is now required where it was not, or an alternative now needs another scheme.";
    SecurityRequirementRemoved => "security-requirement-removed", "non-breaking", "A security scheme is no longer required; clients that still send credentials keep working (review it for security).";
    SecurityAlternativeAdded => "security-alternative-added", "non-breaking", "A new way to authenticate was offered next to the existing ones.";
    SecurityAlternativeRemoved => "security-alternative-removed", "breaking", "A way to authenticate was withdrawn; clients using it break.";
    SecurityScopeAdded => "security-scope-added", "breaking", "An OAuth2/OpenID scope is now required.";
    SecurityScopeRemoved => "security-scope-removed", "non-breaking", "An OAuth2/OpenID scope is no longer required.";
    SecuritySchemeChanged => "security-scheme-changed", "breaking", "A security scheme in `components.securitySchemes` was removed or changed its type, location or name.";
    ParameterAdded => "parameter-added", "non-breaking", "A new optional parameter (or a header parameter OpenAPI ignores).";
    RequiredParameterAdded => "required-parameter-added", "breaking", "A new required parameter; existing calls lack it.";
    ParameterRemoved => "parameter-removed", "breaking", "A parameter was removed; calls sending it may be rejected or silently lose meaning.";
    ParameterBecameRequired => "parameter-became-required", "breaking", "An optional parameter became required.";
    ParameterBecameOptional => "parameter-became-optional", "non-breaking", "A required parameter became optional.";
    ParameterLocationChanged => "parameter-location-changed", "breaking", "A parameter moved (e.g. from query to header).";
    ParameterStyleChanged => "parameter-style-changed", "breaking", "A parameter's serialization (`style`, or `explode` of an array/object) changed.";
    ParameterEncodingChanged => "parameter-encoding-changed", "breaking when narrowed", "`allowEmptyValue` or `allowReserved` of a query parameter changed (prohibiting is breaking; other locations ignore them).";
    ParameterDeprecated => "parameter-deprecated", "non-breaking", "A parameter was marked deprecated (or no longer is).";
    RequestBodyAdded => "request-body-added", "breaking if required", "A request body was added.";
    RequestBodyRemoved => "request-body-removed", "breaking", "The request body was removed.";
    RequestBodyBecameRequired => "request-body-became-required", "breaking", "The request body became required.";
    RequestBodyBecameOptional => "request-body-became-optional", "non-breaking", "The request body became optional.";
    MediaTypeRemoved => "media-type-removed", "breaking", "A request or response media type was removed.";
    MediaTypeAdded => "media-type-added", "non-breaking", "A request or response media type was added.";
    ResponseStatusRemoved => "response-status-removed", "breaking for success codes", "A response status was removed (1xx-3xx and `default` are breaking; errors are not).";
    ResponseStatusAdded => "response-status-added", "non-breaking", "A new response status.";
    ResponseHeaderRemoved => "response-header-removed", "breaking", "A response header is no longer sent.";
    ResponseHeaderAdded => "response-header-added", "non-breaking", "A new response header.";
    ResponseHeaderRequiredChanged => "response-header-required-changed", "breaking when it became optional", "A response header became optional (or required).";
    TypeChanged => "type-changed", "breaking", "The type changed to an incompatible one (e.g. string to number).";
    TypeWidened => "type-widened", "breaking in responses", "More types are allowed than before (e.g. a type added to a union, or no type at all).";
    TypeNarrowed => "type-narrowed", "breaking in requests", "Fewer types are allowed than before.";
    BecameNullable => "became-nullable", "breaking in responses", "`null` is now allowed (`nullable: true`, `type: [.., \"null\"]` or `x-nullable`).";
    BecameNonNullable => "became-non-nullable", "breaking in requests", "`null` is no longer allowed.";
    FormatAdded => "format-added", "breaking in requests", "A `format` was added.";
    FormatRemoved => "format-removed", "breaking in responses", "A `format` was removed.";
    FormatChanged => "format-changed", "breaking", "The `format` changed.";
    EnumAdded => "enum-added", "breaking in requests", "The value is now restricted to an `enum` (or `const`).";
    EnumRemoved => "enum-removed", "potentially-breaking in responses", "The `enum` restriction was removed.";
    EnumValueAdded => "enum-value-added", "potentially-breaking in responses", "Enum values were added; clients switching over the values may not handle them.";
    EnumValueRemoved => "enum-value-removed", "breaking in requests", "Enum values were removed.";
    ConstraintTightened => "constraint-tightened", "breaking in requests", "A bound got tighter: minimum/maximum (and exclusiveness), min/max length, items or properties, `uniqueItems`, or a `pattern`/`multipleOf` was added.";
    ConstraintRelaxed => "constraint-relaxed", "breaking in responses", "A bound got looser or was removed.";
    ConstraintChanged => "constraint-changed", "breaking", "A `pattern` or `multipleOf` changed to a different value (neither strictly tighter nor looser).";
    PropertyAdded => "property-added", "non-breaking", "A new optional property (or a required one in a response).";
    RequiredPropertyAdded => "required-property-added", "breaking in requests", "A new required request property without a default.";
    PropertyRemoved => "property-removed", "breaking in requests", "A property was removed (in responses: breaking if it was required, potentially breaking if optional).";
    PropertyBecameRequired => "property-became-required", "breaking in requests", "A property became required (non-breaking when it has a default).";
    PropertyBecameOptional => "property-became-optional", "breaking in responses", "A property is no longer required; clients may stop receiving it.";
    ReadOnlyChanged => "read-only-changed", "breaking in requests when set", "A property became `readOnly` (clients may no longer send it) or stopped being so.";
    WriteOnlyChanged => "write-only-changed", "non-breaking", "A property became `writeOnly` or stopped being so.";
    AdditionalPropertiesChanged => "additional-properties-changed", "depends on direction", "`additionalProperties` was restricted (breaking in requests) or relaxed (breaking in responses).";
    UnionMemberAdded => "union-member-added", "potentially-breaking in responses", "A `oneOf`/`anyOf` member (or a GraphQL union member) was added; clients switching over the alternatives may not handle it.";
    UnionMemberRemoved => "union-member-removed", "breaking in requests", "A `oneOf`/`anyOf` member was removed.";
    DiscriminatorChanged => "discriminator-changed", "breaking in responses", "The `discriminator` was added, removed or changed.";
    XmlChanged => "xml-changed", "breaking", "The XML representation (`xml` name, prefix, namespace, attribute, wrapped) changed.";
    DefaultChanged => "default-changed", "potentially-breaking in requests", "The `default` value changed; clients that omit the value get another behaviour.";
    SchemaDeprecated => "schema-deprecated", "non-breaking", "A schema or property was marked deprecated (or no longer is).";
    UnresolvedReference => "unresolved-reference", "potentially-breaking", "A `$ref` could not be followed (network reference, outside the repository, missing target); it is compared as text only.";
    ComparisonTooComplex => "comparison-too-complex", "breaking", "Comparing the schemas would take more work than the limit allows (shared components fanning out through many `$ref`s or unions); the comparison stopped where it was, and since a breaking change may be hidden there the PR needs approval.";
    AnalysisIncomplete => "analysis-incomplete", "breaking", "Schemas nest deeper than the comparison goes (64 levels) and differ below that point: what differs there was not compared, and since a breaking change may be hidden the PR needs approval. The finding names where the comparison stopped.";
    DefinitionRemoved => "definition-removed", "potentially-breaking", "A JSON Schema definition (`$defs`/`definitions`) was removed; documents referring to it break.";
    ContractRemoved => "contract-removed", "breaking", "A whole contract file was removed.";
    ContractUnreadable => "contract-unreadable", "breaking", "A contract file could not be read or compared (syntax error, parser limit, unknown or changed format, too large): it needs approval like a breaking change, tied to its contents.";
    ChangesUnlisted => "changes-unlisted", "breaking", "Not every changed file could be listed (GitHub's 3,000-file cap, and the git trees truncated too): a contract change may be unseen, so the PR needs approval.";
    GraphqlTypeRemoved => "graphql-type-removed", "breaking", "A GraphQL type (reachable from the root operations) or an executable directive was removed.";
    GraphqlFieldRemoved => "graphql-field-removed", "breaking", "A field of a GraphQL type was removed, or an enum value used in input (output-only enums: non-breaking).";
    GraphqlDeprecatedRemoved => "graphql-deprecated-removed", "potentially-breaking", "A field or input enum value already marked `@deprecated` was removed (the message quotes the deprecation reason, which often names the removal date), or a type clients could reach only through deprecated fields. Clients had notice, but queries still using it fail validation.";
    GraphqlFieldAdded => "graphql-field-added", "non-breaking", "A new field of a GraphQL object or interface.";
    GraphqlTypeChanged => "graphql-type-changed", "breaking", "A field, argument or input field changed type (output `T!` to `T` and input `T` to `T!` are breaking; the reverse is not).";
    GraphqlArgumentChanged => "graphql-argument-changed", "breaking", "An argument, input field or directive location was removed, or a required argument was added.";
    GraphqlSdlInvalid => "graphql-sdl-invalid", "potentially-breaking", "The GraphQL SDL defines a type, field, argument, enum value or directive twice: a server refuses it. It is compared with the definitions merged (the later one wins), and the finding names the line; already so in the base version: non-breaking.";
    ProtoMessageRemoved => "proto-message-removed", "breaking", "A protobuf message or enum was removed.";
    ProtoFieldRemoved => "proto-field-removed", "breaking", "A protobuf field was removed without reserving its number.";
    ProtoFieldRenumbered => "proto-field-renumbered", "breaking", "A protobuf field kept its name but changed its number (wire-incompatible).";
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_and_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for rule in Rule::ALL {
            assert!(seen.insert(rule.id()), "duplicate id {}", rule.id());
            assert!(
                rule.id()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-'),
                "{} is not kebab-case",
                rule.id()
            );
        }
    }

    #[test]
    fn readme_documents_every_rule() {
        let readme = include_str!("../README.md");
        for rule in Rule::ALL {
            assert!(
                readme.contains(&format!("`{}`", rule.id())),
                "README.md lacks rule `{}`",
                rule.id()
            );
        }
    }
}
