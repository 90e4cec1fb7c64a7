//! Soundness of the compatibility verdict, checked by a JSON Schema validator (issue 13 item 1).
//!
//! A response schema change is compatible when everything the new server may send was
//! accepted by the old clients (new ⊆ old); a request schema change when everything old
//! clients send is still accepted (old ⊆ new). Whenever the engine reports nothing breaking
//! or potentially breaking for a random pair of schemas, values generated from the schema that
//! must be contained are validated against the other with the `jsonschema` crate (draft
//! 2020-12, OpenAPI 3.1's dialect); a value it rejects is an unsound "compatible".
//!
//! Values carry only the properties their schema describes: a property no version of the
//! schema describes is outside the contract. (Read literally, an open object accepts any
//! property of any type, so adding any optional request property would narrow it; every
//! OpenAPI diff, ours included, reads an added optional property as compatible.) A closed
//! object (`additionalProperties: false`) is taken at its word. Likewise `oneOf` is read as
//! `anyOf`, as the engine reads it: alternatives written without a discriminator very often
//! overlap (two open objects both match `{}`), and a value matching two of them is an
//! authoring slip, not a change a pull request makes; judging it would flag nearly every
//! `oneOf` edit.
//!
//! The pairs are a document and a few random mutations of it (bounds and exclusive bounds,
//! `multipleOf`, `enum` and `const`, types, `null`, properties, `required`, closed objects,
//! property counts, `dependentRequired`, `patternProperties`, `propertyNames`,
//! `unevaluatedProperties` (`false` or a schema), array sizes, `items`, `prefixItems`,
//! `uniqueItems`, `contains` with `minContains`/`maxContains`, `not`, `allOf` (over unions
//! too), `anyOf` and `oneOf`, anywhere in the tree), since near pairs are where a rule can
//! miss a narrowing or widening. Subschemas may be `$ref`s to components — `Leaf`, and `Node`,
//! whose optional `next` refers back to itself (generated values follow at most `REF_DEPTH`
//! references) — and an edit may land in a component instead of the body. Half the pairs are
//! written as OpenAPI 3.0 (`nullable: true` for a `null` type; 3.1-only keywords dropped from
//! both sides): the engine reads that 3.0 document, and the validator, which does not know
//! `nullable`, its 2020-12 translation.
//!
//! `PROPTEST_CASES` raises the number of cases (1000 per property by default, as CI runs it).

use contracts_diff::config::ContractsDiffConfig;
use contracts_diff::plan::{ContractFile, Facts, FileStatus, Version, plan};
use contracts_diff::{Limits, Severity};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Deterministic choices read from proptest's bytes, so a failing case shrinks and replays.
struct Tape<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Tape<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    /// A number in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        usize::from(self.byte()) % n
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    fn small(&mut self, lo: i64, hi: i64) -> i64 {
        lo + i64::try_from(self.below(usize::try_from(hi - lo + 1).unwrap_or(1))).unwrap_or(0)
    }
}

const WORDS: &[&str] = &["a", "b", "cc", "ddd"];

/// Components every document defines: `Leaf`, and `Node`, which refers back to itself.
const LEAF: &str = "#/components/schemas/Leaf";
const NODE: &str = "#/components/schemas/Node";

fn gen_schema(t: &mut Tape<'_>, depth: usize) -> Value {
    gen_schema_in(t, depth, true)
}

