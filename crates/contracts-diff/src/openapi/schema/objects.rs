//! Objects: properties, `required`, and whether other properties are allowed (closed objects
//! decide whether an added property breaks readers).

use super::*;

impl<'s> SchemaDiffer<'s> {
    pub(super) fn compare_properties(
        &mut self,
        b: &Flat<'s>,
        a: &Flat<'s>,
        dir: Direction,
        depth: usize,
        out: &mut Found,
    ) {
        let bp = properties(b);
        let ap = properties(a);
        let br = required(b);
        let ar = required(a);
        if bp.is_empty() && ap.is_empty() && br.is_empty() && ar.is_empty() {
            return;
        }
        // An old schema that allowed no other properties (`additionalProperties` or
        // `unevaluatedProperties: false`) made its readers reject any new one: a property
        // added there widens what is sent (breaking in responses).
        let old_closed = matches!(additional(b), Additional::Forbidden)
            || b.parts
                .iter()
                .any(|p| p.get("unevaluatedProperties") == Some(&Value::Bool(false)));
        let names: BTreeSet<&str> = bp
            .keys()
            .chain(ap.keys())
            .copied()
            // Required names without a schema of their own count too: requiring one narrows
            // what is accepted as much as requiring a described property.
            .chain(br.iter().chain(ar.iter()).copied())
            .collect();
        for name in names {
            let bparts = bp.get(name);
            let aparts = ap.get(name);
            let b_ro = bparts.is_some_and(|p| any_true(p, "readOnly"));
            let a_ro = aparts.is_some_and(|p| any_true(p, "readOnly"));
            let b_wo = bparts.is_some_and(|p| any_true(p, "writeOnly"));
            let a_wo = aparts.is_some_and(|p| any_true(p, "writeOnly"));
            // Read-only properties are not sent in requests, write-only ones not in responses.
            let invisible = match dir {
                Direction::Request => b_ro && a_ro,
                Direction::Response => b_wo && a_wo,
                _ => false,
            };
            if invisible {
                continue;
            }
            let was_required = br.contains(name);
            let is_required = ar.contains(name);
            match (bparts, aparts) {
                (Some(bparts), Some(aparts)) => {
                    let at = self.after_loc(aparts);
                    if b_ro != a_ro {
                        let severity = if a_ro && dir == Direction::Request {
                            Severity::Breaking
                        } else {
                            Severity::NonBreaking
                        };
                        out.push(Change::new(
                            Rule::ReadOnlyChanged,
                            severity,
                            dir,
                            format!("{at}/readOnly"),
                            if a_ro {
                                format!("property `{name}` became read-only; clients can no longer send it")
                            } else {
                                format!("property `{name}` is no longer read-only")
                            },
                        ));
                    }
                    if b_wo != a_wo {
                        out.push(Change::new(
                            Rule::WriteOnlyChanged,
                            Severity::NonBreaking,
                            dir,
                            format!("{at}/writeOnly"),
                            if a_wo {
                                format!(
                                    "property `{name}` became write-only; it is no longer returned"
                                )
                            } else {
                                format!("property `{name}` is no longer write-only")
                            },
                        ));
                    }
                    if !was_required && is_required {
                        let has_default = aparts.iter().any(|p| p.get("default").is_some());
                        let severity = if matches!(dir, Direction::Request | Direction::Both)
                            && !has_default
                        {
                            Severity::Breaking
                        } else {
                            Severity::NonBreaking
                        };
                        out.push(Change::new(
                            Rule::PropertyBecameRequired,
                            severity,
                            dir,
                            at.clone(),
                            format!("property `{name}` became required"),
                        ));
                    } else if was_required && !is_required {
                        out.push(Change::new(
                            Rule::PropertyBecameOptional,
                            dir.widened(),
                            dir,
                            at.clone(),
                            format!("property `{name}` is no longer required"),
                        ));
                    }
                    self.diff_parts(bparts.clone(), aparts.clone(), dir, depth + 1, out);
                }
                (None, Some(aparts)) => {
                    let at = self.after_loc(aparts);
                    let has_default = aparts.iter().any(|p| p.get("default").is_some());
                    if is_required
                        && !has_default
                        && dir != Direction::Response
                        && !(dir == Direction::Request && a_ro)
                    {
                        out.push(Change::new(
                            Rule::RequiredPropertyAdded,
                            Severity::Breaking,
                            dir,
                            at,
                            format!("new required property `{name}`; clients that do not send it are rejected"),
                        ));
                    } else if old_closed && dir.widened() > Severity::NonBreaking {
                        out.push(Change::new(
                            Rule::PropertyAdded,
                            dir.widened(),
                            dir,
                            at,
                            format!(
                                "new {}property `{name}`, where the old schema allowed no other properties (`additionalProperties: false`): clients validating against it reject it",
                                if is_required { "required " } else { "" }
                            ),
                        ));
                    } else {
                        out.push(Change::new(
                            Rule::PropertyAdded,
                            Severity::NonBreaking,
                            dir,
                            at,
                            format!(
                                "new {}property `{name}`",
                                if is_required { "required " } else { "" }
                            ),
                        ));
                        // Old readers judged a name they did not list by the schema for
                        // other properties: what is now sent under it must fit that schema.
                        // Each pattern tried compiles a matcher: that is work too.
                        let patterns_tried: usize = b
                            .parts
                            .iter()
                            .filter_map(|p| p.get("patternProperties")?.as_object())
                            .map(|patterns| patterns.len())
                            .sum();
                        if dir == Direction::Response
                            && self.spend(patterns_tried, |_| String::new())
                            && let Some(old_rule) = other_property_schema(b, name)
                        {
                            self.diff_parts(old_rule, aparts.clone(), dir, depth + 1, out);
                        }
                    }
                }
                (Some(bparts), None) => {
                    let at = self.before_loc(bparts);
                    let (severity, message) = match dir {
                        Direction::Response if !was_required => (
                            Severity::PotentiallyBreaking,
                            format!(
                                "optional property `{name}` was removed; clients that read it no longer get it"
                            ),
                        ),
                        Direction::Response => (
                            Severity::Breaking,
                            format!(
                                "required property `{name}` was removed; clients rely on receiving it"
                            ),
                        ),
                        _ => (
                            Severity::Breaking,
                            format!(
                                "property `{name}` was removed; clients that send it may be rejected or silently ignored"
                            ),
                        ),
                    };
                    out.push(Change::new(
                        Rule::PropertyRemoved,
                        severity,
                        dir,
                        at,
                        message,
                    ));
                }
                (None, None) => {
                    let at = loc_of(a, "required")
                        .or_else(|| loc_of(b, "required"))
                        .unwrap_or_else(|| loc_first(a));
                    if !was_required && is_required {
                        out.push(Change::new(
                            Rule::PropertyBecameRequired,
                            match dir {
                                Direction::Request | Direction::Both => Severity::Breaking,
                                Direction::Response | Direction::None => Severity::NonBreaking,
                            },
                            dir,
                            at,
                            format!(
                                "property `{name}` became required (it has no schema of its own)"
                            ),
                        ));
                    } else if was_required && !is_required {
                        out.push(Change::new(
                            Rule::PropertyBecameOptional,
                            dir.widened(),
                            dir,
                            at,
                            format!("property `{name}` is no longer required (it has no schema of its own)"),
                        ));
                    }
                }
            }
        }
    }

