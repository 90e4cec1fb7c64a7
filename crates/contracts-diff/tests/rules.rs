//! One test per rule family: the change is reported with the right id, severity and
//! direction (positive), and an equivalent or harmless edit is not (negative).

use contracts_diff::resolve::Spec;
use contracts_diff::{Limits, Severity, openapi};

fn spec(text: &str) -> Spec {
    let mut none = |_: &str| None;
    Spec::load(
        "openapi.yaml",
        text.as_bytes(),
        &mut none,
        &Limits::default(),
    )
    .expect("test document parses")
}

/// (rule id, severity, direction) of every change.
type Found = Vec<(String, Severity, String)>;

fn diff(before: &str, after: &str) -> Vec<(String, Severity, String)> {
    let result = openapi::diff(&spec(before), &spec(after), &Limits::default());
    result
        .changes
        .iter()
        .map(|c| {
            (
                c.rule.id().to_owned(),
                c.severity,
                c.direction.as_str().to_owned(),
            )
        })
        .collect()
}

fn has(
    changes: &[(String, Severity, String)],
    rule: &str,
    severity: Severity,
    direction: &str,
) -> bool {
    changes
        .iter()
        .any(|(r, s, d)| r == rule && *s == severity && d == direction)
}

/// A 3.0 document with one POST whose request and response bodies use `schema` (indented YAML).
fn with_schema(version: &str, request: &str, response: &str) -> String {
    let indent = |s: &str| {
        s.lines()
            .map(|l| format!("              {l}\n"))
            .collect::<String>()
    };
    format!(
        "openapi: {version}\ninfo: {{title: t, version: '1'}}\npaths:\n  /items:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n{}      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n{}",
        indent(request),
        indent(response).replace("              ", "                ")
    )
}

fn both(schema_before: &str, schema_after: &str) -> (Found, Found) {
    let plain = "type: string";
    let req = diff(
        &with_schema("3.0.3", schema_before, plain),
        &with_schema("3.0.3", schema_after, plain),
    );
    let resp = diff(
        &with_schema("3.0.3", plain, schema_before),
        &with_schema("3.0.3", plain, schema_after),
    );
    (req, resp)
}

#[test]
fn identical_documents_have_no_changes() {
    let doc = with_schema(
        "3.0.3",
        "type: object\nproperties:\n  a: {type: string}",
        "type: string",
    );
    assert!(diff(&doc, &doc).is_empty());
}

#[test]
fn operation_removed_added_and_deprecated_removal() {
    let base = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\n";
    let gone = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
    assert!(has(
        &diff(base, gone),
        "operation-removed",
        Severity::Breaking,
        "none"
    ));
    assert!(has(
        &diff(gone, base),
        "operation-added",
        Severity::NonBreaking,
        "none"
    ));
    let deprecated = base.replace(
        "get:\n",
        "get:\n      deprecated: true\n      x-sunset: '2026-01-01'\n",
    );
    assert!(has(
        &diff(&deprecated, gone),
        "deprecated-operation-removed",
        Severity::PotentiallyBreaking,
        "none"
    ));
    // The message gives the dates the spec gives: `x-deprecated-at`, else a date after
    // "deprecated" in the description; and `x-sunset`.
    let removal_message = |before: &str| {
        let result = openapi::diff(&spec(before), &spec(gone), &Limits::default());
        let change = result
            .changes
            .iter()
            .find(|c| c.rule.id() == "deprecated-operation-removed")
            .expect("deprecated-operation-removed");
        (change.severity, change.message.clone())
    };
    assert_eq!(
        removal_message(&deprecated),
        (
            Severity::PotentiallyBreaking,
            "deprecated operation GET /a was removed (sunset `2026-01-01`)".to_owned()
        )
    );
    let dated = deprecated.replace(
        "deprecated: true\n",
        "deprecated: true\n      x-deprecated-at: '2025-03-01'\n",
    );
    assert_eq!(
        removal_message(&dated).1,
        "deprecated operation GET /a was removed (deprecated since `2025-03-01`, sunset `2026-01-01`)"
    );
    let described = base.replace(
        "get:\n",
        "get:\n      deprecated: true\n      description: 'Lists a. Deprecated on 2024-11-30 in favour of /b (see 2023-01-01).'\n",
    );
    assert_eq!(
        removal_message(&described).1,
        "deprecated operation GET /a was removed (deprecated since `2024-11-30`)"
    );
    let undated = base.replace("get:\n", "get:\n      deprecated: true\n");
    assert_eq!(
        removal_message(&undated).1,
        "deprecated operation GET /a was removed"
    );
    assert!(has(
        &diff(base, &deprecated),
        "operation-deprecated",
        Severity::NonBreaking,
        "none"
    ));
    assert!(has(
        &diff(base, &deprecated),
        "sunset-changed",
        Severity::NonBreaking,
        "none"
    ));
}

#[test]
fn path_parameter_names_do_not_matter() {
    let doc = |name: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a/{{{name}}}:\n    get:\n      parameters:\n        - {{name: {name}, in: path, required: true, schema: {{type: string}}}}\n      responses: {{'200': {{description: ok}}}}\n"
        )
    };
    assert!(diff(&doc("id"), &doc("userId")).is_empty());
}

