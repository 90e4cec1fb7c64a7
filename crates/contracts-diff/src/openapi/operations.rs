//! Operations: matched by method and path template (path-parameter names ignored), then
//! compared parameter by parameter, body by body, response by response.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::schema::{Part, SchemaDiffer, compact};
use super::security;
use crate::change::{Change, Direction, Merged, Severity};
use crate::resolve::{Node, Spec, push_token};
use crate::rules::Rule;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// An operation as found in a document.
#[derive(Clone)]
struct Operation<'s> {
    path: &'s str,
    method: &'static str,
    op: Part<'s>,
    path_item: Part<'s>,
}

/// `/users/{id}` and `/users/{userId}` are the same endpoint.
pub fn normalize_template(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' => {
                depth += 1;
                if depth == 1 {
                    out.push_str("{}");
                }
            }
            '}' if depth > 0 => depth -= 1,
            _ if depth > 0 => {}
            c => out.push(c),
        }
    }
    out
}

/// Positions of the path template's parameters, by name.
fn template_params(path: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                names.push(after[..end].to_owned());
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    names
}

fn deref<'s>(spec: &'s Spec, part: Part<'s>) -> Part<'s> {
    let node = Node {
        value: part.value,
        file: part.file,
    };
    let overrides = part.value.get("$ref").is_some()
        && spec
            .root()
            .value
            .get("openapi")
            .and_then(Value::as_str)
            .is_some_and(|v| !v.starts_with("3.0"));
    match spec.deref(node, part.pointer.clone()) {
        Ok((node, pointer)) => Part {
            site: overrides.then_some(part.value),
            ..Part::new(node, pointer)
        },
        Err(_) => part,
    }
}

/// A documentation field, honouring a 3.1 reference object's `description`/`summary` override.
fn doc<'s>(part: &Part<'s>, key: &str) -> Option<&'s Value> {
    let overridden = matches!(key, "description" | "summary")
        .then(|| part.site.and_then(|site| site.get(key)))
        .flatten();
    overridden.or_else(|| part.value.get(key))
}

/// Compares the `x-` extensions of two objects (values are opaque to us).
fn extension_changes(b: &Part<'_>, a: &Part<'_>, after: &Spec, what: &str, out: &mut Vec<Change>) {
    let keys = |p: &Part<'_>| -> Vec<String> {
        p.value
            .as_object()
            .map(|m| {
                m.keys()
                    .filter(|k| k.starts_with("x-") && *k != "x-sunset")
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut all = keys(b);
    all.extend(keys(a));
    all.sort();
    all.dedup();
    for key in all {
        let (bv, av) = (b.value.get(&key), a.value.get(&key));
        if bv != av {
            let verb = match (bv, av) {
                (None, _) => "added",
                (_, None) => "removed",
                _ => "changed",
            };
            out.push(Change::new(
                Rule::ExtensionChanged,
                Severity::NonBreaking,
                Direction::None,
                after.display(a.file, &push_token(&a.pointer, &key)),
                format!("{what} extension `{key}` {verb}"),
            ));
        }
    }
}

fn child<'s>(part: &Part<'s>, keys: &[&str]) -> Option<Part<'s>> {
    let mut value = part.value;
    let mut pointer = part.pointer.clone();
    for key in keys {
        value = match value {
            Value::Array(items) => items.get(key.parse::<usize>().ok()?)?,
            _ => value.get(*key)?,
        };
        pointer = push_token(&pointer, key);
    }
    Some(Part {
        value,
        file: part.file,
        pointer,
        site: None,
        distributed: false,
    })
}

