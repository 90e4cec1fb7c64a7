//! The sticky comment's body: the approval verdict on top, the approved set in hidden
//! metadata, then the report. Core adds the marker line; nothing here prints it.

use std::fmt::Write as _;

use crate::approval::{BreakingChange, Gate, GateStatus, metadata_line};
use crate::plan::Plan;
use crate::report::{code, message};

/// Key of the sticky comment (`<!-- guardians:contracts-diff -->`).
pub const COMMENT_KEY: &str = "contracts-diff";
/// At most this many files are named in the one-line verdict.
const FILES_NAMED: usize = 10;
/// At most this many new changes are listed when an approval goes stale.
const NEW_LISTED: usize = 50;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Files that need approval: those with breaking changes, or every changed contract file
/// when there are none (approval on any change, or `fail-on` below breaking).
fn files_needing_approval(plan: &Plan, breaking: &[BreakingChange]) -> Vec<String> {
    let mut files: Vec<String> = breaking.iter().map(|b| b.file.clone()).collect();
    if files.is_empty() {
        files = plan.files.iter().map(|f| f.path.clone()).collect();
    }
    files.dedup();
    files
}

fn named_files(files: &[String]) -> String {
    let shown: Vec<String> = files.iter().take(FILES_NAMED).map(|f| code(f)).collect();
    let more = files.len().saturating_sub(FILES_NAMED);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// The one-paragraph verdict, also used for the check's error message (plain text there).
pub fn verdict(plan: &Plan, gate: &Gate, label: &str, breaking: &[BreakingChange]) -> String {
    match &gate.status {
        GateStatus::NotNeeded => "No approval needed.".to_owned(),
        GateStatus::Approved { breaking } => format!(
            "Approved with {}: it covers {} present when it was given.",
            code(label),
            plural(*breaking, "breaking change", "breaking changes")
        ),
        GateStatus::Missing => {
            let files = files_needing_approval(plan, breaking);
            let what = if breaking.is_empty() {
                plural(
                    plan.files.len(),
                    "changed contract file",
                    "changed contract files",
                )
            } else {
                plural(breaking.len(), "breaking change", "breaking changes")
            };
            format!(
                "Needs {} from an architect: {what} in {}.",
                code(label),
                named_files(&files)
            )
        }
        GateStatus::Stale { new } => {
            let mut files: Vec<String> = new.iter().map(|b| b.file.clone()).collect();
            files.dedup();
            format!(
                "Approval withdrawn: {} appeared after {} was given ({}). An architect must review them and add {} again.",
                plural(new.len(), "new breaking change", "new breaking changes"),
                code(label),
                named_files(&files),
                code(label)
            )
        }
    }
}

/// The comment body (without the marker line core adds).
pub fn body(plan: &Plan, gate: &Gate, label: &str, breaking: &[BreakingChange]) -> String {
    let mut out = String::new();
    if let Some(record) = &gate.record {
        writeln!(out, "{}", metadata_line(record)).ok();
    }
    let icon = match gate.status {
        GateStatus::NotNeeded => "ℹ️",
        GateStatus::Approved { .. } => "✅",
        GateStatus::Missing | GateStatus::Stale { .. } => "❌",
    };
    if !plan.files.is_empty() {
        writeln!(out, "{icon} **{}**\n", verdict(plan, gate, label, breaking)).ok();
    }
    if let GateStatus::Stale { new } = &gate.status {
        out.push_str(
            "New since the approval:\n\n| rule | file | where | change |\n|---|---|---|---|\n",
        );
        for b in new.iter().take(NEW_LISTED) {
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                code(b.change.rule.id()),
                code(&b.file),
                code(&b.change.pointer),
                message(&b.change.message)
            )
            .ok();
        }
        if new.len() > NEW_LISTED {
            writeln!(out, "\n… and {} more.", new.len() - NEW_LISTED).ok();
        }
        out.push('\n');
    }
    out.push_str(&crate::report::markdown(plan));
    out
}
