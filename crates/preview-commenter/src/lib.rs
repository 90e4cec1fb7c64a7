//! `preview-commenter`: one living PR comment with the previews' URLs, their health and how to
//! try them, GitHub deployments for the PR timeline, and a "previews removed" note on close.
//!
//! The pure half decides ([`plan`]); the GitHub-facing half finds the PR and reads the facts
//! ([`trigger`], [`gather`]), checks the previews ([`health`]) and writes ([`apply`]);
//! [`guardian`] puts them in the shape guardians-core's runner runs.

pub mod apply;
pub mod cli;
pub mod comment;
pub mod config;
pub mod deployments;
pub mod deployments_api;
pub mod environments;
pub mod facts;
pub mod freshness;
pub mod gather;
pub mod guard;
pub mod guardian;
pub mod health;
pub mod plan;
pub mod report;
pub mod settings;
pub mod shell;
pub mod slug;
pub mod template;
pub mod trigger;
pub mod url_template;

#[cfg(test)]
mod test_support;
