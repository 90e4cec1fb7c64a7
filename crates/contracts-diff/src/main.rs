//! `contracts-diff OLD NEW` / `--git BASE...HEAD` / Actions mode: see `--help` and the README.

fn main() -> std::process::ExitCode {
    guardians_core::runner::main::<contracts_diff::ContractsDiff>()
}
