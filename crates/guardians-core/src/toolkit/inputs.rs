//! Action inputs, read the way `@actions/core` reads them.

use crate::context::EnvSource;

/// An input that is missing or has a value the action does not accept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error(
        "input `{name}` is required but not set: add `{name}: ...` under `with:` in the workflow"
    )]
    Missing { name: String },
    #[error(
        "input `{name}` is `{value}`, which is not a boolean: use one of true, True, TRUE, false, \
         False, FALSE"
    )]
    NotBoolean { name: String, value: String },
    #[error(
        "input `{name}` is `{value}`, which is not a pull request number: use a number such as 42 \
         (from a step output that verified it)"
    )]
    NotPullRequestNumber { name: String, value: String },
}

/// `INPUT_` + the name upper-cased with spaces as `_` (dashes are kept, as the runner does).
pub fn input_variable(name: &str) -> String {
    format!("INPUT_{}", name.replace(' ', "_").to_uppercase())
}

pub(crate) fn input(env: &dyn EnvSource, name: &str) -> Option<String> {
    env.var(&input_variable(name))
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

pub(crate) fn input_bool(env: &dyn EnvSource, name: &str) -> Result<Option<bool>, InputError> {
    match input(env, name).as_deref() {
        None => Ok(None),
        // The YAML 1.2 core schema's booleans, the only ones `@actions/core` accepts.
        Some("true" | "True" | "TRUE") => Ok(Some(true)),
        Some("false" | "False" | "FALSE") => Ok(Some(false)),
        Some(other) => Err(InputError::NotBoolean {
            name: name.to_owned(),
            value: other.to_owned(),
        }),
    }
}

/// A pull request number (`42` or `#42`); any other text is refused rather than guessed at, since
/// it usually comes from another workflow's artifact.
pub(crate) fn input_pr_number(env: &dyn EnvSource, name: &str) -> Result<Option<u64>, InputError> {
    let Some(text) = input(env, name) else {
        return Ok(None);
    };
    match text.trim_start_matches('#').parse::<u64>() {
        Ok(number) if number > 0 => Ok(Some(number)),
        _ => Err(InputError::NotPullRequestNumber {
            name: name.to_owned(),
            value: text,
        }),
    }
}

pub(crate) fn input_required(env: &dyn EnvSource, name: &str) -> Result<String, InputError> {
    input(env, name).ok_or_else(|| InputError::Missing {
        name: name.to_owned(),
    })
}
