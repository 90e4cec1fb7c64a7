//! What GitHub keeps per commit and per branch of a git-backed repository: check runs and commit statuses by
//! SHA, classic branch protection, and rulesets; and the refusal of a push that breaks them.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// A check run on a commit (`checks/create`, `checks/update`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckRun {
    pub id: u64,
    pub name: String,
    pub head_sha: String,
    /// queued, in_progress, completed (waiting, requested, pending are accepted too).
    pub status: String,
    /// success, failure, neutral, cancelled, skipped, timed_out, action_required; set when completed.
    pub conclusion: Option<String>,
    pub external_id: Option<String>,
    pub details_url: Option<String>,
    pub output_title: Option<String>,
    pub output_summary: Option<String>,
    pub output_text: Option<String>,
    /// The app that created it: `github-actions` for the workflow token, else the caller's login.
    pub app_slug: String,
    pub started_at: Timestamp,
    pub completed_at: Option<Timestamp>,
}

/// A commit status (`repos/create-commit-status`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitStatus {
    pub id: u64,
    pub sha: String,
    /// error, failure, pending, success.
    pub state: String,
    pub context: String,
    pub description: Option<String>,
    pub target_url: Option<String>,
    pub creator: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Classic branch protection of one branch: the parts that gate pushes and merges.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchProtection {
    /// Contexts (check run names or status contexts) that must be green on the new head.
    pub required_status_checks: Vec<String>,
    /// "Require branches to be up to date before merging".
    pub strict: bool,
    /// "Require a pull request before merging": direct pushes are refused unless the pusher may bypass.
    pub require_pull_request: bool,
    pub allow_force_pushes: bool,
    pub allow_deletions: bool,
    /// Logins that may push anyway (admins with `enforce_admins` off, apps on the bypass list).
    pub bypass: Vec<String>,
}

impl BranchProtection {
    pub fn new() -> BranchProtection {
        BranchProtection::default()
    }

    pub fn required_checks(mut self, contexts: &[&str]) -> BranchProtection {
        self.required_status_checks = contexts.iter().map(|c| (*c).to_owned()).collect();
        self
    }

    pub fn strict(mut self, strict: bool) -> BranchProtection {
        self.strict = strict;
        self
    }

    pub fn require_pull_request(mut self) -> BranchProtection {
        self.require_pull_request = true;
        self
    }

    pub fn allow_force_pushes(mut self) -> BranchProtection {
        self.allow_force_pushes = true;
        self
    }

    pub fn allow_deletions(mut self) -> BranchProtection {
        self.allow_deletions = true;
        self
    }

    pub fn bypass(mut self, login: &str) -> BranchProtection {
        self.bypass.push(login.to_owned());
        self
    }
}

/// A repository (or organisation) ruleset targeting branches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ruleset {
    pub id: u64,
    pub name: String,
    /// `Repository` or `Organization`, as GitHub's `ruleset_source_type`.
    pub source_type: String,
    /// `owner/name` for a repository ruleset, the organisation's login otherwise.
    pub source: String,
    /// Branch name patterns (fnmatch, as GitHub's `ref_name.include`), e.g. `main`, `release/*`, or
    /// `~DEFAULT_BRANCH` / `~ALL`.
    pub include: Vec<String>,
    /// Rules as GitHub lists them: `{"type": "required_status_checks", "parameters": {...}}`, ...
    pub rules: Vec<serde_json::Value>,
    /// Logins on the ruleset's bypass list.
    pub bypass: Vec<String>,
}

impl Ruleset {
    /// Whether the ruleset targets `branch` of a repository whose default branch is `default_branch`.
    pub fn targets(&self, branch: &str, default_branch: &str) -> bool {
        self.include.iter().any(|pattern| match pattern.as_str() {
            "~ALL" => true,
            "~DEFAULT_BRANCH" => branch == default_branch,
            pattern => {
                let pattern = pattern.trim_start_matches("refs/heads/");
                globset::GlobBuilder::new(pattern)
                    .literal_separator(true)
                    .build()
                    .map(|g| g.compile_matcher().is_match(branch))
                    .unwrap_or(false)
            }
        })
    }

