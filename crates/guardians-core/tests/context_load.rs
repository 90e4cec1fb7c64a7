//! Reading the run's context from the runner's environment, flags and the payload file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use guardians_core::context::{Context, ContextError, ContextOverrides, RepoName};
use guardians_core::event::Event;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/webhooks")
        .join(format!("{name}.json"))
}

fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect()
}

fn runner_env(event_path: &Path) -> HashMap<String, String> {
    let mut vars = env(&[
        ("GITHUB_ACTIONS", "true"),
        ("GITHUB_EVENT_NAME", "pull_request"),
        ("GITHUB_REPOSITORY", "octo-org/hello-world"),
        ("GITHUB_API_URL", "https://api.github.com"),
        ("GITHUB_SERVER_URL", "https://github.com"),
        ("GITHUB_GRAPHQL_URL", "https://api.github.com/graphql"),
        ("GITHUB_SHA", "0123abc"),
        ("GITHUB_REF", "refs/pull/2/merge"),
        ("GITHUB_ACTOR", "Codertocat"),
        ("GITHUB_WORKFLOW", "Guardians"),
        ("GITHUB_JOB", "size"),
        ("GITHUB_RUN_ID", "1658821493"),
        ("GITHUB_RUN_ATTEMPT", "1"),
        ("GITHUB_RUN_NUMBER", "42"),
        ("RUNNER_OS", "Linux"),
        ("RUNNER_ARCH", "X64"),
        ("RUNNER_TEMP", "/home/runner/work/_temp"),
        ("RUNNER_TOOL_CACHE", "/opt/hostedtoolcache"),
    ]);
    vars.insert("GITHUB_EVENT_PATH".into(), event_path.display().to_string());
    vars
}

fn load_error(env: &HashMap<String, String>, overrides: &ContextOverrides) -> String {
    Context::load(env, overrides)
        .expect_err("loading should fail")
        .to_string()
}

#[test]
fn everything_the_runner_provides_is_read() {
    let context = Context::load(
        &runner_env(&fixture("pull_request.opened")),
        &ContextOverrides::default(),
    )
    .unwrap();
    assert_eq!(context.event_name, "pull_request");
    assert_eq!(context.event.pull_request().unwrap().number, 2);
    assert_eq!(
        context.repository,
        RepoName::new("octo-org", "hello-world").unwrap()
    );
    assert_eq!(context.api_url, "https://api.github.com");
    assert_eq!(context.server_url, "https://github.com");
    assert_eq!(context.graphql_url, "https://api.github.com/graphql");
    assert_eq!(context.sha.as_deref(), Some("0123abc"));
    assert_eq!(context.git_ref.as_deref(), Some("refs/pull/2/merge"));
    assert_eq!(context.actor.as_deref(), Some("Codertocat"));
    assert_eq!(context.workflow.as_deref(), Some("Guardians"));
    assert_eq!(context.job.as_deref(), Some("size"));
    assert_eq!(context.run_id, Some(1_658_821_493));
    assert_eq!(context.run_attempt, Some(1));
    assert_eq!(context.run_number, Some(42));
    assert_eq!(context.runner_os.as_deref(), Some("Linux"));
    assert_eq!(context.runner_arch.as_deref(), Some("X64"));
    assert_eq!(
        context.runner_temp,
        Some(PathBuf::from("/home/runner/work/_temp"))
    );
    assert_eq!(
        context.tool_cache,
        Some(PathBuf::from("/opt/hostedtoolcache"))
    );
    assert!(context.in_actions);
    assert_eq!(
        context.run_url().as_deref(),
        Some("https://github.com/octo-org/hello-world/actions/runs/1658821493")
    );
}

#[test]
fn a_rerun_links_to_its_attempt() {
    let mut vars = runner_env(&fixture("pull_request.opened"));
    vars.insert("GITHUB_RUN_ATTEMPT".into(), "3".into());
    let context = Context::load(&vars, &ContextOverrides::default()).unwrap();
    assert_eq!(
        context.run_url().as_deref(),
        Some("https://github.com/octo-org/hello-world/actions/runs/1658821493/attempts/3")
    );
}