#[test]
fn parameters_required_added_removed_moved_and_style() {
    let doc = |params: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      parameters: [{params}]\n      responses: {{'200': {{description: ok}}}}\n"
        )
    };
    let q = "{name: q, in: query, schema: {type: string}}";
    let q_req = "{name: q, in: query, required: true, schema: {type: string}}";
    let q_hdr = "{name: q, in: header, schema: {type: string}}";
    let arr = |explode: bool| {
        format!(
            "{{name: ids, in: query, explode: {explode}, schema: {{type: array, items: {{type: string}}}}}}"
        )
    };
    assert!(has(
        &diff(&doc(""), &doc(q_req)),
        "required-parameter-added",
        Severity::Breaking,
        "request"
    ));
    assert!(has(
        &diff(&doc(""), &doc(q)),
        "parameter-added",
        Severity::NonBreaking,
        "request"
    ));
    assert!(has(
        &diff(&doc(q), &doc("")),
        "parameter-removed",
        Severity::Breaking,
        "request"
    ));
    assert!(has(
        &diff(&doc(q), &doc(q_req)),
        "parameter-became-required",
        Severity::Breaking,
        "request"
    ));
    assert!(has(
        &diff(&doc(q_req), &doc(q)),
        "parameter-became-optional",
        Severity::NonBreaking,
        "request"
    ));
    assert!(has(
        &diff(&doc(q), &doc(q_hdr)),
        "parameter-location-changed",
        Severity::Breaking,
        "request"
    ));
    assert!(has(
        &diff(&doc(&arr(true)), &doc(&arr(false))),
        "parameter-style-changed",
        Severity::Breaking,
        "request"
    ));
    // Writing the default style explicitly is no change.
    let q_form = "{name: q, in: query, style: form, schema: {type: string}}";
    assert!(diff(&doc(q), &doc(q_form)).is_empty());
    // Header parameters named Accept are ignored by OpenAPI.
    let accept = "{name: Accept, in: header, required: true, schema: {type: string}}";
    assert!(
        diff(&doc(""), &doc(accept))
            .iter()
            .all(|(_, s, _)| *s == Severity::NonBreaking)
    );
}

#[test]
fn types_and_formats_follow_the_direction() {
    let (req, resp) = both("type: string", "type: number");
    assert!(has(&req, "type-changed", Severity::Breaking, "request"));
    assert!(has(&resp, "type-changed", Severity::Breaking, "response"));
    let (req, resp) = both("type: integer", "type: number");
    assert!(has(&req, "type-widened", Severity::NonBreaking, "request"));
    assert!(has(&resp, "type-widened", Severity::Breaking, "response"));
    let (req, resp) = both("type: string", "type: string\nformat: uuid");
    assert!(has(&req, "format-added", Severity::Breaking, "request"));
    assert!(has(
        &resp,
        "format-added",
        Severity::NonBreaking,
        "response"
    ));
    let (req, _) = both(
        "type: string\nformat: date",
        "type: string\nformat: date-time",
    );
    assert!(has(&req, "format-changed", Severity::Breaking, "request"));
}

#[test]
fn nullable_in_all_three_spellings() {
    let (req, resp) = both("type: string\nnullable: true", "type: string");
    assert!(has(
        &req,
        "became-non-nullable",
        Severity::Breaking,
        "request"
    ));
    assert!(has(
        &resp,
        "became-non-nullable",
        Severity::NonBreaking,
        "response"
    ));
    let (_, resp) = both("type: string", "type: string\nx-nullable: true");
    assert!(has(
        &resp,
        "became-nullable",
        Severity::Breaking,
        "response"
    ));
    let plain = "type: string";
    let resp31 = diff(
        &with_schema("3.1.0", plain, "type: string"),
        &with_schema("3.1.0", plain, "type: [string, 'null']"),
    );
    assert!(has(
        &resp31,
        "became-nullable",
        Severity::Breaking,
        "response"
    ));
    // Reordering a union type changes nothing.
    let reorder = diff(
        &with_schema("3.1.0", plain, "type: ['null', string]"),
        &with_schema("3.1.0", plain, "type: [string, 'null']"),
    );
    assert!(reorder.is_empty(), "{reorder:?}");
}

#[test]
fn enums_constraints_and_patterns() {
    let (req, resp) = both("type: string\nenum: [a, b]", "type: string\nenum: [a]");
    assert!(has(
        &req,
        "enum-value-removed",
        Severity::Breaking,
        "request"
    ));
    assert!(has(
        &resp,
        "enum-value-removed",
        Severity::NonBreaking,
        "response"
    ));
    let (req, resp) = both("type: string\nenum: [a]", "type: string\nenum: [a, b]");
    assert!(has(
        &req,
        "enum-value-added",
        Severity::NonBreaking,
        "request"
    ));
    assert!(has(
        &resp,
        "enum-value-added",
        Severity::PotentiallyBreaking,
        "response"
    ));
    let (req, resp) = both("type: string\nmaxLength: 10", "type: string\nmaxLength: 5");
    assert!(has(
        &req,
        "constraint-tightened",
        Severity::Breaking,
        "request"
    ));
    assert!(has(
        &resp,
        "constraint-tightened",
        Severity::NonBreaking,
        "response"
    ));
    let (req, resp) = both("type: number\nminimum: 1", "type: number");
    assert!(has(
        &req,
        "constraint-relaxed",
        Severity::NonBreaking,
        "request"
    ));
    assert!(has(
        &resp,
        "constraint-relaxed",
        Severity::Breaking,
        "response"
    ));
    let (req, _) = both(
        "type: number\nminimum: 1",
        "type: number\nminimum: 1\nexclusiveMinimum: true",
    );
    assert!(has(
        &req,
        "constraint-tightened",
        Severity::Breaking,
        "request"
    ));
    let (req, _) = both("type: string\npattern: '^a'", "type: string\npattern: '^b'");
    assert!(has(
        &req,
        "constraint-changed",
        Severity::Breaking,
        "request"
    ));
    // minItems: 0 is the default: writing it is no change.
    let (req, resp) = both(
        "type: array\nitems: {type: string}",
        "type: array\nminItems: 0\nitems: {type: string}",
    );
    assert!(req.is_empty() && resp.is_empty());
}

