use super::*;

/// size-labeler's triggers: the PR actions that change a size, `workflow_run`, and any event
/// given `pr-number`.
const LABELER: Triggers = Triggers {
    guardian: "size-labeler",
    pull_request_actions: &["opened", "synchronize"],
    workflow_run: true,
    deployment_status: false,
    any_event_with_pr_number: true,
};

/// A guardian that runs on pull requests only.
const PR_ONLY: Triggers = Triggers {
    guardian: "pr-critic",
    pull_request_actions: &["opened", "edited"],
    workflow_run: false,
    deployment_status: false,
    any_event_with_pr_number: false,
};

fn json(case: &str) -> serde_json::Value {
    let path = format!(
        "{}/../../fixtures/webhooks/{case}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_slice(&std::fs::read(&path).expect("fixture")).expect("json")
}

fn event(name: &str, payload: &serde_json::Value) -> Event {
    Event::parse(name, &serde_json::to_vec(payload).expect("serialize")).expect("valid payload")
}

fn fixture(name: &str, case: &str) -> Event {
    event(name, &json(case))
}

const RUN_SHA: &str = "5779607b49aab1200488439f02372c57b4f75444";

/// `workflow_run.completed` as the Octokit example has it is a fork PR's run: its head
/// repository (`octo-org/octo-repo`) is not the repository (`Codertocat/Hello-World`), and the
/// PR list is empty.
fn fork_run() -> serde_json::Value {
    json("workflow_run.completed")
}

#[test]
fn a_pull_request_event_carries_its_pr_and_needs_no_request() {
    let lookup = decide(
        &fixture("pull_request", "pull_request.opened"),
        "pull_request",
        Some(99),
        &LABELER,
    )
    .expect("selected");
    let Lookup::Payload(pr) = lookup else {
        panic!("payload PR expected, got {lookup:?}")
    };
    // The event's PR wins over a number given for other events.
    assert_eq!(pr.number, 2);
    assert_eq!(pr.base.ref_, "master");
}

#[test]
fn other_pull_request_actions_say_which_ones_it_runs_on() {
    let why = decide(
        &fixture("pull_request_target", "pull_request.closed"),
        "pull_request_target",
        None,
        &LABELER,
    )
    .expect_err("closed is not a trigger");
    assert_eq!(
        why,
        "nothing to do for `closed` pull requests; size-labeler runs on `pull_request` and \
         `pull_request_target` (opened, synchronize), `workflow_run`, and any event given the \
         `pr-number` input or `--pr N`."
    );
}

#[test]
fn a_same_repository_run_takes_the_pr_from_its_list_without_a_head_check() {
    let lookup = decide(
        &fixture("workflow_run", "workflow_run.completed.with-pull-request"),
        "workflow_run",
        None,
        &LABELER,
    )
    .expect("selected");
    assert_eq!(
        lookup,
        Lookup::Number {
            number: 2,
            head: None
        }
    );
}

#[test]
fn a_run_without_a_listed_pr_is_looked_up_by_its_head_commit() {
    // The same run, from a branch of the repository itself.
    let mut payload = json("workflow_run.completed");
    payload["workflow_run"]["head_repository"]["full_name"] = "codertocat/hello-world".into();
    let lookup = decide(
        &event("workflow_run", &payload),
        "workflow_run",
        None,
        &LABELER,
    )
    .expect("selected");
    assert_eq!(
        lookup,
        Lookup::HeadCommit(RunHead {
            sha: RUN_SHA.to_owned(),
            repository: Some("codertocat/hello-world".to_owned()),
            from_fork: false,
        })
    );
}

#[test]
fn a_fork_run_checks_every_way_of_naming_the_pr_against_its_head() {
    let fork = event("workflow_run", &fork_run());
    let head = RunHead {
        sha: RUN_SHA.to_owned(),
        repository: Some("octo-org/octo-repo".to_owned()),
        from_fork: true,
    };
    assert_eq!(
        decide(&fork, "workflow_run", None, &LABELER),
        Ok(Lookup::HeadCommit(head.clone()))
    );
    // A number the fork's workflow wrote into an artifact is a claim, checked like the rest.
    assert_eq!(
        decide(&fork, "workflow_run", Some(7), &LABELER),
        Ok(Lookup::Number {
            number: 7,
            head: Some(head)
        })
    );
}

#[test]
fn a_run_whose_head_repository_is_unknown_counts_as_a_fork() {
    let mut payload = json("workflow_run.completed");
    payload["workflow_run"]
        .as_object_mut()
        .expect("object")
        .remove("head_repository");
    let Ok(Lookup::HeadCommit(head)) = decide(
        &event("workflow_run", &payload),
        "workflow_run",
        None,
        &LABELER,
    ) else {
        panic!("head-commit lookup expected")
    };
    assert!(head.from_fork);
    assert_eq!(head.repository, None);
}

#[test]
fn a_fork_pr_is_acted_on_only_when_sha_and_repository_both_match() {
    let Event::PullRequest(opened) = fixture("pull_request", "pull_request.opened.fork") else {
        panic!("pull_request payload")
    };
    let pr = opened.pull_request;
    let head = |sha: &str, repo: &str| RunHead {
        sha: sha.to_owned(),
        repository: Some(repo.to_owned()),
        from_fork: true,
    };
    let sha = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
    assert_eq!(check_head(&pr, &head(sha, "Octo-Fork/Hello-World")), Ok(()));
    // The same commit pushed to another fork is not this PR's run.
    let why = check_head(&pr, &head(sha, "mallory/Hello-World")).expect_err("other fork");
    assert!(
        why.contains("`mallory/Hello-World`") && why.contains("`octo-fork/Hello-World`"),
        "{why}"
    );
    // The PR was pushed to after the run: the newer run acts.
    let why = check_head(&pr, &head(RUN_SHA, "octo-fork/Hello-World")).expect_err("moved on");
    assert!(why.contains("`5779607b49aa`"), "{why}");

    let Event::PullRequest(deleted) = fixture("pull_request", "pull_request.closed.deleted-fork")
    else {
        panic!("pull_request payload")
    };
    let why = check_head(&deleted.pull_request, &head(sha, "octo-fork/Hello-World"))
        .expect_err("a deleted fork cannot be shown to match");
    assert!(why.contains("a deleted repository"), "{why}");
}

#[test]
fn a_deployment_names_its_commit_unless_told_the_pr() {
    let triggers = Triggers {
        deployment_status: true,
        ..PR_ONLY
    };
    let deployment = fixture("deployment_status", "deployment_status.created");
    assert_eq!(
        decide(&deployment, "deployment_status", None, &triggers),
        Ok(Lookup::HeadCommit(RunHead {
            sha: "f95f852bd8fca8fcc58a9a2d6c842781e32a215e".to_owned(),
            repository: None,
            from_fork: false,
        }))
    );
    assert_eq!(
        decide(&deployment, "deployment_status", Some(4), &triggers),
        Ok(Lookup::Number {
            number: 4,
            head: None
        })
    );
    let why = decide(&deployment, "deployment_status", None, &PR_ONLY).expect_err("not a trigger");
    assert!(why.starts_with("this is `deployment_status`, so"), "{why}");
}

#[test]
fn other_events_need_the_pr_number_and_say_so() {
    let push = fixture("push", "push.branch");
    assert_eq!(
        decide(&push, "push", Some(5), &LABELER),
        Ok(Lookup::Number {
            number: 5,
            head: None
        })
    );
    let why = decide(&push, "push", None, &LABELER).expect_err("no number");
    assert!(
        why.starts_with(
            "this is `push` without the `pr-number` input or `--pr`, so there is nothing to do;"
        ),
        "{why}"
    );
    let why = decide(&push, "push", Some(5), &PR_ONLY).expect_err("not a trigger");
    assert_eq!(
        why,
        "this is `push`, which it does not run on even with `pr-number`; pr-critic runs on \
         `pull_request` and `pull_request_target` (opened, edited)."
    );
}

#[test]
fn a_guardian_taking_pr_number_anywhere_still_checks_a_fork_run() {
    let triggers = Triggers {
        workflow_run: false,
        ..LABELER
    };
    let fork = event("workflow_run", &fork_run());
    assert!(matches!(
        decide(&fork, "workflow_run", Some(7), &triggers),
        Ok(Lookup::Number { head: Some(_), .. })
    ));
    assert!(decide(&fork, "workflow_run", None, &triggers).is_err());
}
