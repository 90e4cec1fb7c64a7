//! `pr-critic`: see the crate's README and `pr-critic --help`.

fn main() -> std::process::ExitCode {
    guardians_core::runner::main::<pr_critic::PrCritic>()
}
