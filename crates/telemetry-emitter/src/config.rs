//! The `telemetry-emitter` section of `.github/guardians.yml`.
//!
//! The struct lives in guardians-core (`config/telemetry_emitter.rs`) with the other sections.
//! Temporary: until guardians-core declares that module, the same file is compiled here too;
//! once `pub mod telemetry_emitter;` lands there, this becomes a plain re-export.

#[path = "../../guardians-core/src/config/telemetry_emitter.rs"]
mod shared;

pub use shared::{TelemetryEmitterConfig, TelemetrySink};
