//! The `preview-commenter:` section of a local `.github/guardians.yml`.
//!
//! Stopgap for `--dry-run`: the GitHub-facing half reads the file from the PR's base branch
//! through guardians-core's config loader, which also checks the other sections.

use std::path::Path;

use anyhow::Context as _;

use crate::config::PreviewCommenterConfig;

/// Largest config file read; a real one is a few kilobytes.
const MAX_BYTES: u64 = 1024 * 1024;

/// Reads the section; a file without it gives the defaults.
pub fn load(path: &Path) -> anyhow::Result<PreviewCommenterConfig> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot read the config file {}", path.display()))?
        .len();
    anyhow::ensure!(
        size <= MAX_BYTES,
        "the config file {} is {size} bytes; at most {MAX_BYTES} are read",
        path.display()
    );
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the config file {}", path.display()))?;
    parse(&text).with_context(|| format!("in the config file {}", path.display()))
}

/// Parses the whole file's text and returns its `preview-commenter:` section.
pub fn parse(text: &str) -> anyhow::Result<PreviewCommenterConfig> {
    let file: yaml_serde::Value =
        yaml_serde::from_str(text).context("the file is not valid YAML")?;
    match file.get("preview-commenter") {
        None | Some(yaml_serde::Value::Null) => Ok(PreviewCommenterConfig::default()),
        Some(section) => yaml_serde::from_value(section.clone())
            .context("the `preview-commenter:` section does not match its schema"),
    }
}

#[cfg(test)]
mod tests {
    use super::{load, parse};
    use crate::environments::EnvironmentTemplates;

    #[test]
    fn the_readme_example_file_loads_and_validates() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/guardians.yml");
        let config = load(&path).expect("example config");
        let names: Vec<_> = config
            .environments
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        assert_eq!(names, ["Frontend", "API"]);
        assert!(EnvironmentTemplates::from_config(&config).is_ok());
        assert!(load(&path.with_file_name("missing.yml")).is_err());
    }

    #[test]
    fn reads_only_its_own_section() {
        let config = parse(
            "size-labeler:\n  anything: 1\npreview-commenter:\n  environments:\n    - name: Web\n      url: https://pr-{number}.dev\n",
        )
        .expect("valid");
        assert_eq!(config.environments[0].name, "Web");
        assert!(
            parse("size-labeler: {}\n")
                .expect("valid")
                .environments
                .is_empty()
        );
    }

    #[test]
    fn errors_name_the_problem() {
        let err = parse("preview-commenter:\n  deployment: false\n").expect_err("typo");
        let chain = format!("{err:#}");
        assert!(
            chain.contains("`preview-commenter:` section") && chain.contains("deployment"),
            "{chain}"
        );
        assert!(parse("preview-commenter: [").is_err());
        // Self-referencing anchors are refused, not followed forever.
        assert!(parse("preview-commenter: &a [*a]").is_err());
    }
}