/// `refs`: whether a `$ref` to a component may stand for a subschema (not inside the
/// components themselves, but for `Node`'s own cycle).
fn gen_schema_in(t: &mut Tape<'_>, depth: usize, refs: bool) -> Value {
    let kinds = match depth {
        0 => 4,
        _ if refs => 8,
        _ => 7,
    };
    match t.below(kinds) {
        0 => {
            let mut s = json!({"type": "string"});
            if t.chance(3) {
                s["minLength"] = json!(t.small(0, 2));
            }
            if t.chance(3) {
                s["maxLength"] = json!(t.small(2, 4));
            }
            if t.chance(3) {
                let n = 1 + t.below(3);
                s["enum"] = json!(WORDS[..n]);
            }
            s
        }
        1 => {
            let mut s = json!({"type": if t.chance(2) { "integer" } else { "number" }});
            if t.chance(2) {
                s["minimum"] = json!(t.small(-2, 1));
            }
            if t.chance(2) {
                s["maximum"] = json!(t.small(1, 3));
            }
            s
        }
        2 => json!({"type": "boolean"}),
        3 => json!({"type": ["string", "null"]}),
        4 => {
            let n = t.below(3);
            let mut properties = Map::new();
            let mut required = Vec::new();
            for i in 0..n {
                properties.insert(format!("p{i}"), gen_schema_in(t, depth - 1, refs));
                if t.chance(2) {
                    required.push(json!(format!("p{i}")));
                }
            }
            let mut s = json!({"type": "object", "properties": properties});
            if !required.is_empty() {
                s["required"] = Value::Array(required);
            }
            match t.below(6) {
                0..=2 => s["additionalProperties"] = json!(false),
                3 => s["unevaluatedProperties"] = json!(false),
                4 => s["unevaluatedProperties"] = gen_schema_in(t, 0, refs),
                _ => {}
            }
            s
        }
        6 => {
            json!({"anyOf": [gen_schema_in(t, depth - 1, refs), gen_schema_in(t, depth - 1, refs)]})
        }
        7 => json!({"$ref": if t.chance(2) { LEAF } else { NODE }}),
        _ => {
            let mut s = json!({"type": "array", "items": gen_schema_in(t, depth - 1, refs)});
            if t.chance(3) {
                s["minItems"] = json!(t.small(0, 1));
            }
            if t.chance(3) {
                s["maxItems"] = json!(t.small(1, 3));
            }
            if t.chance(4) {
                s["contains"] = gen_schema_in(t, 0, refs);
                if t.chance(2) {
                    s["minContains"] = json!(t.small(0, 2));
                }
                if t.chance(2) {
                    s["maxContains"] = json!(t.small(1, 3));
                }
            }
            s
        }
    }
}

/// A document's schemas: the one compared (a request or response body) and the components
/// it may refer to.
#[derive(Clone, Debug, PartialEq)]
struct Doc {
    schema: Value,
    leaf: Value,
    node: Value,
}

fn gen_doc(t: &mut Tape<'_>) -> Doc {
    let schema = gen_schema(t, 2);
    let leaf = gen_schema_in(t, 1, false);
    let mut node = json!({"type": "object", "properties": {
        "v": gen_schema_in(t, 0, false),
        // Optional, so that finite values exist; value generation is depth-bounded.
        "next": {"$ref": NODE},
    }});
    if t.chance(2) {
        node["required"] = json!(["v"]);
    }
    if t.chance(3) {
        node["additionalProperties"] = json!(false);
    }
    Doc { schema, leaf, node }
}

/// One random edit somewhere in a document: in the schema, or in a component.
fn mutate_doc(t: &mut Tape<'_>, doc: &Doc) -> Doc {
    let mut d = doc.clone();
    match t.below(6) {
        0 => d.leaf = mutate(t, &d.leaf),
        1 => d.node = mutate(t, &d.node),
        _ => d.schema = mutate(t, &d.schema),
    }
    d
}

