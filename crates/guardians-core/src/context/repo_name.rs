//! `owner/name`, checked once so it can be put into API paths safely.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A repository's owner and name, as in `GITHUB_REPOSITORY` (`octo-org/hello-world`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RepoName {
    pub owner: String,
    pub name: String,
}

/// Text that is not `OWNER/NAME`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not a repository: {reason}; expected OWNER/NAME, like octo-org/hello-world")]
pub struct RepoNameError {
    input: String,
    reason: &'static str,
}

impl RepoName {
    pub fn new(owner: &str, name: &str) -> Result<RepoName, RepoNameError> {
        format!("{owner}/{name}").parse()
    }
}

impl FromStr for RepoName {
    type Err = RepoNameError;

    fn from_str(input: &str) -> Result<RepoName, RepoNameError> {
        let error = |reason| RepoNameError {
            input: input.to_owned(),
            reason,
        };
        let (owner, name) = input.split_once('/').ok_or_else(|| error("no `/`"))?;
        if name.contains('/') {
            return Err(error("more than one `/`"));
        }
        // Owners are letters, digits and `-` on github.com; GHES also allows `_`.
        if owner.is_empty() {
            return Err(error("the owner is empty"));
        }
        if !owner
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(error(
                "the owner may hold only letters, digits, `-` and `_`",
            ));
        }
        if name.is_empty() {
            return Err(error("the name is empty"));
        }
        if !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Err(error(
                "the name may hold only letters, digits, `-`, `_` and `.`",
            ));
        }
        if name == "." || name == ".." {
            return Err(error("the name cannot be `.` or `..`"));
        }
        Ok(RepoName {
            owner: owner.to_owned(),
            name: name.to_owned(),
        })
    }
}

impl fmt::Display for RepoName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.owner, self.name)
    }
}

impl TryFrom<String> for RepoName {
    type Error = RepoNameError;

    fn try_from(value: String) -> Result<RepoName, RepoNameError> {
        value.parse()
    }
}

impl From<RepoName> for String {
    fn from(repo: RepoName) -> String {
        repo.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays_owner_and_name() {
        let repo: RepoName = "octo-org/hello.world_2".parse().unwrap();
        assert_eq!(repo.owner, "octo-org");
        assert_eq!(repo.name, "hello.world_2");
        assert_eq!(repo.to_string(), "octo-org/hello.world_2");
        assert_eq!(RepoName::new("o", "r").unwrap().to_string(), "o/r");
    }

    #[test]
    fn rejects_what_would_break_an_api_path() {
        for (input, reason) in [
            ("octo-org", "no `/`"),
            ("a/b/c", "more than one `/`"),
            ("/r", "the owner is empty"),
            ("o/", "the name is empty"),
            ("o/..", "the name cannot be `.` or `..`"),
            (
                "o/r?x=1",
                "the name may hold only letters, digits, `-`, `_` and `.`",
            ),
            (
                "o o/r",
                "the owner may hold only letters, digits, `-` and `_`",
            ),
            ("", "no `/`"),
        ] {
            let error = input.parse::<RepoName>().unwrap_err();
            assert_eq!(
                error.to_string(),
                format!(
                    "`{input}` is not a repository: {reason}; expected OWNER/NAME, like octo-org/hello-world"
                ),
            );
        }
    }

    #[test]
    fn round_trips_through_serde_as_a_string() {
        let repo: RepoName = serde_json::from_str("\"o/r\"").unwrap();
        assert_eq!(serde_json::to_string(&repo).unwrap(), "\"o/r\"");
        assert!(serde_json::from_str::<RepoName>("\"nope\"").is_err());
    }
}
