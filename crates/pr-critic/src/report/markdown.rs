//! The Markdown report: a checklist of every rule with a mark, and for each failure exactly how
//! to fix it. It is rendered from scratch on every run, so when a later run passes nothing stale
//! stays red. The sticky-comment helper adds its own hidden marker; none is added here.

use std::fmt::Write as _;

use crate::config::PrCriticMode;
use crate::finding::{Finding, Status};
use crate::plan::Plan;
use crate::text::{code, code_list, count, plain};

/// Files listed under one finding; the rest are counted.
const MAX_FILES_LISTED: usize = 10;

fn mark(status: Status) -> &'static str {
    match status {
        Status::Passed => "✅",
        Status::NotApplicable => "➖",
        Status::NotChecked => "❔",
        Status::Warning => "⚠️",
        Status::Error => "❌",
    }
}

fn headline(plan: &Plan) -> String {
    let verdict = &plan.verdict;
    if verdict.neutral {
        return "### ⚪ PR description not checked: there is no template or section to check it against".to_owned();
    }
    if verdict.errors > 0 {
        let warn_mode = if verdict.mode == PrCriticMode::Warn {
            " (mode `warn`: the check does not fail)"
        } else {
            ""
        };
        let warnings = if verdict.warnings > 0 {
            format!(", {}", count(verdict.warnings, "warning", "warnings"))
        } else {
            String::new()
        };
        format!(
            "### ❌ PR description check: {}{warnings}{warn_mode}",
            count(verdict.errors, "error", "errors")
        )
    } else if verdict.warnings > 0 {
        format!(
            "### ⚠️ PR description check passed with {}",
            count(verdict.warnings, "warning", "warnings")
        )
    } else {
        "### ✅ PR description check passed".to_owned()
    }
}

fn write_finding(out: &mut String, finding: &Finding) {
    let _ = writeln!(
        out,
        "- {} **{}**: {}",
        mark(finding.status),
        plain(&finding.subject),
        finding.message
    );
    if !finding.files.is_empty() {
        let _ = writeln!(
            out,
            "  - Files: {}",
            code_list(&finding.files, MAX_FILES_LISTED)
        );
    }
    if let Some(fix) = &finding.fix {
        let _ = writeln!(out, "  - **Fix:** {fix}");
    }
}

pub fn render(plan: &Plan) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}\n", headline(plan));
    for note in &plan.notes {
        let _ = writeln!(out, "> **Note:** {note}");
    }
    if !plan.notes.is_empty() {
        out.push('\n');
    }
    let (checked, not_applicable): (Vec<&Finding>, Vec<&Finding>) = plan
        .findings
        .iter()
        .partition(|finding| finding.status != Status::NotApplicable);
    for finding in &checked {
        write_finding(&mut out, finding);
    }
    if checked.is_empty() {
        out.push_str("No rule applied to this pull request.\n");
    }
    if !not_applicable.is_empty() {
        let _ = writeln!(
            out,
            "\n<details><summary>Not applicable to this PR ({})</summary>\n",
            not_applicable.len()
        );
        for finding in &not_applicable {
            write_finding(&mut out, finding);
        }
        out.push_str("\n</details>\n");
    }
    let template = plan.template_path.as_deref().map_or_else(
        || "no template".to_owned(),
        |path| format!("template {}", code(path)),
    );
    let mode = match plan.verdict.mode {
        PrCriticMode::Enforce => "enforce",
        PrCriticMode::Warn => "warn",
    };
    let files = if plan.changed_files_unknown {
        "changed files not given".to_owned()
    } else {
        count(plan.changed_files, "changed file", "changed files")
    };
    let _ = writeln!(
        out,
        "\n<sub>Checked against {template} · {files} · mode `{mode}`</sub>"
    );
    out
}
