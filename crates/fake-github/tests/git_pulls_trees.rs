//! The git model: PRs between real commits list their files from git, and trees and contents come from git.

mod support;

use fake_github::{Change, FakeGitHub, PullSeed};
use serde_json::Value;
use support::{Api, link};

const JUNK: usize = 3_009;

fn junk_path(i: usize) -> String {
    format!("a/junk_{i:05}.txt")
}

/// A repository whose `main` holds 3,009 junk files and a contract; `feature` changes all 3,010 files.
fn huge_pr(github: &FakeGitHub) -> (String, String) {
    let mut state = github.state();
    let mut git = state.git_repo("o/r").expect("a git-backed repository");
    let mut base: Vec<Change> = (1..=JUNK)
        .map(|i| Change::write(&junk_path(i), format!("junk {i}\n")))
        .collect();
    base.push(Change::write(
        "z/openapi.yaml",
        "paths:\n  /admin:\n    delete: {}\n",
    ));
    let base_sha = git
        .commit_changes("main", "base", &base)
        .expect("base commit");
    git.branch("feature", "main").expect("branch");
    let mut head: Vec<Change> = (1..=JUNK)
        .map(|i| Change::write(&junk_path(i), format!("junk {i}\nmore\n")))
        .collect();
    head.push(Change::write("z/openapi.yaml", "paths: {}\n"));
    let head_sha = git
        .commit_changes("feature", "head", &head)
        .expect("head commit");
    git.open_pull(PullSeed::new(7).title("Huge"), "feature", "main")
        .expect("the PR opens");
    (base_sha, head_sha)
}

