//! Every rule, positive and negative, through `plan` as the action and the CLI use it.

use guardians_core::runner::Plan as _;
use pr_critic::config::{
    AllowedPathsRule, ApprovalRule, PrCriticConfig, PrCriticMode, SectionCondition, SectionConfig,
    parse_guardians_yml,
};
use pr_critic::facts::{CoverageInput, Facts, SourceFile};
use pr_critic::finding::{Finding, RuleId, Status};
use pr_critic::plan::{Plan, plan};
use pr_critic::policy::Policy;

const REFERENCE: &str = include_str!("data/reference/pull_request_template.md");
const FILLED: &str = include_str!("data/reference/body_filled.md");

struct Pr<'a> {
    template: Option<&'a str>,
    body: Option<&'a str>,
    changed: &'a [&'a str],
    labels: &'a [&'a str],
    commits: &'a [&'a str],
    coverage: Option<&'a str>,
    config: PrCriticConfig,
}

impl Default for Pr<'_> {
    fn default() -> Self {
        Self {
            template: Some(REFERENCE),
            body: Some(FILLED),
            changed: &[],
            labels: &[],
            commits: &[],
            coverage: None,
            config: PrCriticConfig::default(),
        }
    }
}

fn check(pr: Pr<'_>) -> Plan {
    let policy = Policy::compile(&pr.config).expect("the test config compiles");
    let facts = Facts {
        body: pr.body.map(str::to_owned),
        template: pr.template.map(|text| SourceFile {
            path: ".github/pull_request_template.md".to_owned(),
            text: text.to_owned(),
        }),
        changed_files: pr.changed.iter().map(|s| (*s).to_owned()).collect(),
        changed_files_unknown: false,
        labels: pr.labels.iter().map(|s| (*s).to_owned()).collect(),
        commit_messages: pr.commits.iter().map(|s| (*s).to_owned()).collect(),
        coverage: pr.coverage.map(|text| CoverageInput {
            path: "coverage.out".to_owned(),
            contents: Ok(text.to_owned()),
        }),
    };
    plan(&facts, &policy)
}

/// The finding of `rule` whose subject contains `subject`.
fn finding<'a>(plan: &'a Plan, rule: RuleId, subject: &str) -> &'a Finding {
    plan.findings
        .iter()
        .find(|f| f.rule == rule && f.subject.contains(subject))
        .unwrap_or_else(|| {
            panic!(
                "no {rule:?} finding about {subject:?} in {:#?}",
                plan.findings
            )
        })
}

fn status(plan: &Plan, rule: RuleId, subject: &str) -> Status {
    finding(plan, rule, subject).status
}

/// The filled reference body with one section's content replaced.
fn with_section(heading: &str, content: &str) -> String {
    let start = FILLED
        .find(&format!("## {heading}"))
        .unwrap_or_else(|| panic!("no {heading}"));
    let content_start = start + FILLED[start..].find('\n').expect("heading line") + 1;
    let end = FILLED[content_start..]
        .find("\n## ")
        .map_or(FILLED.len(), |at| content_start + at + 1);
    format!(
        "{}{content}\n\n{}",
        &FILLED[..content_start],
        &FILLED[end..]
    )
}

// ---------------------------------------------------------------- sections

#[test]
fn the_filled_reference_body_passes_every_section() {
    let plan = check(Pr::default());
    assert!(plan.verdict.passed, "{}", plan.markdown());
    for heading in ["Scope", "Tests added", "Risk assessment"] {
        assert_eq!(status(&plan, RuleId::Section, heading), Status::Passed);
    }
}

#[test]
fn a_missing_section_is_an_error() {
    let body = FILLED.replace("## Risk assessment & rollout plan", "## Risks");
    let plan = check(Pr {
        body: Some(&body),
        ..Pr::default()
    });
    let risk = finding(&plan, RuleId::Section, "Risk assessment");
    assert_eq!(risk.status, Status::Error);
    assert_eq!(risk.message, "missing from the description.");
    assert!(
        risk.fix
            .as_deref()
            .unwrap_or("")
            .contains("a section headed “Risk assessment \\& rollout plan”"),
        "the heading is quoted as a reader sees it, without `##`"
    );
}

