//! Which values a schema admits by listing or naming them: `enum`/`const` and `format`.

use super::*;

pub(super) fn enum_values<'s>(f: &Flat<'s>) -> Option<Vec<&'s Value>> {
    let mut result: Option<Vec<&'s Value>> = None;
    for part in &f.parts {
        // `enum` and `const` side by side both restrict: the value must be in both.
        let values: Vec<&Value> = match (part.get("enum"), part.get("const")) {
            (Some(Value::Array(values)), Some(c)) => values.iter().filter(|v| *v == c).collect(),
            (Some(Value::Array(values)), None) => values.iter().collect(),
            (_, Some(c)) => vec![c],
            _ => continue,
        };
        result = Some(match result {
            None => values,
            Some(prev) => prev.into_iter().filter(|v| values.contains(v)).collect(),
        });
    }
    result
}

/// Whether `f` surely accepts `value` (false when unsure). Keywords apply only to values of
/// their type, so object and array keywords do not matter for a scalar.
pub(super) fn accepts(f: &Flat<'_>, value: &Value) -> bool {
    let bit = match value {
        Value::Null => NULL,
        Value::Bool(_) => BOOLEAN,
        Value::Number(n) if n.is_i64() || n.is_u64() => INTEGER,
        Value::Number(n) if n.as_f64().is_some_and(|x| x.fract() == 0.0) => INTEGER,
        Value::Number(_) => NUMBER,
        Value::String(_) => STRING,
        // Enums of objects and arrays are rare; judging them needs the whole engine.
        Value::Array(_) | Value::Object(_) => return false,
    };
    if types(f) & bit == 0 {
        return false;
    }
    if enum_values(f).is_some_and(|values| !values.contains(&value)) {
        return false;
    }
    for part in &f.parts {
        let Some(map) = part.value.as_object() else {
            return false;
        };
        for key in map.keys() {
            let understood = matches!(
                key.as_str(),
                "type"
                    | "enum"
                    | "const"
                    | "nullable"
                    | "x-nullable"
                    | "$ref"
                    | "allOf"
                    | "minimum"
                    | "maximum"
                    | "exclusiveMinimum"
                    | "exclusiveMaximum"
                    | "multipleOf"
                    | "minLength"
                    | "maxLength"
                    | "description"
                    | "title"
                    | "example"
                    | "examples"
                    | "default"
                    | "deprecated"
                    | "readOnly"
                    | "writeOnly"
                    | "externalDocs"
                    | "xml"
                    | "discriminator"
                    | "$id"
                    | "$schema"
                    | "$comment"
                    | "$anchor"
                    | "$defs"
                    | "definitions"
                    | "properties"
                    | "required"
                    | "additionalProperties"
                    | "patternProperties"
                    | "propertyNames"
                    | "minProperties"
                    | "maxProperties"
                    | "dependentRequired"
                    | "items"
                    | "prefixItems"
                    | "minItems"
                    | "maxItems"
                    | "uniqueItems"
                    | "contains"
            ) || key.starts_with("x-")
                || (part.distributed && matches!(key.as_str(), "oneOf" | "anyOf"));
            // `format`, `pattern` (ECMA-262 regexes), `not`, unsplit unions, ...: unsure,
            // so not surely accepted.
            if !understood {
                return false;
            }
        }
        if let (Some(x), Some(step)) = (
            value.as_f64(),
            part.get("multipleOf").and_then(Value::as_f64),
        ) && (step <= 0.0 || (x / step).fract() != 0.0)
        {
            return false;
        }
    }
    if let Some(x) = value.as_f64() {
        let within = |lower: bool| {
            bound(f, lower).is_none_or(|(b, _)| match (lower, b.exclusive) {
                (true, false) => x >= b.value,
                (true, true) => x > b.value,
                (false, false) => x <= b.value,
                (false, true) => x < b.value,
            })
        };
        if !within(true) || !within(false) {
            return false;
        }
    }
    if let Value::String(text) = value {
        let length = text.chars().count() as u64;
        if counts(f, "minLength", true).is_some_and(|(min, _)| length < min)
            || counts(f, "maxLength", false).is_some_and(|(max, _)| length > max)
        {
            return false;
        }
    }
    true
}

