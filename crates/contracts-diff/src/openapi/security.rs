//! Security requirements: a list of alternatives, each a set of schemes that must all hold.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::schema::Part;
use crate::change::{Change, Direction, Severity};
use crate::resolve::{Spec, push_token};
use crate::rules::Rule;

type Alternative = BTreeMap<String, BTreeSet<String>>;

fn alternatives(value: Option<&Value>) -> Option<Vec<Alternative>> {
    let list = value?.as_array()?;
    Some(
        list.iter()
            .map(|alt| {
                alt.as_object()
                    .map(|m| {
                        m.iter()
                            .map(|(k, v)| {
                                let scopes = v
                                    .as_array()
                                    .map(|s| {
                                        s.iter()
                                            .filter_map(Value::as_str)
                                            .map(str::to_owned)
                                            .collect()
                                    })
                                    .unwrap_or_default();
                                (k.clone(), scopes)
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect(),
    )
}

/// The requirement in force for an operation: its own `security`, else the document's.
fn effective<'s>(spec: &'s Spec, op: &Part<'s>) -> (Vec<Alternative>, String) {
    if let Some(alts) = alternatives(op.value.get("security")) {
        return (
            alts,
            spec.display(op.file, &push_token(&op.pointer, "security")),
        );
    }
    let root = spec.root();
    (
        alternatives(root.value.get("security")).unwrap_or_default(),
        "/security".to_owned(),
    )
}

fn names(alt: &Alternative) -> String {
    let names: Vec<String> = alt.keys().map(|k| format!("`{k}`")).collect();
    names.join(" + ")
}

/// Compares the effective security requirements of an operation.
pub fn diff_operation_security(
    before: &Spec,
    after: &Spec,
    b: &Part<'_>,
    a: &Part<'_>,
    out: &mut Vec<Change>,
) {
    let (bs, _) = effective(before, b);
    let (as_, at) = effective(after, a);
    if bs == as_ {
        return;
    }
    let dir = Direction::None;
    let open = |alts: &[Alternative]| alts.is_empty() || alts.iter().any(BTreeMap::is_empty);
    if open(&bs) && !open(&as_) {
        out.push(Change::new(
            Rule::SecurityRequirementAdded,
            Severity::Breaking,
            dir,
            at,
            format!(
                "the operation now requires authentication ({})",
                as_.iter().map(names).collect::<Vec<_>>().join(" or ")
            ),
        ));
        return;
    }
    if !open(&bs) && open(&as_) {
        out.push(Change::new(
            Rule::SecurityRequirementRemoved,
            Severity::NonBreaking,
            dir,
            at,
            "the operation no longer requires authentication; review that this is intended",
        ));
        return;
    }
    let mut b_used = vec![false; bs.len()];
    for (j, alt) in as_.iter().enumerate() {
        if let Some(i) = (0..bs.len()).find(|&i| !b_used[i] && bs[i] == *alt) {
            b_used[i] = true;
            continue;
        }
        let at_j = format!("{at}/{j}");
        // Same schemes, other scopes.
        if let Some(i) = (0..bs.len()).find(|&i| !b_used[i] && bs[i].keys().eq(alt.keys())) {
            b_used[i] = true;
            for (scheme, scopes) in alt {
                let old = &bs[i][scheme];
                let added: Vec<&String> = scopes.difference(old).collect();
                let removed: Vec<&String> = old.difference(scopes).collect();
                if !added.is_empty() {
                    out.push(Change::new(
                        Rule::SecurityScopeAdded,
                        Severity::Breaking,
                        dir,
                        format!("{at_j}/{scheme}"),
                        format!("`{scheme}` now also requires scopes {added:?}"),
                    ));
                }
                if !removed.is_empty() {
                    out.push(Change::new(
                        Rule::SecurityScopeRemoved,
                        Severity::NonBreaking,
                        dir,
                        format!("{at_j}/{scheme}"),
                        format!("`{scheme}` no longer requires scopes {removed:?}"),
                    ));
                }
            }
            continue;
        }
        // More schemes than an old alternative: that alternative got stricter.
        if let Some(i) =
            (0..bs.len()).find(|&i| !b_used[i] && bs[i].keys().all(|k| alt.contains_key(k)))
        {
            b_used[i] = true;
            let extra: Vec<&String> = alt.keys().filter(|k| !bs[i].contains_key(*k)).collect();
            out.push(Change::new(
                Rule::SecurityRequirementAdded,
                Severity::Breaking,
                dir,
                at_j,
                format!("{} now also requires {extra:?}", names(&bs[i])),
            ));
            continue;
        }
        // Fewer schemes than an old alternative: looser.
        if let Some(i) =
            (0..bs.len()).find(|&i| !b_used[i] && alt.keys().all(|k| bs[i].contains_key(k)))
        {
            b_used[i] = true;
            let dropped: Vec<&String> = bs[i].keys().filter(|k| !alt.contains_key(*k)).collect();
            out.push(Change::new(
                Rule::SecurityRequirementRemoved,
                Severity::NonBreaking,
                dir,
                at_j,
                format!(
                    "{} no longer requires {dropped:?}; review that this is intended",
                    names(&bs[i])
                ),
            ));
            continue;
        }
        out.push(Change::new(
            Rule::SecurityAlternativeAdded,
            Severity::NonBreaking,
            dir,
            at_j,
            format!("clients may now also authenticate with {}", names(alt)),
        ));
    }
    for (i, alt) in bs.iter().enumerate() {
        if !b_used[i] {
            out.push(Change::new(
                Rule::SecurityAlternativeRemoved,
                Severity::Breaking,
                dir,
                at.clone(),
                format!("clients can no longer authenticate with {}", names(alt)),
            ));
        }
    }
}

/// Compares `components.securitySchemes` on their own (they matter even when unused here).
pub fn diff_schemes(before: &Spec, after: &Spec, out: &mut Vec<Change>) {
    let get = |spec: &Spec| -> BTreeMap<String, Value> {
        let root = spec.root();
        let mut map = BTreeMap::new();
        if let Some(Value::Object(schemes)) = root.value.pointer("/components/securitySchemes") {
            for (name, scheme) in schemes {
                let scheme = match scheme.get("$ref").and_then(Value::as_str) {
                    Some(r) => spec.follow(&spec.main, r).map_or(scheme, |(n, _)| n.value),
                    None => scheme,
                };
                map.insert(name.clone(), scheme.clone());
            }
        }
        map
    };
    let bs = get(before);
    let as_ = get(after);
    for (name, scheme) in &bs {
        let pointer = push_token("/components/securitySchemes", name);
        match as_.get(name) {
            None => out.push(Change::new(
                Rule::SecuritySchemeChanged,
                Severity::Breaking,
                Direction::None,
                pointer,
                format!("security scheme `{name}` was removed"),
            )),
            Some(new) => {
                let changed: Vec<&str> = ["type", "in", "name", "scheme", "openIdConnectUrl"]
                    .into_iter()
                    .filter(|k| scheme.get(*k) != new.get(*k))
                    .collect();
                let extensions: Vec<&String> = scheme
                    .as_object()
                    .into_iter()
                    .chain(new.as_object())
                    .flat_map(|m| m.keys())
                    .filter(|k| k.starts_with("x-") && scheme.get(*k) != new.get(*k))
                    .collect();
                if let Some(key) = extensions.first() {
                    out.push(Change::new(
                        Rule::ExtensionChanged,
                        Severity::NonBreaking,
                        Direction::None,
                        push_token(&pointer, key),
                        format!("security scheme `{name}` extension `{key}` changed"),
                    ));
                }
                if !changed.is_empty() {
                    out.push(Change::new(
                        Rule::SecuritySchemeChanged,
                        Severity::Breaking,
                        Direction::None,
                        pointer,
                        format!(
                            "security scheme `{name}` changed its {}",
                            changed.join(", ")
                        ),
                    ));
                }
            }
        }
    }
}
