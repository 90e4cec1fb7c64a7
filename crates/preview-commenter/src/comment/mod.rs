//! The sticky comment: its Markdown body and the hidden metadata that orders runs.
//!
//! The sticky marker that finds the comment is the core helper's; the metadata is separate and
//! sits at the top of the body, so cutting an over-long body never cuts it.

mod markdown;
pub mod metadata;
mod render;

pub use metadata::CommentMeta;
pub use render::{render_closed, render_open};

/// The sticky comment's key: its first line is `<!-- guardians:preview-commenter -->`.
pub const COMMENT_KEY: &str = "preview-commenter";
