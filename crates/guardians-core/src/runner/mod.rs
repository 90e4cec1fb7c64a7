//! What every guardian's binary does around its own `plan` and `apply`: read flags and the run's
//! context, find the token, open the client, and turn a read-only token's refusal into a summary.

mod args;
mod readonly;
mod session;

pub use args::CommonArgs;
pub use readonly::{ReadOnlyOutcome, degrade_read_only};
pub use session::{RunError, Session};
