//! `contracts-diff`: finds API-contract changes in a pull request, explains them with a
//! semantic diff that marks breaking changes, and decides whether an architect must approve.
//!
//! The crate is split the Guardians way: facts are gathered first (files from git or the
//! GitHub API), [`plan::plan`] decides everything without I/O, and the caller acts.

pub mod action;
pub mod approval;
pub mod change;
pub mod cli;
pub mod comment;
pub mod config;
pub mod detect;
pub mod git;
pub mod graphql;
pub mod limits;
pub mod load;
pub mod openapi;
pub mod plan;
pub mod proto;
pub mod report;
pub mod resolve;
pub mod rules;
pub mod text_diff;

pub use change::{Change, Direction, Severity};
pub use limits::Limits;
pub use rules::Rule;