#[test]
fn properties_required_and_access() {
    let obj = |extra: &str| format!("type: object\nproperties:\n  a: {{type: string}}\n{extra}");
    let (req, resp) = both(&obj(""), &obj("required: [a]"));
    assert!(has(
        &req,
        "property-became-required",
        Severity::Breaking,
        "request"
    ));
    assert!(has(
        &resp,
        "property-became-required",
        Severity::NonBreaking,
        "response"
    ));
    let (_, resp) = both(&obj("required: [a]"), &obj(""));
    assert!(has(
        &resp,
        "property-became-optional",
        Severity::Breaking,
        "response"
    ));
    let (req, resp) = both(&obj(""), "type: object\nproperties: {}");
    assert!(has(&req, "property-removed", Severity::Breaking, "request"));
    assert!(has(
        &resp,
        "property-removed",
        Severity::PotentiallyBreaking,
        "response"
    ));
    let (req, _) = both(
        &obj(""),
        &obj("required: [b]").replace("properties:\n", "properties:\n  b: {type: string}\n"),
    );
    assert!(has(
        &req,
        "required-property-added",
        Severity::Breaking,
        "request"
    ));
    let ro = "type: object\nproperties:\n  a: {type: string, readOnly: true}";
    let (req, _) = both(&obj(""), ro);
    assert!(has(
        &req,
        "read-only-changed",
        Severity::Breaking,
        "request"
    ));
    let (req, resp) = both(&obj(""), &obj("additionalProperties: false"));
    assert!(has(
        &req,
        "additional-properties-changed",
        Severity::Breaking,
        "request"
    ));
    assert!(has(
        &resp,
        "additional-properties-changed",
        Severity::NonBreaking,
        "response"
    ));
    // `additionalProperties: true` and `{}` mean the same as leaving it out.
    let (req, resp) = both(&obj(""), &obj("additionalProperties: {}"));
    assert!(req.is_empty() && resp.is_empty());
}

#[test]
fn unions_and_all_of() {
    let (req, resp) = both(
        "oneOf: [{type: string}]",
        "oneOf: [{type: string}, {type: integer}]",
    );
    assert!(has(
        &req,
        "union-member-added",
        Severity::NonBreaking,
        "request"
    ));
    // Like a new response enum value: potentially breaking, not breaking.
    assert!(has(
        &resp,
        "union-member-added",
        Severity::PotentiallyBreaking,
        "response"
    ));
    assert!(
        !resp.iter().any(|(_, s, _)| *s == Severity::Breaking),
        "{resp:?}"
    );
    let (req, _) = both(
        "anyOf: [{type: string, maxLength: 3}, {type: integer}]",
        "anyOf: [{type: string, maxLength: 3}]",
    );
    assert!(has(
        &req,
        "union-member-removed",
        Severity::Breaking,
        "request"
    ));
    // An anyOf of bare types is a type union: removing one narrows the type.
    let (req, _) = both(
        "anyOf: [{type: string}, {type: integer}]",
        "anyOf: [{type: string}]",
    );
    assert!(
        has(&req, "type-narrowed", Severity::Breaking, "request"),
        "{req:?}"
    );
    // Splitting a schema with allOf changes nothing.
    let (req, resp) = both(
        "type: object\nproperties:\n  a: {type: string}\n  b: {type: string}",
        "allOf:\n  - type: object\n    properties:\n      a: {type: string}\n  - type: object\n    properties:\n      b: {type: string}",
    );
    assert!(req.is_empty() && resp.is_empty(), "{req:?} {resp:?}");
}

#[test]
fn request_body_media_types_responses_and_headers() {
    let doc = |required: bool, media: &str, status: &str, header: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    post:\n      requestBody:\n        required: {required}\n        content:\n          {media}: {{schema: {{type: string}}}}\n      responses:\n        '{status}':\n          description: ok\n          headers:\n            {header}: {{schema: {{type: string}}}}\n"
        )
    };
    let base = doc(false, "application/json", "200", "X-Rate");
    assert!(has(
        &diff(&base, &doc(true, "application/json", "200", "X-Rate")),
        "request-body-became-required",
        Severity::Breaking,
        "request"
    ));
    assert!(has(
        &diff(&base, &doc(false, "application/xml", "200", "X-Rate")),
        "media-type-removed",
        Severity::Breaking,
        "request"
    ));
    assert!(has(
        &diff(&base, &doc(false, "application/json", "201", "X-Rate")),
        "response-status-removed",
        Severity::Breaking,
        "response"
    ));
    assert!(has(
        &diff(&base, &doc(false, "application/json", "200", "X-Other")),
        "response-header-removed",
        Severity::Breaking,
        "response"
    ));
    // Header names are case-insensitive.
    assert!(diff(&base, &doc(false, "application/json", "200", "x-rate")).is_empty());
}

