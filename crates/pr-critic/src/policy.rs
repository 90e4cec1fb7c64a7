//! The configuration compiled for use: globs into matchers, patterns into regexes, headings into
//! comparison keys. Every bad value is rejected here, with the key that holds it, so that a broken
//! `guardians.yml` is reported once and clearly instead of failing some rule later.

use std::collections::HashSet;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use regex::{Regex, RegexBuilder};

use crate::config::{PrCriticConfig, PrCriticMode, SectionCondition};
use crate::heading::HeadingKey;

/// A value of the `pr-critic:` section that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid `pr-critic.{key}`: {message}")]
pub struct PolicyError {
    /// Where the value is, e.g. `approvals[1].paths[0]`.
    pub key: String,
    pub message: String,
}

/// Globs compiled into one matcher, keeping the patterns for messages.
#[derive(Debug, Clone)]
pub struct PathSet {
    set: GlobSet,
    pub patterns: Vec<String>,
}

impl PathSet {
    pub fn compile(key: &str, patterns: &[String]) -> Result<Self, PolicyError> {
        let mut builder = GlobSetBuilder::new();
        for (index, pattern) in patterns.iter().enumerate() {
            // `*` stays within a directory; `**` crosses directories (gitignore-like).
            let glob = GlobBuilder::new(pattern)
                .literal_separator(true)
                .backslash_escape(true)
                .build()
                .map_err(|error| PolicyError {
                    key: format!("{key}[{index}]"),
                    message: format!("`{pattern}` is not a valid glob: {}", error.kind()),
                })?;
            builder.add(glob);
        }
        let set = builder.build().map_err(|error| PolicyError {
            key: key.to_owned(),
            message: error.to_string(),
        })?;
        Ok(Self {
            set,
            patterns: patterns.to_vec(),
        })
    }

    pub fn is_match(&self, path: &str) -> bool {
        self.set.is_match(path)
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }
}

fn compile_regexes(
    key: &str,
    patterns: &[String],
    case_insensitive: bool,
) -> Result<Vec<Regex>, PolicyError> {
    patterns
        .iter()
        .enumerate()
        .map(|(index, pattern)| {
            RegexBuilder::new(pattern)
                .case_insensitive(case_insensitive)
                .size_limit(1 << 20)
                .build()
                .map_err(|error| PolicyError {
                    key: format!("{key}[{index}]"),
                    message: format!("`{pattern}` is not a valid regular expression: {error}"),
                })
        })
        .collect()
}

fn heading_keys(key: &str, headings: &[String]) -> Result<Vec<String>, PolicyError> {
    headings
        .iter()
        .enumerate()
        .map(|(index, heading)| {
            let heading_key = HeadingKey::new(heading).key;
            if heading_key.is_empty() {
                Err(PolicyError {
                    key: format!("{key}[{index}]"),
                    message: format!("`{heading}` has no words to match a heading by"),
                })
            } else {
                Ok(heading_key)
            }
        })
        .collect()
}

fn non_empty_label(key: &str, label: &str) -> Result<String, PolicyError> {
    let label = label.trim();
    if label.is_empty() {
        return Err(PolicyError {
            key: key.to_owned(),
            message: "a label cannot be empty".to_owned(),
        });
    }
    Ok(label.to_owned())
}

/// A section named in the configuration.
#[derive(Debug, Clone)]
pub struct ConfiguredSection {
    pub name: String,
    pub key: String,
    pub optional: bool,
    pub allow_na: bool,
    pub when: Option<Condition>,
}

/// When a conditional section is required.
#[derive(Debug, Clone)]
pub struct Condition {
    pub paths: PathSet,
    pub labels: Vec<String>,
    pub ai_assisted: bool,
}

/// What counts as "not filled in".
#[derive(Debug, Clone)]
pub struct Placeholders {
    literals: HashSet<String>,
    patterns: Vec<Regex>,
}

