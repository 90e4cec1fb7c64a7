//! Shared foundation of the Guardians actions: the run's context, `@actions/core` parity,
//! the GitHub client with its helpers, the `.github/guardians.yml` config, and what more than
//! one guardian computes about a change (its size, the contract files it touches).

pub mod change_size;
pub mod config;
pub mod context;
pub mod contract_paths;
pub mod data;
pub mod event;
pub mod github;
pub mod markdown;
pub mod runner;
#[cfg(feature = "test-support")]
pub mod step_harness;
pub mod toolkit;
