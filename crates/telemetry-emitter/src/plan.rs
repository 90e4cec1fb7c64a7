//! Decide, without I/O, which event to send and with which properties.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use guardians_core::context::Context;

use crate::config::TelemetryEmitterConfig;
use crate::error::EmitError;
use crate::event_name::EventName;
use crate::identity::{EventKey, distinct_id, event_uuid};
use crate::jobs::{Job, RunTiming, jobs_of_attempt};
use crate::mapping::{Mapping, MappingRules, derive_event};
use crate::pricing::{PricingRules, estimate_cost};
use crate::subject::{RunRef, Subject};

/// Facts gathered before planning.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Jobs of the run the event reports on (all pages, latest attempt); empty for events
    /// about no run.
    pub jobs: Vec<Job>,
    /// The PR's size label (`XS`..`XL`), from size-labeler's computation.
    pub size: Option<String>,
    /// Whether the change touches API contracts, from contracts-diff's path detection.
    pub contracts_touched: Option<bool>,
    /// The API endpoints the change touches, from contracts-diff.
    pub endpoints_touched: Option<Vec<String>>,
    /// The run's `run_started_at` read from the API, when the payload lacks it (an event
    /// named from inside a CI job, or an older payload).
    pub run_started_at: Option<Timestamp>,
    /// The time to stamp an event with when its payload carries none.
    pub now: Timestamp,
}

/// The properties of a delivery event. Every key is always present (`null` when unknown), so
/// that PostHog insights see one schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Properties {
    pub pr: Option<u64>,
    pub sha: Option<String>,
    pub branch: Option<String>,
    pub actor: Option<String>,
    pub size: Option<String>,
    pub contracts_touched: Option<bool>,
    pub endpoints_touched: Option<Vec<String>>,
    pub ci_duration_s: Option<i64>,
    pub queue_s: Option<i64>,
    pub est_cost_usd: Option<f64>,
    pub billable_minutes: Option<u64>,
    pub repository: Option<String>,
    pub workflow: Option<String>,
    pub run_id: Option<u64>,
    pub run_attempt: Option<u32>,
    pub conclusion: Option<String>,
    pub base_ref: Option<String>,
    pub event_source: Option<String>,
}

/// One event, in the shape PostHog's batch API takes and the JSON Lines sink writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TelemetryEvent {
    pub event: EventName,
    pub distinct_id: String,
    pub properties: Properties,
    #[serde(with = "iso8601")]
    pub timestamp: Timestamp,
    pub uuid: Uuid,
}

/// Timestamps as ISO 8601 in UTC with millisecond precision, the form PostHog documents.
mod iso8601 {
    use jiff::Timestamp;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub events: Vec<TelemetryEvent>,
    /// Why nothing is sent, when nothing is.
    pub skipped: Option<String>,
    /// Things the user should know (unpriced runners, missing timestamps).
    pub notes: Vec<String>,
}

/// What the user asked for, besides the config.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The `event` input: send this event instead of deriving one.
    pub explicit_event: Option<EventName>,
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

/// The event to send and what it is about, decided before any fact is gathered: it says which
/// facts are worth an API call.
#[derive(Debug, Clone, PartialEq)]
#[allow(
    clippy::large_enum_variant,
    reason = "one decision per run; boxing would only complicate matching on it"
)]
pub enum Decision {
    Send(Draft),
    Skip(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub name: EventName,
    pub subject: Subject,
    /// The CI run the event reports on: the observed run of a `workflow_run`, or this run for
    /// a CI event named from inside a CI job.
    pub run: Option<RunRef>,
}

impl Draft {
    /// The run whose jobs give duration, queue time and cost (CI outcomes only).
    pub fn jobs_of(&self) -> Option<&RunRef> {
        self.run.as_ref().filter(|_| self.name.is_ci_outcome())
    }

