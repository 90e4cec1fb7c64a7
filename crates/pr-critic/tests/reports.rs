//! Snapshot tests of the report for filled, half-filled and untouched descriptions against three
//! realistic templates (test data in `tests/data/`, described in its README).

use guardians_core::runner::Plan as _;
use std::path::{Path, PathBuf};

use pr_critic::config::{PrCriticConfig, load_file};
use pr_critic::facts::{CoverageInput, Facts, SourceFile};
use pr_critic::plan::{Plan, plan};
use pr_critic::policy::Policy;

fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(path)
}

fn read(path: &str) -> String {
    std::fs::read_to_string(data(path)).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

struct Case<'a> {
    template: &'a str,
    body: &'a str,
    changed: &'a [&'a str],
    labels: &'a [&'a str],
    commits: &'a [&'a str],
    coverage: Option<&'a str>,
}

fn run(case: &Case<'_>) -> Plan {
    let config_path = data(&format!("{}/guardians.yml", case.template));
    let config = if config_path.exists() {
        load_file(&config_path).expect("the test config is valid")
    } else {
        PrCriticConfig::default()
    };
    let policy = Policy::compile(&config).expect("the test config compiles");
    let facts = Facts {
        body: Some(read(&format!("{}/{}", case.template, case.body))),
        template: Some(SourceFile {
            path: ".github/pull_request_template.md".to_owned(),
            text: read(&format!("{}/pull_request_template.md", case.template)),
        }),
        changed_files: case.changed.iter().map(|s| (*s).to_owned()).collect(),
        changed_files_unknown: false,
        labels: case.labels.iter().map(|s| (*s).to_owned()).collect(),
        commit_messages: case.commits.iter().map(|s| (*s).to_owned()).collect(),
        coverage: case.coverage.map(|file| CoverageInput {
            path: "coverage/coverage-summary.json".to_owned(),
            contents: Ok(read(&format!("{}/{file}", case.template))),
        }),
    };
    plan(&facts, &policy)
}

const REFERENCE_FILES: &[&str] = &[
    "packages/contracts/users.yaml",
    "src/routes/sessions.ts",
    "tests/sessions.test.ts",
];

