use std::process::ExitCode;

use clap::Parser;
use guardians_core::toolkit::{AnnotationProps, Toolkit};

fn main() -> ExitCode {
    let cli = size_labeler::cli::Cli::parse();
    let outcome = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|runtime| runtime.block_on(size_labeler::run(cli, Toolkit::from_process())));
    match outcome {
        Ok(code) => code,
        Err(err) => {
            Toolkit::from_process().error(
                &format!("size-labeler: {err:#}"),
                &AnnotationProps::default(),
            );
            ExitCode::FAILURE
        }
    }
}