/// Answers meaning "not applicable", accepted where a section allows them.
const NOT_APPLICABLE: &[&str] = &["n/a", "na", "n.a", "n a", "not applicable"];

impl Placeholders {
    /// Whether a visible line is only a placeholder. `allow_na` accepts `N/A`-like answers.
    pub fn is_placeholder(&self, line: &str, allow_na: bool) -> bool {
        let normalized = normalize_answer(line);
        if normalized.is_empty() {
            return true;
        }
        if NOT_APPLICABLE.contains(&normalized.as_str()) {
            return !allow_na;
        }
        self.literals.contains(&normalized)
            || self
                .patterns
                .iter()
                .any(|pattern| pattern.is_match(&normalized))
    }
}

/// A line reduced for comparison with placeholders: lower case, without list or task markers,
/// emphasis, surrounding quotes or trailing punctuation.
pub fn normalize_answer(line: &str) -> String {
    let mut text = line.trim().to_lowercase();
    loop {
        let trimmed = text
            .strip_prefix("- ")
            .or_else(|| text.strip_prefix("[ ] "))
            .or_else(|| text.strip_prefix("[x] "))
            .map(str::trim_start);
        match trimmed {
            Some(rest) => text = rest.to_owned(),
            None => break,
        }
    }
    let text = text
        .trim_matches(|c: char| matches!(c, '*' | '_' | '"' | '\'' | '`' | '“' | '”'))
        .trim_end_matches(['.', '!', ':', ';', ','])
        .trim();
    if text.is_empty() {
        // "..." and "-" reduce to nothing above; keep them as written.
        return line.trim().to_lowercase();
    }
    text.to_owned()
}

#[derive(Debug, Clone)]
pub struct ContractsPolicy {
    pub enabled: bool,
    pub headings: Vec<String>,
    pub paths: PathSet,
}

#[derive(Debug, Clone)]
pub struct EndpointsPolicy {
    pub enabled: bool,
    pub headings: Vec<String>,
    pub paths: PathSet,
}