#[test]
fn reference_filled() {
    let plan = run(&Case {
        template: "reference",
        body: "body_filled.md",
        changed: REFERENCE_FILES,
        labels: &["ai-assisted", "architect-approved"],
        commits: &[],
        coverage: None,
    });
    assert!(plan.verdict.passed);
    insta::assert_snapshot!(plan.markdown(), @r#"
        ### ✅ PR description check passed

        - ✅ **Scope**: filled in.
        - ✅ **Contracts touched (Yes/No)**: answered Yes; 1 contract file changed.
          - Files: `packages/contracts/users.yaml`
        - ✅ **Endpoints added/changed**: filled in (required because 1 route or handler file changed).
          - Files: `src/routes/sessions.ts`
        - ✅ **Tests added (with coverage)**: filled in.
        - ✅ **Risk assessment \& rollout plan**: filled in.
        - ✅ **Agent metadata (if AI-assisted)**: filled in (required because the PR is marked AI-assisted by the label `ai-assisted`).
        - ✅ **Tests for changed source code**: 1 test file changed along with 1 source file.
          - Files: `tests/sessions.test.ts`
        - ✅ **Approval label architect-approved**: present for 1 file (contract or shared-type files).
          - Files: `packages/contracts/users.yaml`

        <details><summary>Not applicable to this PR (2)</summary>

        - ➖ **Screenshots (for UI changes)**: not required: no UI files changed.
        - ➖ **Approval label security-reviewed**: not needed: no worker or migration files changed.

        </details>

        <sub>Checked against template `.github/pull_request_template.md` · 3 changed files · mode `enforce`</sub>
    "#);
}

#[test]
fn reference_half_filled() {
    let plan = run(&Case {
        template: "reference",
        body: "body_half_filled.md",
        changed: &[
            "packages/contracts/users.yaml",
            "src/routes/sessions.ts",
            "web/src/components/SessionList.tsx",
        ],
        labels: &["ai-assisted"],
        commits: &[],
        coverage: None,
    });
    assert!(plan.verdict.fails_check);
    insta::assert_snapshot!(plan.markdown(), @r#"
        ### ❌ PR description check: 7 errors, 1 warning

        - ✅ **Scope**: filled in.
        - ❌ **Contracts touched (Yes/No)**: answered No, but 1 contract file changed.
          - Files: `packages/contracts/users.yaml`
          - **Fix:** Answer `- [x] Yes` under “Contracts touched (Yes/No)” and describe the contract change, or take these files out of the PR.
        - ❌ **Endpoints added/changed**: required because 1 route or handler file changed, but empty (HTML comments do not count).
          - Files: `src/routes/sessions.ts`
          - **Fix:** Write the answer under “Endpoints added/changed”, outside any `<!-- -->` comment. List each endpoint added or changed, e.g. `POST /users` and what it returns.
        - ❌ **Tests added (with coverage)**: only a placeholder such as TODO, TBD or N/A.
          - **Fix:** Replace the placeholder under “Tests added (with coverage)” with a real answer (this section is required, so N/A, None or - is not an answer).
        - ❌ **Screenshots (for UI changes)**: no image, video or link to one (required because 1 UI file changed).
          - Files: `web/src/components/SessionList.tsx`
          - **Fix:** Drag a screenshot or screen recording into “Screenshots (for UI changes)”, or link to one (e.g. `![after](https://…/after.png)`).
        - ❌ **Risk assessment \& rollout plan**: only a placeholder such as TODO, TBD or N/A.
          - **Fix:** Replace the placeholder under “Risk assessment \& rollout plan” with a real answer (this section is required, so N/A, None or - is not an answer).
        - ❌ **Agent metadata (if AI-assisted)**: required because the PR is marked AI-assisted by the label `ai-assisted`, but empty (HTML comments do not count).
          - **Fix:** Write the answer under “Agent metadata (if AI-assisted)”, outside any `<!-- -->` comment. Say which tool and model helped, with what, and how the output was reviewed.
        - ⚠️ **Tests for changed source code**: 2 source files changed but no test file did.
          - Files: `src/routes/sessions.ts`, `web/src/components/SessionList.tsx`
          - **Fix:** Add or update tests for these files, or say under “Tests added (with coverage)” why none are needed (e.g. "no behaviour change: pure refactor").
        - ❌ **Approval label architect-approved**: missing; 1 changed file needs it (contract or shared-type files).
          - Files: `packages/contracts/users.yaml`
          - **Fix:** Ask a maintainer who reviews these files to add the `architect-approved` label once they approve; this check runs again when labels change.

        <details><summary>Not applicable to this PR (1)</summary>

        - ➖ **Approval label security-reviewed**: not needed: no worker or migration files changed.

        </details>

        <sub>Checked against template `.github/pull_request_template.md` · 3 changed files · mode `enforce`</sub>
    "#);
}

#[test]
fn reference_untouched() {
    let plan = run(&Case {
        template: "reference",
        body: "body_untouched.md",
        changed: &[
            "src/services/billing.ts",
            "db/migrations/0042_add_invoices.sql",
        ],
        labels: &[],
        commits: &["Add invoices\n\nCo-authored-by: Claude <noreply@anthropic.com>"],
        coverage: None,
    });
    assert!(plan.verdict.fails_check);
    insta::assert_snapshot!(plan.markdown(), @r#"
        ### ❌ PR description check: 6 errors, 1 warning

        - ❌ **Scope**: empty (HTML comments do not count).
          - **Fix:** Write the answer under “Scope”, outside any `<!-- -->` comment.
        - ❌ **Contracts touched (Yes/No)**: no Yes/No answer.
          - **Fix:** Under “Contracts touched (Yes/No)”, tick exactly one box (`- [x] Yes` or `- [x] No`) or write `Yes` or `No` on its own line.
        - ❌ **Tests added (with coverage)**: empty (HTML comments do not count).
          - **Fix:** Write the answer under “Tests added (with coverage)”, outside any `<!-- -->` comment.
        - ❌ **Risk assessment \& rollout plan**: empty (HTML comments do not count).
          - **Fix:** Write the answer under “Risk assessment \& rollout plan”, outside any `<!-- -->` comment.
        - ❌ **Agent metadata (if AI-assisted)**: required because the PR is marked AI-assisted by a commit's `Co-authored-by` trailer naming Claude, but empty (HTML comments do not count).
          - **Fix:** Write the answer under “Agent metadata (if AI-assisted)”, outside any `<!-- -->` comment. Say which tool and model helped, with what, and how the output was reviewed.
        - ⚠️ **Tests for changed source code**: 1 source file changed but no test file did.
          - Files: `src/services/billing.ts`
          - **Fix:** Add or update tests for these files, or say under “Tests added (with coverage)” why none are needed (e.g. "no behaviour change: pure refactor").
        - ❌ **Approval label security-reviewed**: missing; 1 changed file needs it (worker or migration files).
          - Files: `db/migrations/0042_add_invoices.sql`
          - **Fix:** Ask a maintainer who reviews these files to add the `security-reviewed` label once they approve; this check runs again when labels change.

        <details><summary>Not applicable to this PR (3)</summary>

        - ➖ **Endpoints added/changed**: not required: no route or handler files changed.
        - ➖ **Screenshots (for UI changes)**: not required: no UI files changed.
        - ➖ **Approval label architect-approved**: not needed: no contract or shared-type files changed.

        </details>

        <sub>Checked against template `.github/pull_request_template.md` · 2 changed files · mode `enforce`</sub>
    "#);
}

#[test]
fn library_filled() {
    let plan = run(&Case {
        template: "library",
        body: "body_filled.md",
        changed: &["src/pointer.rs", "tests/pointer.rs", "CHANGELOG.md"],
        labels: &[],
        commits: &[],
        coverage: None,
    });
    assert!(plan.verdict.passed);
    insta::assert_snapshot!(plan.markdown(), @r#"
        ### ✅ PR description check passed

        - ✅ **Summary**: filled in.
        - ✅ **Related issue**: filled in.
        - ✅ **:boom: Breaking change?**: answered No.
        - ✅ **🧪 How was this tested?**: filled in.
        - ✅ **✅ Checklist**: all 3 items ticked.
        - ✅ **Tests for changed source code**: 1 test file changed along with 1 source file.
          - Files: `tests/pointer.rs`
        - ✅ **Linked issue**: the description links an issue.

        <details><summary>Not applicable to this PR (1)</summary>

        - ➖ **Approval label unsafe-reviewed**: not needed: no unsafe code or fuzz targets changed.

        </details>

        <sub>Checked against template `.github/pull_request_template.md` · 3 changed files · mode `enforce`</sub>
    "#);
}

#[test]
fn library_half_filled() {
    let plan = run(&Case {
        template: "library",
        body: "body_half_filled.md",
        changed: &["src/pointer.rs", "src/value.rs", "src/unsafe_simd.rs"],
        labels: &[],
        commits: &[],
        coverage: None,
    });
    assert!(plan.verdict.fails_check);
    insta::assert_snapshot!(plan.markdown(), @r#"
        ### ❌ PR description check: 5 errors

        - ✅ **Summary**: filled in.
        - ❌ **Related issue**: still only the template's text.
          - **Fix:** Replace the template's prompt under “Related issue” with your own answer.
        - ❌ **:boom: Breaking change?**: no Yes/No answer.
          - **Fix:** Under “Breaking change?”, tick exactly one box (`- [x] Yes` or `- [x] No`) or write `Yes` or `No` on its own line.
        - ✅ **🧪 How was this tested?**: filled in.
        - ❌ **✅ Checklist**: 1 of 2 items not ticked: “CHANGELOG.md has an entry under "Unreleased"”.
          - **Fix:** Tick every item under “✅ Checklist” once it is done (`- [x]`); strike through (`~~item~~`) an item that does not apply.
        - ✅ **Tests for changed source code**: no test file changed; “🧪 How was this tested?” explains why.
        - ❌ **Approval label unsafe-reviewed**: missing; 1 changed file needs it (unsafe code or fuzz targets).
          - Files: `src/unsafe_simd.rs`
          - **Fix:** Ask a maintainer who reviews these files to add the `unsafe-reviewed` label once they approve; this check runs again when labels change.
        - ❌ **Linked issue**: the description does not link an issue.
          - **Fix:** Add a closing reference such as `Fixes #123` or `Closes owner/repo#123`.

        <sub>Checked against template `.github/pull_request_template.md` · 3 changed files · mode `enforce`</sub>
    "#);
}

#[test]
fn library_untouched() {
    let plan = run(&Case {
        template: "library",
        body: "body_untouched.md",
        changed: &["src/lib.rs"],
        labels: &[],
        commits: &[],
        coverage: None,
    });
    assert!(plan.verdict.fails_check);
    insta::assert_snapshot!(plan.markdown(), @r#"
        ### ❌ PR description check: 6 errors, 1 warning

        - ❌ **Summary**: empty (HTML comments do not count).
          - **Fix:** Write the answer under “Summary”, outside any `<!-- -->` comment.
        - ❌ **Related issue**: still only the template's text.
          - **Fix:** Replace the template's prompt under “Related issue” with your own answer.
        - ❌ **:boom: Breaking change?**: no Yes/No answer.
          - **Fix:** Under “Breaking change?”, tick exactly one box (`- [x] Yes` or `- [x] No`) or write `Yes` or `No` on its own line.
        - ❌ **🧪 How was this tested?**: empty (HTML comments do not count).
          - **Fix:** Write the answer under “🧪 How was this tested?”, outside any `<!-- -->` comment.
        - ❌ **✅ Checklist**: 3 of 3 items not ticked: “cargo fmt and cargo clippy --all-targets are clean”, “New public items have doc comments”, “CHANGELOG.md has an entry under "Unreleased"”.
          - **Fix:** Tick every item under “✅ Checklist” once it is done (`- [x]`); strike through (`~~item~~`) an item that does not apply.
        - ⚠️ **Tests for changed source code**: 1 source file changed but no test file did.
          - Files: `src/lib.rs`
          - **Fix:** Add or update tests for these files, or say under “🧪 How was this tested?” why none are needed (e.g. "no behaviour change: pure refactor").
        - ❌ **Linked issue**: the description does not link an issue.
          - **Fix:** Add a closing reference such as `Fixes #123` or `Closes owner/repo#123`.

        <details><summary>Not applicable to this PR (1)</summary>

        - ➖ **Approval label unsafe-reviewed**: not needed: no unsafe code or fuzz targets changed.

        </details>

        <sub>Checked against template `.github/pull_request_template.md` · 1 changed file · mode `enforce`</sub>
    "#);
}

const WEBAPP_FILES: &[&str] = &[
    "app/api/invoices/route.ts",
    "app/invoices/InvoiceTable.tsx",
    "app/invoices/InvoiceTable.test.tsx",
];

#[test]
fn webapp_filled() {
    let plan = run(&Case {
        template: "webapp",
        body: "body_filled.md",
        changed: WEBAPP_FILES,
        labels: &[],
        commits: &[
            "Add the overdue filter\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>",
        ],
        coverage: Some("coverage-summary-high.json"),
    });
    assert!(plan.verdict.passed);
    insta::assert_snapshot!(plan.markdown(), @r#"
        ### ✅ PR description check passed

        - ✅ **📝 What \& why**: filled in.
        - ✅ **🔌 API changes**: filled in (required because 1 route or handler file changed).
          - Files: `app/api/invoices/route.ts`
        - ✅ **🖼️ Screenshots / screen recording**: shows the change (required because 1 UI file changed).
          - Files: `app/invoices/InvoiceTable.tsx`
        - ✅ **🧪 Test plan**: filled in.
        - ✅ **🚩 Feature flag**: filled in.
        - ✅ **🤖 AI disclosure**: filled in (required because the PR is marked AI-assisted by a commit's `Co-authored-by` trailer naming Copilot).
        - ✅ **Tests for changed source code**: 1 test file changed along with 2 source files.
          - Files: `app/invoices/InvoiceTable.test.tsx`
        - ✅ **Linked issue**: the description links an issue.
        - ✅ **Coverage**: line coverage is 91.2% (1131 of 1240 lines), at or above 85%.

        <details><summary>Not applicable to this PR (4)</summary>

        - ➖ **Rollback plan (optional)**: not required: optional.
        - ➖ **Approval label architect-approved**: not needed: no contract or shared-type files changed.
        - ➖ **Approval label security-reviewed**: not needed: no worker or migration files changed.
        - ➖ **Allowed paths for PRs labelled docs-only**: the PR has no `docs-only` label.

        </details>

        <sub>Checked against template `.github/pull_request_template.md` · 3 changed files · mode `enforce`</sub>
    "#);
}

#[test]
fn webapp_half_filled() {
    let plan = run(&Case {
        template: "webapp",
        body: "body_half_filled.md",
        changed: WEBAPP_FILES,
        labels: &[],
        commits: &[
            "Add the overdue filter\n\nCo-authored-by: Cursor Agent <cursoragent@cursor.com>",
        ],
        coverage: Some("coverage-summary-low.json"),
    });
    assert!(plan.verdict.fails_check);
    insta::assert_snapshot!(plan.markdown(), @r#"
        ### ❌ PR description check: 5 errors

        - ✅ **📝 What \& why**: filled in.
        - ❌ **🔌 API changes**: required because 1 route or handler file changed, but only a placeholder such as TODO or TBD.
          - Files: `app/api/invoices/route.ts`
          - **Fix:** Replace the placeholder under “🔌 API changes” with a real answer. List each endpoint added or changed, e.g. `POST /users` and what it returns.
        - ❌ **🖼️ Screenshots / screen recording**: no image, video or link to one (required because 1 UI file changed).
          - Files: `app/invoices/InvoiceTable.tsx`
          - **Fix:** Drag a screenshot or screen recording into “🖼️ Screenshots / screen recording”, or link to one (e.g. `![after](https://…/after.png)`).
        - ✅ **🧪 Test plan**: filled in.
        - ✅ **🚩 Feature flag**: filled in.
        - ❌ **🤖 AI disclosure**: required because the PR is marked AI-assisted by a commit's `Co-authored-by` trailer naming Cursor, but empty (HTML comments do not count).
          - **Fix:** Write the answer under “🤖 AI disclosure”, outside any `<!-- -->` comment. Say which tool and model helped, with what, and how the output was reviewed.
        - ✅ **Tests for changed source code**: 1 test file changed along with 2 source files.
          - Files: `app/invoices/InvoiceTable.test.tsx`
        - ❌ **Linked issue**: the description does not link an issue.
          - **Fix:** Add a closing reference such as `Fixes #123` or `Closes owner/repo#123`, or a reference matching `\bWEB-\d+\b`.
        - ❌ **Coverage**: line coverage is 72% (893 of 1240 lines), below the 85% threshold.
          - **Fix:** Add tests for the changed code until line coverage reaches 85%.

        <details><summary>Not applicable to this PR (4)</summary>

        - ➖ **Rollback plan (optional)**: not required: optional.
        - ➖ **Approval label architect-approved**: not needed: no contract or shared-type files changed.
        - ➖ **Approval label security-reviewed**: not needed: no worker or migration files changed.
        - ➖ **Allowed paths for PRs labelled docs-only**: the PR has no `docs-only` label.

        </details>

        <sub>Checked against template `.github/pull_request_template.md` · 3 changed files · mode `enforce`</sub>
    "#);
}

#[test]
fn webapp_untouched() {
    let plan = run(&Case {
        template: "webapp",
        body: "body_untouched.md",
        changed: &["docs/invoices.md", "app/invoices/page.tsx"],
        labels: &["docs-only"],
        commits: &[],
        coverage: None,
    });
    assert!(plan.verdict.fails_check);
    insta::assert_snapshot!(plan.markdown(), @r#"
        ### ❌ PR description check: 6 errors, 1 warning

        - ❌ **📝 What \& why**: empty (HTML comments do not count).
          - **Fix:** Write the answer under “📝 What \& why”, outside any `<!-- -->` comment.
        - ❌ **🖼️ Screenshots / screen recording**: required because 1 UI file changed, but still only the template's text.
          - Files: `app/invoices/page.tsx`
          - **Fix:** Replace the template's prompt under “🖼️ Screenshots / screen recording” with your own answer. Include a screenshot or screen recording of the UI change.
        - ❌ **🧪 Test plan**: still only the template's text.
          - **Fix:** Replace the template's prompt under “🧪 Test plan” with your own answer.
        - ❌ **🚩 Feature flag**: empty (HTML comments do not count).
          - **Fix:** Write the answer under “🚩 Feature flag”, outside any `<!-- -->` comment.
        - ⚠️ **Tests for changed source code**: 1 source file changed but no test file did.
          - Files: `app/invoices/page.tsx`
          - **Fix:** Add or update tests for these files, or say under “🧪 Test plan” why none are needed (e.g. "no behaviour change: pure refactor").
        - ❌ **Linked issue**: the description does not link an issue.
          - **Fix:** Add a closing reference such as `Fixes #123` or `Closes owner/repo#123`, or a reference matching `\bWEB-\d+\b`.
        - ❌ **Allowed paths for PRs labelled docs-only**: 1 file is outside the allowed paths `docs/**`, `**/*.md`.
          - Files: `app/invoices/page.tsx`
          - **Fix:** Move these changes to another PR, or remove the `docs-only` label if it does not fit this PR.

        <details><summary>Not applicable to this PR (5)</summary>

        - ➖ **🔌 API changes**: not required: no route or handler files changed.
        - ➖ **Rollback plan (optional)**: not required: optional.
        - ➖ **🤖 AI disclosure**: not required: the PR is not marked AI-assisted.
        - ➖ **Approval label architect-approved**: not needed: no contract or shared-type files changed.
        - ➖ **Approval label security-reviewed**: not needed: no worker or migration files changed.

        </details>

        <sub>Checked against template `.github/pull_request_template.md` · 2 changed files · mode `enforce`</sub>
    "#);
}

#[test]
fn findings_json_of_the_half_filled_reference() {
    let plan = run(&Case {
        template: "reference",
        body: "body_half_filled.md",
        changed: &["packages/contracts/users.yaml"],
        labels: &[],
        commits: &[],
        coverage: None,
    });
    let findings: serde_json::Value =
        serde_json::from_str(&plan.outputs.findings).expect("the findings output is JSON");
    let contracts = findings
        .as_array()
        .expect("an array")
        .iter()
        .find(|f| f["rule"] == "contracts")
        .expect("a contracts finding");
    insta::assert_json_snapshot!(contracts, @r#"
        {
          "files": [
            "packages/contracts/users.yaml"
          ],
          "fix": "Answer `- [x] Yes` under “Contracts touched (Yes/No)” and describe the contract change, or take these files out of the PR.",
          "message": "answered No, but 1 contract file changed.",
          "rule": "contracts",
          "status": "error",
          "subject": "Contracts touched (Yes/No)"
        }
    "#);
    assert_eq!(
        plan.outputs.pairs()[..3],
        [
            ("passed", "false".to_owned()),
            ("errors", "4".to_owned()),
            ("warnings", "0".to_owned()),
        ]
    );
}
