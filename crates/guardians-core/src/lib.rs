//! Shared foundation of the Guardians actions: the run's context, `@actions/core` parity,
//! the GitHub client with its helpers, and the `.github/guardians.yml` config.

pub mod config;
pub mod context;
pub mod data;
pub mod event;
pub mod github;
pub mod markdown;
pub mod runner;
#[cfg(feature = "test-support")]
pub mod step_harness;
pub mod toolkit;
