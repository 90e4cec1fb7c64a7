//! `fake-github serve [--port 0] [--seed FILE.json] [--latency-ms N] [--print-url]`

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;
use fake_github::cli::{Cli, run};

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "fake-github: {error:#}");
            ExitCode::FAILURE
        }
    }
}
