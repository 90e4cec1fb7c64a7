//! integration-queue: a merge queue with no server. Labelled PRs are merged in batches onto the
//! base's head in `integration/<base>`, CI runs there, and the base is fast-forwarded to exactly
//! the commit that passed; a failed batch is bisected. All state lives in GitHub.
//!
//! - [`config`]: the `integration-queue` section of `.github/guardians.yml`;
//! - [`state`]: the world as one run reads it;
//! - [`manifest`]: what an integration commit records about itself;
//! - [`plan`]: the pure decision;
//! - [`sim`]: a model of GitHub and CI that applies plans, for property tests and the benchmark.

pub mod config;
pub mod guardian;
pub mod manifest;
pub mod plan;
pub mod sim;
pub mod state;
