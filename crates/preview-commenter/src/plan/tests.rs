use std::time::Duration;

use super::*;
use crate::comment::CommentMeta;
use crate::deployments::DeploymentState;
use crate::facts::ExistingComment;
use crate::health::{HealthFailure, StopReason};
use crate::test_support::{HEAD_SHA, example_config, facts};

fn templates() -> EnvironmentTemplates {
    EnvironmentTemplates::from_config(&example_config()).expect("valid config")
}

fn report(env: &Environment, healthy: bool) -> HealthReport {
    HealthReport {
        environment: env.name.clone(),
        health_url: env.health_url.clone(),
        healthy,
        status: Some(if healthy { 200 } else { 500 }),
        latency: Some(Duration::from_millis(30)),
        attempts: if healthy { 1 } else { 5 },
        last_error: (!healthy).then_some(HealthFailure::UnexpectedStatus {
            status: 500,
            expected: crate::environments::ExpectedStatus::AnySuccess,
        }),
        stopped_by: (!healthy).then_some(StopReason::Attempts),
    }
}

fn existing(sha: &str, run_id: u64) -> ExistingComment {
    let meta = CommentMeta {
        sha: sha.to_owned(),
        run_id,
        run_attempt: 1,
        updated_at: "2026-11-22T09:00:00Z".parse().expect("valid"),
    };
    ExistingComment {
        id: 555,
        body: format!("{}\nold body", meta.to_html_comment()),
    }
}

#[test]
fn open_and_healthy_writes_the_comment_and_passes() {
    let run = facts();
    let stage = stage(&run, &templates()).expect("stage");
    let reports: Vec<_> = stage
        .to_check()
        .iter()
        .map(|env| report(env, true))
        .collect();
    assert_eq!(reports.len(), 2);
    let plan = plan(&run, &example_config(), &stage, &reports);
    let CommentPlan::Write { body } = &plan.comment else {
        panic!("expected a write")
    };
    assert!(body.contains("All 2 previews are up."));
    assert_eq!(plan.verdict, Verdict::Healthy);
    assert!(!plan.verdict.fails_step());
    assert_eq!(plan.outputs.healthy, Some(true));
    assert_eq!(
        serde_json::to_string(&plan.outputs.urls).expect("json"),
        r#"{"Frontend":"https://myapp-pr-42.pages.dev","API":"https://myapp-api-pr-42.workers.dev"}"#
    );
    assert!(!plan.summary.contains("preview-commenter:meta"));
    assert!(plan.summary.starts_with("### Preview environments"));
    let DeploymentPlan::Publish {
        create,
        started,
        finished,
    } = &plan.deployments
    else {
        panic!("expected deployments")
    };
    assert_eq!((create.len(), started.len(), finished.len()), (2, 2, 2));
    assert!(finished.iter().all(|s| s.state == DeploymentState::Success));
}

#[test]
fn an_unhealthy_preview_fails_the_step_unless_tolerated() {
    let run = facts();
    let stage = stage(&run, &templates()).expect("stage");
    let envs = stage.to_check();
    let reports = [report(&envs[0], true), report(&envs[1], false)];
    let plan_strict = plan(&run, &example_config(), &stage, &reports);
    assert_eq!(
        plan_strict.verdict,
        Verdict::Unhealthy {
            environments: vec!["API".to_owned()],
            fails_step: true
        }
    );
    assert_eq!(plan_strict.outputs.healthy, Some(false));

    let lenient = PreviewCommenterConfig {
        fail_on_unhealthy: false,
        ..example_config()
    };
    let plan_lenient = plan(&run, &lenient, &stage, &reports);
    assert!(!plan_lenient.verdict.fails_step());
    assert!(
        matches!(&plan_lenient.comment, CommentPlan::Write { body } if body.contains("❌ HTTP 500"))
    );
}

#[test]
fn a_missing_report_counts_as_unhealthy() {
    let run = facts();
    let stage = stage(&run, &templates()).expect("stage");
    let plan = plan(&run, &example_config(), &stage, &[]);
    assert!(plan.verdict.fails_step());
    assert!(matches!(&plan.comment, CommentPlan::Write { body } if body.contains("— not checked")));
}

