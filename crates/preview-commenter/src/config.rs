//! The `preview-commenter:` config section; its types live in guardians-core with the rest of
//! `.github/guardians.yml`.

pub use guardians_core::config::preview_commenter::{
    HealthCheckConfig, PreviewCommenterConfig, PreviewEnvironmentConfig,
};
