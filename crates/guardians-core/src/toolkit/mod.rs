//! Parity with `@actions/core`: inputs, outputs, the step summary, annotations, masking,
//! groups and log lines, written as the Actions runner expects them.
//!
//! Two rules shape this module:
//!
//! - **Untrusted text never reaches stdout raw in Actions.** The runner treats any log line
//!   that starts with `::` as a workflow command, so a pull request title such as
//!   `::add-mask::x` or `%0A::error::pwned` could otherwise act on the run. Annotation and
//!   debug text is escaped ([`escape_data`], [`escape_property`]); longer untrusted text goes
//!   through [`Toolkit::untrusted`], which wraps it in `::stop-commands::<random token>`.
//!   Outputs use a heredoc with a random delimiter for the same reason.
//! - **Outside Actions everything still works** (`GITHUB_ACTIONS` is not `true`): the same
//!   calls print readable lines (`warning: file:3: message`, `name=value`) instead of commands,
//!   and the step summary is skipped because the command-line tools print their own report.
//!   Notices, warnings and errors go to stderr there, so that a report or `--json` plan on
//!   stdout can be piped on (`| jq`) and a failure is still seen once on the terminal.

mod annotation;
mod error;
mod escape;
mod inputs;
mod output;
mod output_file;
mod random_token;
mod shared_buffer;
mod summary;

use std::fmt;
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

pub use annotation::AnnotationProps;
pub use error::ToolkitError;
pub use escape::{escape_data, escape_property};
pub use inputs::{InputError, input_variable};
pub use output_file::read_output_file;
pub use shared_buffer::SharedBuffer;
pub use summary::MAX_SUMMARY_BYTES;

use crate::context::{EnvSource, ProcessEnv};
use annotation::{Level, annotation_command, annotation_plain};
use random_token::random_token;

/// The runner's side of a step: reads inputs from the environment and writes commands to the
/// log (stdout) and the runner's files.
pub struct Toolkit {
    env: Arc<dyn EnvSource>,
    out: Mutex<Box<dyn Write + Send>>,
    /// Where annotations go outside Actions; `None` writes them to `out` (tests that read one
    /// stream). In Actions they are workflow commands and must be on stdout.
    diagnostics: Option<Mutex<Box<dyn Write + Send>>>,
}

impl fmt::Debug for Toolkit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Toolkit")
            .field("in_actions", &self.in_actions())
            .finish_non_exhaustive()
    }
}

impl Toolkit {
    /// The process environment and stdout: what a guardian's `main` uses.
    pub fn from_process() -> Toolkit {
        Toolkit::new(Arc::new(ProcessEnv), Box::new(std::io::stdout()))
            .with_diagnostics(Box::new(std::io::stderr()))
    }

    /// Any environment and writer, for tests; annotations go to the same writer.
    pub fn new(env: Arc<dyn EnvSource>, out: Box<dyn Write + Send>) -> Toolkit {
        Toolkit {
            env,
            out: Mutex::new(out),
            diagnostics: None,
        }
    }

    /// Sends annotations to `diagnostics` when outside Actions (the process uses stderr).
    pub fn with_diagnostics(mut self, diagnostics: Box<dyn Write + Send>) -> Toolkit {
        self.diagnostics = Some(Mutex::new(diagnostics));
        self
    }

    /// Whether the runner reads this process's stdout (`GITHUB_ACTIONS == "true"`).
    pub fn in_actions(&self) -> bool {
        self.env.var("GITHUB_ACTIONS").as_deref() == Some("true")
    }

    /// The input `name` (from `INPUT_<NAME>`), trimmed; `None` when unset or blank.
    pub fn input(&self, name: &str) -> Option<String> {
        inputs::input(self.env.as_ref(), name)
    }

    /// A boolean input: only `true|True|TRUE|false|False|FALSE`; `None` when unset or blank.
    pub fn input_bool(&self, name: &str) -> Result<Option<bool>, InputError> {
        inputs::input_bool(self.env.as_ref(), name)
    }

    /// A pull request number input (`42` or `#42`); `None` when unset or blank.
    pub fn input_pr_number(&self, name: &str) -> Result<Option<u64>, InputError> {
        inputs::input_pr_number(self.env.as_ref(), name)
    }

    /// An input that must be set.
    pub fn input_required(&self, name: &str) -> Result<String, InputError> {
        inputs::input_required(self.env.as_ref(), name)
    }

    /// Sets the step output `name`: appended to `$GITHUB_OUTPUT` as a heredoc with a random
    /// delimiter; outside Actions printed as a `name=value` line.
    pub fn set_output(&self, name: &str, value: &str) -> Result<(), ToolkitError> {
        let entry = output::output_entry(name, value)?;
        match self.file_command("GITHUB_OUTPUT") {
            Some(path) => output::append_to("GITHUB_OUTPUT", &path, &entry),
            None if self.in_actions() => Err(ToolkitError::NoOutputFile),
            None => {
                self.write_line(&output::output_plain(name, value));
                Ok(())
            }
        }
    }

    /// Whether outputs go to a `$GITHUB_OUTPUT` file (rather than to stdout).
    pub fn has_output_file(&self) -> bool {
        self.file_command("GITHUB_OUTPUT").is_some()
    }