#[test]
fn an_empty_or_comment_only_section_is_an_error() {
    for content in [
        "",
        "<!-- I will fill this in later -->",
        "<!--\nmulti\nline\n-->",
    ] {
        let body = with_section("Scope", content);
        let plan = check(Pr {
            body: Some(&body),
            ..Pr::default()
        });
        let scope = finding(&plan, RuleId::Section, "Scope");
        assert_eq!(scope.status, Status::Error, "{content:?}");
        assert!(
            scope.message.starts_with("empty"),
            "{content:?}: {}",
            scope.message
        );
    }
}

#[test]
fn the_templates_own_text_is_not_an_answer() {
    let template =
        "## Summary\nDescribe the change in one sentence.\n\n## Risk\n- [ ] Low\n- [ ] High\n";
    let plan = check(Pr {
        template: Some(template),
        body: Some(
            "## Summary\ndescribe the change  in one sentence.\n\n## Risk\n- [x] Low\n- [ ] High\n",
        ),
        ..Pr::default()
    });
    let summary = finding(&plan, RuleId::Section, "Summary");
    assert_eq!(summary.status, Status::Error);
    assert_eq!(summary.message, "still only the template's text.");
    assert_eq!(status(&plan, RuleId::Section, "Risk"), Status::Passed);
}

#[test]
fn placeholders_are_not_answers_unless_na_is_allowed() {
    for placeholder in [
        "TODO",
        "tbd.",
        "- N/A",
        "**TBD**",
        "...",
        "TODO: fill in",
        "<describe the risk>",
    ] {
        let body = with_section("Risk assessment & rollout plan", placeholder);
        let plan = check(Pr {
            body: Some(&body),
            ..Pr::default()
        });
        let risk = finding(&plan, RuleId::Section, "Risk assessment");
        assert_eq!(risk.status, Status::Error, "{placeholder:?}");
        assert!(
            risk.message.starts_with("only a placeholder"),
            "{placeholder:?}"
        );
    }
    let body = with_section("Risk assessment & rollout plan", "N/A");
    let mut config = PrCriticConfig::default();
    config.sections.push(SectionConfig {
        name: "risk assessment & rollout plan".to_owned(),
        optional: false,
        allow_na: true,
        when: None,
    });
    let plan = check(Pr {
        body: Some(&body),
        config,
        ..Pr::default()
    });
    assert_eq!(
        status(&plan, RuleId::Section, "Risk assessment"),
        Status::Passed
    );
}

#[test]
fn headings_match_across_case_emoji_levels_and_setext() {
    let body = FILLED.replace("## Scope", "# 🎯 SCOPE").replace(
        "## Risk assessment & rollout plan\n",
        "Risk assessment and rollout plan\n---\n",
    );
    let plan = check(Pr {
        body: Some(&body),
        ..Pr::default()
    });
    assert_eq!(status(&plan, RuleId::Section, "Scope"), Status::Passed);
    assert_eq!(
        status(&plan, RuleId::Section, "Risk assessment"),
        Status::Passed
    );
}

#[test]
fn crlf_line_endings_are_read_like_lf() {
    let body = FILLED.replace('\n', "\r\n");
    let template = REFERENCE.replace('\n', "\r\n");
    let plan = check(Pr {
        template: Some(&template),
        body: Some(&body),
        changed: &["packages/contracts/users.yaml"],
        labels: &["architect-approved", "ai-assisted"],
        ..Pr::default()
    });
    assert!(plan.verdict.passed, "{}", plan.markdown());
    let untouched = check(Pr {
        template: Some(&template),
        body: Some(&REFERENCE.replace('\n', "\r\n")),
        ..Pr::default()
    });
    assert_eq!(status(&untouched, RuleId::Section, "Scope"), Status::Error);
}

#[test]
fn a_hash_inside_a_code_fence_is_not_a_heading() {
    let body = with_section(
        "Scope",
        "Adds a migration script:\n\n```sh\n# Risk assessment & rollout plan\nrun-it\n```",
    )
    .replace("## Risk assessment & rollout plan", "## Elsewhere");
    let plan = check(Pr {
        body: Some(&body),
        ..Pr::default()
    });
    assert_eq!(status(&plan, RuleId::Section, "Scope"), Status::Passed);
    assert_eq!(
        finding(&plan, RuleId::Section, "Risk assessment").message,
        "missing from the description."
    );
}

#[test]
fn nested_lists_fill_a_section() {
    let body = with_section(
        "Risk assessment & rollout plan",
        "- Rollout\n  - staff first\n    - then everyone",
    );
    let plan = check(Pr {
        body: Some(&body),
        ..Pr::default()
    });
    assert_eq!(
        status(&plan, RuleId::Section, "Risk assessment"),
        Status::Passed
    );
}

