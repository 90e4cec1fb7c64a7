//! The words: comments on PRs, the plan for people (step summary, `--dry-run`), the outputs.

use std::fmt::Write as _;

use crate::manifest::{Pinned, one_line};
use crate::state::{CheckResult, PullRequest, QueueState};

use super::QueuePlan;
use super::entry::short;

pub(super) fn conflict_comment(base: &str, pr: &Pinned, batch: &[Pinned]) -> String {
    let others: Vec<String> = batch
        .iter()
        .filter(|p| p.number != pr.number)
        .map(|p| format!("#{}", p.number))
        .collect();
    format!(
        "**Integration queue:** this PR left the queue: its head `{}` conflicts with the batch \
         being built on `{base}` (with {}).\n\nTo queue it again: merge or rebase onto the latest \
         `{base}`, push, then add the label again.",
        short(&pr.sha),
        if others.is_empty() {
            "nothing else".to_string()
        } else {
            others.join(", ")
        }
    )
}

pub(super) fn merged_comment(state: &QueueState, pr: &PullRequest, sha: &str) -> String {
    let waited = pr
        .labeled_at
        .map(|t| state.now.duration_since(t))
        .unwrap_or_default();
    let mins = waited.as_secs() / 60;
    format!(
        "**Integration queue:** merged into `{}` as `{}` (the exact commit that passed CI), after \
         {}h {:02}m in the queue.",
        pr.base,
        sha,
        mins / 60,
        mins % 60
    )
}

pub(super) fn rejected_comment(reason: &str, fix: &str) -> String {
    format!(
        "**Integration queue:** this PR cannot enter the queue: {reason}.\n\nTo queue it: {fix}."
    )
}

pub(super) fn failed_comment(failed: &[CheckResult], kept: &str, rounds: u32) -> String {
    let mut body = String::from(
        "**Integration queue:** this PR left the queue: integration CI failed with it.\n\n",
    );
    for c in failed {
        let _ = writeln!(body, "- [`{}`]({}) failed", c.name, c.url);
    }
    let _ = write!(
        body,
        "\nThe tested commit is kept on the branch `{kept}` for debugging ({rounds} CI round{} to \
         find it). To queue it again: fix the failure, push, then add the label again.",
        if rounds == 1 { "" } else { "s" }
    );
    body
}

pub(super) fn stuck_on_pr(state: &QueueState, pr: &PullRequest, check: &str) -> String {
    format!(
        "#{}: the required check `{check}` has not reported on its head `{}` for over {} minutes; \
         it must run on `pull_request` for the base `{}` (check the workflow's triggers and the \
         check's name)",
        pr.number,
        short(&pr.head_sha),
        state.config.stuck_after.as_secs() / 60,
        pr.base
    )
}

pub(super) fn stuck_on_integration(
    state: &QueueState,
    branch: &str,
    sha: &str,
    check: &str,
) -> String {
    format!(
        "the required check `{check}` has not reported on `{branch}` (`{}`) for over {} minutes; \
         it must run on the integration branch: add `push: branches: ['{}**']` or \
         `workflow_dispatch` to the workflow that reports it (and list it in `dispatch-workflows`)",
        short(sha),
        state.config.stuck_after.as_secs() / 60,
        state.config.integration_prefix
    )
}

fn numbers(prs: &[u64]) -> String {
    prs.iter()
        .map(|n| format!("#{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl QueuePlan {
    /// The plan for people. PR titles are not embedded (they are untrusted); numbers are.
    pub fn markdown(&self) -> String {
        let mut md = String::from("## Integration queue\n\n");
        for p in &self.problems {
            let _ = writeln!(md, "- :x: {}", one_line(p));
        }
        for s in &self.stuck {
            let _ = writeln!(md, "- :hourglass: stuck: {}", one_line(&s.message));
        }
        if !self.landed.is_empty() {
            let prs: Vec<u64> = self.landed.iter().map(|l| l.pr).collect();
            let _ = writeln!(md, "- landed: {}", numbers(&prs));
        }
        if !self.ejected.is_empty() {
            let _ = writeln!(md, "- left the queue: {}", numbers(&self.ejected));
        }
        for (base, prs) in &self.testing {
            if !prs.is_empty() {
                let _ = writeln!(md, "- `{base}`: testing {}", numbers(prs));
            }
        }
        for (base, prs) in &self.queue {
            if !prs.is_empty() {
                let _ = writeln!(md, "- `{base}`: waiting in order {}", numbers(prs));
            }
        }
        let _ = writeln!(md, "\n{} write(s) planned.", self.writes.len());
        md
    }

    pub fn outputs(&self) -> Vec<(&'static str, String)> {
        let join = |v: Vec<u64>| v.iter().map(u64::to_string).collect::<Vec<_>>().join(",");
        vec![
            ("landed", join(self.landed.iter().map(|l| l.pr).collect())),
            (
                "landed-sha",
                self.landed
                    .last()
                    .map(|l| l.sha.clone())
                    .unwrap_or_default(),
            ),
            ("ejected", join(self.ejected.clone())),
            (
                "testing",
                join(self.testing.values().flatten().copied().collect()),
            ),
            (
                "queue-length",
                self.queue.values().map(Vec::len).sum::<usize>().to_string(),
            ),
            (
                "stuck",
                self.stuck
                    .iter()
                    .map(|s| s.message.clone())
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            (
                "events",
                serde_json::to_string(&self.events).unwrap_or_else(|_| "[]".into()),
            ),
        ]
    }
}
