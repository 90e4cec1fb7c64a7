//! `preview-commenter`: one living PR comment with the previews' URLs, their health and how to
//! try them, GitHub deployments for the PR timeline, and a "previews removed" note on close.
//!
//! The pure half decides (`plan`); the GitHub-facing half finds the PR and reads the facts
//! (`trigger`, `gather`), checks the previews ([`health`]) and writes (`apply`);
//! [`PreviewCommenter`] puts them in the shape guardians-core's runner runs.
//!
//! The public modules are the library's API (what the tests, the schema and the fuzz targets
//! use); the rest is crate-private.

mod apply;
mod cli;
pub mod comment;
pub mod config;
mod deployments;
mod deployments_api;
pub mod environments;
mod facts;
mod freshness;
mod gather;
mod guard;
mod guardian;
pub mod health;
mod plan;
mod report;
mod settings;
mod shell;
mod slug;
mod template;
mod trigger;
mod url_template;

pub use guardian::PreviewCommenter;

#[cfg(test)]
mod test_support;