/// One random edit somewhere in `schema`.
fn mutate(t: &mut Tape<'_>, schema: &Value) -> Value {
    let mut s = schema.clone();
    // Descend into a child first, sometimes.
    let children: Vec<String> = s["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    if !children.is_empty() && t.chance(2) {
        let name = &children[t.below(children.len())];
        s["properties"][name] = mutate(t, &s["properties"][name]);
        return s;
    }
    if s.get("items").is_some() && t.chance(2) {
        s["items"] = mutate(t, &s["items"]);
        return s;
    }
    if let Some(n) = s.get("anyOf").and_then(Value::as_array).map(Vec::len) {
        match t.below(3) {
            // An alternative edited, dropped, or one more offered.
            0 => {
                let i = t.below(n);
                s["anyOf"][i] = mutate(t, &s["anyOf"][i]);
            }
            1 if n > 1 => {
                let i = t.below(n);
                s["anyOf"].as_array_mut().expect("anyOf").remove(i);
            }
            _ => s["anyOf"]
                .as_array_mut()
                .expect("anyOf")
                .push(gen_schema(t, 0)),
        }
        return s;
    }
    if t.chance(8) {
        // The schema becomes one alternative of a union.
        return json!({"anyOf": [s, gen_schema(t, 0)]});
    }
    if t.chance(12) {
        // One of exactly one: a new alternative that overlaps narrows as well as widens.
        return json!({"oneOf": [s, gen_schema(t, 0)]});
    }
    let object = s.as_object_mut().expect("schemas are objects");
    if t.chance(3) {
        // The rarer keyword families.
        match t.below(14) {
            12 => {
                if object.get("items").is_some() {
                    // Some item must (or a bounded number of items must) pass `contains`.
                    object.insert("contains".into(), gen_schema(t, 0));
                    if t.chance(2) {
                        object.insert("minContains".into(), json!(t.small(0, 2)));
                    }
                    if t.chance(2) {
                        object.insert("maxContains".into(), json!(t.small(1, 3)));
                    }
                }
            }
            13 => {
                if object.get("properties").is_some() {
                    let rest = if t.chance(2) {
                        json!(false)
                    } else {
                        gen_schema(t, 0)
                    };
                    object.insert("unevaluatedProperties".into(), rest);
                }
            }
            // Every value must also pass another schema (over a union too: an alternative
            // the other members leave empty drops out).
            7 => {
                return json!({"allOf": [s, gen_schema(t, 0)]});
            }
            8 => {
                // One value excluded.
                let value = match object.get("type").and_then(Value::as_str) {
                    Some("integer" | "number") => json!(t.small(-1, 2)),
                    _ => json!(WORDS[t.below(WORDS.len())]),
                };
                object.insert("not".into(), json!({"const": value}));
            }
            9 => {
                if object.get("items").is_some() {
                    let first = gen_schema(t, 0);
                    object.insert("prefixItems".into(), json!([first]));
                }
            }
            10 => {
                if object.get("properties").is_some() {
                    if t.chance(2) {
                        object.insert(
                            "patternProperties".into(),
                            json!({"^p[0-1]$": gen_schema(t, 0)}),
                        );
                    } else {
                        object.insert("propertyNames".into(), json!({"maxLength": 2}));
                    }
                }
            }
            11 => {
                if object.get("properties").is_some() {
                    let (on, then) = (format!("p{}", t.below(3)), format!("p{}", t.below(3)));
                    object.insert("dependentRequired".into(), json!({on: [then]}));
                }
            }
            0 => {
                object.insert("exclusiveMinimum".into(), json!(t.small(-3, 2)));
            }
            1 => {
                object.insert("exclusiveMaximum".into(), json!(t.small(0, 4)));
            }
            2 => {
                object.insert("multipleOf".into(), json!(t.small(2, 3)));
            }
            3 => {
                let value = match object.get("type").and_then(Value::as_str) {
                    Some("integer" | "number") => json!(t.small(-1, 2)),
                    Some("boolean") => json!(true),
                    _ => json!(WORDS[t.below(WORDS.len())]),
                };
                object.insert("const".into(), value);
            }
            4 => {
                if object.get("items").is_some() && object.remove("uniqueItems").is_none() {
                    object.insert("uniqueItems".into(), json!(true));
                }
            }
            5 => {
                if object.get("properties").is_some() {
                    let key = if t.chance(2) {
                        "minProperties"
                    } else {
                        "maxProperties"
                    };
                    object.insert(key.into(), json!(t.small(0, 2)));
                }
            }
            _ => {
                object.remove(
                    [
                        "exclusiveMinimum",
                        "exclusiveMaximum",
                        "multipleOf",
                        "const",
                        "minProperties",
                        "maxProperties",
                        "not",
                        "prefixItems",
                        "patternProperties",
                        "propertyNames",
                        "dependentRequired",
                        "contains",
                        "minContains",
                        "maxContains",
                        "unevaluatedProperties",
                    ][t.below(15)],
                );
            }
        }
        return s;
    }
    match t.below(12) {
        0 => {
            object.insert("minLength".into(), json!(t.small(0, 3)));
        }
        1 => {
            object.insert("maxLength".into(), json!(t.small(1, 4)));
        }
        2 => {
            let n = 1 + t.below(WORDS.len());
            object.insert("enum".into(), json!(WORDS[..n]));
        }
        3 => {
            object.remove(["minLength", "maxLength", "enum", "minimum", "maximum"][t.below(5)]);
        }
        4 => {
            object.insert("minimum".into(), json!(t.small(-3, 2)));
        }
        5 => {
            object.insert("maximum".into(), json!(t.small(0, 4)));
        }
        6 => {
            let ty = ["string", "integer", "number", "boolean"][t.below(4)];
            object.insert("type".into(), json!(ty));
        }
        7 => {
            // Allow null, or stop allowing it.
            match object.get("type").cloned() {
                Some(Value::String(ty)) => {
                    object.insert("type".into(), json!([ty, "null"]));
                }
                Some(Value::Array(types)) => {
                    let first = types.first().cloned().unwrap_or(json!("string"));
                    object.insert("type".into(), first);
                }
                _ => {}
            }
        }
        8 => {
            // A property added (required or not) or removed.
            if let Some(props) = object.get_mut("properties").and_then(Value::as_object_mut) {
                let name = format!("p{}", t.below(4));
                if props.remove(&name).is_none() {
                    props.insert(name.clone(), json!({"type": "string"}));
                    if t.chance(2) {
                        let required = object.entry("required").or_insert_with(|| json!([]));
                        if let Some(list) = required.as_array_mut() {
                            list.push(json!(name));
                        }
                    }
                }
            }
        }
        9 => {
            // A property becomes required, or optional.
            if let Some(name) = children.first() {
                let required = object.entry("required").or_insert_with(|| json!([]));
                if let Some(list) = required.as_array_mut() {
                    let before = list.len();
                    list.retain(|r| r != name);
                    if list.len() == before {
                        list.push(json!(name));
                    }
                }
            }
        }
        10 => {
            // An object closed or opened, by either keyword.
            let key = if t.chance(3) {
                "unevaluatedProperties"
            } else {
                "additionalProperties"
            };
            if object.get("properties").is_some() && object.remove(key).is_none() {
                object.insert(key.into(), json!(false));
            }
        }
        _ => {
            if object.get("items").is_some() {
                let key = match (t.below(4), object.contains_key("contains")) {
                    (0, true) => "minContains",
                    (1, true) => "maxContains",
                    (0 | 1, false) => "minItems",
                    _ => "maxItems",
                };
                object.insert(key.into(), json!(t.small(0, 3)));
            }
        }
    }
    s
}