#[test]
fn optional_sections_are_not_required() {
    let template = "## Summary\n\n## Notes (optional)\n\n## Follow-ups\n";
    let mut config = PrCriticConfig::default();
    config.sections.push(SectionConfig {
        name: "Follow-ups".to_owned(),
        optional: true,
        allow_na: false,
        when: None,
    });
    let plan = check(Pr {
        template: Some(template),
        body: Some("## Summary\nFixes the crash.\n"),
        config,
        ..Pr::default()
    });
    assert!(plan.verdict.passed, "{}", plan.markdown());
    assert_eq!(
        status(&plan, RuleId::Section, "Notes"),
        Status::NotApplicable
    );
    assert_eq!(
        status(&plan, RuleId::Section, "Follow-ups"),
        Status::NotApplicable
    );
}

#[test]
fn conditional_sections_are_required_when_their_condition_holds() {
    let template = "## Summary\n\n## Migration notes\n<!-- order of deploys -->\n";
    let config = || {
        let mut config = PrCriticConfig::default();
        config.sections.push(SectionConfig {
            name: "Migration notes".to_owned(),
            optional: false,
            allow_na: false,
            when: Some(SectionCondition {
                paths: vec!["**/migrations/**".to_owned()],
                labels: vec!["db".to_owned()],
                ai_assisted: false,
            }),
        });
        config
    };
    let body = "## Summary\nAdds a column.\n\n## Migration notes\n";
    let by_path = check(Pr {
        template: Some(template),
        body: Some(body),
        changed: &["db/migrations/0001_add.sql"],
        labels: &["security-reviewed"],
        config: config(),
        ..Pr::default()
    });
    let notes = finding(&by_path, RuleId::Section, "Migration notes");
    assert_eq!(notes.status, Status::Error);
    assert_eq!(notes.files, vec!["db/migrations/0001_add.sql"]);
    let by_label = check(Pr {
        template: Some(template),
        body: Some(body),
        labels: &["db"],
        config: config(),
        ..Pr::default()
    });
    assert_eq!(
        status(&by_label, RuleId::Section, "Migration notes"),
        Status::Error
    );
    let neither = check(Pr {
        template: Some(template),
        body: Some(body),
        changed: &["src/app.py", "tests/test_app.py"],
        config: config(),
        ..Pr::default()
    });
    assert_eq!(
        status(&neither, RuleId::Section, "Migration notes"),
        Status::NotApplicable
    );
}

#[test]
fn configured_sections_are_required_without_a_template() {
    let mut config = PrCriticConfig::default();
    config.sections.push(SectionConfig {
        name: "Changelog".to_owned(),
        optional: false,
        allow_na: false,
        when: None,
    });
    let plan = check(Pr {
        template: None,
        body: Some("## Changelog\nFixed: crash on empty input.\n"),
        config: config.clone(),
        ..Pr::default()
    });
    assert_eq!(status(&plan, RuleId::Section, "Changelog"), Status::Passed);
    let plan = check(Pr {
        template: None,
        body: Some("Just text."),
        config,
        ..Pr::default()
    });
    assert_eq!(status(&plan, RuleId::Section, "Changelog"), Status::Error);
}

#[test]
fn without_template_or_sections_nothing_is_required_and_the_report_says_so() {
    let plan = check(Pr {
        template: None,
        body: Some("Anything."),
        ..Pr::default()
    });
    assert!(plan.verdict.passed);
    assert!(
        plan.markdown().contains("No PR template was found"),
        "{}",
        plan.markdown()
    );
    assert!(
        plan.markdown().contains("No section is required"),
        "{}",
        plan.markdown()
    );
}

// ---------------------------------------------------------------- yes/no and contracts

#[test]
fn a_yes_no_question_needs_exactly_one_answer() {
    let template = "## Breaking change?\n- [ ] Yes\n- [ ] No\n";
    let answer = |body: &str| {
        let plan = check(Pr {
            template: Some(template),
            body: Some(body),
            ..Pr::default()
        });
        finding(&plan, RuleId::YesNo, "Breaking").clone()
    };
    assert_eq!(
        answer("## Breaking change?\n- [ ] Yes\n- [x] No\n").message,
        "answered No."
    );
    assert_eq!(
        answer("## Breaking change?\nYes, `parse` now returns a Result.\n").message,
        "answered Yes."
    );
    let none = answer("## Breaking change?\n- [ ] Yes\n- [ ] No\n");
    assert_eq!(
        (none.status, none.message.as_str()),
        (Status::Error, "no Yes/No answer.")
    );
    let both = answer("## Breaking change?\n- [x] Yes\n- [x] No\n");
    assert_eq!(
        (both.status, both.message.as_str()),
        (Status::Error, "answered both Yes and No.")
    );
}

