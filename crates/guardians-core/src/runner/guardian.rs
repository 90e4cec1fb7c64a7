//! The one shape every guardian has: select the subject (or say why there is nothing to do),
//! gather facts, decide in a pure `plan`, act in `apply`. The runner ([`super::main`]) owns
//! everything around it — the runtime, `--dry-run`, outputs, the step summary, read-only
//! degradation, the API-stats line, error rendering and exit codes — so that a reader who
//! knows one guardian knows all of them.

use std::future::Future;

use crate::toolkit::Toolkit;

use super::{CommonArgs, Exit, RunError, Session};

/// What `select` found.
pub enum Selection<S> {
    /// The subject to work on (a pull request, a run, a batch).
    Subject(S),
    /// Nothing to do here, and why — said to the user as a notice; the run passes.
    NothingToDo(String),
}

/// What a plan tells the runner, whichever guardian made it.
pub trait Plan: serde::Serialize {
    /// Whether the guardian's check failed (exit 1) or passed (exit 0).
    fn failed(&self) -> bool;
    /// The plan for people: the step summary, and what `--dry-run` prints.
    fn markdown(&self) -> String;
    /// The step's outputs, in the order they are documented.
    fn outputs(&self) -> Vec<(&'static str, String)>;
    /// Annotations the plan puts on the run (say, an error on each file with a breaking
    /// change), written after the outputs on dry runs and real runs alike. None by default.
    fn annotate(&self, toolkit: &Toolkit) {
        let _ = toolkit;
    }
}

/// A guardian. `main.rs` is `guardians_core::runner::main::<TheGuardian>()`.
pub trait Guardian {
    /// The binary's name, for messages.
    const NAME: &'static str;
    /// Its command line; it flattens [`CommonArgs`].
    type Cli: clap::Parser;
    /// What `select` picks.
    type Subject;
    /// Everything `plan` needs, read from GitHub (or a local source) by `gather`.
    type Facts;
    /// The decision.
    type Plan: Plan;

    fn common(cli: &Self::Cli) -> &CommonArgs;

    /// A mode that needs no run context at all (two local files, a git range): the guardian
    /// does it whole and says how it ended. `None` for the ordinary Actions path.
    fn local(cli: &Self::Cli, toolkit: &Toolkit) -> Option<Result<Exit, RunError>> {
        let _ = (cli, toolkit);
        None
    }

    /// Pick the subject from the event and inputs, or say why there is nothing to do.
    fn select(
        session: &Session,
        cli: &Self::Cli,
    ) -> impl Future<Output = Result<Selection<Self::Subject>, RunError>>;

    /// Read what `plan` needs, with the fewest round trips.
    fn gather(
        session: &Session,
        cli: &Self::Cli,
        subject: Self::Subject,
    ) -> impl Future<Output = Result<Self::Facts, RunError>>;

    /// Decide everything: pure, no I/O.
    fn plan(facts: &Self::Facts) -> Result<Self::Plan, RunError>;

    /// Perform the fewest writes that reach the plan's state; nothing when it already holds.
    /// Never called on a dry run.
    fn apply(
        session: &Session,
        facts: &Self::Facts,
        plan: &Self::Plan,
    ) -> impl Future<Output = Result<(), RunError>>;
}
