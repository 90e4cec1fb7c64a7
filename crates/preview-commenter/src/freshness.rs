//! "Never overwritten by an older run": may this run write the comment at all?
//!
//! Runs race: pushes come in quick succession, a queued run starts after a later one finished,
//! the `pull_request` run and a `workflow_run` run both answer one push, a re-run revives an old
//! run. Two orders are known without extra API calls:
//!
//! * **Commits.** A run describes one commit (`RunFacts::sha`). The PR's head (`head_sha`) is the
//!   newest commit, as of the event or, when `head_sha_is_current`, as of an API read this run.
//! * **Runs.** Run ids grow with creation time across the repository's workflows, and a re-run
//!   keeps its id with a higher attempt; `(run_id, run_attempt)` orders runs by when they were
//!   asked for. The comment's hidden metadata records the `(sha, run_id, run_attempt)` it shows.
//!
//! The rule, in order:
//!
//! 1. A run whose commit is not the PR's head leaves the comment alone: it describes a commit
//!    that has been superseded.
//! 2. No comment, or metadata that cannot be read: write.
//! 3. The comment shows another commit and this run read the PR's head from the API just now:
//!    write. The comment's commit is no longer the head, whatever run wrote it.
//! 4. The comment was written by a later run (higher id, or the same id with a higher attempt):
//!    leave it alone. Such a run saw the same or a newer state of the PR (e.g. a queued
//!    `synchronize` run must not undo the `closed` run that already rewrote the comment).
//! 5. Otherwise write: the comment shows the same commit from an earlier (or this very) run.
//!
//! What this cannot see: a run created *before* the comment's run for a *newer* commit whose head
//! comes only from its event payload (rule 4 keeps the older comment until the next run). Reading
//! the PR's head from the API (rule 3) closes that gap at the price of one call.

use serde::Serialize;

use crate::comment::CommentMeta;
use crate::facts::{RunFacts, short_sha};

/// May this run write the comment?
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub(crate) enum Freshness {
    Write,
    LeaveAlone { reason: StaleReason },
}

/// Why a run leaves the comment alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum StaleReason {
    /// The run's commit is no longer the PR's head.
    Superseded { run_sha: String, head_sha: String },
    /// A later run already wrote the comment.
    NewerRunShown { run_id: u64, run_attempt: u32 },
}

impl std::fmt::Display for StaleReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Superseded { run_sha, head_sha } => write!(
                f,
                "this run describes commit {} but the pull request's head is now {}; the run for the newer commit updates the comment",
                short_sha(run_sha),
                short_sha(head_sha)
            ),
            Self::NewerRunShown {
                run_id,
                run_attempt,
            } => write!(
                f,
                "the comment was written by a later run ({run_id}, attempt {run_attempt}); an older run does not overwrite it"
            ),
        }
    }
}

/// Applies the rule above to this run and the metadata of the existing comment, if any.
pub(crate) fn decide(facts: &RunFacts, shown: Option<&CommentMeta>) -> Freshness {
    let head = &facts.pull_request.head_sha;
    if !facts.sha.eq_ignore_ascii_case(head) {
        return Freshness::LeaveAlone {
            reason: StaleReason::Superseded {
                run_sha: facts.sha.clone(),
                head_sha: head.clone(),
            },
        };
    }
    let Some(shown) = shown else {
        return Freshness::Write;
    };
    if !shown.sha.eq_ignore_ascii_case(&facts.sha) && facts.pull_request.head_sha_is_current {
        return Freshness::Write;
    }
    if (shown.run_id, shown.run_attempt) > (facts.run.id, facts.run.attempt) {
        return Freshness::LeaveAlone {
            reason: StaleReason::NewerRunShown {
                run_id: shown.run_id,
                run_attempt: shown.run_attempt,
            },
        };
    }
    Freshness::Write
}

/// What a run reads again right before each write: the PR's head now, and the metadata of
/// the comment that is shown now (the oldest of ours).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reread {
    pub head_sha: String,
    pub shown: Option<CommentMeta>,
}

