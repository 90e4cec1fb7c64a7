//! Every path or glob key of `.github/guardians.yml` is repository-relative: `..`, absolute paths
//! and backslashes are refused with the key (element index included) and the file's line. (Each
//! guardian's own section is tested in its crate, e.g. crates/pr-critic/tests/config_paths.rs.)

use guardians_core::config::contracts_diff::ContractsDiffConfig;
use guardians_core::config::size_labeler::SizeLabelerConfig;
use guardians_core::config::{self, ConfigSection};

/// The error text for section `S` of `yaml`, which must not read.
fn refused<S: ConfigSection + std::fmt::Debug>(yaml: &str) -> String {
    config::parse_section::<S>(yaml, ".github/guardians.yml")
        .expect_err("a path leaving the repository must be refused")
        .to_string()
}

#[test]
fn size_labeler_ignore_allows_negation_but_not_escapes() {
    let ok: SizeLabelerConfig = config::parse_section(
        "size-labeler:\n  ignore: [\"*.snap\", \"!keep.snap\"]\n",
        "g.yml",
    )
    .unwrap();
    assert_eq!(ok.ignore, vec!["*.snap", "!keep.snap"]);
    let text =
        refused::<SizeLabelerConfig>("size-labeler:\n  ignore: [\"*.snap\", \"!../secret\"]\n");
    assert!(text.contains("at `size-labeler.ignore[1]`"), "{text}");
    assert!(text.contains("leaves the repository"), "{text}");
}

#[test]
fn contracts_diff_globs_are_checked() {
    for (key, value) in [
        ("contracts", "../other/openapi.yaml"),
        ("endpoints", "/srv/routes/**"),
        ("ignore", "gen\\\\client.ts"),
    ] {
        let text =
            refused::<ContractsDiffConfig>(&format!("contracts-diff:\n  {key}: [\"{value}\"]\n"));
        assert!(
            text.contains(&format!("at `contracts-diff.{key}[0]`")),
            "{text}"
        );
    }
}
