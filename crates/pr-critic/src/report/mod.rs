//! How a plan is shown: Markdown for people (the sticky comment, the step summary and the
//! terminal all get the same text) and JSON for machines.

pub mod json;
pub mod markdown;