#[test]
fn flags_win_over_the_environment() {
    let vars = runner_env(&fixture("pull_request.opened"));
    let overrides = ContextOverrides {
        event_path: Some(fixture("push.branch")),
        event_name: Some("push".into()),
        repository: Some("someone/else".into()),
        api_url: Some("https://ghe.example.com/api/v3/".into()),
    };
    let context = Context::load(&vars, &overrides).unwrap();
    assert_eq!(context.event_name, "push");
    assert!(matches!(context.event, Event::Push(_)));
    assert_eq!(context.repository.to_string(), "someone/else");
    assert_eq!(context.api_url, "https://ghe.example.com/api/v3");
    // The runner's github.com URLs would point at the wrong server now.
    assert_eq!(context.server_url, "https://ghe.example.com");
    assert_eq!(context.graphql_url, "https://ghe.example.com/api/graphql");
}

#[test]
fn outside_actions_a_payload_file_is_enough() {
    let overrides = ContextOverrides {
        event_path: Some(fixture("pull_request.opened.fork")),
        ..ContextOverrides::default()
    };
    let context = Context::load(&HashMap::new(), &overrides).unwrap();
    assert_eq!(
        context.event_name, "pull_request",
        "guessed from the payload"
    );
    assert_eq!(
        context.repository.to_string(),
        "Codertocat/Hello-World",
        "from the payload"
    );
    assert_eq!(context.api_url, "https://api.github.com");
    assert_eq!(context.server_url, "https://github.com");
    assert_eq!(context.graphql_url, "https://api.github.com/graphql");
    assert!(!context.in_actions);
    assert_eq!(context.run_id, None);
    assert_eq!(context.run_url(), None);
}

#[test]
fn repository_of_an_unparsed_event_comes_from_its_payload() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dispatch.json");
    std::fs::write(
        &path,
        r#"{"inputs": {}, "repository": {"full_name": "o/r"}}"#,
    )
    .unwrap();
    let vars = env(&[
        ("GITHUB_EVENT_PATH", path.to_str().unwrap()),
        ("GITHUB_EVENT_NAME", "workflow_dispatch"),
    ]);
    let context = Context::load(&vars, &ContextOverrides::default()).unwrap();
    assert_eq!(
        context.event,
        Event::Other {
            name: "workflow_dispatch".into()
        }
    );
    assert_eq!(context.repository.to_string(), "o/r");
}

#[test]
fn api_url_loses_its_trailing_slash_and_empty_variables_count_as_unset() {
    let mut vars = runner_env(&fixture("pull_request.opened"));
    vars.insert(
        "GITHUB_API_URL".into(),
        "https://ghe.example.com/api/v3/".into(),
    );
    vars.insert(
        "GITHUB_SERVER_URL".into(),
        "https://ghe.example.com/".into(),
    );
    vars.insert("GITHUB_GRAPHQL_URL".into(), String::new());
    vars.insert("GITHUB_SHA".into(), String::new());
    vars.insert("GITHUB_ACTIONS".into(), "1".into());
    let context = Context::load(&vars, &ContextOverrides::default()).unwrap();
    assert_eq!(context.api_url, "https://ghe.example.com/api/v3");
    assert_eq!(context.server_url, "https://ghe.example.com");
    assert_eq!(context.graphql_url, "https://ghe.example.com/api/graphql");
    assert_eq!(context.sha, None);
    assert!(
        !context.in_actions,
        "only the exact value `true` means Actions"
    );
}

#[test]
fn no_event_path_says_what_to_set() {
    let message = load_error(
        &env(&[("GITHUB_EVENT_NAME", "push")]),
        &ContextOverrides::default(),
    );
    insta::assert_snapshot!(message, @"GITHUB_EVENT_PATH is not set: run inside GitHub Actions, or pass --event FILE");
}

#[test]
fn a_missing_event_file_names_the_file_and_its_origin() {
    let vars = env(&[("GITHUB_EVENT_PATH", "/nonexistent/event.json")]);
    let message = load_error(&vars, &ContextOverrides::default());
    insta::assert_snapshot!(message, @"cannot read the event payload /nonexistent/event.json (from GITHUB_EVENT_PATH): No such file or directory (os error 2)");
    let overrides = ContextOverrides {
        event_path: Some("/nonexistent/flag.json".into()),
        ..ContextOverrides::default()
    };
    let message = load_error(&vars, &overrides);
    insta::assert_snapshot!(message, @"cannot read the event payload /nonexistent/flag.json (from --event): No such file or directory (os error 2)");
}

#[test]
fn a_directory_is_not_an_event_file() {
    let dir = tempfile::tempdir().unwrap();
    let overrides = ContextOverrides {
        event_path: Some(dir.path().to_owned()),
        ..ContextOverrides::default()
    };
    let message = load_error(&HashMap::new(), &overrides);
    let message = message.replace(dir.path().to_str().unwrap(), "<dir>");
    insta::assert_snapshot!(message, @"cannot read the event payload <dir> (from --event): it is a directory, not a file");
}

