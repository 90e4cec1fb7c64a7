//! `telemetry-emitter`: sends delivery events (PR opened, CI started/passed/failed, merge queue
//! entered, integration CI, deploys) with size, duration and cost to PostHog, a JSON Lines file
//! or stdout, and reports delivery metrics from the file.
//!
//! It has the shape of every guardian ([`TelemetryEmitter`] implements guardians-core's
//! `Guardian`): [`plan::decide`] picks the event (pure), `gather` reads the facts it needs
//! through guardians-core's client, [`emit_plan::plan`] computes the events and where they go
//! (pure), and `apply::apply` delivers them.
//!
//! The public modules are the library's API (what the tests and benches use); the rest is
//! crate-private.

mod apply;
mod change_facts;
pub mod cli;
pub mod config;
pub mod emit_plan;
mod error;
pub mod event_name;
mod gather;
mod guardian;
mod history;
pub mod identity;
pub mod jobs;
mod jobs_api;
mod mapping;
pub mod options;
pub mod plan;
pub mod pricing;
pub mod report;
mod report_publish;
mod report_run;
pub mod sink;
mod subject;

pub use guardian::TelemetryEmitter;