fn int(schema: &Value, key: &str) -> Option<i64> {
    schema.get(key).and_then(Value::as_i64)
}

/// How many `$ref`s a generated value follows: `Node` refers to itself.
const REF_DEPTH: usize = 4;

/// A value that `schema` (in `doc`) should accept (checked by the validator afterwards;
/// `None` when the choices made cannot satisfy it, or `$ref`s go deeper than `refs`).
fn gen_value(t: &mut Tape<'_>, schema: &Value, doc: &Doc, refs: usize) -> Option<Value> {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let target = match reference {
            LEAF => &doc.leaf,
            NODE => &doc.node,
            _ => return None,
        };
        // The siblings of a `$ref` are left to the validator.
        return gen_value(t, target, doc, refs.checked_sub(1)?);
    }
    if let Some(value) = schema.get("const") {
        return Some(value.clone());
    }
    if let Some(first) = schema
        .get("allOf")
        .and_then(Value::as_array)
        .and_then(|all| all.first())
    {
        // A value of the first; the validator keeps only those the others accept too.
        return gen_value(t, first, doc, refs);
    }
    if let Some(alternatives) = schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))
        .and_then(Value::as_array)
    {
        let pick = t.below(alternatives.len().max(1));
        return gen_value(t, alternatives.get(pick)?, doc, refs);
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return values.get(t.below(values.len().max(1))).cloned();
    }
    let ty = match schema.get("type") {
        Some(Value::String(ty)) => ty.clone(),
        Some(Value::Array(types)) if !types.is_empty() => {
            types[t.below(types.len())].as_str()?.to_owned()
        }
        _ => return Some(json!(null)),
    };
    match ty.as_str() {
        "null" => Some(json!(null)),
        "boolean" => Some(json!(t.chance(2))),
        "string" => {
            let lo = int(schema, "minLength").unwrap_or(0);
            let hi = int(schema, "maxLength").unwrap_or(lo + 3);
            if lo > hi {
                return None;
            }
            let len = t.small(lo, hi);
            Some(json!("x".repeat(usize::try_from(len).ok()?)))
        }
        "integer" | "number" => {
            let lo = int(schema, "minimum").unwrap_or(-4);
            let hi = int(schema, "maximum").unwrap_or(4);
            if lo > hi {
                return None;
            }
            // Bounds are where narrowing shows: pick them often.
            let n = match t.below(4) {
                0 => lo,
                1 => hi,
                2 => int(schema, "multipleOf").map_or(0, |m| m * t.small(-1, 1)),
                _ => t.small(lo, hi),
            };
            if ty == "number" && n < hi && t.chance(2) {
                return Some(json!(n as f64 + 0.5));
            }
            Some(json!(n))
        }
        "object" => {
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let mut out = Map::new();
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                for (name, sub) in props {
                    let needed = required.contains(&name.as_str());
                    if needed || t.chance(2) {
                        // An optional property too deep to generate is left out.
                        match gen_value(t, sub, doc, refs) {
                            Some(value) => {
                                out.insert(name.clone(), value);
                            }
                            None if needed => return None,
                            None => {}
                        }
                    }
                }
            }
            // A property no name describes, where `unevaluatedProperties` describes it.
            if let Some(rest) = schema.get("unevaluatedProperties")
                && rest.is_object()
                && t.chance(2)
            {
                out.insert("u".into(), gen_value(t, rest, doc, refs)?);
            }
            // A required name with no schema of its own: any value.
            for name in required {
                out.entry(name.to_owned()).or_insert(json!("any"));
            }
            Some(Value::Object(out))
        }
        "array" => {
            let lo = int(schema, "minItems").unwrap_or(0);
            let hi = int(schema, "maxItems").unwrap_or(lo + 2);
            if lo > hi {
                return None;
            }
            let n = t.small(lo, hi);
            let items = schema.get("items").cloned().unwrap_or(json!({}));
            let contains = schema.get("contains");
            (0..n)
                .map(|_| match contains {
                    // Items `contains` counts, often: the validator keeps what `items` allows.
                    Some(c) if t.chance(2) => gen_value(t, c, doc, refs),
                    _ => gen_value(t, &items, doc, refs),
                })
                .collect::<Option<Vec<_>>>()
                .map(Value::Array)
        }
        _ => None,
    }
}