fn operations<'s>(spec: &'s Spec) -> BTreeMap<(String, &'static str), Operation<'s>> {
    let mut out = BTreeMap::new();
    let root = spec.root();
    let root = Part::new(root, String::new());
    let Some(paths) = child(&root, &["paths"]) else {
        return out;
    };
    let Some(map) = paths.value.as_object() else {
        return out;
    };
    for path in map.keys() {
        let Some(item) = child(&paths, &[path]) else {
            continue;
        };
        let item = deref(spec, item);
        for method in METHODS {
            if let Some(op) = child(&item, &[method]).filter(|op| op.value.is_object()) {
                out.insert(
                    (normalize_template(path), method),
                    Operation {
                        path,
                        method,
                        op,
                        path_item: item.clone(),
                    },
                );
            }
        }
    }
    out
}

/// Label of an operation for reports: `GET /users/{id}`.
fn label(op: &Operation<'_>) -> String {
    format!("{} {}", op.method.to_ascii_uppercase(), op.path)
}

/// All operations of `spec`, as labels.
pub fn endpoint_labels(spec: &Spec) -> Vec<String> {
    operations(spec).values().map(label).collect()
}

/// When an operation was deprecated, as the spec says it, for the removal's message: the
/// `x-deprecated-at` extension, else the first ISO date (`YYYY-MM-DD`) after the word
/// "deprecated" in the operation's `description`. OpenAPI itself has only `deprecated: true`.
fn deprecation_date(op: &Value) -> Option<String> {
    if let Some(at) = op.get("x-deprecated-at") {
        return Some(compact(at));
    }
    let description = op.get("description")?.as_str()?;
    let lower = description.to_ascii_lowercase();
    let after = &description[lower.find("deprecated")? + "deprecated".len()..];
    let bytes = after.as_bytes();
    (0..bytes.len().saturating_sub(9)).find_map(|i| {
        let candidate = bytes.get(i..i + 10)?;
        let iso = candidate.iter().enumerate().all(|(k, b)| match k {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
        // A date glued to more digits (`12024-01-01`) is not one.
        let glued = |at: Option<&u8>| at.is_some_and(u8::is_ascii_digit);
        let alone =
            !glued(i.checked_sub(1).and_then(|j| bytes.get(j))) && !glued(bytes.get(i + 10));
        (iso && alone).then(|| format!("`{}`", String::from_utf8_lossy(candidate)))
    })
}

/// Compares every operation of `before` with its match in `after`.
pub fn diff_operations<'s>(
    d: &mut SchemaDiffer<'s>,
    before: &'s Spec,
    after: &'s Spec,
) -> Vec<Change> {
    let bops = operations(before);
    let aops = operations(after);
    // Merged as they come: a shared component's findings are held once, not per operation.
    let mut out = Merged::default();
    for (key, bop) in &bops {
        let Some(aop) = aops.get(key) else {
            let deprecated = bop.op.value.get("deprecated") == Some(&Value::Bool(true));
            let mut change = if deprecated {
                let mut dates = Vec::new();
                if let Some(since) = deprecation_date(bop.op.value) {
                    dates.push(format!("deprecated since {since}"));
                }
                if let Some(sunset) = bop.op.value.get("x-sunset") {
                    dates.push(format!("sunset {}", compact(sunset)));
                }
                let dates = if dates.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", dates.join(", "))
                };
                Change::new(
                    Rule::DeprecatedOperationRemoved,
                    Severity::PotentiallyBreaking,
                    Direction::None,
                    before.display(bop.op.file, &bop.op.pointer),
                    format!("deprecated operation {} was removed{dates}", label(bop)),
                )
            } else {
                Change::new(
                    Rule::OperationRemoved,
                    Severity::Breaking,
                    Direction::None,
                    before.display(bop.op.file, &bop.op.pointer),
                    format!(
                        "operation {} was removed without prior deprecation",
                        label(bop)
                    ),
                )
            };
            change.operations.push(label(bop));
            out.push(change);
            continue;
        };
        let name = label(aop);
        for mut change in diff_operation(d, before, after, bop, aop) {
            change.operations.push(name.clone());
            out.push(change);
        }
    }
    for (key, aop) in &aops {
        if !bops.contains_key(key) {
            let mut change = Change::new(
                Rule::OperationAdded,
                Severity::NonBreaking,
                Direction::None,
                after.display(aop.op.file, &aop.op.pointer),
                format!("new operation {}", label(aop)),
            );
            change.operations.push(label(aop));
            out.push(change);
        }
    }
    out.into_vec()
}

fn diff_operation<'s>(
    d: &mut SchemaDiffer<'s>,
    before: &'s Spec,
    after: &'s Spec,
    b: &Operation<'s>,
    a: &Operation<'s>,
) -> Vec<Change> {
    let mut out = Vec::new();
    let at = |p: &Part<'_>, key: &str| after.display(p.file, &push_token(&p.pointer, key));
    let bdep = b.op.value.get("deprecated") == Some(&Value::Bool(true));
    let adep = a.op.value.get("deprecated") == Some(&Value::Bool(true));
    if bdep != adep {
        out.push(Change::new(
            Rule::OperationDeprecated,
            Severity::NonBreaking,
            Direction::None,
            at(&a.op, "deprecated"),
            if adep {
                "the operation is now deprecated"
            } else {
                "the operation is no longer deprecated"
            },
        ));
    }
    let bs = b.op.value.get("x-sunset");
    let as_ = a.op.value.get("x-sunset");
    if bs != as_ {
        let show = |v: Option<&Value>| v.map_or("none".to_owned(), compact);
        out.push(Change::new(
            Rule::SunsetChanged,
            Severity::NonBreaking,
            Direction::None,
            at(&a.op, "x-sunset"),
            format!("sunset date changed from {} to {}", show(bs), show(as_)),
        ));
    }
    for key in [
        "summary",
        "description",
        "operationId",
        "tags",
        "externalDocs",
        "servers",
    ] {
        doc_change(&b.op, &a.op, key, after, &mut out);
    }
    extension_changes(&b.op, &a.op, after, "operation", &mut out);
    extension_changes(&b.path_item, &a.path_item, after, "path item", &mut out);
    security::diff_operation_security(before, after, &b.op, &a.op, &mut out);
    diff_parameters(d, before, after, b, a, &mut out);
    diff_request_body(d, before, after, b, a, &mut out);
    diff_responses(d, before, after, b, a, &mut out);
    out
}

