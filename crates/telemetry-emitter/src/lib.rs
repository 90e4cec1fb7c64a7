//! `telemetry-emitter`: sends delivery events (PR opened, CI started/passed/failed, merge queue
//! entered, integration CI, deploys) with size, duration and cost to PostHog, a JSON Lines file
//! or stdout, and reports delivery metrics from the file.
//!
//! It has the shape of every guardian ([`guardian::TelemetryEmitter`] implements guardians-core's
//! `Guardian`): [`plan::decide`] picks the event (pure), [`gather`] reads the facts it needs
//! through guardians-core's client, [`emit_plan::plan`] computes the events and where they go
//! (pure), and [`apply::apply`] delivers them.

pub mod apply;
pub mod change_facts;
pub mod cli;
pub mod config;
pub mod emit_plan;
pub mod error;
pub mod event_name;
pub mod gather;
pub mod guardian;
pub mod history;
pub mod identity;
pub mod jobs;
pub mod jobs_api;
pub mod mapping;
pub mod options;
pub mod plan;
pub mod pricing;
pub mod report;
pub mod report_publish;
pub mod report_run;
pub mod sink;
pub mod subject;
