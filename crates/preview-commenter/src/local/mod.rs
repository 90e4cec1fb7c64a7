//! Running from a terminal: facts from an event file and config from a local
//! `.github/guardians.yml`, for `--dry-run` until the GitHub-facing half lands.

pub mod config_file;
pub mod event_file;
