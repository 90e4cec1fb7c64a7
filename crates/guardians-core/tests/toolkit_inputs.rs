//! Inputs, read as `@actions/core` reads them from `INPUT_*` variables.

use std::collections::HashMap;
use std::sync::Arc;

use guardians_core::toolkit::{InputError, SharedBuffer, Toolkit, input_variable};

fn toolkit(pairs: &[(&str, &str)]) -> Toolkit {
    let env: HashMap<String, String> = pairs
        .iter()
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect();
    Toolkit::new(Arc::new(env), Box::new(SharedBuffer::new()))
}

#[test]
fn names_are_upper_cased_with_spaces_as_underscores_and_dashes_kept() {
    assert_eq!(input_variable("github-token"), "INPUT_GITHUB-TOKEN");
    assert_eq!(input_variable("fail on size"), "INPUT_FAIL_ON_SIZE");
    let toolkit = toolkit(&[
        ("INPUT_GITHUB-TOKEN", "  ghs_abc \n"),
        ("INPUT_FAIL_ON_SIZE", "XL"),
        ("INPUT_BLANK", "   "),
    ]);
    assert_eq!(toolkit.input("github-token").as_deref(), Some("ghs_abc"));
    assert_eq!(toolkit.input("Fail on size").as_deref(), Some("XL"));
    assert_eq!(toolkit.input("blank"), None);
    assert_eq!(toolkit.input("unset"), None);
}

#[test]
fn booleans_accept_only_the_yaml_core_spellings() {
    let accepted = [
        ("true", true),
        ("True", true),
        ("TRUE", true),
        ("false", false),
        ("False", false),
        ("FALSE", false),
        (" true ", true),
    ];
    for (value, expected) in accepted {
        let toolkit = toolkit(&[("INPUT_DRY-RUN", value)]);
        assert_eq!(
            toolkit.input_bool("dry-run"),
            Ok(Some(expected)),
            "{value:?}"
        );
    }
    for value in ["yes", "1", "tRUE", "on"] {
        let toolkit = toolkit(&[("INPUT_DRY-RUN", value)]);
        assert_eq!(
            toolkit.input_bool("dry-run"),
            Err(InputError::NotBoolean {
                name: "dry-run".into(),
                value: value.into()
            })
        );
    }
    assert_eq!(toolkit(&[]).input_bool("dry-run"), Ok(None));
    assert_eq!(
        toolkit(&[("INPUT_DRY-RUN", "")]).input_bool("dry-run"),
        Ok(None)
    );
}

#[test]
fn a_bad_boolean_names_the_input_and_the_allowed_values() {
    let error = toolkit(&[("INPUT_DRY-RUN", "yes")])
        .input_bool("dry-run")
        .unwrap_err();
    insta::assert_snapshot!(error, @"input `dry-run` is `yes`, which is not a boolean: use one of true, True, TRUE, false, False, FALSE");
}

#[test]
fn a_required_input_must_be_set_and_not_blank() {
    let toolkit = toolkit(&[
        ("INPUT_TEMPLATE", ".github/pull_request_template.md"),
        ("INPUT_BLANK", " "),
    ]);
    assert_eq!(
        toolkit.input_required("template").unwrap(),
        ".github/pull_request_template.md"
    );
    let error = toolkit.input_required("blank").unwrap_err();
    insta::assert_snapshot!(error, @"input `blank` is required but not set: add `blank: ...` under `with:` in the workflow");
}

#[test]
fn pull_request_numbers_are_numbers_or_refused() {
    let toolkit = toolkit(&[("INPUT_PR-NUMBER", " #42 ")]);
    assert_eq!(toolkit.input_pr_number("pr-number"), Ok(Some(42)));
    assert_eq!(toolkit.input_pr_number("unset"), Ok(None));
    for bad in ["0", "abc", "7; rm -rf /", "-3", "4.2"] {
        let toolkit = self::toolkit(&[("INPUT_PR-NUMBER", bad)]);
        let err = toolkit.input_pr_number("pr-number").unwrap_err();
        assert!(
            err.to_string().contains("not a pull request number"),
            "{bad}: {err}"
        );
    }
}