#[test]
fn security_requirements() {
    let doc = |security: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      security: {security}\n      responses: {{'200': {{description: ok}}}}\ncomponents:\n  securitySchemes:\n    k1: {{type: apiKey, in: header, name: X-A}}\n    k2: {{type: apiKey, in: header, name: X-B}}\n"
        )
    };
    assert!(has(
        &diff(&doc("[]"), &doc("[{k1: []}]")),
        "security-requirement-added",
        Severity::Breaking,
        "none"
    ));
    assert!(has(
        &diff(&doc("[{k1: []}]"), &doc("[{k1: [], k2: []}]")),
        "security-requirement-added",
        Severity::Breaking,
        "none"
    ));
    assert!(has(
        &diff(&doc("[{k1: []}]"), &doc("[{k1: []}, {k2: []}]")),
        "security-alternative-added",
        Severity::NonBreaking,
        "none"
    ));
    assert!(has(
        &diff(&doc("[{k1: []}, {k2: []}]"), &doc("[{k1: []}]")),
        "security-alternative-removed",
        Severity::Breaking,
        "none"
    ));
    assert!(has(
        &diff(&doc("[{k1: [a]}]"), &doc("[{k1: [a, b]}]")),
        "security-scope-added",
        Severity::Breaking,
        "none"
    ));
    assert!(has(
        &diff(&doc("[{k1: [a, b]}]"), &doc("[{k1: [a]}]")),
        "security-scope-removed",
        Severity::NonBreaking,
        "none"
    ));
}

#[test]
fn cyclic_schemas_end_and_report_once() {
    let doc = |t: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json: {{schema: {{$ref: '#/components/schemas/Node'}}}}\ncomponents:\n  schemas:\n    Node:\n      type: object\n      properties:\n        value: {{type: {t}}}\n        children: {{type: array, items: {{$ref: '#/components/schemas/Node'}}}}\n        self: {{$ref: '#/components/schemas/Node'}}\n"
        )
    };
    let changes = diff(&doc("string"), &doc("integer"));
    assert_eq!(
        changes
            .iter()
            .filter(|(r, _, _)| r == "type-changed")
            .count(),
        1,
        "{changes:?}"
    );
}

#[test]
fn unresolved_network_reference_is_reported_not_fetched() {
    let plain = "type: string";
    let changes = diff(
        &with_schema("3.0.3", plain, plain),
        &with_schema("3.0.3", plain, "$ref: 'https://example.com/schema.json'"),
    );
    assert!(
        has(
            &changes,
            "unresolved-reference",
            Severity::PotentiallyBreaking,
            "response"
        ),
        "{changes:?}"
    );
}

#[test]
fn deep_reference_chains_are_compared_to_the_bottom() {
    // 200 schemas each nesting the next: deeper than the recursion limit, compared from a
    // fresh stack past it, so the change at the bottom is found as itself.
    let mut schemas = String::new();
    for i in 0..200 {
        schemas.push_str(&format!(
            "    S{i}:\n      type: object\n      properties:\n        next: {{$ref: '#/components/schemas/S{}'}}\n",
            i + 1
        ));
    }
    let doc = |t: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json: {{schema: {{$ref: '#/components/schemas/S0'}}}}\ncomponents:\n  schemas:\n{schemas}    S200: {{type: {t}}}\n"
        )
    };
    let changes = diff(&doc("string"), &doc("integer"));
    assert_eq!(
        changes,
        [(
            "type-changed".to_owned(),
            Severity::Breaking,
            "response".to_owned()
        )],
    );
    // The same deep chain unchanged hides nothing: no finding.
    let changes = diff(&doc("string"), &doc("string"));
    assert!(changes.is_empty(), "{changes:?}");
}

#[test]
fn json_schema_files_are_judged_both_ways() {
    let mut none = |_: &str| None;
    let load = |t: &str, f: &mut dyn FnMut(&str) -> Option<Vec<u8>>| {
        Spec::load("user.schema.json", t.as_bytes(), f, &Limits::default()).unwrap()
    };
    let before = load(
        r#"{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "properties": {"a": {"type": "string", "maxLength": 5}}}"#,
        &mut none,
    );
    let after = load(
        r#"{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "properties": {"a": {"type": "string", "maxLength": 9}}}"#,
        &mut none,
    );
    let result = openapi::diff(&before, &after, &Limits::default());
    assert_eq!(result.changes.len(), 1);
    assert_eq!(result.changes[0].rule.id(), "constraint-relaxed");
    assert_eq!(result.changes[0].severity, Severity::Breaking);
}

#[test]
fn relative_file_references_are_followed() {
    let main = |file: &str| with_schema("3.0.3", "type: string", &format!("$ref: '{file}#/Pet'"));
    let common_v1 = b"Pet: {type: object, properties: {id: {type: string}}}".to_vec();
    let common_v2 = b"Pet: {type: object, properties: {id: {type: integer}}}".to_vec();
    let mut f1 = |p: &str| (p == "common.yaml").then(|| common_v1.clone());
    let mut f2 = |p: &str| (p == "common.yaml").then(|| common_v2.clone());
    let before = Spec::load(
        "openapi.yaml",
        main("common.yaml").as_bytes(),
        &mut f1,
        &Limits::default(),
    )
    .unwrap();
    let after = Spec::load(
        "openapi.yaml",
        main("common.yaml").as_bytes(),
        &mut f2,
        &Limits::default(),
    )
    .unwrap();
    let result = openapi::diff(&before, &after, &Limits::default());
    let change = result
        .changes
        .iter()
        .find(|c| c.rule.id() == "type-changed")
        .expect("type change found");
    assert_eq!(change.pointer, "common.yaml#/Pet/properties/id/type");
}

