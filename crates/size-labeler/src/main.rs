//! `size-labeler`: see the crate README.

fn main() -> std::process::ExitCode {
    guardians_core::runner::main::<size_labeler::SizeLabeler>()
}
