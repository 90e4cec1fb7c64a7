//! The semantic diff of OpenAPI 3.0/3.1 descriptions and standalone JSON Schemas.

pub mod operations;
pub mod schema;
pub mod security;
pub mod swagger2;

use serde_json::Value;

use crate::change::{Change, Direction, Severity};
use crate::limits::Limits;
use crate::resolve::{Spec, push_token};
use crate::rules::Rule;
use schema::{Part, SchemaDiffer, Side};

/// What kind of document a parsed contract is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    OpenApi30,
    OpenApi31,
    /// Swagger 2.0. [`crate::resolve::Spec::load`] converts it to OpenAPI 3.0
    /// ([`swagger2`]), so only a document built by hand is still of this kind.
    Swagger2,
    JsonSchema,
    Unknown,
}

impl DocKind {
    pub fn of(root: &Value) -> DocKind {
        if let Some(v) = root.get("openapi").and_then(Value::as_str) {
            return if v.starts_with("3.0") {
                DocKind::OpenApi30
            } else {
                DocKind::OpenApi31
            };
        }
        if root.get("swagger").is_some() {
            return DocKind::Swagger2;
        }
        let looks_like_schema = root.get("$schema").is_some()
            || [
                "type",
                "properties",
                "$defs",
                "definitions",
                "allOf",
                "oneOf",
                "anyOf",
                "$ref",
                "enum",
            ]
            .iter()
            .any(|k| root.get(*k).is_some());
        if looks_like_schema && root.is_object() {
            DocKind::JsonSchema
        } else {
            DocKind::Unknown
        }
    }

    pub fn is_semantic(self) -> bool {
        matches!(
            self,
            DocKind::OpenApi30 | DocKind::OpenApi31 | DocKind::JsonSchema
        )
    }

    fn side(self, spec: &Spec) -> Side<'_> {
        let root = spec.root();
        let old_draft = root
            .value
            .get("$schema")
            .and_then(Value::as_str)
            .is_some_and(|s| {
                s.contains("draft-04") || s.contains("draft-06") || s.contains("draft-07")
            });
        Side {
            spec,
            ref_siblings_apply: match self {
                DocKind::OpenApi30 | DocKind::Swagger2 => false,
                DocKind::JsonSchema => !old_draft,
                _ => true,
            },
            null_needs_opt_in: self == DocKind::OpenApi30,
        }
    }
}

/// Result of comparing two versions of one document.
#[derive(Debug, Clone)]
pub struct SemanticDiff {
    pub changes: Vec<Change>,
    /// Operations present in either version that have at least one change.
    pub endpoints: Vec<String>,
    /// Units of work the schema comparison spent (bounded by `Limits::max_comparisons`).
    pub work: usize,
}

/// Compares two versions of an OpenAPI document or JSON Schema.
pub fn diff(before: &Spec, after: &Spec, limits: &Limits) -> SemanticDiff {
    let bkind = DocKind::of(before.root().value);
    let akind = DocKind::of(after.root().value);
    let mut differ = SchemaDiffer::new(bkind.side(before), akind.side(after), *limits);
    let mut changes = Vec::new();
    if bkind == DocKind::JsonSchema && akind == DocKind::JsonSchema {
        diff_json_schema(&mut differ, before, after, &mut changes);
    } else {
        changes.extend(operations::diff_operations(&mut differ, before, after));
        security::diff_schemes(before, after, &mut changes);
    }
    if let Some(at) = differ.too_complex.take() {
        // Gates: what was not compared may hide a breaking change.
        changes.push(Change::new(
            Rule::ComparisonTooComplex,
            Severity::Breaking,
            Direction::None,
            at.clone(),
            format!(
                "too complex to compare exactly: {}; the comparison stopped after {} units of work, so a breaking change may be hidden. Review the schemas there by hand",
                if at.is_empty() { "the document" } else { at.as_str() },
                limits.max_comparisons
            ),
        ));
    }
    if let Some(at) = differ.incomplete.take() {
        // Gates: a change below the cut would otherwise pass unseen.
        changes.push(Change::new(
            Rule::AnalysisIncomplete,
            Severity::Breaking,
            Direction::None,
            at.clone(),
            format!(
                "not compared below {}: the schemas nest deeper than {} levels there and differ further down, so a breaking change may be hidden. Review the schemas there by hand",
                if at.is_empty() { "the document" } else { at.as_str() },
                limits.max_schema_depth
            ),
        ));
    }
    let mut changes = crate::change::merge_duplicates(changes);
    changes.sort_by(|x, y| {
        y.severity
            .cmp(&x.severity)
            .then_with(|| x.operations.first().cmp(&y.operations.first()))
            .then_with(|| x.pointer.cmp(&y.pointer))
    });
    let mut endpoints: Vec<String> = changes
        .iter()
        .flat_map(|c| c.operations.iter().cloned())
        .collect();
    endpoints.sort();
    endpoints.dedup();
    SemanticDiff {
        changes,
        endpoints,
        work: differ.work(),
    }
}

fn diff_json_schema<'s>(
    differ: &mut SchemaDiffer<'s>,
    before: &'s Spec,
    after: &'s Spec,
    out: &mut Vec<Change>,
) {
    let root_b = Part::new(before.root(), String::new());
    let root_a = Part::new(after.root(), String::new());
    out.extend(differ.diff(root_b, root_a, Direction::Both));
    for defs in ["$defs", "definitions"] {
        let (Some(Value::Object(bd)), ad) =
            (before.root().value.get(defs), after.root().value.get(defs))
        else {
            continue;
        };
        for name in bd.keys() {
            let pointer = push_token(&push_token("", defs), name);
            if ad.and_then(|m| m.get(name)).is_some() {
                let b = Part::new(before.root(), String::new());
                let a = Part::new(after.root(), String::new());
                let (Some(b), Some(a)) = (child_at(&b, defs, name), child_at(&a, defs, name))
                else {
                    continue;
                };
                out.extend(differ.diff(b, a, Direction::Both));
            } else {
                out.push(Change::new(
                    Rule::DefinitionRemoved,
                    Severity::PotentiallyBreaking,
                    Direction::Both,
                    pointer,
                    format!("definition `{name}` was removed"),
                ));
            }
        }
    }
}

fn child_at<'s>(part: &Part<'s>, key: &str, name: &str) -> Option<Part<'s>> {
    let value = part.value.get(key)?.get(name)?;
    Some(Part {
        value,
        file: part.file,
        pointer: push_token(&push_token(&part.pointer, key), name),
        site: None,
        distributed: false,
    })
}