fn doc_change(b: &Part<'_>, a: &Part<'_>, key: &str, after: &Spec, out: &mut Vec<Change>) {
    let bv = doc(b, key);
    let av = doc(a, key);
    if bv != av {
        let verb = match (bv, av) {
            (None, _) => "added",
            (_, None) => "removed",
            _ => "changed",
        };
        out.push(Change::new(
            Rule::DocumentationChanged,
            Severity::NonBreaking,
            Direction::None,
            after.display(a.file, &push_token(&a.pointer, key)),
            format!("`{key}` {verb}"),
        ));
    }
}

/// Parameter identity: location and name (header names are case-insensitive, path
/// parameters are identified by their position in the template).
type ParamKey = (String, String);

fn parameters<'s>(spec: &'s Spec, op: &Operation<'s>) -> BTreeMap<ParamKey, Part<'s>> {
    let positions = template_params(op.path);
    let mut out = BTreeMap::new();
    for owner in [&op.path_item, &op.op] {
        let Some(list) = owner.value.get("parameters").and_then(Value::as_array) else {
            continue;
        };
        for i in 0..list.len() {
            let Some(p) = child(owner, &["parameters", &i.to_string()]) else {
                continue;
            };
            let p = deref(spec, p);
            let location = p
                .value
                .get("in")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            let name = p
                .value
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            let ident = match location.as_str() {
                "header" => name.to_ascii_lowercase(),
                "path" => positions
                    .iter()
                    .position(|n| *n == name)
                    .map_or(name, |i| format!("#{i}")),
                _ => name,
            };
            out.insert((location, ident), p);
        }
    }
    out
}