#[test]
fn contracts_no_while_contract_files_changed_is_an_error_naming_them() {
    let body = FILLED.replace("- [x] Yes\n- [ ] No", "- [ ] Yes\n- [x] No");
    let plan = check(Pr {
        body: Some(&body),
        changed: &[
            "packages/contracts/users.yaml",
            "api/openapi.yaml",
            "src/app.ts",
        ],
        labels: &["architect-approved", "ai-assisted"],
        ..Pr::default()
    });
    let contracts = finding(&plan, RuleId::Contracts, "Contracts touched");
    assert_eq!(contracts.status, Status::Error);
    assert_eq!(
        contracts.files,
        vec!["packages/contracts/users.yaml", "api/openapi.yaml"]
    );
    assert!(
        plan.markdown()
            .contains("`packages/contracts/users.yaml`, `api/openapi.yaml`")
    );
}

#[test]
fn contracts_yes_without_contract_changes_is_a_warning() {
    let plan = check(Pr {
        changed: &["README.md"],
        labels: &["ai-assisted"],
        ..Pr::default()
    });
    let contracts = finding(&plan, RuleId::Contracts, "Contracts touched");
    assert_eq!(contracts.status, Status::Warning);
    assert!(plan.verdict.passed, "a warning does not fail the check");
}

#[test]
fn contracts_answers_consistent_with_the_diff_pass() {
    let yes = check(Pr {
        changed: &["proto/users/v1/users.proto"],
        labels: &["architect-approved", "ai-assisted"],
        ..Pr::default()
    });
    assert_eq!(status(&yes, RuleId::Contracts, "Contracts"), Status::Passed);
    let body = FILLED.replace("- [x] Yes\n- [ ] No", "Contracts touched: No");
    let no = check(Pr {
        body: Some(&body),
        changed: &["README.md"],
        ..Pr::default()
    });
    assert_eq!(
        finding(&no, RuleId::Contracts, "Contracts").message,
        "answered No; no contract file changed."
    );
}

// ---------------------------------------------------------------- endpoints

#[test]
fn endpoints_are_required_when_route_files_change() {
    let body = with_section("Endpoints added/changed", "<!-- none -->");
    let plan = check(Pr {
        body: Some(&body),
        changed: &["src/routes/users.ts", "src/routes/users.test.ts"],
        ..Pr::default()
    });
    let endpoints = finding(&plan, RuleId::Endpoints, "Endpoints");
    assert_eq!(endpoints.status, Status::Error);
    assert_eq!(
        endpoints.files,
        vec!["src/routes/users.ts"],
        "tests never trigger it"
    );
    let filled = check(Pr {
        changed: &["api/handlers/sessions.go"],
        ..Pr::default()
    });
    assert_eq!(
        status(&filled, RuleId::Endpoints, "Endpoints"),
        Status::Passed
    );
}

#[test]
fn endpoints_are_not_required_without_route_changes() {
    let body = with_section("Endpoints added/changed", "");
    let plan = check(Pr {
        body: Some(&body),
        changed: &["src/routes/users.test.ts", "docs/api.md"],
        ..Pr::default()
    });
    assert_eq!(
        status(&plan, RuleId::Endpoints, "Endpoints"),
        Status::NotApplicable
    );
}

// ---------------------------------------------------------------- screenshots

#[test]
fn screenshots_need_media_when_ui_files_change() {
    let ui = &["web/src/components/SessionList.tsx"][..];
    let shows = |content: &str| {
        let body = with_section("Screenshots (for UI changes)", content);
        let plan = check(Pr {
            body: Some(&body),
            changed: ui,
            ..Pr::default()
        });
        finding(&plan, RuleId::Screenshots, "Screenshots").clone()
    };
    for media in [
        "![after](https://example.com/after.png)",
        "<img width=\"400\" src=\"https://github.com/user-attachments/assets/1f2e\">",
        "https://github.com/user-attachments/assets/5a6b7c",
        "Recording: [demo](https://www.loom.com/share/abc123)",
        "<video src=\"https://example.com/demo.mp4\" controls></video>",
    ] {
        assert_eq!(shows(media).status, Status::Passed, "{media:?}");
    }
    let text_only = shows("Looks the same as before, trust me.");
    assert_eq!(text_only.status, Status::Error);
    assert!(
        text_only
            .message
            .starts_with("no image, video or link to one")
    );
    assert_eq!(text_only.files, ui);
    assert_eq!(
        shows("[the docs](https://example.com/docs)").status,
        Status::Error
    );
}