#[test]
fn closed_pr_rewrites_the_comment_and_deactivates_without_checks() {
    let mut run = facts();
    run.pull_request.state = PullRequestState::Closed { merged: false };
    run.existing_comment = Some(existing(HEAD_SHA, 6000));
    let stage = stage(&run, &templates()).expect("stage");
    assert!(
        stage.to_check().is_empty(),
        "nothing is health-checked on close"
    );
    let plan = plan(&run, &example_config(), &stage, &[]);
    let CommentPlan::Write { body } = &plan.comment else {
        panic!("expected a write")
    };
    assert!(
        body.contains("closed without merging")
            && body.contains("~~<https://myapp-pr-42.pages.dev>~~")
    );
    let DeploymentPlan::Deactivate { statuses } = &plan.deployments else {
        panic!("expected deactivation")
    };
    assert!(
        statuses
            .iter()
            .all(|s| s.state == DeploymentState::Inactive)
    );
    assert_eq!(plan.verdict, Verdict::NotChecked);
    assert_eq!(plan.outputs.healthy, None);
    assert_eq!(plan.outputs.comment_id, Some(555));
}

#[test]
fn closing_a_pr_without_a_comment_posts_none_but_still_deactivates() {
    let mut run = facts();
    run.pull_request.state = PullRequestState::Closed { merged: true };
    let stage = stage(&run, &templates()).expect("stage");
    let plan = plan(&run, &example_config(), &stage, &[]);
    assert!(
        matches!(&plan.comment, CommentPlan::LeaveAlone { reason } if reason.contains("no preview comment"))
    );
    assert!(matches!(
        plan.deployments,
        DeploymentPlan::Deactivate { .. }
    ));
}

#[test]
fn an_older_run_leaves_comment_and_deployments_alone() {
    let mut run = facts();
    run.existing_comment = Some(existing(HEAD_SHA, 9000));
    let stage = stage(&run, &templates()).expect("stage");
    assert!(stage.to_check().is_empty());
    let plan = plan(&run, &example_config(), &stage, &[]);
    assert!(
        matches!(&plan.comment, CommentPlan::LeaveAlone { reason } if reason.contains("later run (9000"))
    );
    assert_eq!(plan.deployments, DeploymentPlan::Nothing);
    assert!(!plan.verdict.fails_step());
    assert_eq!(plan.outputs.urls.len(), 2, "urls are still reported");
    assert!(plan.summary.contains("left alone"));
}

#[test]
fn a_comment_with_garbage_metadata_is_rewritten() {
    let mut run = facts();
    run.existing_comment = Some(ExistingComment {
        id: 1,
        body: "<!-- preview-commenter:meta {\"run_id\": \"lots\"} -->\nhand-edited".to_owned(),
    });
    let stage = stage(&run, &templates()).expect("stage");
    assert!(matches!(stage, Stage::Publish { .. }));
}

#[test]
fn deployments_can_be_turned_off() {
    let config = PreviewCommenterConfig {
        deployments: false,
        ..example_config()
    };
    let run = facts();
    let stage = stage(&run, &templates()).expect("stage");
    let plan = plan(&run, &config, &stage, &[]);
    assert_eq!(plan.deployments, DeploymentPlan::Nothing);
}

#[test]
fn a_status_of_our_own_deployment_checks_and_writes_nothing() {
    let run = facts();
    let own = templates().resolve(&run).expect("resolve")[0]
        .deployment_environment
        .clone();
    let stage = stage_for(&run, &templates(), Some(&own)).expect("stage");
    assert!(stage.to_check().is_empty());
    let plan = plan(&run, &example_config(), &stage, &[]);
    let CommentPlan::LeaveAlone { reason } = &plan.comment else {
        panic!("our own deployment's status must not rewrite the comment")
    };
    assert!(
        reason.contains("one of this guardian's own deployments"),
        "{reason}"
    );
    assert_eq!(plan.deployments, DeploymentPlan::Nothing);
    assert_eq!(plan.verdict, Verdict::NotChecked);

    // Someone else's deployment (the deploy workflow's `pr-42`) is what the guardian is for.
    let theirs = stage_for(&run, &templates(), Some("pr-42")).expect("stage");
    assert!(matches!(theirs, Stage::Publish { .. }));
}