    /// Appends Markdown to the step summary (`$GITHUB_STEP_SUMMARY`), keeping the file under
    /// [`MAX_SUMMARY_BYTES`] (what does not fit is cut with a visible note). Without a summary
    /// file (outside Actions) it does nothing.
    pub fn append_summary(&self, markdown: &str) -> Result<(), ToolkitError> {
        let Some(path) = self.file_command("GITHUB_STEP_SUMMARY") else {
            return Ok(());
        };
        let current_len = match std::fs::metadata(&path) {
            Ok(metadata) => metadata.len(),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => 0,
            Err(source) => {
                return Err(ToolkitError::FileCommand {
                    variable: "GITHUB_STEP_SUMMARY",
                    path,
                    source,
                });
            }
        };
        match summary::fit_summary(current_len, markdown) {
            Some(text) => output::append_to("GITHUB_STEP_SUMMARY", &path, &text),
            None => Ok(()),
        }
    }

    /// A notice annotation.
    pub fn notice(&self, message: &str, props: &AnnotationProps) {
        self.annotate(Level::Notice, message, props);
    }

    /// A warning annotation.
    pub fn warning(&self, message: &str, props: &AnnotationProps) {
        self.annotate(Level::Warning, message, props);
    }

    /// An error annotation (it does not fail the step by itself: the exit code does).
    pub fn error(&self, message: &str, props: &AnnotationProps) {
        self.annotate(Level::Error, message, props);
    }

    /// A log line of the guardian's own words. Never pass text from a pull request here: use
    /// [`Toolkit::untrusted`].
    pub fn info(&self, line: &str) {
        self.write_line(line);
    }

    /// Prints text that may contain workflow commands (PR titles, bodies, file names, rendered
    /// reports) so that the runner executes none of them: in Actions it is wrapped in
    /// `::stop-commands::<token>` ... `::<token>::` with a fresh random token, which the text
    /// cannot know and so cannot end early. Outside Actions it is printed as is.
    pub fn untrusted(&self, text: &str) {
        if text.is_empty() {
            return;
        }
        let body = text.strip_suffix('\n').unwrap_or(text);
        if !self.in_actions() {
            self.write_line(body);
            return;
        }
        let mut token = random_token();
        while text.contains(&token) {
            token = random_token();
        }
        self.write_line(&format!("::stop-commands::{token}\n{body}\n::{token}::"));
    }

    /// A debug line: shown by the runner only when step debug logging is on; outside Actions
    /// printed only when `RUNNER_DEBUG=1`.
    pub fn debug(&self, message: &str) {
        if self.in_actions() {
            self.write_line(&format!("::debug::{}", escape_data(message)));
        } else if self.env.var("RUNNER_DEBUG").as_deref() == Some("1") {
            self.write_line(&format!("debug: {message}"));
        }
    }

    /// Asks the runner to mask `secret` in the log, line by line (the log is matched per
    /// line, so a multi-line secret must be registered one line at a time). Blank lines are
    /// skipped: masking whitespace would blank the whole log. Outside Actions nothing masks,
    /// so this does nothing.
    pub fn mask(&self, secret: &str) {
        if !self.in_actions() {
            return;
        }
        for line in secret.lines() {
            if !line.trim().is_empty() {
                self.write_line(&format!("::add-mask::{}", escape_data(line)));
            }
        }
    }

    /// Starts a collapsible log group, ended when the guard is dropped.
    pub fn group(&self, title: &str) -> GroupGuard<'_> {
        if self.in_actions() {
            self.write_line(&format!("::group::{}", escape_data(title)));
        } else {
            self.write_line(&format!("== {title} =="));
        }
        GroupGuard { toolkit: self }
    }

    fn annotate(&self, level: Level, message: &str, props: &AnnotationProps) {
        if self.in_actions() {
            self.write_line(&annotation_command(level, message, props));
            return;
        }
        let line = annotation_plain(level, message, props);
        match &self.diagnostics {
            Some(diagnostics) => write_line_to(diagnostics, &line),
            None => self.write_line(&line),
        }
    }

    fn file_command(&self, variable: &str) -> Option<PathBuf> {
        self.env
            .var(variable)
            .filter(|path| !path.trim().is_empty())
            .map(PathBuf::from)
    }

    /// Writes one line (or block) and flushes, so command order matches call order. A closed
    /// stdout leaves nowhere to report to, so write errors are dropped.
    fn write_line(&self, text: &str) {
        write_line_to(&self.out, text);
    }
}

/// Writes one line and flushes; write errors are dropped (see [`Toolkit::write_line`]).
fn write_line_to(writer: &Mutex<Box<dyn Write + Send>>, text: &str) {
    let mut out = writer.lock().unwrap_or_else(PoisonError::into_inner);
    let _ = out
        .write_all(text.as_bytes())
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
}

/// Ends its log group when dropped.
#[must_use = "the group ends when this guard is dropped"]
pub struct GroupGuard<'a> {
    toolkit: &'a Toolkit,
}

impl Drop for GroupGuard<'_> {
    fn drop(&mut self) {
        if self.toolkit.in_actions() {
            self.toolkit.write_line("::endgroup::");
        }
    }
}