#[test]
fn screenshots_are_not_required_without_ui_changes() {
    let plan = check(Pr {
        changed: &["src/server.rs", "web/src/Button.test.tsx"],
        ..Pr::default()
    });
    assert_eq!(
        status(&plan, RuleId::Screenshots, "Screenshots"),
        Status::NotApplicable
    );
}

// ---------------------------------------------------------------- tests

#[test]
fn source_changes_without_tests_are_a_warning() {
    let body = with_section("Tests added (with coverage)", "Added a few.");
    let plan = check(Pr {
        body: Some(&body),
        changed: &["src/billing.py"],
        ..Pr::default()
    });
    let tests = finding(&plan, RuleId::Tests, "Tests");
    assert_eq!(tests.status, Status::Warning);
    assert_eq!(tests.files, vec!["src/billing.py"]);
}

#[test]
fn source_changes_with_tests_or_an_explanation_pass() {
    let with_tests = check(Pr {
        changed: &["src/billing.py", "tests/test_billing.py"],
        ..Pr::default()
    });
    assert_eq!(status(&with_tests, RuleId::Tests, "Tests"), Status::Passed);
    let body = with_section(
        "Tests added (with coverage)",
        "No new tests: pure refactor, no behaviour change.",
    );
    let explained = check(Pr {
        body: Some(&body),
        changed: &["src/billing.py"],
        ..Pr::default()
    });
    assert_eq!(status(&explained, RuleId::Tests, "Tests"), Status::Passed);
    let docs = check(Pr {
        changed: &["docs/guide.md"],
        ..Pr::default()
    });
    assert_eq!(status(&docs, RuleId::Tests, "Tests"), Status::NotApplicable);
}

// ---------------------------------------------------------------- agent metadata

#[test]
fn agent_metadata_is_required_when_the_pr_is_ai_assisted() {
    let body = with_section("Agent metadata (if AI-assisted)", "<!-- Tool and model -->");
    let by_label = check(Pr {
        body: Some(&body),
        labels: &["ai-assisted"],
        ..Pr::default()
    });
    assert_eq!(
        status(&by_label, RuleId::AgentMetadata, "Agent metadata"),
        Status::Error
    );
    let by_trailer = check(Pr {
        body: Some(&body),
        commits: &["Fix\n\nCo-authored-by: Claude <noreply@anthropic.com>"],
        ..Pr::default()
    });
    assert_eq!(
        status(&by_trailer, RuleId::AgentMetadata, "Agent metadata"),
        Status::Error
    );
    let declared = with_section("Scope", "Adds the thing.\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)")
        .replace("- Tool: Claude Code (Claude Sonnet 4.5)\n- Used for: a first draft of the handler and of the tests.\n- Review: every line read; two tests added by hand.", "");
    let by_body = check(Pr {
        body: Some(&declared),
        ..Pr::default()
    });
    assert_eq!(
        status(&by_body, RuleId::AgentMetadata, "Agent metadata"),
        Status::Error
    );
    let filled = check(Pr {
        labels: &["ai-assisted"],
        ..Pr::default()
    });
    assert_eq!(
        status(&filled, RuleId::AgentMetadata, "Agent metadata"),
        Status::Passed
    );
}

#[test]
fn agent_metadata_is_not_required_otherwise() {
    let body = with_section("Agent metadata (if AI-assisted)", "");
    let plan = check(Pr {
        body: Some(&body),
        commits: &["Fix\n\nCo-authored-by: Jane Doe <jane@example.com>"],
        ..Pr::default()
    });
    assert_eq!(
        status(&plan, RuleId::AgentMetadata, "Agent metadata"),
        Status::NotApplicable
    );
}

// ---------------------------------------------------------------- approvals

#[test]
fn a_missing_approval_label_is_an_error_naming_the_files() {
    let plan = check(Pr {
        changed: &[
            "packages/types/user.ts",
            "services/workers/email.ts",
            "README.md",
        ],
        labels: &["ai-assisted"],
        ..Pr::default()
    });
    let architect = finding(&plan, RuleId::Approval, "architect-approved");
    assert_eq!(architect.status, Status::Error);
    assert_eq!(architect.files, vec!["packages/types/user.ts"]);
    let security = finding(&plan, RuleId::Approval, "security-reviewed");
    assert_eq!(security.status, Status::Error);
    assert_eq!(security.files, vec!["services/workers/email.ts"]);
}

