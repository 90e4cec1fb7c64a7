//! A model of GitHub (refs, merge commits, PRs, labels, check results) and of CI (duration,
//! bad PRs, flaky runs) that reads a [`QueueState`] for the real [`plan`], applies its writes
//! the way GitHub answers them, and checks the queue's promises on every move of a base:
//! only fast-forwards, only to a commit whose manifest passed CI on the current base, no PR
//! landing twice. The property tests and the benchmark drive it.
//!
//! [`QueueState`]: crate::state::QueueState
//! [`plan`]: crate::plan::plan

mod git;
mod world;

pub use git::Repo;
pub use world::{Applied, CiModel, SimPr, World};