#[test]
fn reference_object_description_overrides_in_3_1_and_extensions_are_reported() {
    let doc = |site: &str, target: &str, ext: &str| {
        format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      {ext}parameters:\n        - $ref: '#/components/parameters/P'\n          description: {site}\n      responses: {{'200': {{description: ok}}}}\ncomponents:\n  parameters:\n    P: {{name: p, in: query, description: {target}, schema: {{type: string}}}}\n"
        )
    };
    // The overriding description wins: changing the referenced one is no change.
    assert!(diff(&doc("mine", "old", ""), &doc("mine", "new", "")).is_empty());
    let changed = diff(&doc("mine", "old", ""), &doc("yours", "old", ""));
    assert!(
        has(
            &changed,
            "documentation-changed",
            Severity::NonBreaking,
            "none"
        ),
        "{changed:?}"
    );
    let ext = diff(
        &doc("mine", "old", ""),
        &doc("mine", "old", "").replace("get:\n", "get:\n      x-internal: true\n"),
    );
    assert!(
        has(&ext, "extension-changed", Severity::NonBreaking, "none"),
        "{ext:?}"
    );
}

/// An OpenAPI 3.0 document whose one response is `schema` (a `$ref` into `schemas`).
fn response_doc(schemas: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json: {{schema: {{$ref: '#/components/schemas/S0'}}}}\ncomponents:\n  schemas:\n{schemas}"
    )
}

/// 10 levels of `oneOf` over 8 `$ref`s each (the 25 KB spec that took 15 GB): 8^10 paths
/// to the leaves, 80 schemas.
fn one_of_fan_out(leaf_type: &str) -> String {
    let mut schemas = String::from("    S0: {$ref: '#/components/schemas/L0_0'}\n");
    for level in 0..10 {
        for i in 0..8 {
            let members: Vec<String> = (0..8)
                .map(|j| format!("{{$ref: '#/components/schemas/L{}_{j}'}}", level + 1))
                .collect();
            schemas.push_str(&format!(
                "    L{level}_{i}: {{oneOf: [{}]}}\n",
                members.join(", ")
            ));
        }
    }
    for i in 0..8 {
        schemas.push_str(&format!(
            "    L10_{i}: {{type: object, properties: {{v{i}: {{type: {leaf_type}}}}}}}\n"
        ));
    }
    response_doc(&schemas)
}

/// 36 schemas each referencing the next two (directly, or wrapped in `allOf`): Fibonacci
/// many paths to the last ones.
fn fibonacci_refs(leaf_type: &str, wrapped: bool) -> String {
    let refer = |n: usize| {
        if wrapped {
            format!("{{allOf: [{{$ref: '#/components/schemas/S{n}'}}], description: d}}")
        } else {
            format!("{{$ref: '#/components/schemas/S{n}'}}")
        }
    };
    let mut schemas = String::new();
    for i in 0..36 {
        schemas.push_str(&format!(
            "    S{i}: {{type: object, properties: {{a: {}, b: {}}}}}\n",
            refer(i + 1),
            refer(i + 2)
        ));
    }
    schemas.push_str(&format!(
        "    S36: {{type: {leaf_type}}}\n    S37: {{type: {leaf_type}}}\n"
    ));
    response_doc(&schemas)
}

#[test]
fn one_of_fan_out_is_compared_once_per_schema_pair() {
    let result = openapi::diff(
        &spec(&one_of_fan_out("string")),
        &spec(&one_of_fan_out("integer")),
        &Limits::default(),
    );
    let type_changes: Vec<&str> = result
        .changes
        .iter()
        .filter(|c| c.rule.id() == "type-changed")
        .map(|c| c.pointer.as_str())
        .collect();
    // Each of the 8 leaves once, however many paths lead to it.
    assert_eq!(type_changes.len(), 8, "{:?}", result.changes);
    assert!(type_changes.contains(&"/components/schemas/L10_3/properties/v3/type"));
    assert!(
        // 80 schema pairs, each pairing 8 x 8 members; 8^10 paths would be 10^9.
        result.work < 10_000,
        "{} units of work for 80 schemas",
        result.work
    );
}

#[test]
fn fibonacci_references_are_compared_once_per_schema_pair() {
    for wrapped in [false, true] {
        let result = openapi::diff(
            &spec(&fibonacci_refs("string", wrapped)),
            &spec(&fibonacci_refs("integer", wrapped)),
            &Limits::default(),
        );
        let found: Vec<(&str, &str)> = result
            .changes
            .iter()
            .map(|c| (c.rule.id(), c.pointer.as_str()))
            .collect();
        assert!(
            found.contains(&("type-changed", "/components/schemas/S36/type")),
            "{found:?}"
        );
        assert!(found.contains(&("type-changed", "/components/schemas/S37/type")));
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            result.work < 2_000,
            "{} units of work for 38 schemas (allOf: {wrapped})",
            result.work
        );
    }
}

