//! The runner's plan for `emit`, pure: what a failed delivery does, the outputs, and the
//! Markdown that `--dry-run` prints and the step summary shows.
// Test helpers: a broken fixture should panic where it is read.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::PathBuf;

use guardians_core::runner::Plan as _;
use support::{ctx, data, facts};
use telemetry_emitter::config::{TelemetryEmitterConfig, TelemetrySink};
use telemetry_emitter::emit_plan::{OnDeliveryFailure, PlanInputs, plan};
use telemetry_emitter::options::Delivery;
use telemetry_emitter::plan::{Decision, Request, decide};

fn inputs(strict: bool, in_actions: bool) -> PlanInputs {
    let config = TelemetryEmitterConfig::default();
    let context = ctx("pull_request", &data("pull_request.opened.json"));
    let Decision::Send(draft) = decide(&context, &Request::default(), &config).unwrap() else {
        panic!("pull_request.opened is a delivery event");
    };
    PlanInputs {
        draft,
        config,
        facts: facts(),
        delivery: Delivery {
            sink: TelemetrySink::Jsonl,
            posthog_host: "https://us.i.posthog.com".to_owned(),
            jsonl_path: PathBuf::from("events `x`.jsonl"),
        },
        masked_api_key: Some("phc_***".to_owned()),
        strict,
        in_actions,
    }
}

#[test]
fn a_failed_delivery_warns_only_in_actions_without_strict() {
    assert_eq!(
        plan(&inputs(false, true)).on_delivery_failure,
        OnDeliveryFailure::Warn
    );
    assert_eq!(
        plan(&inputs(true, true)).on_delivery_failure,
        OnDeliveryFailure::Fail
    );
    assert_eq!(
        plan(&inputs(false, false)).on_delivery_failure,
        OnDeliveryFailure::Fail
    );
}

#[test]
fn telemetry_has_no_verdict_and_its_outputs_are_the_planned_event() {
    let plan = plan(&inputs(true, false));
    assert!(!plan.failed());
    let outputs = plan.outputs();
    assert_eq!(outputs[0], ("event", "dev_pr_opened".to_owned()));
    assert_eq!(outputs[1], ("uuid", plan.events[0].uuid.to_string()));
    assert_eq!(outputs.len(), 2, "`sent` is apply's to set");
}

#[test]
fn markdown_names_the_destination_and_shows_the_masked_batch() {
    let mut plan = plan(&inputs(false, true));
    plan.notes = vec!["no price for runner `gpu*[x]`".to_owned()];
    let markdown = plan.markdown();
    let (head, batch) = markdown.split_once("```json\n").unwrap();
    insta::assert_snapshot!(head, @r"
    ### telemetry-emitter

    Event `dev_pr_opened` → the JSON Lines file ``events `x`.jsonl``.

    - no price for runner \`gpu\*\[x\]\`
    ");
    let body: serde_json::Value = serde_json::from_str(batch.lines().next().unwrap()).unwrap();
    assert_eq!(body["api_key"], "phc_***");
    assert_eq!(body["batch"][0]["uuid"], plan.events[0].uuid.to_string());
    // The plan as JSON (`--json`) carries no key at all.
    let json = serde_json::to_string(&plan).unwrap();
    assert!(!json.contains("phc_"), "{json}");
}
