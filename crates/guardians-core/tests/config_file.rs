//! `.github/guardians.yml`: parsing, errors people can act on, hostile YAML, and the shipped
//! JSON Schema kept in sync with the Rust types.

use guardians_core::config::{self, ConfigError};

#[test]
fn an_empty_or_comment_only_file_means_defaults() {
    for text in ["", "\n", "# nothing yet\n", "---\n# x\n"] {
        let config = config::parse(text, "guardians.yml").unwrap();
        assert_eq!(config.size_labeler.buckets.len(), 5);
    }
}

#[test]
fn a_section_overrides_its_defaults_only() {
    let config = config::parse(
        "size-labeler:\n  ignore: [\"*.snap\"]\n  fail-on-size: XL\n",
        "guardians.yml",
    )
    .unwrap();
    assert_eq!(config.size_labeler.ignore, vec!["*.snap"]);
    assert_eq!(config.size_labeler.fail_on_size.as_deref(), Some("XL"));
    assert!(config.size_labeler.ignore_lockfiles);
}

#[test]
fn an_unknown_key_is_named_with_its_path_and_the_file() {
    let err = config::parse(
        "size-labeler:\n  ignroe: [\"*.snap\"]\n",
        ".github/guardians.yml (at main)",
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with(".github/guardians.yml (at main):2"),
        "{text}"
    );
    assert!(text.contains("at `size-labeler.ignroe`"), "{text}");
    assert!(text.contains("unknown field `ignroe`"), "{text}");
    assert!(text.contains("expected one of"), "{text}");

    let err = config::parse("size-labeller: {}\n", "g.yml").unwrap_err();
    assert!(
        err.to_string().contains("unknown field `size-labeller`"),
        "{err}"
    );
}

#[test]
fn a_wrong_type_names_the_key() {
    let err = config::parse(
        "size-labeler:\n  buckets:\n    - name: XS\n      label: size/XS\n      min-lines: lots\n",
        "g.yml",
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("size-labeler.buckets[0].min-lines"), "{text}");
}

#[test]
fn malformed_yaml_is_an_error_not_a_panic() {
    let err = config::parse("size-labeler: [unclosed\n", "g.yml").unwrap_err();
    assert!(matches!(err, ConfigError::Invalid { .. }), "{err}");
}

#[test]
fn an_alias_bomb_ends_in_an_error_quickly() {
    let mut text = String::from(
        "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..10 {
        let prev = format!("*a{}", i - 1);
        text.push_str(&format!("a{i}: &a{i} [{}]\n", vec![prev; 9].join(",")));
    }
    text.push_str("size-labeler:\n  ignore: *a9\n");
    let started = std::time::Instant::now();
    let err = config::parse(&text, "g.yml").unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert!(matches!(err, ConfigError::Invalid { .. }), "{err}");
}

#[test]
fn deep_nesting_ends_in_an_error() {
    let text = format!(
        "size-labeler:\n  ignore: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert!(config::parse(&text, "g.yml").is_err());
}

#[test]
fn oversized_files_are_refused() {
    let text = format!("# {}\n", "x".repeat(config::MAX_CONFIG_BYTES));
    let err = config::parse(&text, "g.yml").unwrap_err();
    assert!(matches!(err, ConfigError::TooLarge { .. }), "{err}");
}

/// The schema shipped for editors is generated from the Rust types; regenerate it with
/// `UPDATE_SCHEMA=1 cargo test -p guardians-core --test config_file`.
#[test]
fn the_shipped_json_schema_matches_the_rust_types() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../schema/guardians.schema.json"
    );
    let generated = serde_json::to_string_pretty(&config::json_schema()).unwrap() + "\n";
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let shipped = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        shipped == generated,
        "schema/guardians.schema.json is out of date: run UPDATE_SCHEMA=1 cargo test -p guardians-core --test config_file"
    );
}

#[test]
fn the_schema_rejects_unknown_sections_like_the_parser() {
    let schema = config::json_schema();
    assert_eq!(schema["additionalProperties"], serde_json::json!(false));
    for section in [
        "size-labeler",
        "pr-critic",
        "contracts-diff",
        "preview-commenter",
        "telemetry-emitter",
        "integration-queue",
    ] {
        assert!(
            schema["properties"].get(section).is_some(),
            "{section} is missing"
        );
    }
}
