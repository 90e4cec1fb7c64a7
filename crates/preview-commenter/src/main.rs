//! `preview-commenter`: see the crate's README.

fn main() -> std::process::ExitCode {
    guardians_core::runner::main::<preview_commenter::PreviewCommenter>()
}
