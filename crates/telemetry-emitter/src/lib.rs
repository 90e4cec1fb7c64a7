//! `telemetry-emitter`: sends delivery events (PR opened, CI started/passed/failed, merge queue
//! entered, integration CI, deploys) with size, duration and cost to PostHog, a JSON Lines file
//! or stdout, and reports delivery metrics from the file.
//!
//! Decide in [`plan::plan`] (pure), act in [`apply::apply`].

pub mod apply;
pub mod cli;
pub mod config;
pub mod context;
pub mod error;
pub mod event_name;
pub mod identity;
pub mod jobs;
pub mod mapping;
pub mod payload;
pub mod plan;
pub mod pricing;
pub mod report;
pub mod sink;
pub mod subject;