    pub(super) fn compare_additional(
        &mut self,
        b: &Flat<'s>,
        a: &Flat<'s>,
        dir: Direction,
        depth: usize,
        out: &mut Found,
    ) {
        let ba = additional(b);
        let aa = additional(a);
        let at = loc_of(a, "additionalProperties").unwrap_or_else(|| loc_first(a));
        let bt = loc_of(b, "additionalProperties").unwrap_or_else(|| loc_first(b));
        let (severity, message, at) = match (&ba, &aa) {
            (Additional::Any, Additional::Any) | (Additional::Forbidden, Additional::Forbidden) => {
                return;
            }
            (Additional::Schema(bs), Additional::Schema(as_)) => {
                self.diff_parts(bs.clone(), as_.clone(), dir, depth + 1, out);
                return;
            }
            (Additional::Any, Additional::Schema(_)) => (
                dir.narrowed(),
                "additional properties must now match a schema".to_owned(),
                at,
            ),
            (Additional::Any | Additional::Schema(_), Additional::Forbidden) => (
                dir.narrowed(),
                "additional properties are no longer allowed".to_owned(),
                at,
            ),
            (Additional::Schema(_), Additional::Any) => (
                dir.widened(),
                "additional properties may now be of any type".to_owned(),
                bt,
            ),
            (Additional::Forbidden, _) => (
                dir.widened(),
                "additional properties are now allowed".to_owned(),
                at,
            ),
        };
        out.push(Change::new(
            Rule::AdditionalPropertiesChanged,
            severity,
            dir,
            at,
            message,
        ));
    }
}