/// Whether `inner` allows a finite set of values (an enum or const), each surely accepted
/// by `outer`: then `inner` ⊆ `outer` whatever keywords changed.
pub(super) fn values_accepted(inner: &Flat<'_>, outer: &Flat<'_>) -> bool {
    enum_values(inner).is_some_and(|values| values.iter().all(|v| accepts(outer, v)))
}

/// Rules about which values a schema accepts (as opposed to documentation, defaults,
/// read/write access): the ones an enum's containment settles.
pub(super) fn is_value_set_rule(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::TypeChanged
            | Rule::TypeWidened
            | Rule::TypeNarrowed
            | Rule::BecameNullable
            | Rule::BecameNonNullable
            | Rule::FormatAdded
            | Rule::FormatRemoved
            | Rule::FormatChanged
            | Rule::EnumAdded
            | Rule::EnumRemoved
            | Rule::EnumValueAdded
            | Rule::EnumValueRemoved
            | Rule::ConstraintTightened
            | Rule::ConstraintRelaxed
            | Rule::ConstraintChanged
    )
}

pub(super) fn list(values: &[&Value]) -> String {
    const SHOWN: usize = 10;
    let mut text: Vec<String> = values.iter().take(SHOWN).map(|v| compact(v)).collect();
    if values.len() > SHOWN {
        text.push(format!("and {} more", values.len() - SHOWN));
    }
    text.join(", ")
}

/// The enum's values, without `null` where OpenAPI 3.0's `nullable: true` admits it anyway:
/// there `null` in the list restates the flag (GitHub's REST description dropped such a
/// `null` from an enum that stayed nullable), and null-ness is compared by `compare_types`.
pub(super) fn enum_values_beside_nullable<'s>(f: &Flat<'s>) -> Option<Vec<&'s Value>> {
    let values = enum_values(f)?;
    let nullable_keyword = f.side.null_needs_opt_in && f.parts.iter().any(says_nullable);
    if nullable_keyword && values.iter().any(|v| !v.is_null()) {
        return Some(values.into_iter().filter(|v| !v.is_null()).collect());
    }
    Some(values)
}

pub(super) fn compare_enum(b: &Flat<'_>, a: &Flat<'_>, dir: Direction, out: &mut Found) {
    let be = enum_values_beside_nullable(b);
    let ae = enum_values_beside_nullable(a);
    let at = loc_of(a, "enum")
        .or_else(|| loc_of(a, "const"))
        .unwrap_or_else(|| loc_first(a));
    let bt = loc_of(b, "enum")
        .or_else(|| loc_of(b, "const"))
        .unwrap_or_else(|| loc_first(b));
    // Clients switching over response values may not handle new ones: potentially breaking.
    let widened = if dir == Direction::Response {
        Severity::PotentiallyBreaking
    } else {
        dir.widened()
    };
    match (be, ae) {
        (None, None) => {}
        (None, Some(values)) => out.push(Change::new(
            Rule::EnumAdded,
            dir.narrowed(),
            dir,
            at,
            format!("the value is now restricted to {}", list(&values)),
        )),
        (Some(_), None) => out.push(Change::new(
            Rule::EnumRemoved,
            widened,
            dir,
            bt,
            "the enum restriction was removed; any value of the type is allowed",
        )),
        (Some(bv), Some(av)) => {
            let hash = |v: &Vec<&Value>| {
                v.iter()
                    .map(|x| x.to_string())
                    .collect::<BTreeSet<String>>()
            };
            let (bs, as_) = (hash(&bv), hash(&av));
            // Each value once, even where a list repeats one (a generated spec listed one
            // value 98 times).
            let mut listed = BTreeSet::new();
            let added: Vec<&Value> = av
                .iter()
                .copied()
                .filter(|v| !bs.contains(&v.to_string()) && listed.insert(v.to_string()))
                .collect();
            let removed: Vec<&Value> = bv
                .iter()
                .copied()
                .filter(|v| !as_.contains(&v.to_string()) && listed.insert(v.to_string()))
                .collect();
            if !added.is_empty() {
                out.push(Change::new(
                    Rule::EnumValueAdded,
                    widened,
                    dir,
                    at,
                    format!("enum values added: {}", list(&added)),
                ));
            }
            if !removed.is_empty() {
                out.push(Change::new(
                    Rule::EnumValueRemoved,
                    dir.narrowed(),
                    dir,
                    bt,
                    format!("enum values removed: {}", list(&removed)),
                ));
            }
        }
    }
}

