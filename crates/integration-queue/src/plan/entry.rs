//! Whether a labelled PR may enter the queue: open, not a draft, no conflicts, required checks
//! green on its head. Pending checks wait; what cannot enter is told why and how to fix it.

use crate::state::{CheckOutcome, Mergeable, PullRequest, QueueState};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Ready,
    /// Waiting for these checks (or for GitHub to compute mergeability).
    Waiting {
        pending: Vec<String>,
    },
    /// A required check has said nothing for longer than `stuck-after`.
    Stuck {
        missing: String,
    },
    /// Cannot enter: one comment with the reason and the fix, and the label comes off.
    Rejected {
        reason: String,
        fix: String,
    },
}

pub fn entry(state: &QueueState, pr: &PullRequest, required: &[String]) -> Entry {
    let cfg = &state.config;
    if !cfg.bases.contains(&pr.base) {
        return Entry::Rejected {
            reason: format!(
                "it targets `{}`, a branch the queue does not serve (it serves {})",
                pr.base,
                cfg.bases
                    .iter()
                    .map(|b| format!("`{b}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            fix: "retarget the PR to a served base branch, then add the label again".into(),
        };
    }
    if pr.draft {
        return Entry::Rejected {
            reason: "it is a draft".into(),
            fix: "mark it ready for review, then add the label again".into(),
        };
    }
    match pr.mergeable {
        Mergeable::Conflicting => {
            return Entry::Rejected {
                reason: format!("it conflicts with `{}`", pr.base),
                fix: format!(
                    "merge or rebase onto the latest `{}`, push, then add the label again",
                    pr.base
                ),
            };
        }
        Mergeable::Unknown => {
            return Entry::Waiting {
                pending: vec!["mergeability (GitHub is computing it)".into()],
            };
        }
        Mergeable::Clean => {}
    }
    let mut failed = Vec::new();
    let mut pending = Vec::new();
    let mut missing = Vec::new();
    for name in required {
        match state.check(&pr.head_sha, name) {
            Some(c) if c.outcome == CheckOutcome::Failed => {
                failed.push(format!("[`{name}`]({})", c.url));
            }
            Some(c) if c.outcome == CheckOutcome::Passed => {}
            Some(c) if c.outcome == CheckOutcome::Cancelled => {
                pending.push(format!("{name} (cancelled: re-run it)"));
            }
            Some(_) => pending.push(name.clone()),
            None => missing.push(name.clone()),
        }
    }
    if !failed.is_empty() {
        return Entry::Rejected {
            reason: format!(
                "required checks failed on its head `{}`: {}",
                short(&pr.head_sha),
                failed.join(", ")
            ),
            fix: "fix the failures, push, then add the label again".into(),
        };
    }
    let silent_for = pr
        .enqueued_at()
        .map(|t| state.now.duration_since(t))
        .unwrap_or_default();
    if let Some(name) = missing.first()
        && silent_for > cfg.stuck_after
    {
        return Entry::Stuck {
            missing: name.clone(),
        };
    }
    pending.extend(missing);
    if pending.is_empty() {
        Entry::Ready
    } else {
        Entry::Waiting { pending }
    }
}

pub(super) fn short(sha: &str) -> &str {
    sha.get(..7).unwrap_or(sha)
}
