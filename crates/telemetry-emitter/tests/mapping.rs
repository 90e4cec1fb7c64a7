//! Every GitHub event -> delivery event mapping, from real-format payloads
//! (`tests/data`, from `@octokit/webhooks-examples`).
// Test helpers: a broken fixture should panic where it is read.
#![allow(clippy::unwrap_used)]

mod support;

use serde_json::{Value, json};
use support::{ctx, data, data_json, facts, plan_for};
use telemetry_emitter::config::TelemetryEmitterConfig;
use telemetry_emitter::event_name::EventName;
use telemetry_emitter::plan::{Plan, Request, TelemetryEvent, plan};

fn cfg() -> TelemetryEmitterConfig {
    TelemetryEmitterConfig::default()
}

fn only_event(plan: &Plan) -> &TelemetryEvent {
    assert_eq!(plan.skipped, None, "expected an event");
    assert_eq!(plan.events.len(), 1);
    &plan.events[0]
}

fn emitted(event_name: &str, payload: &str, config: &TelemetryEmitterConfig) -> TelemetryEvent {
    only_event(&plan_for(event_name, payload, config, &facts())).clone()
}

fn skipped(event_name: &str, payload: &str, config: &TelemetryEmitterConfig) -> String {
    let plan = plan_for(event_name, payload, config, &facts());
    assert!(
        plan.events.is_empty(),
        "expected no event, got {:?}",
        plan.events
    );
    plan.skipped.expect("a reason")
}

fn edit(name: &str, f: impl FnOnce(&mut Value)) -> String {
    let mut v = data_json(name);
    f(&mut v);
    v.to_string()
}

