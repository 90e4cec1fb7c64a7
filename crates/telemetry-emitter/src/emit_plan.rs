//! The plan of one `emit`, as the core runner sees it: the events to send, where they go, and
//! what a failed delivery does to the step. Decided without I/O from the gathered facts, so
//! that `--dry-run` shows exactly what a real run sends.

use std::path::PathBuf;

use serde::Serialize;

use guardians_core::markdown::{code_span, escape_inline};

use crate::config::{TelemetryEmitterConfig, TelemetrySink};
use crate::options::Delivery;
use crate::plan::{Draft, Facts, TelemetryEvent, complete};
use crate::sink::batch::BatchBody;

/// Where the events go. The PostHog key is not part of the plan (it is a secret); the plan
/// carries only its masked form for the printed batch.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "sink", rename_all = "kebab-case")]
pub enum Destination {
    Posthog { host: String },
    Jsonl { path: PathBuf },
    Stdout,
}

impl Destination {
    pub fn of(delivery: &Delivery) -> Destination {
        match delivery.sink {
            TelemetrySink::Posthog => Destination::Posthog {
                host: delivery.posthog_host.clone(),
            },
            TelemetrySink::Jsonl => Destination::Jsonl {
                path: delivery.jsonl_path.clone(),
            },
            TelemetrySink::Stdout => Destination::Stdout,
        }
    }

    fn describe(&self) -> String {
        match self {
            Destination::Posthog { host } => format!("PostHog at {}", code_span(host)),
            Destination::Jsonl { path } => {
                format!(
                    "the JSON Lines file {}",
                    code_span(&path.display().to_string())
                )
            }
            Destination::Stdout => "standard output".to_owned(),
        }
    }
}

/// What a failed delivery (the sink down, refusing the events, or not set up) does to the step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OnDeliveryFailure {
    /// In Actions without `strict`: a warning, and the step passes. Telemetry is never the
    /// reason a user's CI fails unless they ask for it.
    Warn,
    /// With `strict`, or from a terminal: the step fails with the shared exit code (2 for a
    /// refused or misconfigured sink, 3 for a sink that cannot be reached after retries).
    Fail,
}

/// Everything `plan` needs besides the gathered facts.
#[derive(Debug, Clone)]
pub struct PlanInputs {
    pub draft: Draft,
    pub config: TelemetryEmitterConfig,
    pub facts: Facts,
    pub delivery: Delivery,
    /// `phc_***`, or `None` without a key.
    pub masked_api_key: Option<String>,
    pub strict: bool,
    pub in_actions: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmitPlan {
    /// The events to send (one per run).
    pub events: Vec<TelemetryEvent>,
    pub destination: Destination,
    pub on_delivery_failure: OnDeliveryFailure,
    /// Things the user should know (unpriced runners, missing timestamps).
    pub notes: Vec<String>,
    /// The masked key the printed batch carries in place of the real one.
    #[serde(skip)]
    pub masked_api_key: String,
}

/// The runner's plan, from the decided draft and the facts: pure.
pub fn plan(inputs: &PlanInputs) -> EmitPlan {
    let decided = complete(inputs.draft.clone(), &inputs.config, &inputs.facts);
    let on_delivery_failure = if inputs.in_actions && !inputs.strict {
        OnDeliveryFailure::Warn
    } else {
        OnDeliveryFailure::Fail
    };
    EmitPlan {
        events: decided.events,
        destination: Destination::of(&inputs.delivery),
        on_delivery_failure,
        notes: decided.notes,
        masked_api_key: inputs
            .masked_api_key
            .clone()
            .unwrap_or_else(|| "<no posthog-api-key>".to_owned()),
    }
}

impl EmitPlan {
    /// The exact body PostHog's batch endpoint would receive, with the key masked: one line,
    /// starting with `{`, so it can never be read as a workflow command.
    pub fn batch_json(&self) -> String {
        BatchBody::new(&self.masked_api_key, &self.events).to_json()
    }
}

impl guardians_core::runner::Plan for EmitPlan {
    /// Telemetry has no check of its own: it never fails with exit 1. A failed delivery is an
    /// error (2 or 3) or, in Actions without `strict`, a warning.
    fn failed(&self) -> bool {
        false
    }

    fn markdown(&self) -> String {
        let names: Vec<String> = self
            .events
            .iter()
            .map(|e| format!("`{}`", e.event))
            .collect();
        let mut text = format!(
            "### telemetry-emitter\n\nEvent {} → {}.\n",
            names.join(", "),
            self.destination.describe()
        );
        for note in &self.notes {
            // Notes quote runner labels and payload fields: escaped, so they stay plain text.
            text.push_str(&format!("\n- {}", escape_inline(note)));
        }
        if !self.notes.is_empty() {
            text.push('\n');
        }
        // The batch exactly as it would be sent: one line starting with `{`, so it can neither
        // close the fence nor be read as a workflow command.
        text.push_str(&format!("\n```json\n{}\n```\n", self.batch_json()));
        text
    }

    fn outputs(&self) -> Vec<(&'static str, String)> {
        // `sent` is the delivery's outcome, not the plan's: `apply` sets it.
        match self.events.first() {
            Some(event) => vec![
                ("event", event.event.as_str().to_owned()),
                ("uuid", event.uuid.to_string()),
            ],
            None => Vec::new(),
        }
    }
}