#[test]
fn a_spent_work_budget_is_a_breaking_finding_that_names_where() {
    let limits = Limits {
        max_comparisons: 100,
        ..Limits::default()
    };
    let result = openapi::diff(
        &spec(&one_of_fan_out("string")),
        &spec(&one_of_fan_out("integer")),
        &limits,
    );
    let finding = result
        .changes
        .iter()
        .find(|c| c.rule.id() == "comparison-too-complex")
        .expect("the budget finding");
    assert_eq!(finding.severity, Severity::Breaking);
    assert!(
        finding.pointer.starts_with("/components/schemas/L"),
        "{finding:?}"
    );
    assert!(
        finding.message.starts_with(&format!(
            "too complex to compare exactly: {}",
            finding.pointer
        )),
        "{finding:?}"
    );
    // Work stops at the budget (give or take the findings collected at that moment).
    assert!(result.work < 200, "{}", result.work);
}

/// Found by the containment property test: readers of a closed object reject a property they
/// were not told about, so adding one to a closed response object is breaking; to a closed
/// request object it is not (clients were never allowed to send it).
#[test]
fn a_property_added_to_a_closed_object_breaks_its_readers() {
    let closed = "type: object\nadditionalProperties: false\nproperties: {a: {type: string}}";
    let added = "type: object\nadditionalProperties: false\nproperties: {a: {type: string}, b: {type: string}}";
    let (request, response) = both(closed, added);
    assert!(
        has(&response, "property-added", Severity::Breaking, "response"),
        "{response:?}"
    );
    assert!(
        has(&request, "property-added", Severity::NonBreaking, "request"),
        "{request:?}"
    );
    // An open object: added properties are compatible both ways.
    let open = closed.replace("additionalProperties: false\n", "");
    let open_added = added.replace("additionalProperties: false\n", "");
    let (request, response) = both(&open, &open_added);
    assert!(
        has(
            &response,
            "property-added",
            Severity::NonBreaking,
            "response"
        ),
        "{response:?}"
    );
    assert!(
        has(&request, "property-added", Severity::NonBreaking, "request"),
        "{request:?}"
    );
    // Closed by `unevaluatedProperties: false` (JSON Schema 2019-09+): the same.
    let closed = "type: object\nunevaluatedProperties: false\nproperties: {a: {type: string}}";
    let added = "type: object\nunevaluatedProperties: false\nproperties: {a: {type: string}, b: {type: string}}";
    let (_, response) = both(closed, added);
    assert!(
        has(&response, "property-added", Severity::Breaking, "response"),
        "{response:?}"
    );
}

/// Also found by the property test: a name required without a schema of its own narrows what
/// is accepted (breaking in requests), and dropping it widens (breaking in responses).
#[test]
fn requiring_a_name_without_a_schema_is_a_requirement_too() {
    let before = "type: object\nproperties: {a: {type: string}}";
    let after = "type: object\nproperties: {a: {type: string}}\nrequired: [b]";
    let (request, response) = both(before, after);
    assert!(
        has(
            &request,
            "property-became-required",
            Severity::Breaking,
            "request"
        ),
        "{request:?}"
    );
    assert!(
        has(
            &response,
            "property-became-required",
            Severity::NonBreaking,
            "response"
        ),
        "{response:?}"
    );
    let (request, response) = both(after, before);
    assert!(
        has(
            &request,
            "property-became-optional",
            Severity::NonBreaking,
            "request"
        ),
        "{request:?}"
    );
    assert!(
        has(
            &response,
            "property-became-optional",
            Severity::Breaking,
            "response"
        ),
        "{response:?}"
    );
}

/// Also found by the property test: `enum` and `const` together both restrict.
#[test]
fn const_next_to_enum_restricts_too() {
    let (request, _) = both(
        "type: string\nenum: [a]",
        "type: string\nenum: [a]\nconst: b",
    );
    assert!(
        request
            .iter()
            .any(|(_, s, d)| *s == Severity::Breaking && d == "request"),
        "{request:?}"
    );
}

/// Found by the property test: keywords that were not compared at all. `prefixItems` is
/// compared position by position (with the other side's `items` where only one side has a
/// position); `not`, `dependentRequired`, `propertyNames`, `patternProperties`, `contains`
/// and `unevaluatedProperties` as whole values (added narrows, removed widens).
#[test]
fn keywords_once_ignored_are_judged() {
    let array = "type: array\nitems: {type: integer}";
    let prefixed = "type: array\nitems: {type: integer}\nprefixItems: [{type: boolean}]";
    let (request, response) = both(array, prefixed);
    assert!(
        request
            .iter()
            .any(|(_, s, d)| *s == Severity::Breaking && d == "request"),
        "{request:?}"
    );
    // The first item was an integer and is now a boolean: both ways incompatible.
    assert!(
        has(&response, "type-changed", Severity::Breaking, "response"),
        "{response:?}"
    );

    let object = "type: object\nproperties: {a: {type: string}, b: {type: string}}";
    let dependent = format!("{object}\ndependentRequired: {{a: [b]}}");
    let (request, response) = both(object, &dependent);
    assert!(
        has(
            &request,
            "constraint-tightened",
            Severity::Breaking,
            "request"
        ),
        "{request:?}"
    );
    assert!(
        has(
            &response,
            "constraint-tightened",
            Severity::NonBreaking,
            "response"
        ),
        "{response:?}"
    );
    let (request, response) = both(&dependent, object);
    assert!(
        has(
            &request,
            "constraint-relaxed",
            Severity::NonBreaking,
            "request"
        ),
        "{request:?}"
    );
    assert!(
        has(
            &response,
            "constraint-relaxed",
            Severity::Breaking,
            "response"
        ),
        "{response:?}"
    );

    let (request, _) = both("type: string", "type: string\nnot: {const: a}");
    assert!(
        has(
            &request,
            "constraint-tightened",
            Severity::Breaking,
            "request"
        ),
        "{request:?}"
    );
}

