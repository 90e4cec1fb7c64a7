//! The real binary against the fake GitHub: templates found where GitHub finds them (issue 15),
//! and a neutral result, not a pass, when there is none.

mod support;

use fake_github::{FakeGitHub, FileSeed, PullSeed};
use support::*;

fn start(body: &str) -> FakeGitHub {
    let fake = FakeGitHub::start();
    seed_pull(
        &fake,
        PullSeed::new(NUMBER)
            .title("Retries")
            .body(body)
            .file(FileSeed::new("README.md", 3, 1)),
    );
    fake
}

fn our_comment(fake: &FakeGitHub) -> String {
    comments(fake)
        .into_iter()
        .find(|(_, _, body)| body.starts_with(MARKER))
        .map(|(_, _, body)| body)
        .expect("our comment")
}

#[test]
fn an_extensionless_template_in_dot_github_is_found() {
    let fake = start("Small fix.\n");
    put_template(
        &fake,
        ".github/PULL_REQUEST_TEMPLATE",
        "**What does this PR do?**\n\n**How was it tested?**\n",
    );
    let run = run_critic(&fake, &payload_for(&fake, "opened"), &[]);
    assert_eq!(run.code, 1, "an unfilled template fails: {run:?}");
    let body = our_comment(&fake);
    assert!(
        body.contains("Checked against template `.github/PULL_REQUEST_TEMPLATE`"),
        "{body}"
    );
    assert!(body.contains("**What does this PR do?**"), "{body}");
    assert_eq!(run.outputs["result"], "failed");
}

#[test]
fn a_template_folder_gives_the_template_the_description_was_written_from() {
    let body = "## What does it add?\nAn export button.\n\n## Screenshots\n![after](https://github.com/user-attachments/assets/1)\n";
    let fake = start(body);
    put_template(
        &fake,
        ".github/PULL_REQUEST_TEMPLATE/bug.md",
        "## What broke?\n\n## How to reproduce\n",
    );
    put_template(
        &fake,
        ".github/PULL_REQUEST_TEMPLATE/feature.md",
        "## What does it add?\n\n## Screenshots\n",
    );
    let run = run_critic(&fake, &payload_for(&fake, "opened"), &[]);
    assert_eq!(run.code, 0, "{run:?}");
    let comment = our_comment(&fake);
    assert!(
        comment.contains("Checked against template `.github/PULL_REQUEST_TEMPLATE/feature.md`"),
        "{comment}"
    );
    assert_eq!(run.outputs["result"], "passed");
}

#[test]
fn without_a_template_the_result_is_neutral_not_passed() {
    let fake = start("Small fix.\n");
    let run = run_critic(&fake, &payload_for(&fake, "opened"), &[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.outputs["result"], "neutral", "{:?}", run.outputs);
    assert!(
        run.stdout.contains("::notice title=pr-critic"),
        "{}",
        run.stdout
    );
    let comment = our_comment(&fake);
    assert!(!comment.contains("check passed"), "{comment}");
    assert!(comment.contains("not checked"), "{comment}");
    assert!(comment.contains("No PR template was found"), "{comment}");
}
