//! The run loop shared by every guardian binary.

use std::process::ExitCode;

use crate::toolkit::{AnnotationProps, Toolkit};

use super::guardian::{Guardian, Plan, Selection};
use super::{Exit, ReadOnlyOutcome, RunError, Session, degrade_read_only};

/// The whole of a guardian's `main`: parse flags, run, print any error once, exit with the
/// shared code.
pub fn main<G: Guardian>() -> ExitCode {
    let cli = <G::Cli as clap::Parser>::parse();
    let exit = match run::<G>(cli, Toolkit::from_process()) {
        Ok(exit) => exit,
        Err(err) => {
            report_error::<G>(&Toolkit::from_process(), &err);
            err.exit()
        }
    };
    exit.into()
}

/// One run, for tests and for `main`.
pub fn run<G: Guardian>(cli: G::Cli, toolkit: Toolkit) -> Result<Exit, RunError> {
    if let Some(local) = G::local(&cli, &toolkit) {
        return local;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| RunError::Other(format!("could not start the async runtime: {e}")))?;
    runtime.block_on(run_async::<G>(cli, toolkit))
}

async fn run_async<G: Guardian>(cli: G::Cli, toolkit: Toolkit) -> Result<Exit, RunError> {
    let session = Session::open(G::common(&cli).clone(), toolkit)?;
    let toolkit = &session.toolkit;
    // Read now, so a bad value is an error before anything happens, not only once a write is
    // refused.
    let fail_on_readonly = session.flag("fail-on-readonly", false)?;
    let subject = match G::select(&session, &cli).await? {
        Selection::Subject(subject) => subject,
        Selection::NothingToDo(why) => {
            toolkit.notice(&format!("{}: {why}", G::NAME), &AnnotationProps::default());
            return Ok(Exit::Passed);
        }
    };
    let facts = G::gather(&session, &cli, subject).await?;
    let plan = G::plan(&facts)?;
    let verdict = Exit::verdict(plan.failed());
    // On a terminal, `--json` keeps stdout one JSON document: the outputs are not printed as
    // `name=value` lines there (in Actions they go to $GITHUB_OUTPUT as always).
    let outputs_to_stdout = !toolkit.in_actions() && !toolkit.has_output_file();
    if !(session.args.json && outputs_to_stdout) {
        for (name, value) in plan.outputs() {
            toolkit.set_output(name, &value).map_err(|e| {
                RunError::Other(format!("could not write the output `{name}`: {e}"))
            })?;
        }
    }
    plan.annotate(toolkit);
    let markdown = plan.markdown();
    if session.dry_run {
        print_plan(toolkit, &plan, &markdown, session.args.json)?;
        append_summary(toolkit, &markdown)?;
        return Ok(verdict);
    }
    // `--json` is never ignored: on a real run the plan is printed before it is acted on.
    if session.args.json {
        print_plan(toolkit, &plan, &markdown, true)?;
    }
    let exit = match G::apply(&session, &facts, &plan).await {
        Ok(()) => {
            append_summary(toolkit, &markdown)?;
            verdict
        }
        Err(RunError::Api(err)) => {
            match degrade_read_only(toolkit, err, &markdown, fail_on_readonly)? {
                ReadOnlyOutcome::Degraded => verdict,
                ReadOnlyOutcome::Failed => Exit::CheckFailed.max_with(verdict),
            }
        }
        Err(err) => return Err(err),
    };
    if let Some(gh) = session.github_if_available() {
        let stats = gh.stats();
        toolkit.info(&format!(
            "{}: {} API requests, {} retries, {:.1}s waited",
            G::NAME,
            stats.requests,
            stats.retries,
            stats.waited.as_secs_f64()
        ));
    }
    Ok(exit)
}

impl Exit {
    /// The more severe of two verdicts (a failed check stays failed).
    fn max_with(self, other: Exit) -> Exit {
        if other.code() > self.code() {
            other
        } else {
            self
        }
    }
}

/// `--dry-run` prints the plan: Markdown for people, `--json` for machines (which also prints
/// it on a real run). Plans carry untrusted text (titles, file names), so they go through
/// `untrusted`.
fn print_plan<P: Plan>(
    toolkit: &Toolkit,
    plan: &P,
    markdown: &str,
    json: bool,
) -> Result<(), RunError> {
    if json {
        let text = serde_json::to_string_pretty(plan)
            .map_err(|e| RunError::Other(format!("could not render the plan as JSON: {e}")))?;
        toolkit.untrusted(&text);
    } else {
        toolkit.untrusted(markdown);
    }
    Ok(())
}

fn append_summary(toolkit: &Toolkit, markdown: &str) -> Result<(), RunError> {
    toolkit
        .append_summary(markdown)
        .map_err(|e| RunError::Other(format!("could not write the step summary: {e}")))
}

/// Each error is printed once: as an error annotation in Actions (which the log also shows),
/// as `NAME: error: …` on a terminal.
fn report_error<G: Guardian>(toolkit: &Toolkit, err: &RunError) {
    toolkit.error(&format!("{}: {err}", G::NAME), &AnnotationProps::default());
}
