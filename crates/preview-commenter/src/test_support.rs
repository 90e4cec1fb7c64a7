//! Facts and configs shared by the unit tests.

use crate::config::{PreviewCommenterConfig, PreviewEnvironmentConfig};
use crate::facts::{PullRequestFacts, PullRequestState, RunFacts, RunIdentity};

pub(crate) const HEAD_SHA: &str = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";

/// PR #42 of octo-org/myapp at `HEAD_SHA`, run 7001 attempt 1, no comment yet.
pub(crate) fn facts() -> RunFacts {
    RunFacts {
        owner: "octo-org".to_owned(),
        repo: "myapp".to_owned(),
        pull_request: PullRequestFacts {
            number: 42,
            head_ref: "feature/Login-Page".to_owned(),
            head_sha: HEAD_SHA.to_owned(),
            head_sha_is_current: false,
            state: PullRequestState::Open,
        },
        sha: HEAD_SHA.to_owned(),
        run: RunIdentity {
            id: 7001,
            attempt: 1,
            url: "https://github.com/octo-org/myapp/actions/runs/7001".to_owned(),
        },
        now: "2026-11-22T10:15:00Z".parse().expect("valid timestamp"),
        existing_comment: None,
    }
}

pub(crate) fn environment(name: &str, url: &str) -> PreviewEnvironmentConfig {
    PreviewEnvironmentConfig {
        name: name.to_owned(),
        url: url.to_owned(),
        health_path: None,
        expect_status: None,
        test_commands: None,
    }
}

/// The out-of-the-box example: Frontend on Pages, API on Workers with `/health`.
pub(crate) fn example_config() -> PreviewCommenterConfig {
    let mut api = environment("API", "https://myapp-api-pr-{number}.workers.dev");
    api.health_path = Some("/health".to_owned());
    PreviewCommenterConfig {
        environments: vec![
            environment("Frontend", "https://myapp-pr-{number}.pages.dev"),
            api,
        ],
        ..PreviewCommenterConfig::default()
    }
}