fn param_name<'a>(p: &'a Part<'_>) -> &'a str {
    p.value.get("name").and_then(Value::as_str).unwrap_or("?")
}

fn is_ignored_header(location: &str, name: &str) -> bool {
    location == "header"
        && ["accept", "content-type", "authorization"].contains(&name.to_ascii_lowercase().as_str())
}

fn is_required(p: &Part<'_>) -> bool {
    p.value.get("in").and_then(Value::as_str) == Some("path")
        || p.value.get("required") == Some(&Value::Bool(true))
}

fn param_schema<'s>(p: &Part<'s>) -> Option<Part<'s>> {
    if let Some(s) = child(p, &["schema"]) {
        return Some(s);
    }
    let content = p.value.get("content")?.as_object()?;
    let media = content.keys().next()?;
    child(p, &["content", media, "schema"])
}

fn diff_parameters<'s>(
    d: &mut SchemaDiffer<'s>,
    before: &'s Spec,
    after: &'s Spec,
    b: &Operation<'s>,
    a: &Operation<'s>,
    out: &mut Vec<Change>,
) {
    let bp = parameters(before, b);
    let ap = parameters(after, a);
    let dir = Direction::Request;
    let mut moved: BTreeSet<ParamKey> = BTreeSet::new();
    for ((location, ident), p) in &bp {
        if ap.contains_key(&(location.clone(), ident.clone())) {
            continue;
        }
        let name = param_name(p);
        // The same name elsewhere: the parameter moved.
        if let Some(((new_location, new_ident), np)) = ap.iter().find(|((l, i), _)| {
            l != location
                && i.eq_ignore_ascii_case(ident)
                && !bp.contains_key(&(l.clone(), i.clone()))
        }) {
            moved.insert((new_location.clone(), new_ident.clone()));
            out.push(Change::new(
                Rule::ParameterLocationChanged,
                Severity::Breaking,
                dir,
                after.display(np.file, &np.pointer),
                format!("parameter `{name}` moved from {location} to {new_location}"),
            ));
            continue;
        }
        let ignored = is_ignored_header(location, name);
        out.push(Change::new(
            Rule::ParameterRemoved,
            if ignored { Severity::NonBreaking } else { Severity::Breaking },
            dir,
            before.display(p.file, &p.pointer),
            if ignored {
                format!("{location} parameter `{name}` was removed (OpenAPI ignores this header parameter)")
            } else {
                format!("{location} parameter `{name}` was removed")
            },
        ));
    }
    for (key, p) in &ap {
        let (location, _) = key;
        let name = param_name(p);
        let Some(old) = bp.get(key) else {
            if moved.contains(key) {
                continue;
            }
            let ignored = is_ignored_header(location, name);
            let (rule, severity, message) = if ignored {
                (
                    Rule::ParameterAdded,
                    Severity::NonBreaking,
                    format!(
                        "new {location} parameter `{name}` (OpenAPI ignores this header parameter)"
                    ),
                )
            } else if is_required(p) {
                (
                    Rule::RequiredParameterAdded,
                    Severity::Breaking,
                    format!("new required {location} parameter `{name}`"),
                )
            } else {
                (
                    Rule::ParameterAdded,
                    Severity::NonBreaking,
                    format!("new optional {location} parameter `{name}`"),
                )
            };
            out.push(Change::new(
                rule,
                severity,
                dir,
                after.display(p.file, &p.pointer),
                message,
            ));
            continue;
        };
        diff_parameter(d, after, old, p, location, name, out);
    }
}

