//! `contracts-diff OLD NEW` / `contracts-diff --git BASE HEAD`: see `--help`.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use contracts_diff::cli::{Args, run};

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(outcome) => {
            let _ = std::io::stdout()
                .lock()
                .write_all(outcome.output.as_bytes());
            if outcome.fail {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(error) => {
            let _ = writeln!(std::io::stderr().lock(), "contracts-diff: error: {error}");
            ExitCode::from(2)
        }
    }
}
