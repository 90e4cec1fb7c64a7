//! `preview-commenter`: one living PR comment with the previews' URLs, their health and how to
//! try them, GitHub deployments for the PR timeline, and a "previews removed" note on close.
//!
//! The pure half decides ([`plan`]); the health checker ([`health`]) is the only I/O here. The
//! GitHub-facing half (sticky comment, deployments, finding the PR) acts on a [`plan::Plan`].

pub mod cli;
pub mod comment;
pub mod config;
pub mod deployments;
pub mod environments;
pub mod facts;
pub mod freshness;
pub mod health;
pub mod local;
pub mod plan;
pub mod shell;
pub mod slug;
pub mod template;

#[cfg(test)]
mod test_support;
