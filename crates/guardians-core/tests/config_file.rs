//! `.github/guardians.yml`: parsing, errors people can act on, and hostile YAML. (The shipped
//! JSON Schema is checked where every guardian's section is visible: crates/guardians-schema.)

use guardians_core::config::size_labeler::SizeLabelerConfig;
use guardians_core::config::{self, ConfigError};

fn size_labeler(text: &str, source_name: &str) -> Result<SizeLabelerConfig, ConfigError> {
    config::parse_section(text, source_name)
}

#[test]
fn an_empty_or_comment_only_file_means_defaults() {
    for text in ["", "\n", "# nothing yet\n", "---\n# x\n"] {
        let config = size_labeler(text, "guardians.yml").unwrap();
        assert_eq!(config.buckets.len(), 5);
    }
}

#[test]
fn a_section_overrides_its_defaults_only() {
    let config = size_labeler(
        "size-labeler:\n  ignore: [\"*.snap\"]\n  fail-on-size: XL\n",
        "guardians.yml",
    )
    .unwrap();
    assert_eq!(config.ignore, vec!["*.snap"]);
    assert_eq!(config.fail_on_size.as_deref(), Some("XL"));
    assert!(config.ignore_lockfiles);
}

#[test]
fn an_unknown_key_is_named_with_its_path_and_the_file() {
    let err = size_labeler(
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
    let err = size_labeler(
        "size-labeler:\n  buckets:\n    - name: XS\n      label: size/XS\n      min-lines: lots\n",
        "g.yml",
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("size-labeler.buckets[0].min-lines"), "{text}");
}

#[test]
fn malformed_yaml_is_an_error_not_a_panic() {
    let err = size_labeler("size-labeler: [unclosed\n", "g.yml").unwrap_err();
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
    assert!(size_labeler(&text, "g.yml").is_err());
}

#[test]
fn oversized_files_are_refused() {
    let text = format!("# {}\n", "x".repeat(config::MAX_CONFIG_BYTES));
    let err = config::parse(&text, "g.yml").unwrap_err();
    assert!(matches!(err, ConfigError::TooLarge { .. }), "{err}");
}

#[test]
fn a_misspelt_section_is_named_with_the_known_ones() {
    let err = config::parse(
        "size-labeler: {}\nsize-labeller:\n  ignore: []\n",
        ".github/guardians.yml",
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with(".github/guardians.yml:"), "{text}");
    assert!(
        text.contains(
            "unknown field `size-labeller`, expected one of `size-labeler`, `pr-critic`, `contracts-diff`, `preview-commenter`, `telemetry-emitter`, `integration-queue`"
        ),
        "{text}"
    );
}

#[test]
fn a_section_given_twice_is_refused() {
    let err = config::parse(
        "size-labeler:\n  ignore: [\"a\"]\nsize-labeler:\n  ignore: [\"b\"]\n",
        "g.yml",
    )
    .unwrap_err();
    assert!(err.to_string().contains("size-labeler"), "{err}");
}

/// Each guardian reads its own section: a mistake in another guardian's section is that
/// guardian's error, reported when it runs, and does not stop this one.
#[test]
fn a_section_is_read_without_the_others() {
    let text = "pr-critic:\n  no-such-rule: true\nsize-labeler:\n  fail-on-size: XL\n";
    let config = config::parse(text, "g.yml").unwrap();
    let section: SizeLabelerConfig = config.section().unwrap();
    assert_eq!(section.fail_on_size.as_deref(), Some("XL"));
}

#[test]
fn a_missing_section_is_its_defaults() {
    let config = config::parse("pr-critic: {}\n", "g.yml").unwrap();
    let section: SizeLabelerConfig = config.section().unwrap();
    assert_eq!(section, SizeLabelerConfig::default());
    // A key with nothing under it, as people write to say "defaults", is the same.
    let empty = size_labeler("size-labeler:\n", "g.yml").unwrap();
    assert_eq!(empty, SizeLabelerConfig::default());
    let none = config::GuardiansConfig::default();
    assert_eq!(
        none.section::<SizeLabelerConfig>().unwrap(),
        SizeLabelerConfig::default()
    );
}
