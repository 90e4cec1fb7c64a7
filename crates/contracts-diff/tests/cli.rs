//! The real binary on temporary files: exit codes, `--fail-on`, formats, error messages.
//! Errors are printed once, by the shared runner: on stderr outside Actions, so that stdout
//! holds only the report.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_contracts-diff"))
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn breaking_pair_exits_1_only_with_fail_on() {
    let (old, new) = (data("petstore-before.yaml"), data("petstore-after.yaml"));
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    let o = run(&[old, new]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("`operation-removed`"));
    let o = run(&[old, new, "--fail-on", "breaking"]);
    assert_eq!(o.status.code(), Some(1));
    let o = run(&[old, new, "--fail-on", "none"]);
    assert_eq!(o.status.code(), Some(0));
    // With a config file, its `fail-on` applies unless the flag overrides it.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("guardians.yml");
    std::fs::write(&config, "contracts-diff:\n  fail-on: breaking\n").unwrap();
    let config = config.to_str().unwrap();
    assert_eq!(run(&[old, new, "--config", config]).status.code(), Some(1));
    assert_eq!(
        run(&[old, new, "--config", config, "--fail-on", "none"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn non_breaking_change_passes_fail_on_breaking_but_not_any() {
    let dir = tempfile::tempdir().unwrap();
    let doc = |extra: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      responses: {{'200': {{description: ok}}}}\n{extra}"
        )
    };
    let old = dir.path().join("old.yaml");
    let new = dir.path().join("new.yaml");
    std::fs::write(&old, doc("")).unwrap();
    std::fs::write(
        &new,
        doc("  /b:\n    get:\n      responses: {'200': {description: ok}}\n"),
    )
    .unwrap();
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    assert_eq!(
        run(&[old, new, "--fail-on", "breaking"]).status.code(),
        Some(0)
    );
    assert_eq!(
        run(&[old, new, "--fail-on", "potentially-breaking"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(run(&[old, new, "--fail-on", "any"]).status.code(), Some(1));
}

#[test]
fn json_format_lists_changes_and_outputs() {
    let o = run(&[
        data("petstore-before.yaml").to_str().unwrap(),
        data("petstore-after.yaml").to_str().unwrap(),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    assert_eq!(v["verdict"], "breaking");
    assert_eq!(v["outputs"]["breaking"], true);
    assert!(
        v["outputs"]["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e == "DELETE /pets/{petId}")
    );
    let first = &v["files"][0]["changes"][0];
    assert_eq!(first["rule"], "operation-removed");
    assert_eq!(first["severity"], "breaking");
    // `--json`, the flag every guardian has, prints the same document.
    let o2 = run(&[
        data("petstore-before.yaml").to_str().unwrap(),
        data("petstore-after.yaml").to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(stdout(&o2), stdout(&o));
}

#[test]
fn malformed_input_exits_2_with_the_file_named() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "openapi: 3.0.3\npaths: [unclosed\n").unwrap();
    let good = data("petstore-before.yaml");
    let o = run(&[good.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("bad.yaml is not valid YAML"),
        "{}",
        stderr(&o)
    );
    assert_eq!(stderr(&o).matches("error:").count(), 1, "{}", stderr(&o));
    assert_eq!(stdout(&o), "", "nothing but the report goes to stdout");
    let o = run(&[
        good.to_str().unwrap(),
        dir.path().join("missing.yaml").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read"), "{}", stderr(&o));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&[]).status.code(), Some(2));
    assert_eq!(run(&["only-one.yaml"]).status.code(), Some(2));
    let o = run(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("--fail-on"));
}

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs")
        .status
        .success();
    assert!(ok, "git {args:?}");
}

#[test]
fn git_mode_diffs_changed_contracts_between_commits() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q"]);
    std::fs::create_dir_all(repo.join("api")).unwrap();
    std::fs::copy(data("petstore-before.yaml"), repo.join("api/openapi.yaml")).unwrap();
    std::fs::write(
        repo.join("api/schema.graphql"),
        "type Query { a: Int b: Int }\n",
    )
    .unwrap();
    std::fs::write(repo.join("README.md"), "x\n").unwrap();
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "base"]);
    std::fs::copy(data("petstore-after.yaml"), repo.join("api/openapi.yaml")).unwrap();
    std::fs::write(repo.join("api/schema.graphql"), "type Query { a: Int }\n").unwrap();
    std::fs::write(repo.join("README.md"), "y\n").unwrap();
    git(repo, &["commit", "-q", "-am", "head"]);
    let o = run(&[
        "--git",
        "HEAD~1...HEAD",
        "--repo-dir",
        repo.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let paths: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["api/openapi.yaml", "api/schema.graphql"]);
    assert_eq!(v["files"][1]["changes"][0]["rule"], "graphql-field-removed");
    // The old two-argument form still works, with a warning on stderr (stdout stays JSON).
    let old_form = run(&[
        "--git",
        "HEAD~1",
        "HEAD",
        "--repo-dir",
        repo.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(old_form.status.code(), Some(0), "{}", stdout(&old_form));
    assert_eq!(stdout(&old_form), stdout(&o));
    assert!(
        stderr(&old_form).contains("`--git BASE HEAD` is deprecated: write `--git HEAD~1..HEAD`"),
        "{}",
        stderr(&old_form)
    );
    let o = run(&["--git", "nope...HEAD", "--repo-dir", repo.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown revision `nope`"),
        "{}",
        stderr(&o)
    );
    let o = run(&["--git", "HEAD", "--repo-dir", repo.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--git takes a range, BASE...HEAD"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn git_mode_outside_a_checkout_says_so_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&[
        "--git",
        "HEAD~1...HEAD",
        "--repo-dir",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "");
    let out = stderr(&o);
    assert!(out.contains("is not a git checkout"), "{out}");
    assert!(out.contains("--repo-dir"), "{out}");
    assert!(!out.contains("usage:"), "git's usage text: {out}");
    assert_eq!(out.lines().count(), 1, "{out}");
}

#[test]
fn two_files_are_two_versions_not_a_rename() {
    let (old, new) = (data("petstore-before.yaml"), data("petstore-after.yaml"));
    let o = run(&[old.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(!out.contains("renamed"), "{out}");
    assert!(
        out.contains("### `petstore-after.yaml` (modified, openapi)"),
        "{out}"
    );
}

#[test]
fn an_openapi_file_against_another_kind_of_file_says_which_is_not_openapi() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("settings.yaml");
    std::fs::write(
        &other,
        "replicas: 3
image: api:1.2
",
    )
    .unwrap();
    let old = data("petstore-before.yaml");
    let o = run(&[old.to_str().unwrap(), other.to_str().unwrap()]);
    let out = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{out}");
    assert!(
        out.contains("its head version is not an OpenAPI document (not a JSON Schema either)"),
        "{out}"
    );
    assert!(!out.contains("removed"), "{out}");
}

#[test]
fn an_openapi_file_against_a_text_file_is_not_everything_removed() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "not a contract\n").unwrap();
    let spec = data("petstore-before.yaml");
    for pair in [
        [spec.to_str().unwrap(), notes.to_str().unwrap()],
        [notes.to_str().unwrap(), spec.to_str().unwrap()],
    ] {
        let o = run(&pair);
        assert_eq!(stdout(&o), "", "no text diff of everything");
        let out = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{out}");
        assert!(
            out.contains("`notes.txt` is not an OpenAPI document"),
            "{out}"
        );
        assert!(
            !out.contains("```diff"),
            "no text diff of everything: {out}"
        );
    }
}

#[test]
fn two_identical_files_report_no_change_once() {
    let old = data("petstore-before.yaml");
    let o = run(&[old.to_str().unwrap(), old.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("No semantic change found"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn invalid_glob_in_config_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("guardians.yml");
    std::fs::write(&config, "contracts-diff:\n  contracts: ['api/{x']\n").unwrap();
    let o = run(&[
        "--git",
        "HEAD...HEAD",
        "--repo-dir",
        dir.path().to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("invalid glob `api/{x`"),
        "{}",
        stderr(&o)
    );
    std::fs::write(&config, "contracts-diff:\n  contract: []\n").unwrap();
    let o = run(&["--git", "HEAD...HEAD", "--config", config.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown field `contract`"),
        "{}",
        stderr(&o)
    );
}

/// `contracts-diff.severity` changes what `--fail-on breaking` sees, both ways, and the report
/// says the severity came from the config; a bad key is a config error (exit 2).
#[test]
fn severity_overrides_decide_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let doc = |members: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                oneOf: [{members}]\n"
        )
    };
    let old = dir.path().join("old.yaml");
    let new = dir.path().join("new.yaml");
    std::fs::write(&old, doc("{type: string}")).unwrap();
    std::fs::write(&new, doc("{type: string}, {type: integer}")).unwrap();
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    let config = |name: &str, yaml: &str| {
        let path = dir.path().join(format!("{name}.yml"));
        std::fs::write(&path, yaml).unwrap();
        path.to_str().unwrap().to_owned()
    };
    // By default a response alternative added is potentially breaking: `breaking` passes.
    let plain = config("plain", "contracts-diff:\n  fail-on: breaking\n");
    let o = run(&[old, new, "--config", &plain]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("🟠 potentially breaking | `union-member-added` |"),
        "{}",
        stdout(&o)
    );
    // Raised to breaking by the config: the same pair fails, and the row says why.
    let raised = config(
        "raised",
        "contracts-diff:\n  severity:\n    union-member-added: breaking\n",
    );
    let o = run(&[old, new, "--config", &raised, "--fail-on", "breaking"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(
            "🔴 breaking | `union-member-added` (severity set by `contracts-diff.severity`; default potentially breaking) |"
        ),
        "{}",
        stdout(&o)
    );
    let o = run(&[old, new, "--config", &raised, "--json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["verdict"], "breaking");
    assert_eq!(json["outputs"]["changes"][0]["severity"], "breaking");
    assert_eq!(
        json["outputs"]["changes"][0]["default_severity"],
        "potentially-breaking"
    );
    // Lowering a breaking rule lets a removed operation through `--fail-on breaking`, not
    // through `potentially-breaking`.
    let ops =
        |paths: &str| format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}");
    let get =
        |path: &str| format!("  {path}:\n    get: {{responses: {{'200': {{description: ok}}}}}}\n");
    let before = dir.path().join("before.yaml");
    let after = dir.path().join("after.yaml");
    std::fs::write(&before, ops(&(get("/a") + &get("/b")))).unwrap();
    std::fs::write(&after, ops(&get("/a"))).unwrap();
    let (before, after) = (before.to_str().unwrap(), after.to_str().unwrap());
    assert_eq!(
        run(&[before, after, "--config", &plain]).status.code(),
        Some(1)
    );
    let lowered = config(
        "lowered",
        "contracts-diff:\n  fail-on: breaking\n  severity:\n    operation-removed: potentially-breaking\n",
    );
    let o = run(&[before, after, "--config", &lowered]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(
            "`operation-removed` (severity set by `contracts-diff.severity`; default breaking)"
        ),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        run(&[
            before,
            after,
            "--config",
            &lowered,
            "--fail-on",
            "potentially-breaking"
        ])
        .status
        .code(),
        Some(1)
    );
    // Bad keys: exit 2, naming the key and the valid values.
    let unknown = config(
        "unknown",
        "contracts-diff:\n  severity:\n    no-such-rule: breaking\n",
    );
    let o = run(&[old, new, "--config", &unknown]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("contracts-diff.severity.no-such-rule")
            && stderr(&o).contains("valid ids: operation-removed"),
        "{}",
        stderr(&o)
    );
    let gate = config(
        "gate",
        "contracts-diff:\n  severity:\n    contract-unreadable: potentially-breaking\n",
    );
    let o = run(&[old, new, "--config", &gate]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`contract-unreadable` is a safety gate and cannot be lowered"),
        "{}",
        stderr(&o)
    );
}

/// `max-file-bytes`: a contract over it is not read; from git it gates as
/// `contract-unreadable`, naming the size, the limit and the key; as OLD/NEW it is exit 2.
#[test]
fn a_contract_over_max_file_bytes_is_unreadable_and_gates() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(repo.join("api")).unwrap();
    git(&repo, &["init", "-q"]);
    let small = "type Query { a: Int b: Int }\n";
    std::fs::write(repo.join("api/schema.graphql"), small).unwrap();
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "base"]);
    // 29 bytes before, 600 after: only the head is over a 100-byte limit.
    let big = format!("type Query {{ a: Int }}\n#{}\n", "x".repeat(575));
    std::fs::write(repo.join("api/schema.graphql"), &big).unwrap();
    git(&repo, &["commit", "-q", "-am", "head"]);
    let config = dir.path().join("guardians.yml");
    std::fs::write(&config, "contracts-diff:\n  max-file-bytes: 100\n").unwrap();
    let args = |extra: &[&'static str]| {
        let mut args = vec![
            "--git".to_owned(),
            "HEAD~1...HEAD".to_owned(),
            "--repo-dir".to_owned(),
            repo.to_str().unwrap().to_owned(),
            "--config".to_owned(),
            config.to_str().unwrap().to_owned(),
            "--fail-on".to_owned(),
            "breaking".to_owned(),
        ];
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        args
    };
    let o = bin().args(args(&["--json"])).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let change = &v["files"][0]["changes"][0];
    assert_eq!(change["rule"], "contract-unreadable");
    assert_eq!(change["severity"], "breaking");
    let message = change["message"].as_str().unwrap();
    assert!(
        message.starts_with("`api/schema.graphql` at ")
            && message.contains(&format!(
                " is {} bytes, over the limit of 100 bytes (`contracts-diff.max-file-bytes`); split the contract or raise the limit",
                big.len()
            )),
        "{message}"
    );
    assert_eq!(v["files"][0]["changes"].as_array().unwrap().len(), 1);
    // The default limit reads it: the removed field is found.
    let o = run(&[
        "--git",
        "HEAD~1...HEAD",
        "--repo-dir",
        repo.to_str().unwrap(),
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["files"][0]["changes"][0]["rule"], "graphql-field-removed");
    // Two files given side by side: the same reason, as an input error.
    let (old, new) = (
        dir.path().join("old.graphql"),
        dir.path().join("new.graphql"),
    );
    std::fs::write(&old, small).unwrap();
    std::fs::write(&new, &big).unwrap();
    let o = run(&[
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(&format!(
            "new.graphql is {} bytes, over the limit of 100 bytes (`contracts-diff.max-file-bytes`)",
            big.len()
        )),
        "{}",
        stderr(&o)
    );
    // An out-of-range limit is a config error.
    std::fs::write(&config, "contracts-diff:\n  max-file-bytes: 0\n").unwrap();
    let o = bin().args(args(&[])).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("contracts-diff.max-file-bytes") && stderr(&o).contains("out of range"),
        "{}",
        stderr(&o)
    );
}
