//! Branch names chosen by the PR's author, against the real binary: they stay in the part of the
//! URL where the template puts them, and never form a host.

#![allow(clippy::unwrap_used)]

mod support;

use fake_github::{FakeGitHub, PullSeed, PullState};
use support::*;

/// The fake with PR #42 open at `HEAD` on branch `branch`, and `config` on `main`.
fn fake_with_branch(config: &str, branch: &str) -> FakeGitHub {
    let fake = FakeGitHub::start();
    fake.state().add_pull(
        REPO,
        PullSeed::new(NUMBER)
            .title("Add the login page")
            .head(branch, HEAD)
            .base("main", &fake_github::fake_sha("base"))
            .state(PullState::Open),
    );
    fake.state()
        .put_content(REPO, "main", ".github/guardians.yml", config);
    fake
}

#[test]
fn a_branch_in_the_host_is_a_config_error_naming_the_template_and_the_slug() {
    let config = config_yaml(&[("Web", "https://{branch}.example.dev".to_owned())]);
    let fake = fake_with_branch(&config, "x@127.0.0.1/ok/#");
    let run = Step::new("pull_request", pull_request_payload("opened", HEAD, None))
        .input("deployments", "false")
        .run(&fake);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout
            .contains(r#"`url` "https://{branch}.example.dev": `{branch}` stands in the host"#),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("use `{branch_slug}`"), "{}", run.stdout);
    assert!(fake.writes().is_empty(), "{:#?}", fake.writes());
}

#[test]
fn an_at_sign_branch_stays_in_the_path_of_the_link_and_the_health_check() {
    let previews = Previews::start();
    let config = config_yaml(&[("Web", previews.url("/healthy?b={branch}&env=preview"))]);
    let fake = fake_with_branch(&config, "a&admin=1#x@127.0.0.1/");
    let run = Step::new("pull_request", pull_request_payload("opened", HEAD, None))
        .input("deployments", "false")
        .run(&fake);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(previews.hits(), 1, "the health check reached the preview");
    let comments = our_comments(&fake);
    let body = &comments[0].1;
    let expected = previews.url("/healthy?b=a%26admin%3D1%23x@127.0.0.1/&env=preview");
    assert!(body.contains(&format!("<{expected}>")), "{body}");
    assert!(!body.contains("&admin=1"), "{body}");
    let urls: serde_json::Value = serde_json::from_str(&run.outputs["urls"]).unwrap();
    assert_eq!(urls["Web"], expected);
}
