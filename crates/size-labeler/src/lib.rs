//! `size-labeler`: labels a pull request XS / S / M / L / XL by lines changed, ignoring
//! lockfiles, generated files and paths the maintainer chooses.
//!
//! Facts are gathered (`gather`, `git_mode`), a pure [`plan::plan`] decides, and
//! [`apply::apply`] performs the fewest writes that reach the plan; [`guardian::SizeLabeler`]
//! puts them into the runner every guardian shares.

pub mod apply;
pub mod cli;
pub mod comment;
pub mod facts;
pub mod gather;
pub mod git_mode;
pub mod guardian;
mod inputs;
mod local;
pub mod plan;
pub mod report;
pub mod settings;

pub use guardian::TRIGGER_ACTIONS;
