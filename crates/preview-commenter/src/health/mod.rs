//! Is each preview up? GET its health URL with retries, all previews at once.

mod checker;
mod failure;
mod policy;
mod report;

pub use checker::{HealthChecker, http_client};
pub use failure::HealthFailure;
pub use policy::HealthPolicy;
pub use report::{HealthReport, StopReason};
