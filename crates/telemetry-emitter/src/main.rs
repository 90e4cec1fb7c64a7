//! `telemetry-emitter`: see the crate README.

fn main() -> std::process::ExitCode {
    guardians_core::runner::main::<telemetry_emitter::TelemetryEmitter>()
}