#[test]
fn an_event_file_over_25_mib_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.json");
    let file = std::fs::File::create(&path).unwrap();
    // Sparse: costs no disk, but reports its length.
    file.set_len(25 * 1024 * 1024 + 1).unwrap();
    let overrides = ContextOverrides {
        event_path: Some(path.clone()),
        event_name: Some("push".into()),
        ..ContextOverrides::default()
    };
    let message = load_error(&HashMap::new(), &overrides);
    let message = message.replace(path.to_str().unwrap(), "<path>");
    insta::assert_snapshot!(message, @"the event payload <path> (from --event) is larger than 25 MiB, GitHub's limit for a webhook payload: check that it is the event payload");
}

#[test]
fn a_malformed_payload_names_the_file_and_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("event.json");
    std::fs::write(
        &path,
        r#"{"action": "opened", "pull_request": {"number": "two"}, "repository": {"full_name": "o/r"}}"#,
    )
    .unwrap();
    let vars = env(&[
        ("GITHUB_EVENT_PATH", path.to_str().unwrap()),
        ("GITHUB_EVENT_NAME", "pull_request_target"),
    ]);
    let error = Context::load(&vars, &ContextOverrides::default()).unwrap_err();
    assert!(matches!(error, ContextError::EventMalformed { .. }));
    let message = error.to_string().replace(path.to_str().unwrap(), "<path>");
    insta::assert_snapshot!(message, @r#"<path>: the `pull_request_target` event payload does not fit at field `pull_request.number`: invalid type: string "two", expected u64 at line 1 column 53; check that the event name (GITHUB_EVENT_NAME or --event-name) matches the payload"#);
}

#[test]
fn an_unrecognisable_payload_without_event_name_asks_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("event.json");
    std::fs::write(&path, r#"{"inputs": {}}"#).unwrap();
    let overrides = ContextOverrides {
        event_path: Some(path.clone()),
        ..ContextOverrides::default()
    };
    let message = load_error(&HashMap::new(), &overrides).replace(path.to_str().unwrap(), "<path>");
    insta::assert_snapshot!(message, @"GITHUB_EVENT_NAME is not set and the payload in <path> does not show which event it is: pass --event-name NAME (pull_request, push, workflow_run, ...)");
}

#[test]
fn no_repository_anywhere_asks_for_repo() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("event.json");
    std::fs::write(&path, r#"{"inputs": {}}"#).unwrap();
    let overrides = ContextOverrides {
        event_path: Some(path),
        event_name: Some("workflow_dispatch".into()),
        ..ContextOverrides::default()
    };
    let message = load_error(&HashMap::new(), &overrides);
    insta::assert_snapshot!(message, @"GITHUB_REPOSITORY is not set and the event payload names no repository: pass --repo OWNER/NAME");
}

#[test]
fn an_invalid_repository_names_where_it_came_from() {
    let mut vars = runner_env(&fixture("pull_request.opened"));
    vars.insert("GITHUB_REPOSITORY".into(), "octo-org".into());
    insta::assert_snapshot!(load_error(&vars, &ContextOverrides::default()), @"GITHUB_REPOSITORY is invalid: `octo-org` is not a repository: no `/`; expected OWNER/NAME, like octo-org/hello-world");
    let overrides = ContextOverrides {
        repository: Some("a/b/c".into()),
        ..ContextOverrides::default()
    };
    insta::assert_snapshot!(load_error(&vars, &overrides), @"--repo is invalid: `a/b/c` is not a repository: more than one `/`; expected OWNER/NAME, like octo-org/hello-world");
}

#[test]
fn an_invalid_api_url_or_run_number_names_the_variable() {
    let mut vars = runner_env(&fixture("pull_request.opened"));
    vars.insert("GITHUB_API_URL".into(), "api.github.com".into());
    insta::assert_snapshot!(load_error(&vars, &ContextOverrides::default()), @"GITHUB_API_URL is `api.github.com`, which is not an http(s) URL: set it to the API's base URL, like https://api.github.com or https://HOST/api/v3 for GitHub Enterprise Server");

    let mut vars = runner_env(&fixture("pull_request.opened"));
    vars.insert("GITHUB_RUN_ID".into(), "12ab".into());
    insta::assert_snapshot!(load_error(&vars, &ContextOverrides::default()), @"GITHUB_RUN_ID is `12ab`, which is not a whole number: unset it or fix its value");
}