#[derive(Debug, Clone)]
pub struct ScreenshotsPolicy {
    pub enabled: bool,
    pub headings: Vec<String>,
    pub paths: PathSet,
    pub media_hosts: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct TestsPolicy {
    pub enabled: bool,
    pub headings: Vec<String>,
    pub sources: PathSet,
    pub tests: PathSet,
    pub explanations: Vec<Regex>,
}

#[derive(Debug, Clone)]
pub struct AgentMetadataPolicy {
    pub enabled: bool,
    pub headings: Vec<String>,
    pub labels: Vec<String>,
    /// Lower-cased trailer names, e.g. `co-authored-by`.
    pub trailers: Vec<String>,
    pub ai_tools: Vec<String>,
    /// Matches one of `ai_tools` as a whole word; `None` when the list is empty.
    pub ai_tool_pattern: Option<Regex>,
    pub declarations: Vec<Regex>,
}

#[derive(Debug, Clone)]
pub struct ApprovalPolicy {
    pub label: String,
    pub description: String,
    pub paths: PathSet,
}

impl Policy {
    /// The policy for a pull request whose changed files could not all be listed (`why`):
    /// any unseen file may be one an approval label covers, so every approval applies to
    /// every changed file and says why. Gates fail closed.
    pub fn assuming_unlisted_changes(mut self, why: &str) -> Result<Self, PolicyError> {
        let everything = PathSet::compile("approvals", &["**".to_owned()])?;
        for approval in &mut self.approvals {
            approval.description =
                format!("{}; {why}, so any of them may be one", approval.description);
            approval.paths = everything.clone();
        }
        Ok(self)
    }
}

#[derive(Debug, Clone)]
pub struct ChecklistPolicy {
    pub name: String,
    pub key: String,
}

#[derive(Debug, Clone)]
pub struct IssueLinkPolicy {
    pub required: bool,
    pub patterns: Vec<Regex>,
}

#[derive(Debug, Clone)]
pub struct AllowedPathsPolicy {
    pub label: Option<String>,
    pub paths: PathSet,
}

#[derive(Debug, Clone)]
pub struct CoveragePolicy {
    pub report: Option<String>,
    pub threshold: f64,
    pub fail_below: bool,
}

/// The whole `pr-critic:` section, ready to evaluate.
#[derive(Debug, Clone)]
pub struct Policy {
    pub mode: PrCriticMode,
    pub template_paths: Vec<String>,
    pub use_template: bool,
    pub sections: Vec<ConfiguredSection>,
    pub placeholders: Placeholders,
    pub contracts: ContractsPolicy,
    pub endpoints: EndpointsPolicy,
    pub screenshots: ScreenshotsPolicy,
    pub tests: TestsPolicy,
    pub agent_metadata: AgentMetadataPolicy,
    pub approvals: Vec<ApprovalPolicy>,
    pub checklists: Vec<ChecklistPolicy>,
    pub issue_link: IssueLinkPolicy,
    pub allowed_paths: Vec<AllowedPathsPolicy>,
    pub coverage: CoveragePolicy,
}

impl Default for Policy {
    fn default() -> Self {
        Self::compile(&PrCriticConfig::default()).expect("the built-in defaults compile")
    }
}

impl Policy {
    pub fn compile(config: &PrCriticConfig) -> Result<Self, PolicyError> {
        let sections = config
            .sections
            .iter()
            .enumerate()
            .map(|(index, section)| compile_section(index, section))
            .collect::<Result<Vec<_>, _>>()?;
        let placeholders = Placeholders {
            literals: config
                .placeholders
                .iter()
                .map(|literal| normalize_answer(literal))
                .collect(),
            patterns: compile_regexes("placeholder-patterns", &config.placeholder_patterns, true)?,
        };
        let agent = &config.agent_metadata;
        let ai_tool_pattern = if agent.ai_tools.iter().all(|tool| tool.trim().is_empty()) {
            None
        } else {
            let alternatives: Vec<String> = agent
                .ai_tools
                .iter()
                .filter(|tool| !tool.trim().is_empty())
                .map(|tool| regex::escape(tool.trim()))
                .collect();
            let pattern = format!(r"(?i)\b(?:{})\b", alternatives.join("|"));
            Some(Regex::new(&pattern).map_err(|error| PolicyError {
                key: "agent-metadata.ai-tools".to_owned(),
                message: error.to_string(),
            })?)
        };
        let coverage = &config.coverage;
        if !(0.0..=100.0).contains(&coverage.threshold) {
            return Err(PolicyError {
                key: "coverage.threshold".to_owned(),
                message: format!(
                    "{} is not a percentage between 0 and 100",
                    coverage.threshold
                ),
            });
        }
        Ok(Self {
            mode: config.mode,
            template_paths: config.template_paths.clone(),
            use_template: config.use_template,
            sections,
            placeholders,
            contracts: ContractsPolicy {
                enabled: config.contracts.enabled,
                headings: heading_keys("contracts.headings", &config.contracts.headings)?,
                paths: PathSet::compile("contracts.paths", &config.contracts.paths)?,
            },
            endpoints: EndpointsPolicy {
                enabled: config.endpoints.enabled,
                headings: heading_keys("endpoints.headings", &config.endpoints.headings)?,
                paths: PathSet::compile("endpoints.paths", &config.endpoints.paths)?,
            },
            screenshots: ScreenshotsPolicy {
                enabled: config.screenshots.enabled,
                headings: heading_keys("screenshots.headings", &config.screenshots.headings)?,
                paths: PathSet::compile("screenshots.paths", &config.screenshots.paths)?,
                media_hosts: config
                    .screenshots
                    .media_hosts
                    .iter()
                    .map(|host| host.trim().trim_end_matches('/').to_lowercase())
                    .filter(|host| !host.is_empty())
                    .collect(),
            },
            tests: TestsPolicy {
                enabled: config.tests.enabled,
                headings: heading_keys("tests.headings", &config.tests.headings)?,
                sources: PathSet::compile("tests.source-paths", &config.tests.source_paths)?,
                tests: PathSet::compile("tests.test-paths", &config.tests.test_paths)?,
                explanations: compile_regexes(
                    "tests.explanation-patterns",
                    &config.tests.explanation_patterns,
                    true,
                )?,
            },
            agent_metadata: AgentMetadataPolicy {
                enabled: agent.enabled,
                headings: heading_keys("agent-metadata.headings", &agent.headings)?,
                labels: agent.labels.clone(),
                trailers: agent
                    .trailers
                    .iter()
                    .map(|trailer| trailer.trim().trim_end_matches(':').to_lowercase())
                    .filter(|trailer| !trailer.is_empty())
                    .collect(),
                ai_tools: agent.ai_tools.clone(),
                ai_tool_pattern,
                declarations: compile_regexes(
                    "agent-metadata.declaration-patterns",
                    &agent.declaration_patterns,
                    true,
                )?,
            },
            approvals: config
                .approvals
                .iter()
                .enumerate()
                .map(|(index, rule)| {
                    let label = non_empty_label(&format!("approvals[{index}].label"), &rule.label)?;
                    Ok(ApprovalPolicy {
                        description: rule
                            .description
                            .clone()
                            .unwrap_or_else(|| format!("files needing `{label}`")),
                        label,
                        paths: PathSet::compile(&format!("approvals[{index}].paths"), &rule.paths)?,
                    })
                })
                .collect::<Result<_, PolicyError>>()?,
            checklists: config
                .checklists
                .sections
                .iter()
                .enumerate()
                .map(|(index, name)| {
                    let key = heading_keys(
                        &format!("checklists.sections[{index}]"),
                        std::slice::from_ref(name),
                    )?
                    .remove(0);
                    Ok(ChecklistPolicy {
                        name: name.clone(),
                        key,
                    })
                })
                .collect::<Result<_, PolicyError>>()?,
            issue_link: IssueLinkPolicy {
                required: config.issue_link.required,
                patterns: compile_regexes(
                    "issue-link.patterns",
                    &config.issue_link.patterns,
                    false,
                )?,
            },
            allowed_paths: config
                .allowed_paths
                .iter()
                .enumerate()
                .map(|(index, rule)| {
                    let label = match &rule.label {
                        Some(label) => Some(non_empty_label(
                            &format!("allowed-paths[{index}].label"),
                            label,
                        )?),
                        None => None,
                    };
                    Ok(AllowedPathsPolicy {
                        label,
                        paths: PathSet::compile(
                            &format!("allowed-paths[{index}].paths"),
                            &rule.paths,
                        )?,
                    })
                })
                .collect::<Result<_, PolicyError>>()?,
            coverage: CoveragePolicy {
                report: coverage
                    .report
                    .clone()
                    .filter(|path| !path.trim().is_empty()),
                threshold: coverage.threshold,
                fail_below: coverage.fail_below,
            },
        })
    }
}

fn compile_section(
    index: usize,
    section: &crate::config::SectionConfig,
) -> Result<ConfiguredSection, PolicyError> {
    let key = HeadingKey::new(&section.name).key;
    if key.is_empty() {
        return Err(PolicyError {
            key: format!("sections[{index}].name"),
            message: format!("`{}` has no words to match a heading by", section.name),
        });
    }
    let when = section
        .when
        .as_ref()
        .map(|condition| compile_condition(index, condition))
        .transpose()?;
    Ok(ConfiguredSection {
        name: section.name.trim().to_owned(),
        key,
        optional: section.optional,
        allow_na: section.allow_na,
        when,
    })
}

fn compile_condition(index: usize, condition: &SectionCondition) -> Result<Condition, PolicyError> {
    Ok(Condition {
        paths: PathSet::compile(&format!("sections[{index}].when.paths"), &condition.paths)?,
        labels: condition.labels.clone(),
        ai_assisted: condition.ai_assisted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{AllowedPathsRule, ApprovalRule};

    #[test]
    fn the_defaults_compile() {
        let policy = Policy::default();
        assert_eq!(policy.approvals.len(), 2);
        assert!(
            policy
                .contracts
                .paths
                .is_match("packages/contracts/user.ts")
        );
        assert!(policy.contracts.paths.is_match("api/openapi.v2.yaml"));
        assert!(policy.contracts.paths.is_match("openapi.json"));
        assert!(
            policy
                .contracts
                .paths
                .is_match("proto/users/v1/users.proto")
        );
        assert!(!policy.contracts.paths.is_match("src/main.rs"));
        assert!(policy.endpoints.paths.is_match("src/routes/users.ts"));
        assert!(policy.screenshots.paths.is_match("web/src/Button.tsx"));
        assert!(policy.tests.tests.is_match("pkg/users/users_test.go"));
        assert!(policy.tests.tests.is_match("tests/test_users.py"));
        assert!(policy.tests.tests.is_match("web/src/Button.test.tsx"));
        assert!(policy.tests.sources.is_match("pkg/users/users.go"));
    }

    #[test]
    fn star_does_not_cross_directories() {
        let set = PathSet::compile("k", &["src/*.rs".to_owned()]).expect("valid");
        assert!(set.is_match("src/lib.rs"));
        assert!(!set.is_match("src/a/lib.rs"));
    }

    #[test]
    fn an_invalid_glob_names_its_key() {
        let config = PrCriticConfig {
            approvals: vec![ApprovalRule {
                paths: vec!["ok/**".to_owned(), "src/{a,b".to_owned()],
                label: "x".to_owned(),
                description: None,
            }],
            ..PrCriticConfig::default()
        };
        let error = Policy::compile(&config).expect_err("the glob is invalid");
        assert_eq!(error.key, "approvals[0].paths[1]");
        assert!(error.to_string().contains("src/{a,b"), "{error}");
    }

    #[test]
    fn an_invalid_regex_names_its_key() {
        let mut config = PrCriticConfig::default();
        config.issue_link.patterns = vec!["[A-Z+-\\d+".to_owned()];
        let error = Policy::compile(&config).expect_err("the regex is invalid");
        assert_eq!(error.key, "issue-link.patterns[0]");
        assert!(
            error
                .to_string()
                .starts_with("invalid `pr-critic.issue-link.patterns[0]`")
        );
    }

    #[test]
    fn a_threshold_outside_0_to_100_is_rejected() {
        let mut config = PrCriticConfig::default();
        config.coverage.threshold = 180.0;
        let error = Policy::compile(&config).expect_err("out of range");
        assert_eq!(error.key, "coverage.threshold");
    }

    #[test]
    fn an_empty_label_is_rejected() {
        let config = PrCriticConfig {
            allowed_paths: vec![AllowedPathsRule {
                label: Some(" ".to_owned()),
                paths: vec!["docs/**".to_owned()],
            }],
            ..PrCriticConfig::default()
        };
        let error = Policy::compile(&config).expect_err("empty label");
        assert_eq!(error.key, "allowed-paths[0].label");
    }

    #[test]
    fn placeholders_ignore_case_markers_and_punctuation() {
        let placeholders = Policy::default().placeholders;
        assert!(placeholders.is_placeholder("- TODO.", false));
        assert!(placeholders.is_placeholder("**TBD**", false));
        assert!(placeholders.is_placeholder("TODO: write this", false));
        assert!(placeholders.is_placeholder("<describe the change>", false));
        assert!(placeholders.is_placeholder("...", false));
        assert!(placeholders.is_placeholder("N/A", false));
        assert!(!placeholders.is_placeholder("N/A", true));
        assert!(!placeholders.is_placeholder("Adds the users endpoint.", false));
        assert!(!placeholders.is_placeholder("None", false));
    }
}
