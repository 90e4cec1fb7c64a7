//! The `pr-critic:` section of `.github/guardians.yml`, and reading it for the CLI.
//!
//! Every field has a default, so an empty section (or none at all) checks a PR description against
//! the repository's PR template with the rules described here. The `///` comments become the JSON
//! Schema descriptions that editors show, so they are written for the person editing the file.

use std::path::Path;

use guardians_core::config::repo_path;
use guardians_core::config::{ConfigError, ConfigSection};
use serde::{Deserialize, Serialize};

/// Reads the `pr-critic:` section of a `guardians.yml` on disk. The file's outline and this
/// section are validated, so a misspelt key is reported with its path; a file without the
/// section yields defaults.
pub fn load_file(path: &Path) -> Result<PrCriticConfig, ConfigError> {
    guardians_core::config::load_from_file(path)?
        .config
        .section()
}

/// Parses the text of a `guardians.yml` and returns its `pr-critic:` section.
pub fn parse_guardians_yml(text: &str) -> Result<PrCriticConfig, ConfigError> {
    guardians_core::config::parse_section(text, "guardians.yml")
}

/// Checks that a pull request's description fills in the repository's PR template and that
/// sensitive changes carry the right approval labels.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct PrCriticConfig {
    /// `enforce` fails the check when any rule reports an error; `warn` reports the same findings but
    /// never fails the check.
    pub mode: PrCriticMode,
    /// Where the PR template is looked for on the base branch, in order; the first path that exists
    /// (compared case-insensitively) is used. Every heading of the template becomes a section that the
    /// description must fill in.
    #[serde(deserialize_with = "repo_path::repo_paths")]
    pub template_paths: Vec<String>,
    /// Whether the template's headings are sections at all. Set to `false` to check only the sections
    /// listed under `sections`.
    pub use_template: bool,
    /// Sections to require in addition to the template's, or to adjust the template's: mark one
    /// optional, allow `N/A`, or require it only when some paths change or a label is present. A
    /// section is matched by its heading, ignoring case, emoji, punctuation and parenthesized hints.
    pub sections: Vec<SectionConfig>,
    /// Answers that count as "not filled in" when they are all a section holds, compared ignoring
    /// case, list markers and trailing punctuation. `N/A`-like answers are accepted in sections that
    /// set `allow-na`.
    pub placeholders: Vec<String>,
    /// Regular expressions (Rust `regex` syntax, matched against each lower-cased line) for
    /// placeholder lines such as `<describe the change>` or `TODO: ...`.
    pub placeholder_patterns: Vec<String>,
    /// The Yes/No question about API contracts, and the paths that are contracts.
    pub contracts: ContractsRule,
    /// The section that lists added or changed endpoints, required when route or handler code changes.
    pub endpoints: EndpointsRule,
    /// The section that shows UI changes, required (with an image, a video or a link to one) when UI
    /// code changes.
    pub screenshots: ScreenshotsRule,
    /// The warning when source code changes without test changes.
    pub tests: TestsRule,
    /// The section describing AI assistance, required when the PR is AI-assisted.
    pub agent_metadata: AgentMetadataRule,
    /// Labels that must be present when some paths change, e.g. an architect's approval for contract
    /// changes. Replaces the defaults when given.
    pub approvals: Vec<ApprovalRule>,
    /// Sections whose checklist items (`- [ ]`) must all be ticked.
    pub checklists: ChecklistsRule,
    /// Whether the description must link an issue.
    pub issue_link: IssueLinkRule,
    /// Limits on which paths a PR may touch, e.g. for PRs with a given label.
    pub allowed_paths: Vec<AllowedPathsRule>,
    /// Line coverage from a report file, compared with a threshold.
    pub coverage: CoverageRule,
}

/// Whether errors fail the check.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum PrCriticMode {
    /// Errors fail the check (exit code 1).
    #[default]
    Enforce,
    /// Errors are reported but the check passes.
    Warn,
}

