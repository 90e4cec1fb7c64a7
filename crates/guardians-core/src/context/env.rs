//! Where environment variables come from: the process, or a map in tests.

use std::collections::HashMap;

/// A source of environment variables. The guardians read the runner's `GITHUB_*`, `RUNNER_*`
/// and `INPUT_*` variables only through this, so tests can hand them a map.
pub trait EnvSource: Send + Sync {
    /// The variable's value, `None` when unset or not valid UTF-8.
    fn var(&self, name: &str) -> Option<String>;
}

/// The real process environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessEnv;

impl EnvSource for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

impl EnvSource for HashMap<String, String> {
    fn var(&self, name: &str) -> Option<String> {
        self.get(name).cloned()
    }
}

/// A variable that is set and not blank, trimmed: the runner sets some variables to an empty
/// string where they do not apply, which means the same as unset.
pub(crate) fn non_empty(env: &dyn EnvSource, name: &str) -> Option<String> {
    env.var(name)
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}
