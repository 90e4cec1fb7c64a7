//! `pr-critic` from a terminal: check a description file against a template before pushing
//! (the runner's `local` mode, see [`crate::guardian`]).
//!
//! ```text
//! git diff --name-only origin/main... | pr-critic --body description.md --changed-files -
//! ```

use std::io::{self, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::args::{Args, Mode};
use crate::config::{PrCriticConfig, PrCriticMode, load_file};
use crate::facts::{CoverageInput, Facts, SourceFile};
use crate::plan::{Plan, plan};
use crate::policy::Policy;
use crate::template::{documented_file, pick_path};

/// Larger input files are refused rather than read into memory.
const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// Gathers the facts from files and plans. Every failure here is a usage or input error.
pub(crate) fn run(args: &Args) -> Result<Plan> {
    let Some(body) = args.body.as_deref() else {
        bail!("--body is required for the local check");
    };
    if body == "-" && args.changed_files.as_deref() == Some("-") {
        bail!("only one of --body and --changed-files can read standard input");
    }
    let mut config = load_config(args.common.config.as_deref())?;
    if let Some(mode) = args.mode {
        config.mode = match mode {
            Mode::Enforce => PrCriticMode::Enforce,
            Mode::Warn => PrCriticMode::Warn,
        };
    }
    let policy = Policy::compile(&config).context("the configuration is invalid")?;
    let facts = Facts {
        body: Some(read_input(body).context("cannot read --body")?),
        template: read_template(args.template.as_deref(), &policy)?,
        changed_files: match &args.changed_files {
            Some(source) => {
                parse_changed_files(&read_input(source).context("cannot read --changed-files")?)
            }
            None => Vec::new(),
        },
        changed_files_unknown: args.changed_files.is_none(),
        labels: args
            .labels
            .iter()
            .map(|label| label.trim().to_owned())
            .filter(|label| !label.is_empty())
            .collect(),
        commit_messages: match &args.commits {
            Some(path) => split_commits(
                &read_input(&path.to_string_lossy()).context("cannot read --commits")?,
            ),
            None => Vec::new(),
        },
        coverage: read_coverage(args.coverage.as_deref(), &policy),
    };
    Ok(plan(&facts, &policy))
}

fn load_config(path: Option<&Path>) -> Result<PrCriticConfig> {
    let default_path = Path::new(".github/guardians.yml");
    match path {
        Some(path) => Ok(load_file(path)?),
        None if default_path.is_file() => Ok(load_file(default_path)?),
        None => Ok(PrCriticConfig::default()),
    }
}

/// Reads a file, or standard input for `-`. Invalid UTF-8 is replaced, not refused.
pub(crate) fn read_input(source: &str) -> Result<String> {
    let mut bytes = Vec::new();
    if source == "-" {
        io::stdin()
            .lock()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
    } else {
        std::fs::File::open(source)
            .with_context(|| format!("cannot open {source}"))?
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut bytes)
            .with_context(|| format!("cannot read {source}"))?;
    }
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        bail!(
            "{source} is larger than {} MiB",
            MAX_INPUT_BYTES / 1024 / 1024
        );
    }
    Ok(String::from_utf8(bytes)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned()))
}

fn read_template(explicit: Option<&Path>, policy: &Policy) -> Result<Option<SourceFile>> {
    let path = match explicit {
        Some(path) => path.to_path_buf(),
        None => match find_local_template(&policy.template_paths) {
            Some(path) => path,
            None => return Ok(None),
        },
    };
    let display = path.to_string_lossy().into_owned();
    let text = read_input(&display).context("cannot read the template")?;
    Ok(Some(SourceFile {
        path: display,
        text,
    }))
}

/// The first configured template path present under the current directory, compared
/// case-insensitively as GitHub does.
pub(crate) fn find_local_template(candidates: &[String]) -> Option<PathBuf> {
    let mut existing = Vec::new();
    for directory in ["", ".github", "docs"] {
        let Ok(entries) = std::fs::read_dir(if directory.is_empty() { "." } else { directory })
        else {
            continue;
        };
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|kind| kind.is_file()) {
                let name = entry.file_name().to_string_lossy().into_owned();
                existing.push(if directory.is_empty() {
                    name
                } else {
                    format!("{directory}/{name}")
                });
            }
        }
    }
    // GitHub also accepts `pull_request_template` with any extension or none.
    pick_path(candidates, &existing)
        .or_else(|| documented_file(&existing))
        .map(PathBuf::from)
}

pub(crate) fn read_coverage(explicit: Option<&Path>, policy: &Policy) -> Option<CoverageInput> {
    let path = explicit
        .map(|path| path.to_string_lossy().into_owned())
        .or_else(|| policy.coverage.report.clone())?;
    let contents = read_input(&path).map_err(|error| format!("{error:#}"));
    Some(CoverageInput { path, contents })
}

/// One path per line; blank lines and CR line endings ignored.
pub(crate) fn parse_changed_files(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| line.trim_end_matches('\r'))
        .filter(|line| !line.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

/// Messages separated by NUL characters, or the whole text as one.
pub(crate) fn split_commits(text: &str) -> Vec<String> {
    text.split('\0')
        .filter(|message| !message.trim().is_empty())
        .map(str::to_owned)
        .collect()
}
