//! Never green for what was not analysed (issue 13, item 4): the real binary on temporary
//! files. Swagger 2.0 gets the semantic diff (a removed operation is breaking), and a
//! schema nested deeper than the comparison goes gates instead of passing.

use std::process::{Command, Output};

fn run(old: &str, new: &str, name: &str, extra: &[&str]) -> Output {
    let dir = tempfile::tempdir().expect("temp dir");
    let (o, n) = (
        dir.path().join(format!("old-{name}")),
        dir.path().join(format!("new-{name}")),
    );
    std::fs::write(&o, old).expect("write old");
    std::fs::write(&n, new).expect("write new");
    Command::new(env!("CARGO_BIN_EXE_contracts-diff"))
        .arg(&o)
        .arg(&n)
        .args(extra)
        .output()
        .expect("binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const SWAGGER_BEFORE: &str = r##"swagger: "2.0"
info: {title: Pets, version: "1"}
basePath: /v1
produces: [application/json]
paths:
  /pets:
    get:
      parameters:
        - {name: limit, in: query, type: integer, maximum: 100}
      responses:
        "200":
          description: ok
          schema: {type: array, items: {$ref: "#/definitions/Pet"}}
    post:
      parameters:
        - {name: pet, in: body, required: true, schema: {$ref: "#/definitions/Pet"}}
      responses:
        "201": {description: created}
  /pets/{id}:
    delete:
      parameters:
        - {name: id, in: path, required: true, type: integer}
      responses:
        "204": {description: deleted}
definitions:
  Pet:
    type: object
    required: [name]
    properties:
      name: {type: string}
      tag: {type: string}
"##;

#[test]
fn swagger2_removed_operation_is_breaking_and_fails_the_check() {
    let after = SWAGGER_BEFORE.replace(
        "  /pets/{id}:\n    delete:\n      parameters:\n        - {name: id, in: path, required: true, type: integer}\n      responses:\n        \"204\": {description: deleted}\n",
        "",
    );
    assert_ne!(after, SWAGGER_BEFORE);
    let o = run(
        SWAGGER_BEFORE,
        &after,
        "swagger.yaml",
        &["--fail-on", "breaking"],
    );
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("`operation-removed`"), "{out}");
    assert!(out.contains("DELETE /pets/{id}"), "{out}");
    assert!(!out.contains("contract-unreadable"), "{out}");
}

#[test]
fn swagger2_definition_change_is_found_through_the_converted_refs() {
    // A new required request property in a definition used by a body parameter.
    let after = SWAGGER_BEFORE.replace("required: [name]", "required: [name, tag]");
    let o = run(
        SWAGGER_BEFORE,
        &after,
        "swagger.json.yaml",
        &["--fail-on", "breaking", "--format", "json"],
    );
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("property-became-required"), "{out}");
    assert!(out.contains("POST /pets"), "{out}");
}

#[test]
fn swagger2_harmless_edit_passes() {
    let after = SWAGGER_BEFORE.replace("title: Pets", "title: Pet store");
    let o = run(
        SWAGGER_BEFORE,
        &after,
        "swagger.yaml",
        &["--fail-on", "breaking"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

/// An OpenAPI 3.0 response 100 schemas deep (each nesting the next), the last of type `leaf`.
fn deep(leaf: &str) -> String {
    let mut schemas = String::new();
    for i in 0..100 {
        schemas.push_str(&format!(
            "    S{i}:\n      type: object\n      properties:\n        next: {{$ref: '#/components/schemas/S{}'}}\n",
            i + 1
        ));
    }
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json: {{schema: {{$ref: '#/components/schemas/S0'}}}}\ncomponents:\n  schemas:\n{schemas}    S100: {{type: {leaf}}}\n"
    )
}

#[test]
fn a_chain_of_a_hundred_components_is_compared_to_the_bottom() {
    // Components chained deeper than the recursion limit (Stripe's expandable fields) are
    // compared from a fresh stack: the change at the bottom is found, nothing left unanalysed.
    let o = run(
        &deep("string"),
        &deep("integer"),
        "openapi.yaml",
        &["--fail-on", "breaking", "--format", "json"],
    );
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("\"rule\": \"type-changed\""), "{out}");
    assert!(out.contains("/components/schemas/S100"), "{out}");
    assert!(!out.contains("analysis-incomplete"), "{out}");
}

/// A response `anyOf` of a 100-deep component chain and a boolean; the chain is named `name`
/// and ends in `leaf`.
fn deep_union(name: &str, leaf: &str) -> String {
    deep(leaf).replace("S", name).replace(
        &format!("{{schema: {{$ref: '#/components/schemas/{name}0'}}}}"),
        &format!(
            "{{schema: {{anyOf: [{{$ref: '#/components/schemas/{name}0'}}, {{type: boolean}}]}}}}"
        ),
    )
}

#[test]
fn analysis_incomplete_gates_and_says_where() {
    // The union's alternative was replaced by another chain: pairing it tries the two chains
    // against each other, and that trial stops at the 64-level cut. The type change at the
    // bottom is below it: it must not pass green.
    let o = run(
        &deep_union("S", "string"),
        &deep_union("T", "integer"),
        "openapi.yaml",
        &["--fail-on", "breaking", "--format", "json"],
    );
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("analysis-incomplete"), "{out}");
    assert!(
        out.contains("not compared below /components/schemas/T"),
        "{out}"
    );
}

#[test]
fn analysis_incomplete_is_silent_when_nothing_differs_below() {
    let (old, new) = (
        deep("string"),
        deep("string").replace("title: t", "title: T"),
    );
    let o = run(
        &old,
        &new,
        "openapi.yaml",
        &["--fail-on", "breaking", "--format", "json"],
    );
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(!out.contains("analysis-incomplete"), "{out}");
}
