//! `contracts-diff`: finds API-contract changes in a pull request, explains them with a
//! semantic diff that marks breaking changes, and decides whether an architect must approve.
//!
//! The crate is split the Guardians way: facts are gathered first (files from git or the
//! GitHub API), [`plan::plan`] decides everything without I/O, and the caller acts.
//!
//! The public modules are the library's API (what the tests, benches and fuzz targets use);
//! the rest is crate-private.

mod action;
pub mod approval;
mod change;
mod cli;
pub mod comment;
pub mod config;
mod detect;
mod git;
pub mod graphql;
mod limits;
pub mod load;
pub mod openapi;
mod payload_path;
pub mod plan;
mod proto;
pub mod report;
pub mod resolve;
mod rules;
mod text_diff;

pub use action::ContractsDiff;
pub use change::{Change, Direction, Severity};
pub use limits::Limits;
pub use rules::Rule;
