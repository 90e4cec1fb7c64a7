//! `integration-queue`: see the crate README.

fn main() -> std::process::ExitCode {
    guardians_core::runner::main::<integration_queue::guardian::IntegrationQueue>()
}