/// One section of the description, named by its heading.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SectionConfig {
    /// The section's heading, e.g. `Risk assessment & rollout plan`. Matched ignoring case, emoji,
    /// punctuation and parenthesized hints such as `(optional)`.
    pub name: String,
    /// An optional section is never required; it is still read by the rules that use it.
    #[serde(default)]
    pub optional: bool,
    /// Accept `N/A`, `n/a`, `NA` or `not applicable` as a filled-in answer.
    #[serde(default)]
    pub allow_na: bool,
    /// Require the section only when this condition holds; without it the section is always required
    /// (unless `optional`).
    #[serde(default)]
    pub when: Option<SectionCondition>,
}

/// When a conditional section is required. Any one of the listed triggers is enough.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct SectionCondition {
    /// Globs of changed paths (e.g. `**/migrations/**`) that make the section required.
    #[serde(deserialize_with = "repo_path::repo_globs")]
    pub paths: Vec<String>,
    /// Labels that make the section required when present on the PR.
    pub labels: Vec<String>,
    /// Require the section when the PR is AI-assisted (see `agent-metadata`).
    pub ai_assisted: bool,
}

/// The Yes/No question "were API contracts touched?" and its consistency with the diff.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct ContractsRule {
    /// Turn the rule off.
    pub enabled: bool,
    /// Headings that hold the answer; the first template section whose heading contains one of these
    /// (as whole words, ignoring case) is used.
    pub headings: Vec<String>,
    /// Globs of contract files. Answering "No" while one of these changed is an error that names the
    /// files; answering "Yes" while none changed is a warning.
    #[serde(deserialize_with = "repo_path::repo_globs")]
    pub paths: Vec<String>,
}

/// The endpoints section, required when route or handler code changes.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct EndpointsRule {
    /// Turn the rule off.
    pub enabled: bool,
    /// Headings of the endpoints section (whole words, ignoring case).
    pub headings: Vec<String>,
    /// Globs of route and handler code; changing one requires the endpoints section. Test files
    /// (see `tests.test-paths`) never trigger it.
    #[serde(deserialize_with = "repo_path::repo_globs")]
    pub paths: Vec<String>,
}

/// The screenshots section, required when UI code changes.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct ScreenshotsRule {
    /// Turn the rule off.
    pub enabled: bool,
    /// Headings of the screenshots section (whole words, ignoring case).
    pub headings: Vec<String>,
    /// Globs of UI code; changing one requires an image, a video or a link to one in the section.
    /// Test files (see `tests.test-paths`) never trigger it.
    #[serde(deserialize_with = "repo_path::repo_globs")]
    pub paths: Vec<String>,
    /// Hosts whose links count as media even without an image or video file extension, e.g. a
    /// screen-recording service. A host matches itself and its subdomains.
    pub media_hosts: Vec<String>,
}

/// The warning when source code changes without test changes.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct TestsRule {
    /// Turn the rule off.
    pub enabled: bool,
    /// Headings of the tests section (whole words, ignoring case).
    pub headings: Vec<String>,
    /// Globs of source code whose change calls for tests.
    #[serde(deserialize_with = "repo_path::repo_globs")]
    pub source_paths: Vec<String>,
    /// Globs of test code. A changed path that matches one of these is a test, never source.
    #[serde(deserialize_with = "repo_path::repo_globs")]
    pub test_paths: Vec<String>,
    /// Regular expressions (Rust `regex` syntax, matched against the lower-cased tests section) that
    /// count as an explanation of why no tests changed, e.g. `no behaviou?r change`.
    pub explanation_patterns: Vec<String>,
}

/// The agent-metadata section, required when the PR is AI-assisted.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct AgentMetadataRule {
    /// Turn the rule off.
    pub enabled: bool,
    /// Headings of the agent-metadata section (whole words, ignoring case).
    pub headings: Vec<String>,
    /// Labels that mark a PR as AI-assisted.
    pub labels: Vec<String>,
    /// Commit trailers that, naming one of `ai-tools`, mark a PR as AI-assisted.
    pub trailers: Vec<String>,
    /// Names of AI tools (and their vendors) looked for, as whole words ignoring case, in commit
    /// trailers and in declarations such as "generated with Claude".
    pub ai_tools: Vec<String>,
    /// Regular expressions (Rust `regex` syntax, matched against each lower-cased line of the
    /// description outside the template's own text) that declare the PR AI-assisted.
    pub declaration_patterns: Vec<String>,
}