#[test]
fn the_verdict_turns_green_once_the_label_is_added() {
    let pr = || Pr {
        changed: &["packages/contracts/users.yaml"],
        ..Pr::default()
    };
    let before = check(Pr {
        labels: &["ai-assisted"],
        ..pr()
    });
    assert!(before.verdict.fails_check);
    assert!(before.markdown().contains("❌"));
    let after = check(Pr {
        labels: &["ai-assisted", "Architect-Approved"],
        ..pr()
    });
    assert!(after.verdict.passed, "{}", after.markdown());
    assert!(
        !after.markdown().contains("❌"),
        "nothing stale stays red:\n{}",
        after.markdown()
    );
    assert!(after.markdown().starts_with("### ✅"));
}

#[test]
fn configured_approvals_replace_the_defaults() {
    let config = PrCriticConfig {
        approvals: vec![ApprovalRule {
            paths: vec!["infra/**".to_owned()],
            label: "sre-approved".to_owned(),
            description: None,
        }],
        ..PrCriticConfig::default()
    };
    let plan = check(Pr {
        changed: &["infra/main.tf", "packages/contracts/users.yaml"],
        labels: &["ai-assisted"],
        config,
        ..Pr::default()
    });
    assert_eq!(
        status(&plan, RuleId::Approval, "sre-approved"),
        Status::Error
    );
    assert!(
        plan.findings
            .iter()
            .all(|f| !f.subject.contains("architect-approved"))
    );
}

// ---------------------------------------------------------------- checklists

const CHECKLIST_TEMPLATE: &str = "## Summary\n\n## Checklist\n- [ ] Docs updated\n- [ ] Changelog entry\n<!-- - [ ] Benchmarks (performance work only) -->\n";

fn checklist_plan(body: &str) -> Plan {
    let mut config = PrCriticConfig::default();
    config.checklists.sections = vec!["Checklist".to_owned()];
    check(Pr {
        template: Some(CHECKLIST_TEMPLATE),
        body: Some(body),
        config,
        ..Pr::default()
    })
}

#[test]
fn every_checklist_item_must_be_ticked() {
    let plan = checklist_plan(
        "## Summary\nx\n## Checklist\n- [x] Docs updated\n- [ ] Changelog entry\n- [ ] My own extra item\n",
    );
    let checklist = finding(&plan, RuleId::Checklist, "Checklist");
    assert_eq!(checklist.status, Status::Error);
    assert_eq!(
        checklist.message,
        "2 of 3 items not ticked: “Changelog entry” and 1 other item."
    );
    assert!(
        !plan.markdown().contains("My own extra item"),
        "the author's text is not echoed"
    );
}

#[test]
fn commented_and_struck_items_do_not_count() {
    let plan = checklist_plan(
        "## Summary\nx\n## Checklist\n- [x] Docs updated\n- [ ] ~~Changelog entry~~\n<!-- - [ ] Benchmarks (performance work only) -->\n",
    );
    assert_eq!(
        status(&plan, RuleId::Checklist, "Checklist"),
        Status::Passed
    );
    let removed = checklist_plan("## Summary\nx\n## Checklist\nAll done.\n");
    assert_eq!(
        status(&removed, RuleId::Checklist, "Checklist"),
        Status::Error
    );
}

// ---------------------------------------------------------------- issue link

fn issue_plan(body: &str, patterns: &[&str]) -> Plan {
    let mut config = PrCriticConfig::default();
    config.issue_link.required = true;
    config.issue_link.patterns = patterns.iter().map(|p| (*p).to_owned()).collect();
    check(Pr {
        template: None,
        body: Some(body),
        config,
        ..Pr::default()
    })
}

#[test]
fn a_linked_issue_is_found() {
    for body in [
        "Fixes #12",
        "closes owner/repo#3",
        "Resolves https://github.com/o/r/issues/9",
    ] {
        assert_eq!(
            status(&issue_plan(body, &[]), RuleId::IssueLink, "Linked issue"),
            Status::Passed,
            "{body}"
        );
    }
    assert_eq!(
        status(
            &issue_plan("Part of PAY-1234.", &[r"\b[A-Z]+-\d+\b"]),
            RuleId::IssueLink,
            "Linked"
        ),
        Status::Passed
    );
}

