//! `contracts-diff OLD NEW` / `--git BASE HEAD` / Actions mode: see `--help`.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use contracts_diff::cli::{Args, run};
use guardians_core::toolkit::{AnnotationProps, Toolkit};

fn main() -> ExitCode {
    let args = Args::parse();
    if !args.is_offline() && contracts_diff::action::event_available(&args) {
        let outcome = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(anyhow::Error::from)
            .and_then(|rt| {
                rt.block_on(contracts_diff::action::run(&args, Toolkit::from_process()))
            });
        return outcome.unwrap_or_else(|err| {
            let message = format!("contracts-diff: {err:#}");
            Toolkit::from_process().error(&message, &AnnotationProps::default());
            ExitCode::from(2)
        });
    }
    match run(&args) {
        Ok(outcome) => {
            let _ = std::io::stdout()
                .lock()
                .write_all(outcome.output.as_bytes());
            ExitCode::from(u8::from(outcome.fail))
        }
        Err(error) => {
            let _ = writeln!(std::io::stderr().lock(), "contracts-diff: error: {error}");
            ExitCode::from(2)
        }
    }
}
