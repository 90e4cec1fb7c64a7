//! The GitHub API: a retrying client and the helpers every guardian shares.

mod client;
pub mod comment_body;
pub mod comment_metadata;
pub mod contents;
mod error;
pub mod identity;
pub mod labels;
pub mod models;
pub mod pagination;
pub mod path;
pub mod pulls;
pub mod retry;
pub mod sticky_comment;
pub mod trees;

pub use client::{
    API_VERSION, CallStats, DEFAULT_API_URL, GitHub, MAX_CONCURRENT_READS, MAX_REDIRECTS,
    RawResponse, WaitNotice,
};
pub use error::ApiError;
pub use identity::Identity;
pub use sticky_comment::{CommentAction, CommentOutcome, StickyComment};