/// A label that must be present when some paths change.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ApprovalRule {
    /// Globs of paths that need the approval.
    #[serde(deserialize_with = "repo_path::repo_globs")]
    pub paths: Vec<String>,
    /// The label that records the approval, e.g. `architect-approved`.
    pub label: String,
    /// What those paths are, for the report, e.g. `contract or shared-type files`.
    #[serde(default)]
    pub description: Option<String>,
}

/// Sections whose checklist items must all be ticked.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct ChecklistsRule {
    /// Headings of the checklist sections. Items inside HTML comments or struck through
    /// (`~~...~~`) do not count.
    pub sections: Vec<String>,
}

/// Whether the description must link an issue.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct IssueLinkRule {
    /// Require a closing reference such as `Fixes #12`, `Closes owner/repo#3` or `Resolves
    /// https://github.com/owner/repo/issues/3`, or a match of one of `patterns`.
    pub required: bool,
    /// Regular expressions (Rust `regex` syntax) that also count as a link, e.g. `[A-Z]+-\d+` for
    /// Jira keys. Matched case-sensitively against the description.
    pub patterns: Vec<String>,
}

/// Paths a PR may touch.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AllowedPathsRule {
    /// Apply the limit only to PRs with this label; without it the limit applies to every PR.
    #[serde(default)]
    pub label: Option<String>,
    /// Globs of the paths allowed; any other changed path is an error.
    #[serde(deserialize_with = "repo_path::repo_globs")]
    pub paths: Vec<String>,
}

/// Line coverage from a report file.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct CoverageRule {
    /// Path of the coverage report in the workspace: lcov (`lcov.info`), Cobertura XML
    /// (`coverage.xml`) or Istanbul json-summary (`coverage-summary.json`). Without it the rule is off.
    #[serde(deserialize_with = "repo_path::optional_repo_path")]
    pub report: Option<String>,
    /// Minimum line coverage, in percent.
    pub threshold: f64,
    /// Report coverage below the threshold as an error instead of a warning.
    pub fail_below: bool,
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// The contract globs, shared in spirit with `contracts-diff`.
const CONTRACT_PATHS: &[&str] = &[
    "packages/contracts/**",
    "packages/types/**",
    "**/openapi*.{yaml,yml,json}",
    "**/swagger*.{yaml,yml,json}",
    "**/asyncapi*.{yaml,yml,json}",
    "**/*.schema.json",
    "**/*.proto",
    "**/*.graphql",
    "**/*.gql",
];

impl ConfigSection for PrCriticConfig {
    const NAME: &'static str = "pr-critic";
}

impl Default for PrCriticConfig {
    fn default() -> Self {
        Self {
            mode: PrCriticMode::Enforce,
            template_paths: strings(&[
                ".github/pull_request_template.md",
                ".github/PULL_REQUEST_TEMPLATE.md",
                "PULL_REQUEST_TEMPLATE.md",
                "docs/pull_request_template.md",
            ]),
            use_template: true,
            sections: Vec::new(),
            placeholders: strings(&[
                "todo",
                "tbd",
                "tba",
                "fixme",
                "wip",
                "xxx",
                "...",
                "…",
                "-",
                "?",
                "n/a",
                "na",
                "n.a.",
                "not applicable",
                "coming soon",
                "to be added",
                "to be determined",
                "fill me in",
                "lorem ipsum",
            ]),
            placeholder_patterns: strings(&[
                r"^(todo|tbd|fixme)\b",
                r"^[<\[{(]\s*(describe|add|insert|explain|list|link|write|enter|fill|your|provide|summari[sz]e|paste)\b.*[>\]})]$",
            ]),
            contracts: ContractsRule::default(),
            endpoints: EndpointsRule::default(),
            screenshots: ScreenshotsRule::default(),
            tests: TestsRule::default(),
            agent_metadata: AgentMetadataRule::default(),
            approvals: vec![
                ApprovalRule {
                    paths: strings(CONTRACT_PATHS),
                    label: "architect-approved".to_owned(),
                    description: Some("contract or shared-type files".to_owned()),
                },
                ApprovalRule {
                    paths: strings(&["**/workers/**", "**/migrations/**"]),
                    label: "security-reviewed".to_owned(),
                    description: Some("worker or migration files".to_owned()),
                },
            ],
            checklists: ChecklistsRule::default(),
            issue_link: IssueLinkRule::default(),
            allowed_paths: Vec::new(),
            coverage: CoverageRule::default(),
        }
    }
}

