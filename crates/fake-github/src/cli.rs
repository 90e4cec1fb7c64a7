//! `fake-github serve`: the fake as a process, for workflow-runner tests and benchmarks.

use std::io::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use crate::seed_file::SeedDocument;
use crate::server::FakeGitHub;

#[derive(Debug, Parser)]
#[command(
    name = "fake-github",
    version,
    about = "A stateful fake of the GitHub REST API"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the fake until interrupted (Ctrl-C or SIGTERM).
    Serve(ServeArgs),
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// A JSON seed file (format in the crate README).
    #[arg(long)]
    pub seed: Option<PathBuf>,
    /// Delay added to every API response, in milliseconds.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Print the base URL as the first line of stdout once listening.
    #[arg(long)]
    pub print_url: bool,
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => serve(&args),
    }
}

fn serve(args: &ServeArgs) -> anyhow::Result<()> {
    let seed = match &args.seed {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the seed file {}", path.display()))?;
            Some(SeedDocument::from_json(&text).with_context(|| format!("in {}", path.display()))?)
        }
        None => None,
    };
    let github = FakeGitHub::bind(SocketAddr::new(args.host, args.port)).with_context(|| {
        format!(
            "cannot listen on {}:{}; pick a free --port or use 0",
            args.host, args.port
        )
    })?;
    if let Some(seed) = seed {
        github.try_seed(seed).with_context(|| {
            format!(
                "in {}",
                args.seed
                    .as_deref()
                    .unwrap_or(std::path::Path::new(""))
                    .display()
            )
        })?;
    }
    github.set_latency(Duration::from_millis(args.latency_ms));
    if args.print_url {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "{}", github.url()).context("cannot write the URL to stdout")?;
        stdout.flush().context("cannot flush stdout")?;
    }
    wait_for_termination()?;
    drop(github);
    Ok(())
}

fn wait_for_termination() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the signal-handling runtime")?;
    runtime.block_on(async {
        #[cfg(unix)]
        {
            let mut terminate =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    .context("cannot listen for SIGTERM")?;
            tokio::select! {
                result = tokio::signal::ctrl_c() => result.context("cannot listen for Ctrl-C"),
                _ = terminate.recv() => Ok(()),
            }
        }
        #[cfg(not(unix))]
        {
            tokio::signal::ctrl_c()
                .await
                .context("cannot listen for Ctrl-C")
        }
    })
}
