use std::time::Duration;

use super::*;
use crate::environments::{EnvironmentTemplates, ExpectedStatus};
use crate::health::HealthFailure;
use crate::test_support::{example_config, facts};

fn environments() -> Vec<Environment> {
    EnvironmentTemplates::from_config(&example_config())
        .expect("valid config")
        .resolve(&facts())
        .expect("resolvable")
}

fn healthy(env: &Environment, latency_ms: u64, attempts: u32) -> HealthReport {
    HealthReport {
        environment: env.name.clone(),
        health_url: env.health_url.clone(),
        healthy: true,
        status: Some(200),
        latency: Some(Duration::from_millis(latency_ms)),
        attempts,
        last_error: None,
        stopped_by: None,
    }
}

#[test]
fn all_healthy() {
    let envs = environments();
    let reports = vec![healthy(&envs[0], 84, 1), healthy(&envs[1], 1_250, 3)];
    insta::assert_snapshot!(render_open(&facts(), &envs, &reports), @r#"
    <!-- preview-commenter:meta {"sha":"9f8e7d6c5b4a39281706f5e4d3c2b1a098765432","run_id":7001,"run_attempt":1,"updated_at":"2026-11-22T10:15:00Z"} -->
    ### Preview environments

    All 2 previews are up.

    | Environment | URL | Health | Latency |
    | --- | --- | --- | --- |
    | Frontend | <https://myapp-pr-42.pages.dev> | ✅ 200 | 84 ms |
    | API | <https://myapp-api-pr-42.workers.dev> | ✅ 200 after 3 attempts | 1.2 s |

    Checked 9f8e7d6c5b4a39281706f5e4d3c2b1a098765432 · 2026-11-22 10:15 UTC · [run 7001](https://github.com/octo-org/myapp/actions/runs/7001)

    #### Try it

    ```sh
    # Frontend
    curl -fsS https://myapp-pr-42.pages.dev
    # API
    curl -fsS https://myapp-api-pr-42.workers.dev/health
    ```
    "#);
}

#[test]
fn mixed_health_shows_each_reason() {
    let envs = environments();
    let mut api = healthy(&envs[1], 12, 5);
    api.healthy = false;
    api.status = Some(503);
    api.last_error = Some(HealthFailure::UnexpectedStatus {
        status: 503,
        expected: ExpectedStatus::AnySuccess,
    });
    api.stopped_by = Some(StopReason::Attempts);
    let frontend = HealthReport {
        status: None,
        latency: None,
        healthy: false,
        attempts: 3,
        last_error: Some(HealthFailure::Refused),
        stopped_by: Some(StopReason::Budget),
        ..healthy(&envs[0], 0, 3)
    };
    let mut run = facts();
    run.run.attempt = 2;
    insta::assert_snapshot!(render_open(&run, &envs, &[frontend, api]), @r#"
    <!-- preview-commenter:meta {"sha":"9f8e7d6c5b4a39281706f5e4d3c2b1a098765432","run_id":7001,"run_attempt":2,"updated_at":"2026-11-22T10:15:00Z"} -->
    ### Preview environments

    **2 of 2 previews are not healthy.**

    | Environment | URL | Health | Latency |
    | --- | --- | --- | --- |
    | Frontend | <https://myapp-pr-42.pages.dev> | ❌ connection refused after 3 attempts, time budget used up | — |
    | API | <https://myapp-api-pr-42.workers.dev> | ❌ HTTP 503, expected 2xx after 5 attempts | 12 ms |

    Checked 9f8e7d6c5b4a39281706f5e4d3c2b1a098765432 · 2026-11-22 10:15 UTC · [run 7001, attempt 2](https://github.com/octo-org/myapp/actions/runs/7001)

    #### Try it

    ```sh
    # Frontend
    curl -fsS https://myapp-pr-42.pages.dev
    # API
    curl -fsS https://myapp-api-pr-42.workers.dev/health
    ```
    "#);
}

#[test]
fn closed_strikes_the_urls_and_checks_nothing() {
    let envs = environments();
    insta::assert_snapshot!(render_closed(&facts(), &envs, true), @r#"
    <!-- preview-commenter:meta {"sha":"9f8e7d6c5b4a39281706f5e4d3c2b1a098765432","run_id":7001,"run_attempt":1,"updated_at":"2026-11-22T10:15:00Z"} -->
    ### Preview environments

    This pull request was merged, so its previews were removed.

    | Environment | URL |
    | --- | --- |
    | Frontend | ~~<https://myapp-pr-42.pages.dev>~~ |
    | API | ~~<https://myapp-api-pr-42.workers.dev>~~ |

    Last commit 9f8e7d6c5b4a39281706f5e4d3c2b1a098765432 · 2026-11-22 10:15 UTC · [run 7001](https://github.com/octo-org/myapp/actions/runs/7001)
    "#);
    assert!(render_closed(&facts(), &envs, false).contains("closed without merging"));
}

#[test]
fn rendered_comment_carries_parseable_metadata() {
    let envs = environments();
    let body = render_closed(&facts(), &envs, true);
    let meta = CommentMeta::parse(&body).expect("metadata");
    assert_eq!(
        (meta.sha.as_str(), meta.run_id, meta.run_attempt),
        (facts().sha.as_str(), 7001, 1)
    );
}
