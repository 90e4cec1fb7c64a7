//! `integration-queue status`: the queue for people, on the terminal and in the step summary.

use std::fmt::Write as _;

use guardians_core::context::RepoName;
use guardians_core::markdown::escape_inline;

use crate::plan::{QueuePlan, lane_slots};

use super::gather::Gathered;

/// PRs in order per base, the batch under test with links to its CI, the failed branches kept,
/// and what is stuck. Titles are untrusted: escaped.
pub(super) fn render(
    gathered: &Gathered,
    plan: &QueuePlan,
    server: &str,
    repo: &RepoName,
) -> String {
    let state = &gathered.state;
    let mut out = String::from("## Integration queue\n");
    for base in &state.config.bases {
        let _ = writeln!(out, "\n### `{base}`\n");
        let lanes = lane_slots(state, base);
        if lanes.is_empty() {
            let _ = writeln!(out, "Nothing under test.");
        }
        for lane in &lanes {
            let branch = &lane.branch;
            let ib = lane.ib;
            let prs = lane
                .manifest
                .as_ref()
                .map(|m| {
                    m.prs
                        .iter()
                        .map(|p| format!("#{}", p.number))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_else(|| "no manifest of the queue's".into());
            let _ = writeln!(
                out,
                "Testing on [`{branch}`]({server}/{repo}/tree/{branch}) at `{}`: {prs}",
                ib.head_sha.get(..7).unwrap_or(&ib.head_sha)
            );
            for c in gathered.ci_links.get(branch).into_iter().flatten() {
                let _ = writeln!(out, "- [`{}`]({}): {:?}", c.name, c.url, c.outcome);
            }
        }
        let queued = plan.queue.get(base).cloned().unwrap_or_default();
        if queued.is_empty() {
            let _ = writeln!(out, "\nNo PR waiting.");
        } else {
            let _ = writeln!(out, "\n| position | PR | title |\n|---|---|---|");
            for (i, n) in queued.iter().enumerate() {
                let title = state
                    .pr(*n)
                    .map(|p| escape_inline(&p.title))
                    .unwrap_or_default();
                let _ = writeln!(out, "| {} | #{n} | {title} |", i + 1);
            }
        }
    }
    if !state.failed_branches.is_empty() {
        let _ = writeln!(out, "\n### Failed branches kept\n");
        for b in &state.failed_branches {
            let _ = writeln!(out, "- [`{b}`]({server}/{repo}/tree/{b})");
        }
    }
    for s in &plan.stuck {
        let _ = writeln!(out, "\n:hourglass: stuck: {}", s.message);
    }
    for p in &plan.problems {
        let _ = writeln!(out, "\n:x: {p}");
    }
    out
}
