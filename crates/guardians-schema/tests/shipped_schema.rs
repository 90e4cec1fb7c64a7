//! `schema/guardians.schema.json`, shipped for editors, is what the sections' Rust types say.

use guardians_core::config::SECTION_NAMES;

/// Regenerate with `UPDATE_SCHEMA=1 cargo test -p guardians-schema`.
#[test]
fn the_shipped_json_schema_matches_the_rust_types() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../schema/guardians.schema.json"
    );
    let schema = guardians_schema::json_schema().expect("every section has a schema");
    let generated = serde_json::to_string_pretty(&schema).expect("a schema serializes") + "\n";
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(path, &generated).expect("write the schema");
    }
    let shipped = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        shipped == generated,
        "schema/guardians.schema.json is out of date: run UPDATE_SCHEMA=1 cargo test -p guardians-schema"
    );
}

#[test]
fn the_schema_rejects_unknown_sections_like_the_parser() {
    let schema = guardians_schema::json_schema().expect("every section has a schema");
    assert_eq!(schema["additionalProperties"], serde_json::json!(false));
    let properties = schema["properties"].as_object().expect("properties");
    let mut names: Vec<&str> = properties.keys().map(String::as_str).collect();
    let mut known = SECTION_NAMES.to_vec();
    names.sort_unstable();
    known.sort_unstable();
    assert_eq!(names, known);
}

#[test]
fn a_section_left_out_or_given_twice_is_an_error_naming_it() {
    let mut sections = guardians_schema::sections();
    let last = sections.pop().expect("sections");
    let err = guardians_core::config::schema::json_schema(&sections).unwrap_err();
    assert!(err.to_string().contains(last.name()), "{err}");
    sections.push(last);
    sections.push(last);
    let err = guardians_core::config::schema::json_schema(&sections).unwrap_err();
    assert!(err.to_string().contains(last.name()), "{err}");
}