/// Found by the property test: a schema that accepts only `null` (an `allOf` of two types
/// that share only `null`) is still a change of nullability.
#[test]
fn a_schema_left_with_only_null_became_nullable() {
    let before = "type: integer";
    let after = "allOf:\n  - type: [integer, 'null']\n  - type: [string, 'null']";
    let version = "3.1.0";
    let plain = "type: string";
    let response = diff(
        &with_schema(version, plain, before),
        &with_schema(version, plain, after),
    );
    assert!(
        has(&response, "became-nullable", Severity::Breaking, "response"),
        "{response:?}"
    );
}

#[test]
fn numeric_widths_are_judged_by_the_values_they_hold() {
    // `int64` on an integer and `double` on a number are the range JSON parsers already
    // read into: writing or dropping them changes no value, in either direction.
    for (before, after) in [
        ("type: integer", "type: integer\nformat: int64"),
        ("type: integer\nformat: int64", "type: integer"),
        ("type: number", "type: number\nformat: double"),
    ] {
        let (req, resp) = both(before, after);
        assert!(
            req.iter()
                .chain(&resp)
                .all(|(rule, s, _)| rule.starts_with("format-") && *s == Severity::NonBreaking),
            "{before} -> {after}: {req:?} {resp:?}"
        );
        assert!(!req.is_empty(), "the edit is still listed");
    }
    // `int32` holds fewer values: a request narrows, a response widens the other way.
    let (req, resp) = both(
        "type: integer\nformat: int64",
        "type: integer\nformat: int32",
    );
    assert!(has(&req, "format-changed", Severity::Breaking, "request"));
    assert!(has(
        &resp,
        "format-changed",
        Severity::NonBreaking,
        "response"
    ));
    let (req, resp) = both(
        "type: number\nformat: float",
        "type: number\nformat: double",
    );
    assert!(has(
        &req,
        "format-changed",
        Severity::NonBreaking,
        "request"
    ));
    assert!(has(&resp, "format-changed", Severity::Breaking, "response"));
    let (req, resp) = both("type: integer\nformat: int32", "type: integer");
    assert!(has(
        &req,
        "format-removed",
        Severity::NonBreaking,
        "request"
    ));
    assert!(has(&resp, "format-removed", Severity::Breaking, "response"));
    // A width that is not the type's own (int32 on a string) keeps the general rule.
    let (req, _) = both("type: string", "type: string\nformat: int64");
    assert!(has(&req, "format-added", Severity::Breaking, "request"));
}

#[test]
fn rewritten_patterns_are_judged_by_the_strings_they_accept() {
    // GitHub REST 22 -> 23: any-length hex became 40 or 64 hex digits.
    let any_hex = "type: string\npattern: '^[0-9a-fA-F]+$'";
    let sha = "type: string\npattern: '^([0-9a-fA-F]{40}(?:[0-9a-fA-F]{24})?)$'";
    let (req, resp) = both(any_hex, sha);
    assert!(has(
        &req,
        "constraint-tightened",
        Severity::Breaking,
        "request"
    ));
    assert!(has(
        &resp,
        "constraint-tightened",
        Severity::NonBreaking,
        "response"
    ));
    let (req, resp) = both(sha, any_hex);
    assert!(has(
        &req,
        "constraint-relaxed",
        Severity::NonBreaking,
        "request"
    ));
    assert!(has(
        &resp,
        "constraint-relaxed",
        Severity::Breaking,
        "response"
    ));
    // The same strings, spelled differently (`\d` is ASCII in ECMA-262).
    let (req, resp) = both(
        "type: string\npattern: '^\\d{3}$'",
        "type: string\npattern: '^[0-9][0-9][0-9]$'",
    );
    assert!(has(
        &req,
        "constraint-changed",
        Severity::NonBreaking,
        "request"
    ));
    assert!(has(
        &resp,
        "constraint-changed",
        Severity::NonBreaking,
        "response"
    ));
    // A pattern the Rust syntax cannot read (look-ahead) keeps the safe verdict, and says so.
    let result = openapi::diff(
        &spec(&with_schema(
            "3.0.3",
            "type: string\npattern: '^(?=a)'",
            "type: string",
        )),
        &spec(&with_schema(
            "3.0.3",
            "type: string\npattern: '^(?=b)'",
            "type: string",
        )),
        &Limits::default(),
    );
    let change = result
        .changes
        .iter()
        .find(|c| c.rule.id() == "constraint-changed")
        .expect("the pattern change is reported");
    assert_eq!(change.severity, Severity::Breaking);
    assert!(
        change.message.contains("was not decided"),
        "{}",
        change.message
    );
}