#[test]
fn a_missing_issue_link_is_an_error_when_required() {
    let plan = issue_plan("Mentions #12 but closes nothing. <!-- Fixes #13 -->", &[]);
    assert_eq!(
        status(&plan, RuleId::IssueLink, "Linked issue"),
        Status::Error
    );
    let optional = check(Pr {
        template: None,
        body: Some("No link."),
        ..Pr::default()
    });
    assert!(
        optional
            .findings
            .iter()
            .all(|f| f.rule != RuleId::IssueLink)
    );
}

// ---------------------------------------------------------------- allowed paths

fn allowed_plan(changed: &[&str], labels: &[&str], label: Option<&str>) -> Plan {
    let config = PrCriticConfig {
        allowed_paths: vec![AllowedPathsRule {
            label: label.map(str::to_owned),
            paths: vec!["docs/**".to_owned(), "**/*.md".to_owned()],
        }],
        ..PrCriticConfig::default()
    };
    check(Pr {
        template: None,
        body: Some("Docs."),
        changed,
        labels,
        config,
        ..Pr::default()
    })
}

#[test]
fn files_outside_the_allowed_paths_are_an_error() {
    let plan = allowed_plan(
        &["docs/a.md", "src/main.rs"],
        &["docs-only"],
        Some("docs-only"),
    );
    let allowed = finding(&plan, RuleId::AllowedPaths, "Allowed paths");
    assert_eq!(allowed.status, Status::Error);
    assert_eq!(allowed.files, vec!["src/main.rs"]);
    let always = allowed_plan(&["src/main.rs"], &[], None);
    assert_eq!(
        status(&always, RuleId::AllowedPaths, "Allowed paths"),
        Status::Error
    );
}

#[test]
fn allowed_paths_pass_inside_or_without_the_label() {
    let inside = allowed_plan(
        &["docs/a.md", "README.md"],
        &["docs-only"],
        Some("docs-only"),
    );
    assert_eq!(
        status(&inside, RuleId::AllowedPaths, "Allowed paths"),
        Status::Passed
    );
    let unlabelled = allowed_plan(&["src/main.rs"], &[], Some("docs-only"));
    assert_eq!(
        status(&unlabelled, RuleId::AllowedPaths, "Allowed paths"),
        Status::NotApplicable
    );
}

// ---------------------------------------------------------------- coverage

fn coverage_plan(report: &str, fail_below: bool) -> Plan {
    let mut config = PrCriticConfig::default();
    config.coverage.fail_below = fail_below;
    check(Pr {
        template: None,
        body: Some("x"),
        coverage: Some(report),
        config,
        ..Pr::default()
    })
}

#[test]
fn coverage_at_or_above_the_threshold_passes() {
    let plan = coverage_plan("SF:a.rs\nLF:10\nLH:8\nend_of_record\n", false);
    let coverage = finding(&plan, RuleId::Coverage, "Coverage");
    assert_eq!(coverage.status, Status::Passed);
    assert_eq!(
        coverage.message,
        "line coverage is 80% (8 of 10 lines), at or above 80%."
    );
}

#[test]
fn coverage_below_the_threshold_warns_or_fails_as_configured() {
    let cobertura = r#"<?xml version="1.0"?><coverage lines-valid="200" lines-covered="150" line-rate="0.75"></coverage>"#;
    let warn = coverage_plan(cobertura, false);
    assert_eq!(status(&warn, RuleId::Coverage, "Coverage"), Status::Warning);
    assert!(warn.verdict.passed);
    let fail = coverage_plan(cobertura, true);
    assert_eq!(status(&fail, RuleId::Coverage, "Coverage"), Status::Error);
    assert!(fail.verdict.fails_check);
}

#[test]
fn an_unreadable_coverage_report_is_reported() {
    let plan = coverage_plan("this is not a coverage report", false);
    let coverage = finding(&plan, RuleId::Coverage, "Coverage");
    assert_eq!(coverage.status, Status::Warning);
    assert!(
        coverage.message.contains("could not be read"),
        "{}",
        coverage.message
    );
}

// ---------------------------------------------------------------- verdict, inputs, safety

#[test]
fn warn_mode_reports_errors_without_failing() {
    let config = PrCriticConfig {
        mode: PrCriticMode::Warn,
        ..PrCriticConfig::default()
    };
    let plan = check(Pr {
        body: Some(REFERENCE),
        config,
        ..Pr::default()
    });
    assert!(!plan.verdict.passed);
    assert!(!plan.verdict.fails_check);
    assert!(
        plan.markdown()
            .contains("mode `warn`: the check does not fail")
    );
}

