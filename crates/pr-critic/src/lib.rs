//! `pr-critic`: checks that a pull request's description really fills in the repository's PR
//! template, that its answers agree with the diff, and that sensitive changes carry the right
//! approval labels.
//!
//! The crate is split the way every guardian is: [`facts::Facts`] are gathered first (from files
//! here, from the GitHub API in the action), [`plan::plan`] decides everything without I/O, and the
//! caller acts on the [`plan::Plan`]: prints it, writes outputs, updates the sticky comment.
//!
//! The description is untrusted text: nothing in this crate copies it into the report. Findings
//! name sections by the template's headings, and files by their (escaped) paths.
//!
//! The public modules are the library's API (what the tests, benches and fuzz targets use);
//! the rest is crate-private.

/// The `pull_request` actions after which the verdict is recomputed: a label added or removed,
/// the description edited, new commits, the PR reopened or marked ready.
pub const RECHECK_ON_ACTIONS: &[&str] = &[
    "opened",
    "labeled",
    "unlabeled",
    "edited",
    "synchronize",
    "reopened",
    "ready_for_review",
];

mod action;
mod args;
pub mod body;
mod cli;
pub mod config;
pub mod coverage;
mod cues;
pub mod facts;
pub mod finding;
mod guardian;
mod heading;
mod instructions;
mod markdown;
pub mod plan;
pub mod policy;
pub mod report;
mod rules;
mod sections;
mod template;
mod text;

pub use guardian::PrCritic;