/// The widths OpenAPI names for numbers: `int32` and `float` hold fewer values than their
/// type, while `int64` and `double` are the range every JSON parser already reads an
/// integer or number into, so writing them adds no constraint (adding `int64` to an ID
/// parameter is the commonest format edit in real specifications and breaks nobody).
/// `None` for a format that is not a width of the schema's numeric type.
pub(super) fn numeric_width(f: &Flat<'_>, format: Option<&Value>) -> Option<u8> {
    let integer = match types(f) & !NULL {
        INTEGER => true,
        t if t == NUMBER | INTEGER => false,
        _ => return None,
    };
    match (integer, format.map(|v| v.as_str())) {
        (_, None) => Some(64),
        (true, Some(Some("int32"))) | (false, Some(Some("float"))) => Some(32),
        (true, Some(Some("int64"))) | (false, Some(Some("double"))) => Some(64),
        _ => None,
    }
}

/// Formats a validator checks: JSON Schema's (draft 2020-12) and OpenAPI's data types.
/// Any other name (Stripe's `unix-time`, `password`, `binary`) constrains nothing anyone
/// validates, so writing, dropping or renaming one is documentation.
pub(super) const CHECKED_FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "duration",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uuid",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
    "int32",
    "int64",
    "float",
    "double",
    "byte",
];

pub(super) fn is_checked_format(format: Option<&Value>) -> bool {
    format
        .and_then(Value::as_str)
        .is_some_and(|f| CHECKED_FORMATS.contains(&f))
}

pub(super) fn compare_format(b: &Flat<'_>, a: &Flat<'_>, dir: Direction, out: &mut Found) {
    let bf = first(b, "format");
    let af = first(a, "format");
    // What was edited, whatever it means.
    let (rule, at, what) = match (bf, af) {
        (None, Some(f)) => (
            Rule::FormatAdded,
            loc_of(a, "format"),
            format!("format {} was added", compact(f)),
        ),
        (Some(f), None) => (
            Rule::FormatRemoved,
            loc_of(b, "format"),
            format!("format {} was removed", compact(f)),
        ),
        (Some(x), Some(y)) if x != y => (
            Rule::FormatChanged,
            loc_of(a, "format"),
            format!("format changed from {} to {}", compact(x), compact(y)),
        ),
        _ => return,
    };
    let (severity, message) = if !is_checked_format(bf) && !is_checked_format(af) {
        (
            Severity::NonBreaking,
            format!(
                "{what}: not a format validators check, so no value is accepted or rejected for it"
            ),
        )
    } else if let (Some(before), Some(after)) = (numeric_width(b, bf), numeric_width(a, af)) {
        match before.cmp(&after) {
            std::cmp::Ordering::Equal => (
                Severity::NonBreaking,
                format!(
                    "{what}: the same values as before (the width JSON parsers read numbers into)"
                ),
            ),
            std::cmp::Ordering::Greater => (
                dir.narrowed(),
                format!("{what}: fewer values fit than before"),
            ),
            std::cmp::Ordering::Less => (
                dir.widened(),
                format!("{what}: more values fit than before"),
            ),
        }
    } else {
        // A checked format constrains the value: adding one narrows, removing one widens,
        // and one changed into another is neither.
        let severity = match rule {
            Rule::FormatAdded => dir.narrowed(),
            Rule::FormatRemoved => dir.widened(),
            _ => Severity::Breaking,
        };
        (severity, what)
    };
    out.push(Change::new(
        rule,
        severity,
        dir,
        at.unwrap_or_default(),
        message,
    ));
}
