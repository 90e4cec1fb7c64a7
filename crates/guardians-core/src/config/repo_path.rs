//! Paths and globs from config and inputs are repository-relative. A `..` segment, an absolute
//! path or a backslash would make a guardian read (or match, or write) something other than the
//! repository's own files, or match differently on Windows runners; each is refused with the key
//! that holds it, so the fix is obvious.
//!
//! The `repo_path*` functions are `deserialize_with` helpers for the config sections: deserializing
//! each element through the deserializer they are given keeps the element's index in the key path
//! of the error (`pr-critic.template-paths[1]`).

use serde::{Deserialize, Deserializer};

/// How a value is used: a plain path, or a glob (which may start with `!` to negate).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathKind {
    Path,
    Glob,
}

/// Why a path is not repository-relative.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RepoPathProblem {
    #[error("{0:?} is empty; write a path relative to the repository root")]
    Empty(String),
    #[error("{0:?} leaves the repository; write a path relative to the repository root")]
    ParentSegment(String),
    #[error(
        "{0:?} is an absolute path; write a path relative to the repository root (without a leading `/`)"
    )]
    Absolute(String),
    #[error("{0:?} contains a backslash; separate directories with `/`, as git does")]
    Backslash(String),
}

/// A path or glob from config or an input that is not repository-relative, with its key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {problem}")]
pub struct RepoPathError {
    /// Where the value came from, e.g. `pr-critic.template-paths[1]` or input `ignore`.
    pub key: String,
    pub problem: RepoPathProblem,
}

/// Check that `value` names something inside the repository.
pub fn check_repo_path(value: &str, kind: PathKind) -> Result<(), RepoPathProblem> {
    let body = match kind {
        // Negation is a glob's own syntax, not part of the path.
        PathKind::Glob => value.strip_prefix('!').unwrap_or(value),
        PathKind::Path => value,
    };
    if body.trim().is_empty() {
        return Err(RepoPathProblem::Empty(value.to_owned()));
    }
    if body.contains('\\') {
        return Err(RepoPathProblem::Backslash(value.to_owned()));
    }
    let bytes = body.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    if body.starts_with('/') || body.starts_with('~') || drive {
        return Err(RepoPathProblem::Absolute(value.to_owned()));
    }
    if body.split('/').any(|segment| segment == "..") {
        return Err(RepoPathProblem::ParentSegment(value.to_owned()));
    }
    Ok(())
}

/// [`check_repo_path`] with the key named in the error, for values read from inputs.
pub fn validate_repo_path(key: &str, value: &str, kind: PathKind) -> Result<(), RepoPathError> {
    check_repo_path(value, kind).map_err(|problem| RepoPathError {
        key: key.to_owned(),
        problem,
    })
}

/// Every value of a list, keyed `key[i]`.
pub fn validate_repo_paths(
    key: &str,
    values: &[String],
    kind: PathKind,
) -> Result<(), RepoPathError> {
    values
        .iter()
        .enumerate()
        .try_for_each(|(i, value)| validate_repo_path(&format!("{key}[{i}]"), value, kind))
}

struct Checked<const GLOB: bool>(String);

impl<'de, const GLOB: bool> Deserialize<'de> for Checked<GLOB> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        let kind = if GLOB { PathKind::Glob } else { PathKind::Path };
        check_repo_path(&value, kind).map_err(serde::de::Error::custom)?;
        Ok(Checked(value))
    }
}

/// `deserialize_with` for a list of repository-relative paths.
pub fn repo_paths<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    let values = Vec::<Checked<false>>::deserialize(deserializer)?;
    Ok(values.into_iter().map(|c| c.0).collect())
}

/// `deserialize_with` for a list of repository-relative globs (`!` negation allowed).
pub fn repo_globs<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    let values = Vec::<Checked<true>>::deserialize(deserializer)?;
    Ok(values.into_iter().map(|c| c.0).collect())
}

/// `deserialize_with` for one repository-relative path.
pub fn repo_path<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(Checked::<false>::deserialize(deserializer)?.0)
}

/// `deserialize_with` for an optional repository-relative path.
pub fn optional_repo_path<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Ok(Option::<Checked<false>>::deserialize(deserializer)?.map(|c| c.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_and_globs_pass() {
        for ok in [
            "docs/a.md",
            ".github/PULL_REQUEST_TEMPLATE.md",
            "a..b/c",
            "**/*.lock",
        ] {
            assert_eq!(check_repo_path(ok, PathKind::Path), Ok(()), "{ok}");
        }
        assert_eq!(check_repo_path("!keep.snap", PathKind::Glob), Ok(()));
    }

    #[test]
    fn leaving_the_repository_is_refused_with_the_key() {
        let err =
            validate_repo_path("pr-critic.template-paths[1]", "../x", PathKind::Path).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"pr-critic.template-paths[1]: "../x" leaves the repository; write a path relative to the repository root"#
        );
        for bad in ["a/../../b", "a/..", "!../x"] {
            assert!(
                matches!(
                    check_repo_path(bad, PathKind::Glob),
                    Err(RepoPathProblem::ParentSegment(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn absolute_paths_and_backslashes_are_refused() {
        for bad in ["/etc/passwd", "C:/x", "~/x", "!/etc"] {
            assert!(
                matches!(
                    check_repo_path(bad, PathKind::Glob),
                    Err(RepoPathProblem::Absolute(_))
                ),
                "{bad}"
            );
        }
        assert!(matches!(
            check_repo_path(r"docs\a.md", PathKind::Path),
            Err(RepoPathProblem::Backslash(_))
        ));
        assert!(matches!(
            check_repo_path("", PathKind::Path),
            Err(RepoPathProblem::Empty(_))
        ));
        assert_eq!(
            validate_repo_paths("ignore", &["a".into(), "/b".into()], PathKind::Glob)
                .unwrap_err()
                .key,
            "ignore[1]"
        );
    }
}
