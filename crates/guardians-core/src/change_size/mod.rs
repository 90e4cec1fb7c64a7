//! A pull request's size as size-labeler measures it: which changed files are not counted
//! (lockfiles, files `.gitattributes` marks generated, the `ignore` globs), the lines of the
//! rest, and the bucket they fall in. Shared so that size-labeler's label and the size
//! telemetry-emitter sends are the same number, computed once.

mod generated_files;
mod ignore_rules;
mod listing;
mod measure;
mod size_settings;

pub use generated_files::GeneratedFiles;
pub use ignore_rules::{IgnoreReason, IgnoreRules, InvalidGlob};
pub use listing::{FileListing, Totals};
pub use measure::{Basis, IgnoredFile, Measurement, measure};
pub use size_settings::{SettingsError, SizeOverrides, SizeSettings};
