//! `telemetry-emitter`: sends delivery events (PR opened, CI started/passed/failed, merge queue
//! entered, integration CI, deploys) with size, duration and cost to PostHog, a JSON Lines file
//! or stdout, and reports delivery metrics from the file.
//!
//! [`plan::decide`] picks the event (pure), [`gather`] reads the facts it needs through
//! guardians-core's client, [`plan::complete`] computes the properties (pure), and
//! [`apply::apply`] delivers them.

pub mod apply;
pub mod change_facts;
pub mod cli;
pub mod config;
pub mod error;
pub mod event_name;
pub mod gather;
pub mod identity;
pub mod jobs;
pub mod jobs_api;
pub mod mapping;
pub mod options;
pub mod plan;
pub mod pricing;
pub mod report;
pub mod run;
pub mod sink;
pub mod subject;