#[test]
fn a_null_body_misses_every_required_section() {
    let plan = check(Pr {
        body: None,
        ..Pr::default()
    });
    assert!(
        plan.notes
            .contains(&"The PR has no description.".to_owned())
    );
    assert_eq!(
        finding(&plan, RuleId::Section, "Scope").message,
        "missing from the description."
    );
    assert_eq!(plan.verdict.errors, 4, "{}", plan.markdown());
}

#[test]
fn a_body_of_65536_characters_is_read_whole() {
    let mut body = FILLED.to_owned();
    let padding = 65_536 - body.chars().count();
    body.push_str(&"x".repeat(padding));
    assert_eq!(body.chars().count(), 65_536);
    let plan = check(Pr {
        body: Some(&body),
        labels: &["ai-assisted", "architect-approved"],
        ..Pr::default()
    });
    assert!(plan.notes.is_empty(), "{:?}", plan.notes);
    assert!(plan.verdict.passed, "{}", plan.markdown());
}

#[test]
fn a_one_megabyte_body_is_cut_with_a_visible_note() {
    let filler = "Lorem ipsum dolor sit amet. ".repeat(40_000);
    let body = format!("## Scope\n{filler}\n\n## Risk assessment & rollout plan\nFlagged.\n");
    assert!(body.len() > 1_000_000);
    let plan = check(Pr {
        body: Some(&body),
        ..Pr::default()
    });
    assert!(
        plan.markdown().contains("> **Note:** The description has 1,120,054 characters; only the first 65,536 were checked."),
        "{}",
        plan.markdown()
    );
    assert_eq!(status(&plan, RuleId::Section, "Scope"), Status::Passed);
    assert_eq!(
        finding(&plan, RuleId::Section, "Risk assessment").message,
        "missing from the description.",
        "what lies past the cut is not read"
    );
}

#[test]
fn the_report_never_repeats_the_description() {
    let marker = "UNIQUE-MARKER-7c1f";
    let body = format!(
        "## Scope\n::error::{marker}\n\n## Contracts touched (Yes/No)\n- [ ] Yes\n- [ ] No {marker}\n\n## Tests added (with coverage)\n{marker}\n"
    );
    let mut config = PrCriticConfig::default();
    config.checklists.sections = vec!["Scope".to_owned()];
    let plan = check(Pr {
        body: Some(&body),
        changed: &["src/a.rs", "src/evil\n::error::injected.ts"],
        config,
        ..Pr::default()
    });
    let json = pr_critic::report::json::document(&plan);
    for text in [&plan.markdown(), &json, &plan.outputs.findings] {
        assert!(!text.contains(marker), "the description leaked:\n{text}");
    }
    assert!(
        plan.markdown()
            .lines()
            .all(|line| !line.trim_start().starts_with("::"))
    );
    assert!(
        plan.markdown()
            .contains(r"`src/evil\n::error::injected.ts`"),
        "{}",
        plan.markdown()
    );
}

#[test]
fn a_guardians_yml_section_is_read_with_key_names_in_errors() {
    let config =
        parse_guardians_yml("pr-critic:\n  mode: warn\n  issue-link:\n    required: true\n")
            .expect("valid");
    assert_eq!(config.mode, PrCriticMode::Warn);
    assert!(config.issue_link.required);
    let error =
        parse_guardians_yml("pr-critic:\n  issue-link:\n    requried: true\n").expect_err("typo");
    assert!(format!("{error:?}").contains("issue-link"), "{error:?}");
    assert!(format!("{error:?}").contains("requried"), "{error:?}");
    let defaults =
        parse_guardians_yml("# nothing for pr-critic yet\n").expect("no pr-critic section");
    assert_eq!(defaults, PrCriticConfig::default());
}

#[test]
fn an_invalid_glob_in_the_config_names_the_key() {
    let config =
        parse_guardians_yml("pr-critic:\n  endpoints:\n    paths: ['src/**', 'api/[z-a]/**']\n")
            .expect("valid YAML");
    let error = Policy::compile(&config).expect_err("invalid glob");
    assert_eq!(error.key, "endpoints.paths[1]");
    assert!(
        error
            .to_string()
            .contains("`api/[z-a]/**` is not a valid glob"),
        "{error}"
    );
}