pub(super) fn properties<'s>(f: &Flat<'s>) -> BTreeMap<&'s str, Vec<Part<'s>>> {
    let mut map: BTreeMap<&'s str, Vec<Part<'s>>> = BTreeMap::new();
    for part in &f.parts {
        if let Some(Value::Object(props)) = part.get("properties") {
            for name in props.keys() {
                if let Some(child) = part.child2("properties", name) {
                    map.entry(name.as_str()).or_default().push(child);
                }
            }
        }
    }
    map
}

pub(super) fn required<'s>(f: &Flat<'s>) -> BTreeSet<&'s str> {
    f.parts
        .iter()
        .filter_map(|p| p.get("required").and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

pub(super) enum Additional<'s> {
    Any,
    Forbidden,
    Schema(Vec<Part<'s>>),
}

pub(super) fn additional<'s>(f: &Flat<'s>) -> Additional<'s> {
    let mut schemas = Vec::new();
    for part in &f.parts {
        match part.get("additionalProperties") {
            Some(Value::Bool(false)) => return Additional::Forbidden,
            Some(Value::Object(m)) if !m.is_empty() => {
                if let Some(child) = part.child("additionalProperties") {
                    schemas.push(child);
                }
            }
            _ => {}
        }
    }
    if schemas.is_empty() {
        Additional::Any
    } else {
        Additional::Schema(schemas)
    }
}

/// The schema a flattened object gives a property `name` it does not list: the
/// `patternProperties` whose pattern matches (a pattern not read is taken to match), else its
/// `additionalProperties` schema, else — with neither — its `unevaluatedProperties` schema.
/// `None` when nothing constrains it. (Found by the containment property test: a property
/// added to a response whose old schema had `unevaluatedProperties: {type: integer}` was not
/// compared with it.)
pub(super) fn other_property_schema<'s>(f: &Flat<'s>, name: &str) -> Option<Vec<Part<'s>>> {
    let mut by_pattern = Vec::new();
    for part in &f.parts {
        if let Some(Value::Object(patterns)) = part.get("patternProperties") {
            for pattern in patterns.keys() {
                if pattern::matches(pattern, name).unwrap_or(true)
                    && let Some(child) = part.child2("patternProperties", pattern)
                {
                    by_pattern.push(child);
                }
            }
        }
    }
    if !by_pattern.is_empty() {
        return Some(by_pattern);
    }
    if f.parts
        .iter()
        .any(|p| p.get("additionalProperties").is_some())
    {
        return match additional(f) {
            Additional::Schema(parts) => Some(parts),
            Additional::Any | Additional::Forbidden => None,
        };
    }
    let rest: Vec<Part<'s>> = f
        .parts
        .iter()
        .filter(|p| p.get("unevaluatedProperties").is_some_and(Value::is_object))
        .filter_map(|p| p.child("unevaluatedProperties"))
        .collect();
    (!rest.is_empty()).then_some(rest)
}
