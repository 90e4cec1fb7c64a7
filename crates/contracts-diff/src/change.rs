//! One reported change: rule, severity, direction, location and message.

use serde::Serialize;

use crate::rules::Rule;

/// How a change affects existing clients. Ordered from harmless to harmful.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    NonBreaking,
    PotentiallyBreaking,
    Breaking,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::NonBreaking => "non-breaking",
            Severity::PotentiallyBreaking => "potentially-breaking",
            Severity::Breaking => "breaking",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Severity::NonBreaking => "non-breaking",
            Severity::PotentiallyBreaking => "potentially breaking",
            Severity::Breaking => "breaking",
        }
    }
}

/// Which way the data described by the changed part flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// Sent by clients: narrowing what is accepted breaks them.
    Request,
    /// Sent to clients: widening what may arrive breaks them.
    Response,
    /// Both ways (a standalone JSON Schema): any narrowing or widening may break someone.
    Both,
    /// Not data: an operation, a security requirement, the document itself.
    None,
}

impl Direction {
    /// Severity of a change that accepts less than before (a tighter constraint).
    pub fn narrowed(self) -> Severity {
        match self {
            Direction::Response => Severity::NonBreaking,
            Direction::Request | Direction::Both | Direction::None => Severity::Breaking,
        }
    }

    /// Severity of a change that accepts more than before (a looser constraint).
    pub fn widened(self) -> Severity {
        match self {
            Direction::Request => Severity::NonBreaking,
            Direction::Response | Direction::Both | Direction::None => Severity::Breaking,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Request => "request",
            Direction::Response => "response",
            Direction::Both => "both",
            Direction::None => "none",
        }
    }
}

/// A change found between the base and head version of a contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Stable rule id, e.g. `operation-removed`.
    pub rule: Rule,
    pub severity: Severity,
    pub direction: Direction,
    /// JSON pointer of the changed value: in the head version for additions and
    /// replacements, in the base version for removals. Prefixed with `FILE#` when the
    /// value is written in another file reached through `$ref`.
    pub pointer: String,
    /// 1-based line of `pointer` in its file, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// What changed, for a reviewer.
    pub message: String,
    /// The operations affected, like `GET /users/{id}`; empty for document-level changes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<String>,
    /// The severity the rule gave before `contracts-diff.severity` replaced it; None when the
    /// config left it alone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_severity: Option<Severity>,
}

impl Change {
    pub fn new(
        rule: Rule,
        severity: Severity,
        direction: Direction,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            rule,
            severity,
            direction,
            pointer: pointer.into(),
            line: None,
            message: message.into(),
            operations: Vec::new(),
            default_severity: None,
        }
    }
}

/// Merges changes that are the same finding reached from several operations (a shared
/// component), keeping the first one's position and collecting the operations.
pub(crate) fn merge_duplicates(changes: Vec<Change>) -> Vec<Change> {
    let mut merged = Merged::default();
    for change in changes {
        merged.push(change);
    }
    merged.into_vec()
}

/// Changes merged as they arrive, so that findings of a shared component reached from
/// many operations are held once (with the operations listed), not once per operation.
#[derive(Debug, Default)]
pub(crate) struct Merged {
    index: std::collections::HashMap<(Rule, String, String, Direction), usize>,
    out: Vec<Change>,
}

impl Merged {
    pub(crate) fn push(&mut self, change: Change) {
        let key = (
            change.rule,
            change.pointer.clone(),
            change.message.clone(),
            change.direction,
        );
        match self.index.get(&key) {
            Some(&at) => {
                let merged = &mut self.out[at];
                merged.severity = merged.severity.max(change.severity);
                for op in change.operations {
                    if !merged.operations.contains(&op) {
                        merged.operations.push(op);
                    }
                }
            }
            None => {
                self.index.insert(key, self.out.len());
                self.out.push(change);
            }
        }
    }

    pub(crate) fn into_vec(self) -> Vec<Change> {
        self.out
    }
}
