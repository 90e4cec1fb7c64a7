//! `size-labeler`: labels a pull request XS / S / M / L / XL by lines changed, ignoring
//! lockfiles, generated files and paths the maintainer chooses.
//!
//! Facts are gathered (`gather`, `git_mode`), a pure `plan::plan` decides, and `apply::apply`
//! performs the fewest writes that reach the plan; [`SizeLabeler`] puts them into the runner
//! every guardian shares. The measurement itself is guardians-core's `change_size`.
//!
//! The library's API is what the binary and the fuzz targets use; everything else is
//! crate-private.

mod apply;
mod cli;
mod comment;
mod facts;
mod gather;
mod git_mode;
mod guardian;
mod inputs;
mod local;
mod plan;
mod report;
mod settings;

pub use git_mode::parse_numstat_z;
pub use guardian::SizeLabeler;