    /// Whether the run's start must be read from the API (the payload has none).
    pub fn needs_run_start(&self) -> bool {
        self.jobs_of().is_some_and(|run| run.started_at.is_none())
    }
}

pub fn decide(
    ctx: &Context,
    request: &Request,
    config: &TelemetryEmitterConfig,
) -> Result<Decision, EmitError> {
    Ok(decide_with(
        ctx,
        request,
        &MappingRules::from_config(config)?,
    ))
}

/// [`decide`] with the config's globs compiled once, for deciding many events (a history).
pub fn decide_with(ctx: &Context, request: &Request, rules: &MappingRules) -> Decision {
    let name = match request.explicit_event {
        Some(name) => name,
        None => match derive_event(&ctx.event_name, &ctx.event, rules) {
            Mapping::Emit(name) => name,
            Mapping::Skip(reason) => return Decision::Skip(reason),
        },
    };
    let subject = Subject::from_context(ctx);
    // A run named explicitly from inside the user's CI job is the current run.
    let run = match &subject.run {
        Some(run) => Some(run.clone()),
        None if request.explicit_event.is_some()
            && (name.is_ci_outcome() || name == EventName::DevCiStarted) =>
        {
            ctx.run_id.map(|id| RunRef {
                id,
                attempt: ctx.run_attempt.unwrap_or(1).max(1),
                started_at: None,
                created_at: None,
            })
        }
        None => None,
    };
    Decision::Send(Draft { name, subject, run })
}

pub fn plan(
    ctx: &Context,
    request: &Request,
    config: &TelemetryEmitterConfig,
    facts: &Facts,
) -> Result<Plan, EmitError> {
    match decide(ctx, request, config)? {
        Decision::Skip(reason) => Ok(Plan {
            skipped: Some(reason),
            ..Plan::default()
        }),
        Decision::Send(draft) => Ok(complete(draft, config, facts)),
    }
}

/// The event of a decided draft, with the gathered facts.
pub fn complete(draft: Draft, config: &TelemetryEmitterConfig, facts: &Facts) -> Plan {
    let Draft { name, subject, run } = draft;
    let mut notes = Vec::new();
    let run_id = run.as_ref().map(|r| r.id);
    let run_attempt = run.as_ref().map(|r| r.attempt);
    let run_started_at = run
        .as_ref()
        .and_then(|r| r.started_at.or(facts.run_started_at).or(r.created_at));

    let mut properties = Properties {
        pr: subject.pr,
        sha: non_empty(&subject.sha),
        branch: non_empty(&subject.branch),
        size: facts.size.clone(),
        contracts_touched: facts.contracts_touched,
        endpoints_touched: facts.endpoints_touched.clone(),
        repository: non_empty(&subject.repository),
        workflow: non_empty(&subject.workflow),
        run_id,
        run_attempt,
        conclusion: subject.conclusion.clone(),
        base_ref: subject.base_ref.clone(),
        event_source: non_empty(&subject.event_source),
        ..Properties::default()
    };

    if name.is_ci_outcome() && !facts.jobs.is_empty() {
        let jobs = match run_attempt {
            Some(attempt) => jobs_of_attempt(&facts.jobs, attempt),
            None => facts.jobs.clone(),
        };
        let timing = RunTiming::from_jobs(run_started_at, &jobs);
        properties.ci_duration_s = timing.ci_duration_s;
        properties.queue_s = timing.queue_s;
        let pricing = PricingRules {
            self_hosted_per_minute_usd: config.self_hosted_per_minute_usd,
            overrides: config.price_overrides.clone(),
        };
        let cost = estimate_cost(&jobs, subject.private, &pricing);
        for sku in &cost.unpriced {
            notes.push(format!(
                "no price for runner `{sku}`: its minutes count as $0; add `price-overrides: {{ {sku}: <USD per minute> }}`"
            ));
        }
        properties.est_cost_usd = Some(cost.total_usd());
        properties.billable_minutes = Some(cost.billable_minutes());
    }

    let id = distinct_id(&subject.actor, &subject.repository, config.hash_actor);
    properties.actor = if config.hash_actor {
        Some(id.clone())
    } else {
        non_empty(&subject.actor)
    };

    let timestamp = subject.occurred_at.unwrap_or_else(|| {
        notes.push(format!(
            "the `{}` payload has no time of its own; the event is stamped with the current time, so a re-run may be counted twice",
            subject.event_source
        ));
        facts.now
    });
    let uuid = event_uuid(&EventKey {
        repository: &subject.repository,
        event: name,
        pr: subject.pr,
        sha: &subject.sha,
        run_id,
        run_attempt,
    });
    Plan {
        events: vec![TelemetryEvent {
            event: name,
            distinct_id: id,
            properties,
            timestamp,
            uuid,
        }],
        skipped: None,
        notes,
    }
}
