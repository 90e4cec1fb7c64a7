//! `preview-commenter`: see the crate's README.

use std::process::ExitCode;

use clap::Parser;
use guardians_core::toolkit::{AnnotationProps, Toolkit};

fn main() -> ExitCode {
    let cli = preview_commenter::cli::Cli::parse();
    let outcome = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|runtime| runtime.block_on(preview_commenter::run(cli, Toolkit::from_process())));
    match outcome {
        Ok(code) => code,
        Err(err) => {
            let props = AnnotationProps::default();
            Toolkit::from_process().error(&format!("preview-commenter: {err:#}"), &props);
            // 2, not 1: a mistake in the config, event or flags, not an unhealthy preview.
            ExitCode::from(2)
        }
    }
}
