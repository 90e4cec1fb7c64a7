//! Action inputs over the config file: an input that is set wins over the file's key.

use guardians_core::toolkit::{InputError, Toolkit};
use thiserror::Error;

use crate::config::{PreviewCommenterConfig, PreviewEnvironmentConfig};

/// The inputs that override `preview-commenter:` in `.github/guardians.yml`.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct InputOverrides {
    pub fail_on_unhealthy: Option<bool>,
    pub deployments: Option<bool>,
    /// The `environments` input: the same list as the config key, as YAML or JSON text.
    pub environments: Option<Vec<PreviewEnvironmentConfig>>,
}

/// An input that cannot be used, worded for the workflow's author.
#[derive(Debug, Error)]
pub(crate) enum InputsError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(
        "the `environments` input is not a list of environments ({detail}); write YAML or JSON like `[{{name: Frontend, url: \"https://myapp-pr-{{number}}.pages.dev\"}}]`"
    )]
    Environments { detail: String },
}

/// Largest `environments` input read; a real one is well under a kilobyte.
const MAX_ENVIRONMENTS_INPUT: usize = 64 * 1024;

impl InputOverrides {
    /// Reads the inputs (`INPUT_*`); unset or empty inputs override nothing.
    pub(crate) fn read(toolkit: &Toolkit) -> Result<Self, InputsError> {
        let environments = toolkit
            .input("environments")
            .map(|text| parse_environments(&text))
            .transpose()?;
        Ok(Self {
            fail_on_unhealthy: toolkit.input_bool("fail-on-unhealthy")?,
            deployments: toolkit.input_bool("deployments")?,
            environments,
        })
    }

    /// The config with the inputs applied.
    pub(crate) fn apply(&self, mut config: PreviewCommenterConfig) -> PreviewCommenterConfig {
        if let Some(value) = self.fail_on_unhealthy {
            config.fail_on_unhealthy = value;
        }
        if let Some(value) = self.deployments {
            config.deployments = value;
        }
        if let Some(environments) = &self.environments {
            config.environments.clone_from(environments);
        }
        config
    }
}

/// The `environments` input: a YAML (so also JSON) list with the config file's keys.
pub(crate) fn parse_environments(text: &str) -> Result<Vec<PreviewEnvironmentConfig>, InputsError> {
    if text.len() > MAX_ENVIRONMENTS_INPUT {
        return Err(InputsError::Environments {
            detail: format!(
                "{} bytes; at most {MAX_ENVIRONMENTS_INPUT} are read",
                text.len()
            ),
        });
    }
    // The shared reader refuses deep nesting in linear time before parsing.
    guardians_core::data::typed("the `environments` input", text).map_err(|err| {
        InputsError::Environments {
            detail: match err.line {
                Some(line) => format!("line {line}: {}", err.reason),
                None => err.reason.to_string(),
            },
        }
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Arc;

    use guardians_core::toolkit::SharedBuffer;

    use super::*;

    fn read(inputs: Vec<(&'static str, &'static str)>) -> Result<InputOverrides, InputsError> {
        let env: HashMap<String, String> = inputs
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let toolkit = Toolkit::new(Arc::new(env), Box::new(SharedBuffer::new()));
        InputOverrides::read(&toolkit)
    }

    #[test]
    fn inputs_win_over_the_file() {
        let overrides = read(vec![
            ("INPUT_FAIL-ON-UNHEALTHY", "false"),
            ("INPUT_DEPLOYMENTS", "false"),
            (
                "INPUT_ENVIRONMENTS",
                "- name: Web\n  url: https://web-pr-{number}.example.dev\n  health-path: /up\n",
            ),
        ])
        .expect("valid inputs");
        let config = overrides.apply(crate::test_support::example_config());
        assert!(!config.fail_on_unhealthy && !config.deployments);
        assert_eq!(config.environments.len(), 1);
        assert_eq!(config.environments[0].health_path.as_deref(), Some("/up"));
    }

    #[test]
    fn unset_inputs_keep_the_file() {
        let config = read(vec![])
            .expect("no inputs")
            .apply(crate::test_support::example_config());
        assert_eq!(config, crate::test_support::example_config());
    }

    #[test]
    fn json_works_too() {
        let envs = parse_environments(
            r#"[{"name":"API","url":"https://api-pr-{number}.workers.dev","expect-status":204}]"#,
        )
        .expect("JSON is YAML");
        assert_eq!(envs[0].expect_status, Some(204));
    }

    #[test]
    fn mistakes_name_the_input_and_the_fix() {
        let err = read(vec![("INPUT_ENVIRONMENTS", "- name: A\n  adress: x\n")]).expect_err("typo");
        let text = err.to_string();
        assert!(
            text.contains("`environments` input") && text.contains("adress"),
            "{text}"
        );
        assert!(read(vec![("INPUT_DEPLOYMENTS", "yes")]).is_err());
        assert!(parse_environments(&"x".repeat(MAX_ENVIRONMENTS_INPUT + 1)).is_err());
    }

    #[test]
    fn deeply_nested_environments_are_refused_with_the_line() {
        let text = format!("- name: a\n  url: {}\n", "[".repeat(60_000));
        let err = parse_environments(&text).unwrap_err().to_string();
        assert!(
            err.contains("(line 2: collections nest more than 128 levels deep"),
            "{err}"
        );
    }
}