fn diff_parameter<'s>(
    d: &mut SchemaDiffer<'s>,
    after: &'s Spec,
    b: &Part<'s>,
    a: &Part<'s>,
    location: &str,
    name: &str,
    out: &mut Vec<Change>,
) {
    let dir = Direction::Request;
    let at = |key: &str| after.display(a.file, &push_token(&a.pointer, key));
    let ignored = is_ignored_header(location, name);
    match (is_required(b), is_required(a)) {
        (false, true) => out.push(Change::new(
            Rule::ParameterBecameRequired,
            if ignored {
                Severity::NonBreaking
            } else {
                Severity::Breaking
            },
            dir,
            at("required"),
            format!("{location} parameter `{name}` became required"),
        )),
        (true, false) => out.push(Change::new(
            Rule::ParameterBecameOptional,
            Severity::NonBreaking,
            dir,
            at("required"),
            format!("{location} parameter `{name}` became optional"),
        )),
        _ => {}
    }
    let flag = |p: &Part<'_>, key: &str| p.value.get(key) == Some(&Value::Bool(true));
    if flag(b, "deprecated") != flag(a, "deprecated") {
        out.push(Change::new(
            Rule::ParameterDeprecated,
            Severity::NonBreaking,
            dir,
            at("deprecated"),
            if flag(a, "deprecated") {
                format!("parameter `{name}` is now deprecated")
            } else {
                format!("parameter `{name}` is no longer deprecated")
            },
        ));
    }
    // Serialization: style defaults by location, explode defaults to true for `form`.
    let default_style = match location {
        "query" | "cookie" => "form",
        _ => "simple",
    };
    let style = |p: &Part<'_>| {
        p.value
            .get("style")
            .and_then(Value::as_str)
            .unwrap_or(default_style)
            .to_owned()
    };
    let explode = |p: &Part<'_>, style: &str| {
        p.value
            .get("explode")
            .and_then(Value::as_bool)
            .unwrap_or(style == "form")
    };
    let (bs, as_) = (style(b), style(a));
    if bs != as_ {
        out.push(Change::new(
            Rule::ParameterStyleChanged,
            Severity::Breaking,
            dir,
            at("style"),
            format!("parameter `{name}` style changed from `{bs}` to `{as_}`"),
        ));
    } else if explode(b, &bs) != explode(a, &as_) {
        let structured = param_schema(a).is_some_and(|s| {
            let s = deref_schema_type(after, &s);
            s.is_some_and(|t| t == "array" || t == "object")
        });
        out.push(Change::new(
            Rule::ParameterStyleChanged,
            if structured {
                Severity::Breaking
            } else {
                Severity::NonBreaking
            },
            dir,
            at("explode"),
            if structured {
                format!("parameter `{name}` explode changed to {}", explode(a, &as_))
            } else {
                format!(
                    "parameter `{name}` explode changed to {} (no effect on a primitive value)",
                    explode(a, &as_)
                )
            },
        ));
    }
    for key in ["allowEmptyValue", "allowReserved"] {
        let (x, y) = (flag(b, key), flag(a, key));
        if x == y {
            continue;
        }
        let severity = if location == "query" && x && !y {
            Severity::Breaking
        } else {
            Severity::NonBreaking
        };
        let note = if location == "query" {
            ""
        } else {
            " (ignored outside query parameters)"
        };
        out.push(Change::new(
            Rule::ParameterEncodingChanged,
            severity,
            dir,
            at(key),
            format!("parameter `{name}` `{key}` changed from {x} to {y}{note}"),
        ));
    }
    for key in ["description", "example", "examples"] {
        doc_change(b, a, key, after, out);
    }
    extension_changes(b, a, after, "parameter", out);
    if let (Some(bs), Some(as_)) = (param_schema(b), param_schema(a)) {
        let mut changes = d.diff(bs, as_, dir);
        if ignored {
            for c in &mut changes {
                c.severity = Severity::NonBreaking;
            }
        }
        out.extend(changes);
    }
}

