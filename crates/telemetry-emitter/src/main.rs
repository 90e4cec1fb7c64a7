//! `telemetry-emitter`: see the crate README.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use telemetry_emitter::cli::{Cli, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut stdout = std::io::stdout();
    let code = match run(cli, &|k| std::env::var(k).ok(), &mut stdout) {
        Ok(code) => code,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "telemetry-emitter: {error:#}");
            1
        }
    };
    let _ = stdout.flush();
    ExitCode::from(code)
}
