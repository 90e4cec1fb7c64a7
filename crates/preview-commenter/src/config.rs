//! The `preview-commenter:` config section; its types live in guardians-core with the rest of
//! `.github/guardians.yml`.

// Until guardians-core declares `config::preview_commenter`, the file is compiled here too.
// Once it does, this becomes `pub use guardians_core::config::preview_commenter::{...}`.
#[path = "../../guardians-core/src/config/preview_commenter.rs"]
mod shared;

pub use shared::{HealthCheckConfig, PreviewCommenterConfig, PreviewEnvironmentConfig};
