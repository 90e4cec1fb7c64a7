//! `type` (and OpenAPI 3.0's `nullable`) as a set of JSON types a value may have.

use super::*;

pub(super) const STRING: u8 = 1;
pub(super) const NUMBER: u8 = 2;
pub(super) const INTEGER: u8 = 4;
pub(super) const BOOLEAN: u8 = 8;
pub(super) const ARRAY: u8 = 16;
pub(super) const OBJECT: u8 = 32;
pub(super) const NULL: u8 = 64;
pub(super) const ALL_BUT_NULL: u8 = STRING | NUMBER | INTEGER | BOOLEAN | ARRAY | OBJECT;

pub(super) fn type_bit(name: &str) -> u8 {
    match name {
        "string" => STRING,
        "number" => NUMBER | INTEGER,
        "integer" => INTEGER,
        "boolean" => BOOLEAN,
        "array" => ARRAY,
        "object" => OBJECT,
        "null" => NULL,
        _ => 0,
    }
}

pub(super) fn describe_types(mask: u8) -> String {
    let mask = mask & !NULL;
    if mask == ALL_BUT_NULL {
        return "any type".to_owned();
    }
    if mask == 0 {
        return "no type (nothing validates)".to_owned();
    }
    let mut names = Vec::new();
    for (bit, name) in [
        (STRING, "string"),
        (NUMBER, "number"),
        (BOOLEAN, "boolean"),
        (ARRAY, "array"),
        (OBJECT, "object"),
    ] {
        if mask & bit != 0 {
            names.push(name);
        }
    }
    if mask & INTEGER != 0 && mask & NUMBER == 0 {
        names.push("integer");
    }
    names.join(" | ")
}

pub(super) fn type_mask_of(value: &Value) -> Option<u8> {
    match value {
        Value::String(name) => Some(type_bit(name)),
        Value::Array(names) => Some(
            names
                .iter()
                .filter_map(Value::as_str)
                .map(type_bit)
                .fold(0, |m, b| m | b),
        ),
        _ => None,
    }
}

/// Types allowed by the flattened schema, with the `NULL` bit for nullability.
/// OpenAPI 3.0's `nullable: true` (or Swagger's `x-nullable: true`) on this part.
pub(super) fn says_nullable(part: &Part<'_>) -> bool {
    part.get("nullable") == Some(&Value::Bool(true))
        || part.get("x-nullable") == Some(&Value::Bool(true))
}

pub(super) fn types(f: &Flat<'_>) -> u8 {
    let mut mask = ALL_BUT_NULL | NULL;
    let mut declared_any = false;
    for part in &f.parts {
        if part.value == &Value::Bool(false) {
            return 0;
        }
        let nullable_flag = says_nullable(part);
        let mut part_mask = match part.get("type").and_then(type_mask_of) {
            Some(m) => {
                declared_any = true;
                m
            }
            None => match part
                .get("anyOf")
                .and_then(Value::as_array)
                .and_then(|m| bare_type_union(m))
            {
                Some(m) => {
                    declared_any = true;
                    m
                }
                // Structure keywords without a type: the schema describes an object / array.
                None if part.get("properties").is_some() => OBJECT | NULL,
                None if part.get("items").is_some() => ARRAY | NULL,
                None => ALL_BUT_NULL | NULL,
            },
        };
        if nullable_flag {
            part_mask |= NULL;
        }
        if part.get("type").is_some() && f.side.null_needs_opt_in && !nullable_flag {
            part_mask &= !NULL;
        }
        mask &= part_mask;
    }
    if !declared_any && f.side.null_needs_opt_in {
        let nullable = f.parts.iter().any(says_nullable);
        if !nullable {
            mask &= !NULL;
        }
    }
    mask
}

pub(super) fn compare_types(b: &Flat<'_>, a: &Flat<'_>, dir: Direction, out: &mut Found) {
    let bt = types(b);
    let at = types(a);
    let where_ = loc_of(a, "type").unwrap_or_else(|| loc_first(a));
    let (bn, an) = (bt & !NULL, at & !NULL);
    if bn != an {
        let (rule, severity) = if an & bn == bn {
            (Rule::TypeWidened, dir.widened())
        } else if an & bn == an {
            (Rule::TypeNarrowed, dir.narrowed())
        } else {
            (Rule::TypeChanged, Severity::Breaking)
        };
        out.push(Change::new(
            rule,
            severity,
            dir,
            where_.clone(),
            format!(
                "type changed from {} to {}",
                describe_types(bn),
                describe_types(an)
            ),
        ));
    }
    // Nullability only means something when a type is there to be null or not.
    // (A side that accepts only `null` has a type: `null`.)
    if bt & NULL != at & NULL && bt != 0 && at != 0 && (bn != 0 || an != 0) {
        let where_ = loc_of(a, "nullable")
            .or_else(|| loc_of(a, "x-nullable"))
            .or_else(|| loc_of(b, "nullable").or_else(|| loc_of(b, "x-nullable")))
            .unwrap_or(where_);
        if at & NULL != 0 {
            out.push(Change::new(
                Rule::BecameNullable,
                dir.widened(),
                dir,
                where_,
                "the value may now be `null`",
            ));
        } else {
            out.push(Change::new(
                Rule::BecameNonNullable,
                dir.narrowed(),
                dir,
                where_,
                "the value may no longer be `null`",
            ));
        }
    }
}
