//! `size-labeler`: labels a pull request XS / S / M / L / XL by lines changed, ignoring
//! lockfiles, generated files and paths the maintainer chooses.
//!
//! Facts are gathered (`gather`, `git_mode`), a pure [`plan::plan`] decides, and
//! [`apply::apply`] performs the fewest writes that reach the plan.

pub mod apply;
pub mod cli;
pub mod comment;
pub mod facts;
pub mod gather;
pub mod git_mode;
pub mod gitattributes;
pub mod ignore;
pub mod plan;
pub mod report;
mod run;
pub mod settings;

pub use run::{TRIGGER_ACTIONS, run};