#[derive(Clone, Copy, Debug)]
enum Flow {
    Request,
    Response,
}

/// Which OpenAPI the documents are written in. 3.0 says `nullable: true` where 3.1 lists
/// `null` among the types; the validator reads 2020-12, so 3.0 documents are translated back
/// for it (and the engine reads the 3.0 document).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Dialect {
    V31,
    V30,
}

fn spec(doc: &Doc, flow: Flow, dialect: Dialect) -> Vec<u8> {
    let content = json!({"application/json": {"schema": doc.schema}});
    let operation = match flow {
        Flow::Response => {
            json!({"get": {"responses": {"200": {"description": "ok", "content": content}}}})
        }
        Flow::Request => json!({"post": {
            "requestBody": {"required": true, "content": content},
            "responses": {"204": {"description": "done"}}
        }}),
    };
    serde_json::to_vec(&json!({
        "openapi": if dialect == Dialect::V30 { "3.0.3" } else { "3.1.0" },
        "info": {"title": "t", "version": "1"},
        "paths": {"/x": operation},
        "components": {"schemas": {"Leaf": doc.leaf, "Node": doc.node}},
    }))
    .expect("json")
}

/// Keywords OpenAPI 3.0 does not have (its `exclusiveMinimum` is a flag; `not` goes too: the
/// `const` it holds would leave it excluding everything).
const NOT_IN_30: &[&str] = &[
    "const",
    "not",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "prefixItems",
    "contains",
    "minContains",
    "maxContains",
    "unevaluatedProperties",
    "dependentRequired",
    "patternProperties",
    "propertyNames",
];

/// A generated (3.1) schema in OpenAPI 3.0's words: `type: [t, "null"]` becomes `type: t,
/// nullable: true`; keywords 3.0 lacks are dropped (from both sides of a pair alike), and so
/// are `$ref` siblings, which 3.0 ignores.
fn as_openapi30(schema: &Value) -> Value {
    let Some(map) = schema.as_object() else {
        return schema.clone();
    };
    if let Some(reference) = map.get("$ref") {
        return json!({"$ref": reference});
    }
    let mut out = Map::new();
    for (key, value) in map {
        let value = match key.as_str() {
            k if NOT_IN_30.contains(&k) => continue,
            "type" => match value {
                Value::Array(types) => {
                    let named: Vec<&Value> = types.iter().filter(|t| *t != "null").collect();
                    if named.len() < types.len() {
                        out.insert("nullable".into(), json!(true));
                    }
                    named.first().map_or(json!("string"), |t| (*t).clone())
                }
                other => other.clone(),
            },
            "properties" => Value::Object(
                value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, sub)| (name.clone(), as_openapi30(sub)))
                    .collect(),
            ),
            "items" | "additionalProperties" => as_openapi30(value),
            "anyOf" | "oneOf" | "allOf" => Value::Array(
                value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(as_openapi30)
                    .collect(),
            ),
            _ => value.clone(),
        };
        out.insert(key.clone(), value);
    }
    Value::Object(out)
}