/// May this run write now? The rule above, applied to the facts as re-read a moment ago rather
/// than as gathered when the run started: between the two a push may have moved the head and a
/// newer run may have written the comment, and the run's checks may have taken any time.
pub(crate) fn before_write(facts: &RunFacts, now: &Reread) -> Freshness {
    let mut current = facts.clone();
    current.pull_request.head_sha.clone_from(&now.head_sha);
    current.pull_request.head_sha_is_current = true;
    decide(&current, now.shown.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{HEAD_SHA, facts};

    const OLDER_SHA: &str = "1111111111111111111111111111111111111111";

    fn shown(sha: &str, run_id: u64, run_attempt: u32) -> CommentMeta {
        CommentMeta {
            sha: sha.to_owned(),
            run_id,
            run_attempt,
            updated_at: "2026-11-22T10:00:00Z".parse().expect("valid"),
        }
    }

    fn leaves_alone(decision: Freshness) -> bool {
        matches!(decision, Freshness::LeaveAlone { .. })
    }

    #[test]
    fn first_run_writes() {
        assert_eq!(decide(&facts(), None), Freshness::Write);
    }

    #[test]
    fn a_run_for_a_superseded_commit_leaves_it_alone() {
        let mut run = facts();
        run.sha = OLDER_SHA.to_owned();
        run.pull_request.head_sha_is_current = true;
        let decision = decide(&run, None);
        assert!(leaves_alone(decision.clone()));
        let Freshness::LeaveAlone { reason } = decision else {
            unreachable!()
        };
        assert_eq!(
            reason.to_string(),
            "this run describes commit 1111111 but the pull request's head is now 9f8e7d6; the run for the newer commit updates the comment"
        );
    }

    #[test]
    fn a_queued_run_for_an_older_push_does_not_overwrite_a_newer_one() {
        // Push A (run 100) then push B (run 101); 101 finished first and shows B. Run 100 only
        // knows its payload, where A was the head.
        let mut run = facts();
        run.sha = OLDER_SHA.to_owned();
        run.pull_request.head_sha = OLDER_SHA.to_owned();
        run.run.id = 100;
        assert!(leaves_alone(decide(&run, Some(&shown(HEAD_SHA, 101, 1)))));
    }

    #[test]
    fn a_newer_commit_replaces_an_older_one() {
        let mut run = facts();
        run.run.id = 101;
        assert_eq!(
            decide(&run, Some(&shown(OLDER_SHA, 100, 1))),
            Freshness::Write
        );
    }

    #[test]
    fn a_current_head_wins_even_against_a_later_run_of_an_older_commit() {
        // A `workflow_run` for the older commit was created after this run, but this run read the
        // PR's head from the API: the comment's commit is outdated.
        let mut run = facts();
        run.run.id = 100;
        run.pull_request.head_sha_is_current = true;
        assert_eq!(
            decide(&run, Some(&shown(OLDER_SHA, 105, 1))),
            Freshness::Write
        );
        // Without the API read, the later run's comment stands.
        run.pull_request.head_sha_is_current = false;
        assert!(leaves_alone(decide(&run, Some(&shown(OLDER_SHA, 105, 1)))));
    }

    #[test]
    fn same_commit_orders_by_run_then_attempt() {
        let run = facts(); // run 7001 attempt 1
        assert_eq!(
            decide(&run, Some(&shown(HEAD_SHA, 7001, 1))),
            Freshness::Write,
            "own retry"
        );
        assert_eq!(
            decide(&run, Some(&shown(HEAD_SHA, 6999, 3))),
            Freshness::Write
        );
        assert!(leaves_alone(decide(&run, Some(&shown(HEAD_SHA, 7001, 2)))));
        assert!(leaves_alone(decide(&run, Some(&shown(HEAD_SHA, 7002, 1)))));
        let mut rerun = facts();
        rerun.run.attempt = 2;
        assert_eq!(
            decide(&rerun, Some(&shown(HEAD_SHA, 7001, 1))),
            Freshness::Write
        );
    }

    #[test]
    fn a_run_whose_head_moved_after_it_started_never_writes() {
        // Run 100 gathered with the head at its commit; then the head moved on and run 101
        // wrote the comment for the new head. What run 100 gathered says "write"; what it
        // reads again before writing says "leave alone".
        let mut run100 = facts();
        run100.sha = OLDER_SHA.to_owned();
        run100.pull_request.head_sha = OLDER_SHA.to_owned();
        run100.pull_request.head_sha_is_current = true;
        run100.run.id = 100;
        let written_by_101 = shown(HEAD_SHA, 101, 1);
        let now = Reread {
            head_sha: HEAD_SHA.to_owned(),
            shown: Some(written_by_101.clone()),
        };
        let Freshness::LeaveAlone { reason } = before_write(&run100, &now) else {
            panic!("an older commit's run overwrote a newer one");
        };
        assert!(
            matches!(reason, StaleReason::Superseded { .. }),
            "{reason:?}"
        );
        // Nor when there is no comment yet (it would create one for the old commit).
        let no_comment = Reread {
            head_sha: HEAD_SHA.to_owned(),
            shown: None,
        };
        assert!(leaves_alone(before_write(&run100, &no_comment)));
        // Nor when a newer run of the same commit wrote meanwhile.
        let mut run7001 = facts();
        run7001.pull_request.head_sha_is_current = true;
        let same_commit_later = Reread {
            head_sha: HEAD_SHA.to_owned(),
            shown: Some(shown(HEAD_SHA, 7002, 1)),
        };
        assert!(leaves_alone(before_write(&run7001, &same_commit_later)));
        // The run for the head writes over a comment for an older commit.
        let older_shown = Reread {
            head_sha: HEAD_SHA.to_owned(),
            shown: Some(shown(OLDER_SHA, 9000, 1)),
        };
        assert_eq!(before_write(&run7001, &older_shown), Freshness::Write);
    }

    #[test]
    fn sha_case_does_not_matter() {
        let mut run = facts();
        run.sha = HEAD_SHA.to_uppercase();
        assert_eq!(decide(&run, Some(&shown(HEAD_SHA, 1, 1))), Freshness::Write);
    }
}