    fn has_rule(&self, kind: &str) -> bool {
        self.rules.iter().any(|r| r["type"] == kind)
    }

    /// Contexts of this ruleset's `required_status_checks` rules.
    pub fn required_contexts(&self) -> Vec<String> {
        self.rules
            .iter()
            .filter(|r| r["type"] == "required_status_checks")
            .flat_map(|r| {
                r["parameters"]["required_status_checks"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
            })
            .filter_map(|c| c["context"].as_str().map(str::to_owned))
            .collect()
    }
}

/// A change to a branch that protection and rulesets judge.
pub struct Push<'a> {
    pub branch: &'a str,
    pub login: &'a str,
    /// The new head; `None` for a deletion.
    pub new: Option<&'a str>,
    /// Whether the change is a fast-forward (deletions and creations count as such).
    pub fast_forward: bool,
    /// Whether it is the merge of a pull request (which satisfies "require a pull request").
    pub via_pull_request: bool,
}

/// Why GitHub would refuse `push`, or `None`. `passing(sha, context)` says whether a required check is green.
pub fn refusal(
    protection: Option<&BranchProtection>,
    rulesets: &[&Ruleset],
    push: &Push<'_>,
    passing: &dyn Fn(&str, &str) -> bool,
) -> Option<String> {
    let full_ref = format!("refs/heads/{}", push.branch);
    if let Some(protection) = protection {
        let bypass = protection.bypass.iter().any(|l| l == push.login);
        let mut reasons: Vec<String> = Vec::new();
        match push.new {
            None if !protection.allow_deletions => {
                reasons.push("Cannot delete this protected branch".to_owned())
            }
            Some(_) if !push.fast_forward && !protection.allow_force_pushes => {
                reasons.push("Cannot force-push to this protected branch".to_owned())
            }
            _ => {}
        }
        if !bypass && push.new.is_some() {
            if protection.require_pull_request && !push.via_pull_request {
                reasons.push("Changes must be made through a pull request.".to_owned());
            }
            if let Some(new) = push.new {
                for context in &protection.required_status_checks {
                    if !passing(new, context) {
                        reasons.push(format!("Required status check \"{context}\" is expected."));
                    }
                }
            }
        }
        if !reasons.is_empty() {
            // git push prints "GH006: Protected branch update failed for refs/heads/main." and the reasons.
            return Some(format!(
                "Protected branch update failed for {full_ref}.\n\n{}",
                reasons.join("\n")
            ));
        }
    }
    let mut violations: Vec<String> = Vec::new();
    for ruleset in rulesets {
        if ruleset.bypass.iter().any(|l| l == push.login) {
            continue;
        }
        match push.new {
            None if ruleset.has_rule("deletion") => {
                violations.push("Cannot delete this branch".to_owned())
            }
            Some(_) if !push.fast_forward && ruleset.has_rule("non_fast_forward") => {
                violations.push("Cannot force-push to this branch".to_owned())
            }
            _ => {}
        }
        if let Some(new) = push.new {
            if ruleset.has_rule("pull_request") && !push.via_pull_request {
                violations.push("Changes must be made through a pull request.".to_owned());
            }
            let missing: Vec<String> = ruleset
                .required_contexts()
                .into_iter()
                .filter(|c| !passing(new, c))
                .collect();
            match missing.len() {
                0 => {}
                1 => violations.push(format!(
                    "Required status check \"{}\" is expected.",
                    missing[0]
                )),
                n => violations.push(format!("{n} of {n} required status checks are expected.")),
            }
        }
    }
    if violations.is_empty() {
        return None;
    }
    violations.dedup();
    // The REST API's answer to a ref update that breaks a ruleset.
    Some(format!(
        "Repository rule violations found\n\n{}\n\n",
        violations.join("\n\n")
    ))
}