fn deref_schema_type(spec: &Spec, schema: &Part<'_>) -> Option<String> {
    let target = deref(spec, schema.clone());
    target
        .value
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

fn media_types<'s>(spec: &'s Spec, owner: &Part<'s>) -> BTreeMap<String, Part<'s>> {
    let mut out = BTreeMap::new();
    if let Some(Value::Object(content)) = owner.value.get("content") {
        for key in content.keys() {
            if let Some(mt) = child(owner, &["content", key]) {
                out.insert(key.to_ascii_lowercase(), deref(spec, mt));
            }
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn diff_content<'s>(
    d: &mut SchemaDiffer<'s>,
    before: &'s Spec,
    after: &'s Spec,
    b: &Part<'s>,
    a: &Part<'s>,
    dir: Direction,
    what: &str,
    out: &mut Vec<Change>,
) {
    let bm = media_types(before, b);
    let am = media_types(after, a);
    for (media, part) in &bm {
        if !am.contains_key(media) {
            out.push(Change::new(
                Rule::MediaTypeRemoved,
                Severity::Breaking,
                dir,
                before.display(part.file, &part.pointer),
                format!("{what} media type `{media}` was removed"),
            ));
        }
    }
    for (media, ap) in &am {
        let Some(bp) = bm.get(media) else {
            out.push(Change::new(
                Rule::MediaTypeAdded,
                Severity::NonBreaking,
                dir,
                after.display(ap.file, &ap.pointer),
                format!("{what} media type `{media}` was added"),
            ));
            continue;
        };
        for key in ["example", "examples"] {
            doc_change(bp, ap, key, after, out);
        }
        match (child(bp, &["schema"]), child(ap, &["schema"])) {
            (Some(bs), Some(as_)) => out.extend(d.diff(bs, as_, dir)),
            (None, Some(as_)) => out.push(Change::new(
                Rule::ConstraintTightened,
                dir.narrowed(),
                dir,
                after.display(as_.file, &as_.pointer),
                format!("{what} `{media}` now has a schema"),
            )),
            (Some(bs), None) => out.push(Change::new(
                Rule::ConstraintRelaxed,
                dir.widened(),
                dir,
                before.display(bs.file, &bs.pointer),
                format!("{what} `{media}` no longer has a schema"),
            )),
            (None, None) => {}
        }
    }
}

fn diff_request_body<'s>(
    d: &mut SchemaDiffer<'s>,
    before: &'s Spec,
    after: &'s Spec,
    b: &Operation<'s>,
    a: &Operation<'s>,
    out: &mut Vec<Change>,
) {
    let dir = Direction::Request;
    let bb = child(&b.op, &["requestBody"]).map(|p| deref(before, p));
    let ab = child(&a.op, &["requestBody"]).map(|p| deref(after, p));
    let required = |p: &Part<'_>| p.value.get("required") == Some(&Value::Bool(true));
    match (bb, ab) {
        (None, None) => {}
        (None, Some(ab)) => out.push(Change::new(
            Rule::RequestBodyAdded,
            if required(&ab) {
                Severity::Breaking
            } else {
                Severity::NonBreaking
            },
            dir,
            after.display(ab.file, &ab.pointer),
            if required(&ab) {
                "a required request body was added"
            } else {
                "an optional request body was added"
            },
        )),
        (Some(bb), None) => out.push(Change::new(
            Rule::RequestBodyRemoved,
            Severity::Breaking,
            dir,
            before.display(bb.file, &bb.pointer),
            "the request body was removed",
        )),
        (Some(bb), Some(ab)) => {
            match (required(&bb), required(&ab)) {
                (false, true) => out.push(Change::new(
                    Rule::RequestBodyBecameRequired,
                    Severity::Breaking,
                    dir,
                    after.display(ab.file, &push_token(&ab.pointer, "required")),
                    "the request body became required",
                )),
                (true, false) => out.push(Change::new(
                    Rule::RequestBodyBecameOptional,
                    Severity::NonBreaking,
                    dir,
                    after.display(ab.file, &push_token(&ab.pointer, "required")),
                    "the request body became optional",
                )),
                _ => {}
            }
            doc_change(&bb, &ab, "description", after, out);
            diff_content(d, before, after, &bb, &ab, dir, "request", out);
        }
    }
}

fn is_success(status: &str) -> bool {
    status == "default" || matches!(status.as_bytes().first(), Some(b'1' | b'2' | b'3'))
}

fn keyed_children<'s>(
    spec: &'s Spec,
    owner: &Part<'s>,
    key: &str,
    fold_case: bool,
) -> BTreeMap<String, Part<'s>> {
    let mut out = BTreeMap::new();
    if let Some(Value::Object(map)) = owner.value.get(key) {
        for name in map.keys() {
            if key == "responses" && name.starts_with("x-") {
                continue;
            }
            if let Some(p) = child(owner, &[key, name]) {
                let ident = if fold_case {
                    name.to_ascii_lowercase()
                } else {
                    name.to_ascii_uppercase()
                };
                out.insert(ident, deref(spec, p));
            }
        }
    }
    out
}

