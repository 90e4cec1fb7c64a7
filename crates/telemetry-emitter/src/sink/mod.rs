//! Where events go: PostHog, a JSON Lines file, or standard output.

pub mod api_key;
pub(crate) mod batch;
pub(crate) mod jsonl;
pub mod posthog;
pub mod retry;