impl Default for ContractsRule {
    fn default() -> Self {
        Self {
            enabled: true,
            headings: strings(&["contracts touched", "contracts", "contract changes"]),
            paths: strings(CONTRACT_PATHS),
        }
    }
}

impl Default for EndpointsRule {
    fn default() -> Self {
        Self {
            enabled: true,
            headings: strings(&["endpoints", "api changes", "routes"]),
            paths: strings(&[
                "**/routes/**",
                "**/router/**",
                "**/handlers/**",
                "**/controllers/**",
                "**/endpoints/**",
                "**/pages/api/**",
                "**/app/api/**",
                "**/urls.py",
            ]),
        }
    }
}

impl Default for ScreenshotsRule {
    fn default() -> Self {
        Self {
            enabled: true,
            headings: strings(&["screenshots", "screenshot", "screen recording", "demo"]),
            paths: strings(&[
                "**/*.{tsx,jsx,vue,svelte,css,scss,sass,less}",
                "**/components/**",
            ]),
            media_hosts: strings(&[
                "github.com/user-attachments",
                "user-images.githubusercontent.com",
                "private-user-images.githubusercontent.com",
                "loom.com",
                "imgur.com",
                "youtube.com",
                "youtu.be",
                "vimeo.com",
                "figma.com",
            ]),
        }
    }
}

impl Default for TestsRule {
    fn default() -> Self {
        Self {
            enabled: true,
            headings: strings(&["tests", "testing", "test plan", "how was this tested"]),
            source_paths: strings(&[
                "**/*.{rs,go,py,rb,php,java,kt,kts,scala,cs,fs,swift,m,mm,c,h,cc,cpp,hpp,ex,exs,erl,clj,dart,lua}",
                "**/*.{ts,tsx,js,jsx,mjs,cjs,vue,svelte}",
            ]),
            test_paths: strings(&[
                "**/tests/**",
                "**/test/**",
                "**/__tests__/**",
                "**/spec/**",
                "**/*_test.*",
                "**/*.test.*",
                "**/*.spec.*",
                "**/test_*.py",
                "**/*Test.{java,kt}",
            ]),
            explanation_patterns: strings(&[
                r"\bno (new |additional )?tests?\b",
                r"\b(tests? )?not (needed|required|applicable|possible|testable)\b",
                r"\buntestable\b",
                r"\bbecause\b",
                r"\b(already )?covered by\b",
                r"\bexisting tests?\b",
                r"\b(tested )?manually\b|\bmanual(ly)? test",
                r"\bno (functional|behaviou?r(al)?) changes?\b",
                r"\b(pure |only )?refactor(ing)?\b",
                r"\bdocs?[- ]only\b",
            ]),
        }
    }
}

impl Default for AgentMetadataRule {
    fn default() -> Self {
        Self {
            enabled: true,
            headings: strings(&[
                "agent metadata",
                "ai assistance",
                "ai disclosure",
                "ai usage",
            ]),
            labels: strings(&["ai-assisted"]),
            trailers: strings(&["Co-authored-by", "Assisted-by", "Generated-by"]),
            ai_tools: strings(&[
                "Claude",
                "Anthropic",
                "Copilot",
                "ChatGPT",
                "OpenAI",
                "Codex",
                "Cursor",
                "Gemini",
                "Devin",
                "Aider",
                "Windsurf",
                "Codeium",
                "Tabnine",
                "CodeWhisperer",
                "Amazon Q",
                "Cody",
                "Jules",
                "Junie",
                "Cline",
                "OpenHands",
            ]),
            declaration_patterns: strings(&[
                r"\bai[- ]assisted\b",
                r"\b(generated|written|created|authored|drafted) (with|by|using) (the help of )?(an? )?(ai|llm|coding agent)\b",
            ]),
        }
    }
}

impl Default for CoverageRule {
    fn default() -> Self {
        Self {
            report: None,
            threshold: 80.0,
            fail_below: false,
        }
    }
}