fn diff_responses<'s>(
    d: &mut SchemaDiffer<'s>,
    before: &'s Spec,
    after: &'s Spec,
    b: &Operation<'s>,
    a: &Operation<'s>,
    out: &mut Vec<Change>,
) {
    let dir = Direction::Response;
    let br = keyed_children(before, &b.op, "responses", false);
    let ar = keyed_children(after, &a.op, "responses", false);
    for (status, part) in &br {
        if !ar.contains_key(status) {
            let success = is_success(status);
            out.push(Change::new(
                Rule::ResponseStatusRemoved,
                if success { Severity::Breaking } else { Severity::NonBreaking },
                dir,
                before.display(part.file, &part.pointer),
                if success {
                    format!("response `{status}` was removed")
                } else {
                    format!("error response `{status}` was removed (clients must handle unlisted errors anyway)")
                },
            ));
        }
    }
    for (status, ap) in &ar {
        let Some(bp) = br.get(status) else {
            out.push(Change::new(
                Rule::ResponseStatusAdded,
                Severity::NonBreaking,
                dir,
                after.display(ap.file, &ap.pointer),
                format!("new response `{status}`"),
            ));
            continue;
        };
        doc_change(bp, ap, "description", after, out);
        extension_changes(bp, ap, after, "response", out);
        diff_content(
            d,
            before,
            after,
            bp,
            ap,
            dir,
            &format!("response `{status}`"),
            out,
        );
        let bh = keyed_children(before, bp, "headers", true);
        let ah = keyed_children(after, ap, "headers", true);
        for (name, h) in &bh {
            if !ah.contains_key(name) {
                out.push(Change::new(
                    Rule::ResponseHeaderRemoved,
                    Severity::Breaking,
                    dir,
                    before.display(h.file, &h.pointer),
                    format!("response `{status}` header `{name}` was removed"),
                ));
            }
        }
        for (name, h) in &ah {
            let Some(old) = bh.get(name) else {
                out.push(Change::new(
                    Rule::ResponseHeaderAdded,
                    Severity::NonBreaking,
                    dir,
                    after.display(h.file, &h.pointer),
                    format!("response `{status}` has a new header `{name}`"),
                ));
                continue;
            };
            let required = |p: &Part<'_>| p.value.get("required") == Some(&Value::Bool(true));
            if required(old) != required(h) {
                out.push(Change::new(
                    Rule::ResponseHeaderRequiredChanged,
                    if required(h) {
                        Severity::NonBreaking
                    } else {
                        Severity::Breaking
                    },
                    dir,
                    after.display(h.file, &push_token(&h.pointer, "required")),
                    if required(h) {
                        format!("response header `{name}` is now always sent")
                    } else {
                        format!("response header `{name}` is no longer always sent")
                    },
                ));
            }
            doc_change(old, h, "description", after, out);
            if let (Some(bs), Some(as_)) = (param_schema(old), param_schema(h)) {
                out.extend(d.diff(bs, as_, dir));
            }
        }
    }
}
