//! Core's one PR-target selection against the fake GitHub: the reads `select_pull_request`
//! makes when the payload does not carry the PR, and the fork check on what they find.

#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::sync::Arc;

use fake_github::{FakeGitHub, PullSeed, fake_sha};
use guardians_core::event::PullRequest;
use guardians_core::runner::{
    CommonArgs, Selection, Session, Target, Triggers, select_pull_request,
};
use guardians_core::toolkit::{SharedBuffer, Toolkit};

const REPO: &str = "octo/demo";

const TRIGGERS: Triggers = Triggers {
    guardian: "a-guardian",
    pull_request_actions: &["opened"],
    workflow_run: true,
    deployment_status: false,
    any_event_with_pr_number: false,
};

/// The Octokit `workflow_run.completed` example, as a run in `REPO` of `head_repository`'s
/// commit `head_sha`, with GitHub's empty PR list for forks.
fn fork_run(head_sha: &str, head_repository: &str) -> serde_json::Value {
    let path = format!(
        "{}/../../fixtures/webhooks/workflow_run.completed.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut payload: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    payload["repository"]["full_name"] = REPO.into();
    payload["workflow_run"]["head_sha"] = head_sha.into();
    payload["workflow_run"]["head_repository"]["full_name"] = head_repository.into();
    payload["workflow_run"]["pull_requests"] = serde_json::json!([]);
    payload
}

fn select(
    fake: &FakeGitHub,
    payload: &serde_json::Value,
    pr_input: Option<&str>,
) -> Selection<PullRequest> {
    let dir = tempfile::tempdir().unwrap();
    let event_path = dir.path().join("event.json");
    std::fs::write(&event_path, payload.to_string()).unwrap();
    let mut env: HashMap<String, String> = [
        ("GITHUB_EVENT_NAME", "workflow_run".to_owned()),
        ("GITHUB_EVENT_PATH", event_path.display().to_string()),
        ("GITHUB_REPOSITORY", REPO.to_owned()),
        ("GITHUB_API_URL", fake.url()),
        ("GITHUB_TOKEN", fake_github::DEFAULT_TOKEN.to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    if let Some(number) = pr_input {
        env.insert("INPUT_PR-NUMBER".to_owned(), number.to_owned());
    }
    let env: Arc<HashMap<String, String>> = Arc::new(env);
    let toolkit = Toolkit::new(env.clone(), Box::new(SharedBuffer::new()));
    let session = Session::open_with_env(CommonArgs::default(), toolkit, env).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    match runtime
        .block_on(select_pull_request(&session, &TRIGGERS))
        .unwrap()
    {
        Selection::Subject(Target {
            pull_request,
            read_now,
        }) => {
            assert!(read_now, "a workflow_run's PR is read from GitHub");
            Selection::Subject(pull_request)
        }
        Selection::NothingToDo(why) => Selection::NothingToDo(why),
    }
}

/// Two open PRs with the same head commit: one from the fork that ran, one from another fork.
fn two_forks_one_commit(fake: &FakeGitHub, sha: &str) {
    let base = fake_sha("base");
    for (number, branch, fork) in [(7, "feature", "alice/demo"), (8, "copy", "mallory/demo")] {
        fake.state().add_pull(
            REPO,
            PullSeed::new(number)
                .head(branch, sha)
                .head_repo(fork)
                .base("main", &base),
        );
    }
}

#[test]
fn a_fork_run_finds_the_pr_of_its_own_head_repository_by_commit() {
    let fake = FakeGitHub::start();
    let sha = fake_sha("fork head");
    two_forks_one_commit(&fake, &sha);
    for (fork, number) in [("alice/demo", 7), ("mallory/demo", 8)] {
        let Selection::Subject(pr) = select(&fake, &fork_run(&sha, fork), None) else {
            panic!("a PR for {fork}")
        };
        assert_eq!(pr.number, number, "{fork}");
        assert_eq!(pr.head.repo.unwrap().full_name, fork);
    }
    assert!(
        fake.calls()
            .iter()
            .any(|c| c.path.ends_with(&format!("/commits/{sha}/pulls"))),
        "{:#?}",
        fake.calls()
    );
}

#[test]
fn a_number_given_to_a_fork_run_must_be_that_runs_pr() {
    let fake = FakeGitHub::start();
    let sha = fake_sha("fork head");
    two_forks_one_commit(&fake, &sha);
    let Selection::NothingToDo(why) = select(&fake, &fork_run(&sha, "mallory/demo"), Some("7"))
    else {
        panic!("PR 7 is alice's, not the run's")
    };
    assert!(
        why.contains("`mallory/demo`") && why.contains("`alice/demo`"),
        "{why}"
    );
    let Selection::Subject(pr) = select(&fake, &fork_run(&sha, "alice/demo"), Some("7")) else {
        panic!("PR 7 is alice's")
    };
    assert_eq!(pr.number, 7);
}

#[test]
fn a_commit_no_pr_has_as_its_head_is_nothing_to_do() {
    let fake = FakeGitHub::start();
    two_forks_one_commit(&fake, &fake_sha("fork head"));
    let other = fake_sha("unrelated");
    let Selection::NothingToDo(why) = select(&fake, &fork_run(&other, "alice/demo"), None) else {
        panic!("no PR has this head")
    };
    assert!(why.contains(&other[..12]), "{why}");
    assert!(why.contains("from `alice/demo`"), "{why}");
}
