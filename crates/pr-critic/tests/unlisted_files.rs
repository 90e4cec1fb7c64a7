//! Approval labels by path when GitHub's file listing stops at 3,000 files (issue 10 item 3):
//! the real binary against a git-backed fake, whose PR listing is capped as GitHub's is and
//! whose trees show what lies past it.

#![allow(clippy::unwrap_used)]

mod support;

use fake_github::{Change, FakeGitHub, PullSeed};
use support::*;

const TEMPLATE: &str = include_str!("data/reference/pull_request_template.md");
const FILLED: &str = include_str!("data/reference/body_filled.md");

/// A PR of 3,000 junk files (listed first) plus `extra`; trees over `tree_cap` entries are
/// truncated.
fn pr_behind_3000_files(extra: &str, tree_cap: Option<usize>) -> FakeGitHub {
    let fake = FakeGitHub::start();
    {
        let mut state = fake.state();
        let mut git = state.git_repo(REPO).unwrap();
        git.commit(
            "main",
            "initial",
            &[(".github/pull_request_template.md", TEMPLATE)],
        )
        .unwrap();
        git.branch("feature", "main").unwrap();
        let mut changes: Vec<Change> = (0..3_000)
            .map(|i| Change::write(&format!("aaa/junk{i:04}.txt"), "junk\n"))
            .collect();
        changes.push(Change::write(extra, "changed: true\n"));
        git.commit_changes("feature", "junk first", &changes)
            .unwrap();
        if let Some(cap) = tree_cap {
            git.set_tree_entry_cap(cap).unwrap();
        }
        git.open_pull(
            PullSeed::new(NUMBER).title("Junk").body(FILLED),
            "feature",
            "main",
        )
        .unwrap();
    }
    fake
}

fn our_comment(fake: &FakeGitHub) -> String {
    comments(fake)
        .into_iter()
        .map(|(_, _, body)| body)
        .find(|body| body.starts_with(MARKER))
        .unwrap()
}

#[test]
fn a_contract_past_github_s_3000_files_still_needs_its_label() {
    let fake = pr_behind_3000_files("packages/contracts/users.yaml", None);
    let run = run_critic(&fake, &payload_for(&fake, "opened"), &[]);
    let body = our_comment(&fake);
    assert!(
        body.contains("❌ **Approval label architect-approved**"),
        "{body}"
    );
    assert_eq!(run.code, 1, "{run:?}");
    let trees = fake
        .calls()
        .iter()
        .filter(|c| c.path.contains("/git/trees/"))
        .count();
    assert_eq!(trees, 2, "one recursive tree each for base and head");
}

#[test]
fn truncated_trees_make_every_approval_label_apply() {
    let fake = pr_behind_3000_files("src/lib.rs", Some(1_000));
    let run = run_critic(&fake, &payload_for(&fake, "opened"), &[]);
    let body = our_comment(&fake);
    assert!(
        body.contains("❌ **Approval label architect-approved**"),
        "{body}"
    );
    assert!(body.contains("truncated too"), "{body}");
    assert_eq!(run.code, 1, "{run:?}");
}