#[test]
fn null_in_an_enum_beside_nullable_restates_the_flag() {
    // OpenAPI 3.0: `nullable: true` admits null; listing it in the enum says it again, so
    // dropping it from the list (GitHub REST 16 -> 17) changes nothing.
    let before = "type: string\nnullable: true\nenum: [null, fixed, wontfix]";
    let after = "type: string\nnullable: true\nenum: [fixed, wontfix]";
    let (req, resp) = both(before, after);
    assert!(req.is_empty() && resp.is_empty(), "{req:?} {resp:?}");
    // Without the flag (3.1), the enum is what admits null: dropping it narrows a request.
    let plain = "type: string";
    let req = diff(
        &with_schema(
            "3.1.0",
            "type: [string, 'null']\nenum: [null, fixed]",
            plain,
        ),
        &with_schema("3.1.0", "type: [string, 'null']\nenum: [fixed]", plain),
    );
    assert!(
        has(&req, "enum-value-removed", Severity::Breaking, "request"),
        "{req:?}"
    );
}

#[test]
fn formats_no_validator_checks_are_documentation() {
    // Stripe's `unix-time` on an integer request field: nothing validates it.
    let (req, resp) = both("type: integer", "type: integer\nformat: unix-time");
    assert!(
        has(&req, "format-added", Severity::NonBreaking, "request"),
        "{req:?}"
    );
    assert!(
        has(&resp, "format-added", Severity::NonBreaking, "response"),
        "{resp:?}"
    );
    let (req, resp) = both("type: string\nformat: password", "type: string");
    assert!(has(
        &req,
        "format-removed",
        Severity::NonBreaking,
        "request"
    ));
    assert!(has(
        &resp,
        "format-removed",
        Severity::NonBreaking,
        "response"
    ));
    // From a checked format to an unchecked one still changes what is accepted.
    let (_, resp) = both(
        "type: string\nformat: email",
        "type: string\nformat: handle",
    );
    assert!(has(&resp, "format-changed", Severity::Breaking, "response"));
}

/// Found by the property test: `minContains` unsaid means 1, so dropping `minContains: 0`
/// makes an array without a matching item invalid (it was read as a widening).
#[test]
fn min_contains_compares_as_a_count_defaulting_to_one() {
    let zero = "type: array\nitems: {type: string}\ncontains: {enum: [x]}\nminContains: 0";
    let unsaid = "type: array\nitems: {type: string}\ncontains: {enum: [x]}";
    let (request, response) = both(zero, unsaid);
    assert!(
        has(
            &request,
            "constraint-tightened",
            Severity::Breaking,
            "request"
        ),
        "{request:?}"
    );
    assert!(
        has(
            &response,
            "constraint-tightened",
            Severity::NonBreaking,
            "response"
        ),
        "{response:?}"
    );
    // Back again: every array accepted before still is; responses may now lack an `x`.
    let (request, response) = both(unsaid, zero);
    assert!(
        has(
            &request,
            "constraint-relaxed",
            Severity::NonBreaking,
            "request"
        ),
        "{request:?}"
    );
    assert!(
        has(
            &response,
            "constraint-relaxed",
            Severity::Breaking,
            "response"
        ),
        "{response:?}"
    );
    // `maxContains` added caps the matching items.
    let (request, _) = both(unsaid, &format!("{unsaid}\nmaxContains: 1"));
    assert!(
        has(
            &request,
            "constraint-tightened",
            Severity::Breaking,
            "request"
        ),
        "{request:?}"
    );
}

/// Found by the property test: old readers judged a property they did not list by
/// `unevaluatedProperties` (or `additionalProperties`) when it is a schema, so a response
/// property added under another type breaks them.
#[test]
fn a_response_property_added_must_fit_the_old_schema_for_other_properties() {
    for keyword in ["unevaluatedProperties", "additionalProperties"] {
        let before = format!("type: object\nproperties: {{}}\n{keyword}: {{type: integer}}");
        let strings = format!(
            "type: object\nproperties: {{name: {{type: string}}}}\nrequired: [name]\n{keyword}: {{type: integer}}"
        );
        let (_, response) = both(&before, &strings);
        assert!(
            has(&response, "type-changed", Severity::Breaking, "response"),
            "{keyword}: {response:?}"
        );
        // An integer property fits what old readers accepted: nothing breaks.
        let integers = strings.replace("name: {type: string}", "name: {type: integer}");
        let (_, response) = both(&before, &integers);
        assert!(
            response.iter().all(|(_, s, _)| *s == Severity::NonBreaking),
            "{keyword}: {response:?}"
        );
    }
}

#[test]
fn rewritten_patterns_are_decided_up_to_a_bound_then_kept_breaking() {
    // 300 response properties whose pattern now accepts fewer strings: compatible, but each
    // decision builds automata, so past 256 in one contract the safe verdict stays.
    let props = |pattern: &str| {
        (0..300)
            .map(|i| format!("p{i}: {{type: string, pattern: '{pattern}'}}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let schema = |pattern: &str| format!("type: object\nproperties: {{{}}}", props(pattern));
    let result = openapi::diff(
        &spec(&with_schema("3.0.3", "type: string", &schema("^[a-z]+$"))),
        &spec(&with_schema(
            "3.0.3",
            "type: string",
            &schema("^[a-z]{1,8}$"),
        )),
        &Limits::default(),
    );
    let decided = result
        .changes
        .iter()
        .filter(|c| c.severity == Severity::NonBreaking && c.message.contains("fewer strings"))
        .count();
    let kept: Vec<_> = result
        .changes
        .iter()
        .filter(|c| c.severity == Severity::Breaking)
        .collect();
    assert_eq!(decided, 256);
    assert_eq!(kept.len(), 44);
    assert!(
        kept[0].message.contains("more than 256 rewritten patterns"),
        "{}",
        kept[0].message
    );
}
