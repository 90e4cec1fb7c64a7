//! `pr-critic`: see the crate documentation and `pr-critic --help`.

use std::process::ExitCode;

fn main() -> ExitCode {
    pr_critic::cli::main()
}
