//! The plan and its outcome, for people (Markdown: step summary, --dry-run) and machines (JSON,
//! action outputs).

use std::fmt::Write as _;

use guardians_core::change_size::Basis;
use guardians_core::markdown::{code_span, thousands};

use crate::plan::{CommentPlan, Plan};

/// How many ignored files the summary lists before folding the rest into a count.
const IGNORED_LISTED: usize = 200;

/// Markdown of a plan. File names are untrusted: they only appear escaped in code spans.
pub(crate) fn markdown(plan: &Plan, dry_run: bool) -> String {
    let m = &plan.measurement;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## size-labeler: {} ({} lines)\n",
        code_span(&plan.bucket.label),
        thousands(m.lines)
    );
    let ignored_lines: u64 = m.ignored.iter().map(|f| f.lines).sum();
    let _ = writeln!(out, "| | files | lines |\n|---|---:|---:|");
    let _ = writeln!(
        out,
        "| counted | {} | {} (+{} −{}) |",
        thousands(m.files_counted),
        thousands(m.lines),
        thousands(m.additions),
        thousands(m.deletions)
    );
    let _ = writeln!(
        out,
        "| not counted | {} | {} |\n",
        thousands(m.ignored.len() as u64),
        thousands(ignored_lines)
    );
    let basis = match &m.basis {
        Basis::FileList => "Counted from the pull request's file list.".to_string(),
        Basis::Totals => {
            "Nothing is ignored, so the pull request's own totals are exact.".to_string()
        }
        Basis::TruncatedList { listed } => format!(
            "GitHub listed only the first {} files: sized from the PR's totals less the ignored files among them.",
            thousands(*listed)
        ),
        Basis::PayloadTotals => {
            "Offline: sized from the payload's totals; nothing ignored.".to_string()
        }
    };
    let _ = writeln!(out, "{basis}\n");
    let verb = if dry_run { "would" } else { "will" };
    let list = |names: &[String]| {
        names
            .iter()
            .map(|n| code_span(n))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let added: Vec<String> = plan.labels.add.iter().map(|l| l.name.clone()).collect();
    let _ = match (added.is_empty(), plan.labels.remove.is_empty()) {
        (true, true) => writeln!(out, "Labels: already right."),
        (false, true) => writeln!(out, "Labels: {verb} add {}.", list(&added)),
        (true, false) => writeln!(out, "Labels: {verb} remove {}.", list(&plan.labels.remove)),
        (false, false) => writeln!(
            out,
            "Labels: {verb} add {} and remove {}.",
            list(&added),
            list(&plan.labels.remove)
        ),
    };
    if let CommentPlan::Upsert(_) = plan.comment {
        let _ = writeln!(out, "Comment: {verb} post or update the size comment.");
    }
    if plan.fail {
        let _ = writeln!(
            out,
            "\n**Failing**: the pull request reached {} (`fail-on-size`). Split it, or raise the threshold in `.github/guardians.yml`.",
            code_span(&plan.bucket.name)
        );
    }
    if !m.ignored.is_empty() {
        let _ = writeln!(
            out,
            "\n<details><summary>Files not counted ({})</summary>\n\n| file | why | lines |\n|---|---|---:|",
            thousands(m.ignored.len() as u64)
        );
        for file in m.ignored.iter().take(IGNORED_LISTED) {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                code_span(&file.path),
                file.reason,
                thousands(file.lines)
            );
        }
        if m.ignored.len() > IGNORED_LISTED {
            let _ = writeln!(out, "\n… and {} more.", m.ignored.len() - IGNORED_LISTED);
        }
        let _ = writeln!(out, "\n</details>");
    }
    out
}

/// The action's outputs, in order.
pub(crate) fn outputs(plan: &Plan) -> Vec<(&'static str, String)> {
    let m = &plan.measurement;
    vec![
        ("size", plan.bucket.name.clone()),
        ("label", plan.bucket.label.clone()),
        ("lines", m.lines.to_string()),
        ("additions", m.additions.to_string()),
        ("deletions", m.deletions.to_string()),
        ("files-counted", m.files_counted.to_string()),
        ("files-ignored", m.ignored.len().to_string()),
    ]
}