#[tokio::test]
async fn a_pr_of_3010_files_lists_3000_and_the_trees_show_the_rest() {
    let github = FakeGitHub::start();
    let (base_sha, head_sha) = huge_pr(&github);
    let api = Api::new(&github.url());

    let (status, pull) = api
        .json(reqwest::Method::GET, "/repos/o/r/pulls/7", None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(pull["head"]["sha"], head_sha.as_str());
    assert_eq!(pull["base"]["sha"], base_sha.as_str());
    assert_eq!(pull["changed_files"], 3_010);
    assert_eq!(pull["additions"], 3_010);
    assert_eq!(pull["deletions"], 3);

    // 100 a page, following `Link: rel="next"` as a client does, stops at GitHub's 3,000-file cap.
    let mut listed: Vec<Value> = Vec::new();
    let mut next = Some("/repos/o/r/pulls/7/files?per_page=100".to_owned());
    let mut pages = 0;
    while let Some(url) = next {
        let response = api.get(&url).await;
        assert_eq!(response.status().as_u16(), 200);
        next = link(&response, "next");
        let page: Vec<Value> = response.json().await.expect("a JSON page");
        listed.extend(page);
        pages += 1;
    }
    assert_eq!(pages, 30);
    assert_eq!(listed.len(), 3_000);
    assert!(
        listed.iter().all(|f| f["filename"] != "z/openapi.yaml"),
        "the contract is past the cap"
    );
    let first = &listed[0];
    assert_eq!(first["filename"], junk_path(1).as_str());
    assert_eq!(first["status"], "modified");
    assert_eq!(first["additions"], 1);
    assert_eq!(first["deletions"], 0);
    assert_eq!(first["changes"], 1);
    assert_eq!(first["patch"], "@@ -1 +1,2 @@\n junk 1\n+more");

    // The trees of base and head are complete and show the contract's blob changing.
    let tree_of = |sha: &str| format!("/repos/o/r/git/trees/{sha}?recursive=1");
    let (_, base_tree) = api
        .json(reqwest::Method::GET, &tree_of(&base_sha), None)
        .await;
    let (status, head_tree) = api
        .json(reqwest::Method::GET, &tree_of(&head_sha), None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(head_tree["truncated"], false);
    // 3,010 blobs and the two directories `a` and `z`.
    assert_eq!(head_tree["tree"].as_array().map(Vec::len), Some(3_012));
    let blob = |tree: &Value, path: &str| -> Value {
        tree["tree"]
            .as_array()
            .and_then(|items| items.iter().find(|i| i["path"] == path).cloned())
            .unwrap_or(Value::Null)
    };
    let old = blob(&base_tree, "z/openapi.yaml");
    let new = blob(&head_tree, "z/openapi.yaml");
    assert_eq!(old["type"], "blob");
    assert_eq!(old["mode"], "100644");
    assert_eq!(new["size"], 10);
    assert_ne!(old["sha"], new["sha"]);
    // The blob SHA is git's own: the same as `git hash-object` gives for the content.
    let expected = {
        let state = github.state();
        let git = state.git_backed("o/r").expect("git-backed").repo.clone();
        git.entry(&head_sha, "z/openapi.yaml")
            .expect("ls-tree")
            .expect("the entry")
            .sha
    };
    assert_eq!(new["sha"], expected.as_str());
    let dir = blob(&head_tree, "a");
    assert_eq!(dir["type"], "tree");
    assert_eq!(dir["mode"], "040000");
    assert!(dir.get("size").is_none(), "trees have no size: {dir}");
}

#[tokio::test]
async fn a_recursive_tree_past_the_cap_says_truncated() {
    let github = FakeGitHub::start();
    {
        let mut state = github.state();
        let mut git = state.git_repo("o/r").expect("git");
        git.commit(
            "main",
            "three files",
            &[("a.txt", "a"), ("b/c.txt", "c"), ("b/d.txt", "d")],
        )
        .expect("commit");
        git.set_tree_entry_cap(2).expect("cap");
    }
    let api = Api::new(&github.url());
    let (status, tree) = api
        .json(
            reqwest::Method::GET,
            "/repos/o/r/git/trees/main?recursive=1",
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(tree["truncated"], true);
    assert_eq!(tree["tree"].as_array().map(Vec::len), Some(2));
    // Non-recursive: one level, never truncated.
    let (_, top) = api
        .json(reqwest::Method::GET, "/repos/o/r/git/trees/main", None)
        .await;
    assert_eq!(top["truncated"], false);
    let paths: Vec<&str> = top["tree"]
        .as_array()
        .map(|items| items.iter().filter_map(|i| i["path"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(paths, ["a.txt", "b"]);
    let (status, missing) = api
        .json(reqwest::Method::GET, "/repos/o/r/git/trees/nope", None)
        .await;
    assert_eq!(status, 404, "{missing}");
}

#[tokio::test]
async fn pr_files_have_git_statuses_and_contents_come_from_git_at_any_ref() {
    let github = FakeGitHub::start();
    let (base_sha, head_sha) = {
        let mut state = github.state();
        let mut git = state.git_repo("o/r").expect("git");
        let base = git
            .commit(
                "main",
                "base",
                &[
                    ("keep.txt", "one\ntwo\n"),
                    ("gone.txt", "bye\n"),
                    (
                        "old/name.txt",
                        "a long enough body to be found as a rename\n",
                    ),
                ],
            )
            .expect("base");
        git.branch("topic", "main").expect("branch");
        let head = git
            .commit_changes(
                "topic",
                "change",
                &[
                    Change::write("keep.txt", "one\n2\n"),
                    Change::delete("gone.txt"),
                    Change::delete("old/name.txt"),
                    Change::write(
                        "new/name.txt",
                        "a long enough body to be found as a rename\n",
                    ),
                    Change::write("added.txt", "hi\n"),
                ],
            )
            .expect("head");
        git.open_pull(PullSeed::new(3), "topic", "main")
            .expect("PR");
        (base, head)
    };
    let api = Api::new(&github.url());
    let (_, files) = api
        .json(reqwest::Method::GET, "/repos/o/r/pulls/3/files", None)
        .await;
    let summary: Vec<(String, String, Value)> = files
        .as_array()
        .expect("a list")
        .iter()
        .map(|f| {
            (
                f["filename"].as_str().unwrap_or_default().to_owned(),
                f["status"].as_str().unwrap_or_default().to_owned(),
                f["previous_filename"].clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("added.txt".to_owned(), "added".to_owned(), Value::Null),
            ("gone.txt".to_owned(), "removed".to_owned(), Value::Null),
            ("keep.txt".to_owned(), "modified".to_owned(), Value::Null),
            (
                "new/name.txt".to_owned(),
                "renamed".to_owned(),
                Value::String("old/name.txt".to_owned())
            ),
        ]
    );
    assert_eq!(files[2]["patch"], "@@ -1,2 +1,2 @@\n one\n-two\n+2");
    let (_, commits) = api
        .json(reqwest::Method::GET, "/repos/o/r/pulls/3/commits", None)
        .await;
    assert_eq!(commits[0]["sha"], head_sha.as_str());
    assert_eq!(commits[0]["commit"]["message"], "change");

    // Contents at the branch, at a SHA, at the default branch, and a directory listing.
    let text = |v: &Value| {
        use base64::Engine as _;
        let encoded: String = v["content"]
            .as_str()
            .unwrap_or_default()
            .split('\n')
            .collect();
        String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .expect("base64"),
        )
        .expect("utf-8")
    };
    let (status, at_topic) = api
        .json(
            reqwest::Method::GET,
            "/repos/o/r/contents/keep.txt?ref=topic",
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(text(&at_topic), "one\n2\n");
    assert_eq!(
        at_topic["sha"], files[2]["sha"],
        "the listing's sha is the blob's"
    );
    let (_, at_base) = api
        .json(
            reqwest::Method::GET,
            &format!("/repos/o/r/contents/keep.txt?ref={base_sha}"),
            None,
        )
        .await;
    assert_eq!(text(&at_base), "one\ntwo\n");
    let (_, default) = api
        .json(reqwest::Method::GET, "/repos/o/r/contents/gone.txt", None)
        .await;
    assert_eq!(text(&default), "bye\n");
    let (status, _) = api
        .json(
            reqwest::Method::GET,
            "/repos/o/r/contents/gone.txt?ref=topic",
            None,
        )
        .await;
    assert_eq!(status, 404);
    let (_, dir) = api
        .json(
            reqwest::Method::GET,
            "/repos/o/r/contents/new?ref=topic",
            None,
        )
        .await;
    assert_eq!(dir[0]["type"], "file");
    assert_eq!(dir[0]["path"], "new/name.txt");
    let (status, bad_ref) = api
        .json(
            reqwest::Method::GET,
            "/repos/o/r/contents/keep.txt?ref=nope",
            None,
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(bad_ref["message"], "No commit found for the ref nope");
}

#[test]
fn a_pr_without_commits_is_refused_as_github_does() {
    let github = FakeGitHub::start();
    let mut state = github.state();
    let mut git = state.git_repo("o/r").expect("git");
    git.commit("main", "base", &[("a", "a")]).expect("commit");
    git.branch("same", "main").expect("branch");
    let error = git
        .open_pull(PullSeed::new(1), "same", "main")
        .expect_err("no commits between");
    assert!(error.to_string().contains("no commits between"), "{error}");
}

#[test]
fn hand_seeded_repositories_are_not_git_backed() {
    let github = FakeGitHub::start();
    github.state().add_pull("o/r", PullSeed::new(1));
    assert!(github.state().git_backed("o/r").is_none());
}