/// A 3.0 schema as the 2020-12 validator must read it: `nullable: true` is `null` among the
/// types (without a type, nothing to add: a schema without one accepts `null` already).
fn as_2020_12(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out: Map<String, Value> = map
                .iter()
                .filter(|(k, _)| *k != "nullable")
                .map(|(k, v)| (k.clone(), as_2020_12(v)))
                .collect();
            if map.get("nullable") == Some(&json!(true))
                && let Some(Value::String(ty)) = map.get("type")
            {
                out.insert("type".into(), json!([ty, "null"]));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(as_2020_12).collect()),
        other => other.clone(),
    }
}

/// The engine's findings for `old` → `new`; `None` when nothing breaking or potentially
/// breaking was found (the engine calls the change compatible).
fn findings_if_incompatible(
    old: &Doc,
    new: &Doc,
    flow: Flow,
    dialect: Dialect,
) -> Option<Vec<String>> {
    let version = |doc: &Doc| Version {
        content: spec(doc, flow, dialect),
        related: Default::default(),
    };
    let facts = Facts {
        contracts: vec![ContractFile {
            path: "api/openapi.json".into(),
            status: FileStatus::Modified,
            base: Some(version(old)),
            head: Some(version(new)),
        }],
        ..Facts::default()
    };
    let plan = plan(&facts, &ContractsDiffConfig::default(), &Limits::default());
    let changes: Vec<_> = plan.files.iter().flat_map(|f| &f.changes).collect();
    if changes.iter().all(|c| c.severity == Severity::NonBreaking) {
        return None;
    }
    Some(
        changes
            .iter()
            .map(|c| format!("{} {:?} {}", c.rule.id(), c.severity, c.pointer))
            .collect(),
    )
}

/// The validator for the schema of `doc` as the engine reads it: `oneOf` as `anyOf` (see the
/// top), 3.0's `nullable` as a `null` type, and the components where its `$ref`s point.
fn validator(doc: &Doc, dialect: Dialect) -> jsonschema::Validator {
    fn one_of_as_any_of(value: &Value) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| {
                        let key = if k == "oneOf" { "anyOf" } else { k.as_str() };
                        (key.to_owned(), one_of_as_any_of(v))
                    })
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(one_of_as_any_of).collect()),
            other => other.clone(),
        }
    }
    let mut root = doc.schema.clone();
    root["components"] = json!({"schemas": {"Leaf": doc.leaf, "Node": doc.node}});
    if dialect == Dialect::V30 {
        root = as_2020_12(&root);
    }
    jsonschema::draft202012::new(&one_of_as_any_of(&root)).expect("a valid JSON Schema")
}

/// Checks one pair in one direction: when the engine says compatible, values of the schema
/// that must be contained are accepted by the other.
fn check(
    old: &Doc,
    new: &Doc,
    flow: Flow,
    dialect: Dialect,
    values: &mut Tape<'_>,
) -> Result<(), TestCaseError> {
    if findings_if_incompatible(old, new, flow, dialect).is_some() {
        return Ok(());
    }
    let (inner, outer) = match flow {
        Flow::Response => (new, old),
        Flow::Request => (old, new),
    };
    let (inner_v, outer_v) = (validator(inner, dialect), validator(outer, dialect));
    for _ in 0..24 {
        let Some(value) = gen_value(values, &inner.schema, inner, REF_DEPTH) else {
            continue;
        };
        if !inner_v.is_valid(&value) {
            continue; // the generator's miss, not the engine's
        }
        prop_assert!(
            outer_v.is_valid(&value),
            "{flow:?} change called compatible, but {value} is accepted by the {} schema and \
             rejected by the {}\n{dialect:?}\nold: {old:?}\nnew: {new:?}",
            if matches!(flow, Flow::Response) {
                "new"
            } else {
                "old"
            },
            if matches!(flow, Flow::Response) {
                "old"
            } else {
                "new"
            },
        );
    }
    Ok(())
}

