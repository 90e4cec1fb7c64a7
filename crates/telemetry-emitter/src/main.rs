//! `telemetry-emitter`: see the crate README.

use std::process::ExitCode;

use clap::Parser;
use guardians_core::toolkit::{AnnotationProps, Toolkit};
use telemetry_emitter::cli::Cli;
use telemetry_emitter::run::{Io, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => ExitCode::from(runtime.block_on(run(cli, &Io::process()))),
        Err(error) => {
            Toolkit::from_process().error(
                &format!("telemetry-emitter could not start: {error}"),
                &AnnotationProps::default(),
            );
            ExitCode::FAILURE
        }
    }
}
