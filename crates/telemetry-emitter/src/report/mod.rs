//! `telemetry-emitter report`: delivery metrics from the JSON Lines sink.

pub mod bands;
pub mod load;
pub mod metrics;
pub mod render;
pub mod since;

pub use load::{Loaded, load};
pub use metrics::{Metrics, compute, compute_with};
pub use render::{Format, render};
pub use since::parse_since;
