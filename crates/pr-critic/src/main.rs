//! `pr-critic`: see the crate documentation and `pr-critic --help`.

use std::process::ExitCode;

use clap::Parser;
use guardians_core::toolkit::{AnnotationProps, Toolkit};
use pr_critic::{action, args::Args, cli};

fn main() -> ExitCode {
    let args = Args::parse();
    if args.is_local() {
        return cli::main(&args);
    }
    if args.common.event.is_none() && std::env::var_os("GITHUB_EVENT_PATH").is_none() {
        return cli::usage_without_body();
    }
    let outcome = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|runtime| runtime.block_on(action::run(args, Toolkit::from_process())));
    outcome.unwrap_or_else(|err| {
        let message = format!("pr-critic: {err:#}");
        Toolkit::from_process().error(&message, &AnnotationProps::default());
        ExitCode::from(cli::EXIT_USAGE)
    })
}
