//! Which changed files are not counted: lockfiles, generated files, and the user's globs.

use globset::{Glob, GlobBuilder, GlobMatcher};
use serde::Serialize;

use super::generated_files::GeneratedFiles;

/// Lockfiles are machine-written; their churn says nothing about review effort.
const LOCKFILES: &[&str] = &[
    "Cargo.lock",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "go.sum",
    "poetry.lock",
    "uv.lock",
    "Gemfile.lock",
    "composer.lock",
];

/// Why a file is not counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "pattern", rename_all = "kebab-case")]
pub enum IgnoreReason {
    Lockfile,
    /// Marked `linguist-generated` in `.gitattributes`.
    Generated,
    /// Matched one of the `ignore` globs.
    Glob(String),
}

impl std::fmt::Display for IgnoreReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IgnoreReason::Lockfile => write!(f, "lockfile"),
            IgnoreReason::Generated => write!(f, "linguist-generated"),
            IgnoreReason::Glob(pattern) => write!(f, "ignore: `{pattern}`"),
        }
    }
}

/// An invalid `ignore` glob, named for the person who wrote it.
#[derive(Debug, thiserror::Error)]
#[error("invalid glob `{pattern}` in size-labeler `ignore`: {detail}")]
pub struct InvalidGlob {
    pub pattern: String,
    pub detail: String,
}

struct UserRule {
    pattern: String,
    matcher: GlobMatcher,
    /// `!pattern`: count the file again.
    negated: bool,
}

/// The ignore rules in force, applied in order: defaults first, then the user's globs, the last
/// matching rule winning (as in `.gitignore`).
pub struct IgnoreRules {
    lockfiles: bool,
    generated: Option<GeneratedFiles>,
    user: Vec<UserRule>,
}

impl IgnoreRules {
    pub fn new(
        lockfiles: bool,
        generated: Option<GeneratedFiles>,
        globs: &[String],
    ) -> Result<Self, InvalidGlob> {
        let user = globs
            .iter()
            .map(|raw| raw.trim())
            .filter(|raw| !raw.is_empty() && !raw.starts_with('#'))
            .map(|raw| {
                let (negated, pattern) = match raw.strip_prefix('!') {
                    Some(rest) => (true, rest.trim()),
                    None => (false, raw),
                };
                Ok(UserRule {
                    pattern: raw.to_string(),
                    matcher: gitignore_glob(pattern)
                        .map_err(|e| InvalidGlob {
                            pattern: raw.to_string(),
                            detail: e.kind().to_string(),
                        })?
                        .compile_matcher(),
                    negated,
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            lockfiles,
            generated,
            user,
        })
    }

    /// True when no rule could ignore anything: the PR's own totals are then exact.
    pub fn ignores_nothing(&self) -> bool {
        !self.lockfiles
            && self.generated.as_ref().is_none_or(GeneratedFiles::is_empty)
            && self.user.iter().all(|r| r.negated)
    }

    pub fn reason(&self, path: &str) -> Option<IgnoreReason> {
        let mut reason = None;
        let basename = path.rsplit('/').next().unwrap_or(path);
        if self.lockfiles && LOCKFILES.contains(&basename) {
            reason = Some(IgnoreReason::Lockfile);
        }
        if self
            .generated
            .as_ref()
            .is_some_and(|g| g.is_generated(path))
        {
            reason = Some(IgnoreReason::Generated);
        }
        for rule in &self.user {
            if rule.matcher.is_match(path) {
                reason = if rule.negated {
                    None
                } else {
                    Some(IgnoreReason::Glob(rule.pattern.clone()))
                };
            }
        }
        reason
    }
}

/// A gitignore-like glob: a pattern without `/` matches at any depth, one with `/` is anchored
/// at the repository root, a trailing `/` means everything below a directory.
pub(super) fn gitignore_glob(pattern: &str) -> Result<Glob, globset::Error> {
    let mut pattern = pattern.to_string();
    if let Some(dir) = pattern.strip_suffix('/') {
        pattern = format!("{dir}/**");
    }
    let anchored = pattern.trim_start_matches('/').contains('/');
    let pattern = match pattern.strip_prefix('/') {
        Some(rooted) => rooted.to_string(),
        None if anchored => pattern,
        None => format!("**/{pattern}"),
    };
    GlobBuilder::new(&pattern)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(globs: &[&str]) -> IgnoreRules {
        let globs: Vec<String> = globs.iter().map(|s| s.to_string()).collect();
        IgnoreRules::new(true, None, &globs).unwrap()
    }

    #[test]
    fn lockfiles_are_ignored_at_any_depth() {
        let r = rules(&[]);
        assert_eq!(r.reason("Cargo.lock"), Some(IgnoreReason::Lockfile));
        assert_eq!(
            r.reason("web/package-lock.json"),
            Some(IgnoreReason::Lockfile)
        );
        assert_eq!(r.reason("src/lock.rs"), None);
        assert_eq!(r.reason("docs/yarn.lock.md"), None);
    }

    #[test]
    fn globs_match_like_gitignore() {
        let r = rules(&["*.snap", "/vendor/", "docs/generated/**"]);
        assert!(r.reason("a/b/c.snap").is_some());
        assert!(r.reason("vendor/x/y.go").is_some());
        assert!(
            r.reason("src/vendor/y.go").is_none(),
            "anchored at the root"
        );
        assert!(r.reason("docs/generated/api.md").is_some());
        assert!(r.reason("docs/guide.md").is_none());
    }

    #[test]
    fn negation_counts_a_file_again_and_last_rule_wins() {
        let r = rules(&["*.json", "!package.json"]);
        assert!(r.reason("config.json").is_some());
        assert_eq!(r.reason("package.json"), None);
        let r = rules(&["!Cargo.lock"]);
        assert_eq!(
            r.reason("Cargo.lock"),
            None,
            "a negation overrides a default"
        );
    }

    #[test]
    fn invalid_globs_are_named() {
        let err = IgnoreRules::new(true, None, &["src/[".to_string()])
            .err()
            .unwrap();
        assert!(err.to_string().contains("`src/[`"), "{err}");
    }

    #[test]
    fn nothing_ignored_is_detected() {
        let none = IgnoreRules::new(false, None, &[]).unwrap();
        assert!(none.ignores_nothing());
        assert!(!rules(&[]).ignores_nothing());
    }
}