#[test]
fn pull_request_opened_is_dev_pr_opened_with_every_property() {
    let event = emitted("pull_request", &data("pull_request.opened.json"), &cfg());
    insta::assert_json_snapshot!(event, @r#"
    {
      "event": "dev_pr_opened",
      "distinct_id": "Codertocat",
      "properties": {
        "pr": 2,
        "sha": "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
        "branch": "changes",
        "actor": "Codertocat",
        "size": null,
        "contracts_touched": null,
        "endpoints_touched": null,
        "ci_duration_s": null,
        "queue_s": null,
        "est_cost_usd": null,
        "billable_minutes": null,
        "repository": "Codertocat/Hello-World",
        "workflow": "telemetry",
        "run_id": null,
        "run_attempt": null,
        "conclusion": null,
        "base_ref": "master",
        "event_source": "pull_request.opened"
      },
      "timestamp": "2019-05-15T15:20:33.000Z",
      "uuid": "632779d1-a41d-57ec-a2c3-a0b2542490c5"
    }
    "#);
}

#[test]
fn reopened_pull_request_is_dev_pr_opened_at_its_update_time() {
    let payload = data("pull_request.reopened.json");
    let event = emitted("pull_request", &payload, &cfg());
    assert_eq!(event.event, EventName::DevPrOpened);
    assert_eq!(
        event.properties.event_source.as_deref(),
        Some("pull_request.reopened")
    );
    let updated = data_json("pull_request.reopened.json")["pull_request"]["updated_at"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(event.timestamp, updated.parse().unwrap());
}

#[test]
fn facts_from_other_guardians_become_properties() {
    let mut f = facts();
    f.size = Some("M".to_owned());
    f.contracts_touched = Some(true);
    f.endpoints_touched = Some(vec!["GET /pets".to_owned()]);
    let plan = plan_for(
        "pull_request",
        &data("pull_request.opened.json"),
        &cfg(),
        &f,
    );
    let p = &only_event(&plan).properties;
    assert_eq!(p.size.as_deref(), Some("M"));
    assert_eq!(p.contracts_touched, Some(true));
    assert_eq!(p.endpoints_touched, Some(vec!["GET /pets".to_owned()]));
}

#[test]
fn labeling_with_the_queue_label_enters_the_queue_and_other_labels_do_not() {
    let payload = data("pull_request.labeled.json"); // adds the label `bug`
    let reason = skipped("pull_request", &payload, &cfg());
    assert!(reason.contains("ready-to-queue"), "{reason}");

    let config = TelemetryEmitterConfig {
        queue_label: "bug".to_owned(),
        ..cfg()
    };
    let event = emitted("pull_request", &payload, &config);
    assert_eq!(event.event, EventName::DevIntegrationQueueEntered);
    assert_eq!(event.properties.pr, Some(2));
}

#[test]
fn other_pull_request_actions_send_nothing() {
    let reason = skipped(
        "pull_request",
        &data("pull_request.synchronize.json"),
        &cfg(),
    );
    assert_eq!(reason, "pull_request `synchronize` is not a delivery event");
}

#[test]
fn merge_group_checks_requested_enters_the_queue_for_the_pr_in_the_branch_name() {
    let event = emitted(
        "merge_group",
        &data("merge_group.checks_requested.json"),
        &cfg(),
    );
    assert_eq!(event.event, EventName::DevIntegrationQueueEntered);
    let p = &event.properties;
    assert_eq!(p.pr, Some(104));
    assert_eq!(
        p.sha.as_deref(),
        Some("2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d")
    );
    assert_eq!(
        p.branch.as_deref(),
        Some("gh-readonly-queue/main/pr-104-929f8209d40f77f4abc622a499c93a83babdbe64")
    );
    assert_eq!(p.base_ref.as_deref(), Some("main"));
    assert_eq!(p.actor.as_deref(), Some("Codertocat"));
    assert_eq!(event.timestamp, "2019-05-15T15:20:30Z".parse().unwrap());
}

#[test]
fn workflow_run_requested_is_dev_ci_started_for_the_observed_run() {
    let event = emitted("workflow_run", &data("workflow_run.requested.json"), &cfg());
    assert_eq!(event.event, EventName::DevCiStarted);
    let p = &event.properties;
    assert_eq!(p.run_id, Some(289782451));
    assert_eq!(p.run_attempt, Some(1));
    assert_eq!(p.workflow.as_deref(), Some("test"));
    assert_eq!(p.ci_duration_s, None);
    assert_eq!(event.timestamp, "2020-10-05T16:33:49Z".parse().unwrap());
}

#[test]
fn workflow_run_in_progress_is_dev_ci_started() {
    let payload = edit("workflow_run.requested.json", |v| {
        v["action"] = json!("in_progress");
        v["workflow_run"]["status"] = json!("in_progress");
    });
    assert_eq!(
        emitted("workflow_run", &payload, &cfg()).event,
        EventName::DevCiStarted
    );
}

#[test]
fn workflow_run_completed_success_is_dev_ci_passed_with_the_pr() {
    let event = emitted(
        "workflow_run",
        &data("workflow_run.completed.success-with-pr.json"),
        &cfg(),
    );
    insta::assert_json_snapshot!(event, @r#"
    {
      "event": "dev_ci_passed",
      "distinct_id": "Codertocat",
      "properties": {
        "pr": 2,
        "sha": "3484a3fb816e0859fd6e1cea078d76385ff50625",
        "branch": "master",
        "actor": "Codertocat",
        "size": null,
        "contracts_touched": null,
        "endpoints_touched": null,
        "ci_duration_s": null,
        "queue_s": null,
        "est_cost_usd": null,
        "billable_minutes": null,
        "repository": "octo-org/octo-repo",
        "workflow": "test",
        "run_id": 289782451,
        "run_attempt": 1,
        "conclusion": "success",
        "base_ref": "master",
        "event_source": "workflow_run.completed"
      },
      "timestamp": "2020-10-05T16:33:49.000Z",
      "uuid": "8b2c0e3f-1958-517f-9662-a29e4e7875e5"
    }
    "#);
}

#[test]
fn failed_timed_out_cancelled_runs_are_dev_ci_failed_with_the_conclusion() {
    for conclusion in ["failure", "timed_out", "cancelled", "startup_failure"] {
        let payload = edit("workflow_run.completed.success-with-pr.json", |v| {
            v["workflow_run"]["conclusion"] = json!(conclusion);
        });
        let event = emitted("workflow_run", &payload, &cfg());
        assert_eq!(event.event, EventName::DevCiFailed, "{conclusion}");
        assert_eq!(event.properties.conclusion.as_deref(), Some(conclusion));
    }
}

#[test]
fn conclusions_that_say_nothing_about_the_change_send_nothing() {
    let reason = skipped(
        "workflow_run",
        &data("workflow_run.requested.action_required.json"),
        &cfg(),
    );
    assert!(reason.contains("action_required"), "{reason}");
    for conclusion in ["neutral", "skipped", "stale"] {
        let payload = edit("workflow_run.completed.success-with-pr.json", |v| {
            v["workflow_run"]["conclusion"] = json!(conclusion);
        });
        skipped("workflow_run", &payload, &cfg());
    }
}

#[test]
fn merge_queue_runs_are_integration_runs_with_the_pr_from_the_branch() {
    for (conclusion, expected) in [
        ("success", EventName::DevIntegrationCiPassed),
        ("failure", EventName::DevIntegrationCiFailed),
    ] {
        let payload = edit("workflow_run.completed.success-with-pr.json", |v| {
            let run = &mut v["workflow_run"];
            run["event"] = json!("merge_group");
            run["head_branch"] = json!("gh-readonly-queue/main/pr-57-3484a3fb816e0859");
            run["pull_requests"] = json!([]);
            run["conclusion"] = json!(conclusion);
        });
        let event = emitted("workflow_run", &payload, &cfg());
        assert_eq!(event.event, expected);
        assert_eq!(event.properties.pr, Some(57));
        assert_eq!(event.properties.base_ref.as_deref(), Some("main"));
    }
}

#[test]
fn configured_integration_branches_make_integration_runs() {
    let payload = edit("workflow_run.completed.success-with-pr.json", |v| {
        v["workflow_run"]["head_branch"] = json!("staging/2026-11");
    });
    assert_eq!(
        emitted("workflow_run", &payload, &cfg()).event,
        EventName::DevCiPassed
    );
    let config = TelemetryEmitterConfig {
        integration_branches: vec!["staging/*".to_owned()],
        ..cfg()
    };
    assert_eq!(
        emitted("workflow_run", &payload, &config).event,
        EventName::DevIntegrationCiPassed
    );
}

#[test]
fn integration_queue_branches_are_integration_runs_by_default() {
    // integration-queue's branches under its default `branch-prefix` (`integration/`): a batch
    // on main, a batch on a release branch, and a further lane stacked on one.
    for branch in [
        "integration/main",
        "integration/release/2.x",
        "integration/main.lane-2",
    ] {
        let payload = edit("workflow_run.completed.success-with-pr.json", |v| {
            v["workflow_run"]["head_branch"] = json!(branch);
            v["workflow_run"]["pull_requests"] = json!([]);
        });
        assert_eq!(
            emitted("workflow_run", &payload, &cfg()).event,
            EventName::DevIntegrationCiPassed,
            "{branch}"
        );
    }
}

#[test]
fn production_deployment_statuses_are_deploys() {
    let event = emitted(
        "deployment_status",
        &data("deployment_status.success.production.json"),
        &cfg(),
    );
    assert_eq!(event.event, EventName::DevDeploySucceeded);
    assert_eq!(
        event.properties.sha.as_deref(),
        Some("f95f852bd8fca8fcc58a9a2d6c842781e32a215e")
    );
    assert_eq!(event.properties.branch.as_deref(), Some("master"));
    assert_eq!(event.properties.conclusion.as_deref(), Some("success"));
    assert_eq!(event.timestamp, "2019-05-15T15:20:55Z".parse().unwrap());

    for state in ["failure", "error"] {
        let payload = edit("deployment_status.success.production.json", |v| {
            v["deployment_status"]["state"] = json!(state);
        });
        let event = emitted("deployment_status", &payload, &cfg());
        assert_eq!(event.event, EventName::DevDeployFailed, "{state}");
        assert_eq!(event.properties.conclusion.as_deref(), Some(state));
    }
}

#[test]
fn other_environments_and_unfinished_deploys_send_nothing() {
    let reason = skipped(
        "deployment_status",
        &data("deployment_status.in_progress.github-pages.json"),
        &cfg(),
    );
    assert!(reason.contains("github-pages"), "{reason}");

    let in_progress = edit("deployment_status.success.production.json", |v| {
        v["deployment_status"]["state"] = json!("in_progress");
    });
    assert_eq!(
        skipped("deployment_status", &in_progress, &cfg()),
        "deployment state `in_progress` is not final"
    );
}

#[test]
fn environment_names_are_configurable_and_githubs_production_flag_counts() {
    let prod_eu = edit("deployment_status.success.production.json", |v| {
        v["deployment_status"]["environment"] = json!("prod-eu");
        v["deployment"]["environment"] = json!("prod-eu");
    });
    skipped("deployment_status", &prod_eu, &cfg());
    let config = TelemetryEmitterConfig {
        production_environments: vec!["prod-*".to_owned()],
        ..cfg()
    };
    assert_eq!(
        emitted("deployment_status", &prod_eu, &config).event,
        EventName::DevDeploySucceeded
    );

    let flagged = edit("deployment_status.success.production.json", |v| {
        v["deployment_status"]["environment"] = json!("live");
        v["deployment"]["production_environment"] = json!(true);
    });
    assert_eq!(
        emitted("deployment_status", &flagged, &cfg()).event,
        EventName::DevDeploySucceeded
    );
}

#[test]
fn a_push_to_the_default_branch_is_a_deploy_only_when_configured() {
    let payload = data("push.default-branch.json");
    assert!(skipped("push", &payload, &cfg()).contains("push-is-deploy"));
    let config = TelemetryEmitterConfig {
        push_is_deploy: true,
        ..cfg()
    };
    let event = emitted("push", &payload, &config);
    assert_eq!(event.event, EventName::DevDeploySucceeded);
    assert_eq!(
        event.properties.sha.as_deref(),
        Some("6113728f27ae82c7b1a177c8d03f9e96e0adf246")
    );
    assert_eq!(event.properties.branch.as_deref(), Some("master"));
    assert_eq!(event.timestamp, "2019-05-15T15:19:25Z".parse().unwrap());

    let reason = skipped("push", &data("push.tag.json"), &config);
    assert!(reason.contains("refs/tags/simple-tag"), "{reason}");
}

#[test]
fn an_explicit_dev_ci_started_from_a_ci_job_reports_on_the_current_run() {
    let context = ctx("pull_request", &data("pull_request.synchronize.json"));
    let request = Request {
        explicit_event: Some("dev_ci_started".parse().unwrap()),
    };
    let plan = plan(&context, &request, &cfg(), &facts()).unwrap();
    let event = only_event(&plan);
    assert_eq!(event.event, EventName::DevCiStarted);
    assert_eq!(event.properties.run_id, Some(7_000_001));
    assert_eq!(event.properties.run_attempt, Some(1));
    assert_eq!(event.properties.pr, Some(2));
    assert_eq!(
        event.properties.event_source.as_deref(),
        Some("pull_request.synchronize")
    );
}

#[test]
fn an_unknown_explicit_event_name_says_which_names_exist() {
    let error = "dev_ci_begun".parse::<EventName>().unwrap_err().to_string();
    assert!(
        error.contains("unknown event name `dev_ci_begun`"),
        "{error}"
    );
    assert!(error.contains("dev_ci_started"), "{error}");
}

#[test]
fn events_without_a_mapping_say_to_name_one() {
    let reason = skipped("workflow_dispatch", "{}", &cfg());
    assert!(reason.contains("`event` input"), "{reason}");
}

#[test]
fn an_invalid_glob_in_the_config_names_the_key() {
    let config = TelemetryEmitterConfig {
        integration_branches: vec!["release/[".to_owned()],
        ..cfg()
    };
    let context = ctx("workflow_run", &data("workflow_run.requested.json"));
    let error = plan(&context, &Request::default(), &config, &facts())
        .unwrap_err()
        .to_string();
    assert!(error.contains("integration-branches"), "{error}");
    assert!(error.contains("release/["), "{error}");
}
