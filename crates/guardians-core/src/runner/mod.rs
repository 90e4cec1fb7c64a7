//! What every guardian's binary does around its own `plan` and `apply`: read flags and the run's
//! context, find the token, open the client, turn a read-only token's refusal into a summary,
//! and end with the exit code all guardians share.

mod args;
mod exit;
mod guardian;
mod main_loop;
mod readonly;
mod session;
mod sticky;
mod target;

pub use args::CommonArgs;
pub use exit::{Exit, api_exit};
pub use guardian::{Guardian, Plan, Selection};
pub use main_loop::{main, run};
pub use readonly::{ReadOnlyOutcome, degrade_read_only};
pub use session::{RunError, Session};
pub use target::{
    Lookup, RunHead, Target, Triggers, decide, requested_pr_number, resolve, select_pull_request,
};