fn pair(schema_bytes: &[u8], edits: &[u8], dialect: Dialect) -> (Doc, Doc) {
    let old = gen_doc(&mut Tape {
        bytes: schema_bytes,
        at: 0,
    });
    let mut tape = Tape {
        bytes: edits,
        at: 0,
    };
    let mut new = old.clone();
    for _ in 0..1 + tape.below(3) {
        new = mutate_doc(&mut tape, &new);
    }
    match dialect {
        Dialect::V31 => (old, new),
        Dialect::V30 => {
            let v30 = |d: &Doc| Doc {
                schema: as_openapi30(&d.schema),
                leaf: as_openapi30(&d.leaf),
                node: as_openapi30(&d.node),
            };
            (v30(&old), v30(&new))
        }
    }
}

fn dialect(v30: bool) -> Dialect {
    if v30 { Dialect::V30 } else { Dialect::V31 }
}

/// 1000 cases each (CI); `PROPTEST_CASES` raises it for a longer local search.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn a_compatible_response_change_only_sends_what_old_clients_accept(
        schema in prop::collection::vec(any::<u8>(), 8..96),
        edits in prop::collection::vec(any::<u8>(), 8..48),
        values in prop::collection::vec(any::<u8>(), 64..512),
        v30 in any::<bool>(),
    ) {
        let (old, new) = pair(&schema, &edits, dialect(v30));
        check(&old, &new, Flow::Response, dialect(v30), &mut Tape { bytes: &values, at: 0 })?;
    }

    #[test]
    fn a_compatible_request_change_still_accepts_what_old_clients_send(
        schema in prop::collection::vec(any::<u8>(), 8..96),
        edits in prop::collection::vec(any::<u8>(), 8..48),
        values in prop::collection::vec(any::<u8>(), 64..512),
        v30 in any::<bool>(),
    ) {
        let (old, new) = pair(&schema, &edits, dialect(v30));
        check(&old, &new, Flow::Request, dialect(v30), &mut Tape { bytes: &values, at: 0 })?;
    }
}

/// A document whose body schema is `schema` (components unused).
fn plain(schema: Value) -> Doc {
    Doc {
        schema,
        leaf: json!({"type": "string"}),
        node: json!({"type": "object"}),
    }
}

/// The check itself can fail: a narrowing the engine reports is skipped, but were the engine to
/// call it compatible, the validator would catch the value it rejects.
#[test]
fn the_check_catches_an_unsound_verdict() {
    let old = plain(json!({"type": "integer", "maximum": 10}));
    let new = plain(json!({"type": "integer", "maximum": 20}));
    // A response widened: the engine must say so...
    assert!(findings_if_incompatible(&old, &new, Flow::Response, Dialect::V31).is_some());
    // ...and had it not, values of the new schema reach 20, which the old rejects.
    let outer = validator(&old, Dialect::V31);
    let mut tape = Tape {
        bytes: &[1, 1, 1],
        at: 0,
    };
    let value = gen_value(&mut tape, &new.schema, &new, REF_DEPTH).expect("a value");
    assert_eq!(value, json!(20));
    assert!(!outer.is_valid(&value));
}

/// The property is not vacuous: over a fixed sample of pairs, a good share are called
/// compatible in each direction and had values checked (were the engine to call everything
/// breaking, the properties above would pass without checking anything).
#[test]
fn many_sampled_pairs_are_called_compatible_and_checked() {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut bytes = |n: usize| -> Vec<u8> {
        (0..n)
            .map(|_| {
                // xorshift64: a fixed, dependency-free sample.
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state.to_le_bytes()[0]
            })
            .collect()
    };
    for flow in [Flow::Response, Flow::Request] {
        let mut compatible = 0;
        let samples = 400;
        for i in 0..samples {
            let dialect = dialect(i % 2 == 1);
            let (old, new) = pair(&bytes(64), &bytes(32), dialect);
            if old != new && findings_if_incompatible(&old, &new, flow, dialect).is_none() {
                compatible += 1;
            }
        }
        assert!(
            compatible * 5 >= samples,
            "{flow:?}: only {compatible} of {samples} changed pairs called compatible"
        );
    }
}
