//! The `telemetry-emitter` section of `.github/guardians.yml`, declared in guardians-core with
//! the other sections (so the shipped JSON Schema covers it).

pub use guardians_core::config::telemetry_emitter::{TelemetryEmitterConfig, TelemetrySink};
