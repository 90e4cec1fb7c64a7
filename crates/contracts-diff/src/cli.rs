//! The command line, and its two local modes that need no run context:
//! `contracts-diff OLD NEW` and `contracts-diff --git BASE...HEAD`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::{Parser, ValueEnum};
use guardians_core::contract_paths::Detector;
use guardians_core::runner::CommonArgs;

use crate::config::{self, ContractsDiffConfig, FailOn};
use crate::detect::{ContractKind, kind_of};
use crate::limits::Limits;
use crate::plan::{self, ContractFile, Facts, FileStatus, UnreadableFile, Version};

/// Semantic diff of API contracts (OpenAPI 3.0/3.1, JSON Schema; text diff for others).
///
/// In GitHub Actions (no OLD NEW, no --git) it reads the pull request of the event and
/// comments on it. From a terminal:
///   contracts-diff OLD NEW                         (two files)
///   contracts-diff --git BASE...HEAD               (a local checkout, no API)
///   contracts-diff --event payload.json --repo OWNER/NAME --dry-run   (GITHUB_TOKEN for reads)
///
/// Exit codes: 0 passed or nothing to do; 1 the check failed (`--fail-on` met, or in Actions
/// the approval missing); 2 bad input or configuration; 3 GitHub or the network failed after
/// retries.
#[derive(Debug, Parser)]
#[command(name = "contracts-diff", version, about, verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub common: CommonArgs,
    /// The old version of a contract file (with NEW).
    #[arg(value_name = "OLD", requires = "new")]
    pub old: Option<PathBuf>,
    /// The new version of a contract file.
    #[arg(value_name = "NEW")]
    pub new: Option<PathBuf>,
    /// Compare the contract files changed in a range of a local checkout: `BASE...HEAD` (from
    /// their merge base, as a pull request shows it) or `BASE..HEAD` (BASE itself). The old
    /// form `--git BASE HEAD` still works, with a deprecation warning.
    #[arg(long, num_args = 1..=2, value_name = "BASE...HEAD", conflicts_with_all = ["old", "new"])]
    pub git: Option<Vec<String>>,
    /// The git checkout to read with `--git`.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub repo_dir: PathBuf,
    /// Output format of OLD NEW and --git (`--json` is the same as `--format json`).
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    pub format: Format,
    /// Exit 1 when a change of at least this severity is found [default: the config's
    /// `fail-on` with `--config`, otherwise none].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOnArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
    Breaking,
    PotentiallyBreaking,
    Any,
    None,
}

impl From<FailOnArg> for FailOn {
    fn from(value: FailOnArg) -> Self {
        match value {
            FailOnArg::Breaking => FailOn::Breaking,
            FailOnArg::PotentiallyBreaking => FailOn::PotentiallyBreaking,
            FailOnArg::Any => FailOn::Any,
            FailOnArg::None => FailOn::None,
        }
    }
}

impl Args {
    /// Whether files or commits were named: the offline modes, which never call the API.
    pub fn is_offline(&self) -> bool {
        self.git.is_some() || self.old.is_some()
    }
}

/// What to print and how to exit.
#[derive(Debug)]
pub(crate) struct Outcome {
    pub output: String,
    pub fail: bool,
}

/// An input problem, rendered for people (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct InputError(pub String);

/// The revisions a `--git` range compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GitRange {
    pub base: String,
    pub head: String,
    /// `BASE...HEAD`: compare from the merge base of the two.
    pub from_merge_base: bool,
    /// Given as the old two-argument form.
    pub deprecated_form: bool,
}

/// Reads `--git`'s values: `BASE...HEAD`, `BASE..HEAD`, or the deprecated `BASE HEAD`.
pub(crate) fn git_range(values: &[String]) -> Result<GitRange, InputError> {
    let bad = |got: &str| {
        InputError(format!(
            "--git takes a range, BASE...HEAD (e.g. `--git origin/main...HEAD`) or BASE..HEAD; got `{}`",
            got.chars().take(80).collect::<String>()
        ))
    };
    let valid = |rev: &str| !rev.is_empty() && !rev.starts_with('-') && !rev.contains("..");
    match values {
        [range] => {
            let (base, head, from_merge_base) = match range.split_once("...") {
                Some((base, head)) => (base, head, true),
                None => {
                    let (base, head) = range.split_once("..").ok_or_else(|| bad(range))?;
                    (base, head, false)
                }
            };
            if !valid(base) || !valid(head) {
                return Err(bad(range));
            }
            Ok(GitRange {
                base: base.to_owned(),
                head: head.to_owned(),
                from_merge_base,
                deprecated_form: false,
            })
        }
        [base, head] if valid(base) && valid(head) => Ok(GitRange {
            base: base.clone(),
            head: head.clone(),
            from_merge_base: false,
            deprecated_form: true,
        }),
        _ => Err(bad(&values.join(" "))),
    }
}

/// Runs a local mode (two files, or `--git`): what to print and whether the check failed.
pub(crate) fn run(args: &Args) -> Result<Outcome, InputError> {
    let mut config = match &args.common.config {
        Some(path) => config::load_file(path).map_err(|e| InputError(e.to_string()))?,
        None => ContractsDiffConfig {
            fail_on: FailOn::None,
            ..ContractsDiffConfig::default()
        },
    };
    if let Some(fail_on) = args.fail_on {
        config.fail_on = fail_on.into();
    }
    let limits = Limits::from_config(&config);
    let facts = match (&args.git, &args.old, &args.new) {
        (Some(values), _, _) => {
            let range = git_range(values)?;
            let detector = Detector::new(&config).map_err(|e| InputError(e.to_string()))?;
            crate::git::gather(&args.repo_dir, &range, &detector, &limits)
                .map_err(|e| InputError(e.to_string()))?
        }
        (None, Some(old), Some(new)) => files_facts(old, new, &limits)?,
        _ => {
            return Err(InputError(
                "give OLD and NEW files, or --git BASE...HEAD".to_owned(),
            ));
        }
    };
    let plan = plan::plan(&facts, &config, &limits);
    // A file pair that cannot be compared is an input error, not a finding.
    if args.git.is_none()
        && let Some(note) = plan.files.iter().find_map(|f| {
            f.changes
                .iter()
                .find(|c| c.rule == crate::Rule::ContractUnreadable)
                .map(|c| f.note.clone().unwrap_or_else(|| c.message.clone()))
        })
    {
        return Err(InputError(note));
    }
    // `--json` as in every guardian; `--format json` is the same, kept for existing scripts.
    let output = if args.common.json || args.format == Format::Json {
        serde_json::to_string_pretty(&plan.to_json())
            .map_err(|e| InputError(format!("could not render the plan as JSON: {e}")))?
    } else {
        crate::report::markdown(&plan)
    };
    Ok(Outcome {
        output,
        fail: plan.fail,
    })
}

/// A side of the pair too large to read: why, naming the size, the limit and the setting.
fn over_limit(path: &Path, limits: &Limits) -> Option<String> {
    let size = std::fs::metadata(path).ok()?.len();
    limits.too_large(size).then(|| {
        crate::limits::too_large_message(&path.display().to_string(), size, limits.max_bytes)
    })
}

/// Reads a file and the files its relative `$ref`s reach, from disk next to it.
fn read_version(path: &Path, limits: &Limits) -> Result<Version, InputError> {
    let content = std::fs::read(path)
        .map_err(|e| InputError(format!("cannot read {}: {e}", path.display())))?;
    let mut related = BTreeMap::new();
    if crate::git::has_file_ref(&content) {
        let dir = path.parent().unwrap_or(Path::new("."));
        let name = file_name(path);
        let mut fetch = |p: &str| {
            let bytes = std::fs::read(dir.join(p)).ok()?;
            related.insert(p.to_owned(), bytes.clone());
            Some(bytes)
        };
        let _ = crate::resolve::Spec::load(&name, &content, &mut fetch, limits);
    }
    Ok(Version { content, related })
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// What a file is taken for, by its name, in words.
fn kind_in_words(kind: ContractKind) -> &'static str {
    match kind {
        ContractKind::Structured => "a YAML/JSON contract (OpenAPI or JSON Schema)",
        ContractKind::Graphql => "a GraphQL schema",
        ContractKind::Proto => "a protobuf file",
        ContractKind::Text => "compared as text",
    }
}

/// Two files of different kinds are not two versions of one contract: comparing an OpenAPI
/// document with, say, a text file would only report everything removed.
fn same_kind(old: &Path, new: &Path) -> Result<(), InputError> {
    let (old_name, new_name) = (file_name(old), file_name(new));
    let (old_kind, new_kind) = (kind_of(&old_name), kind_of(&new_name));
    if old_kind == new_kind {
        return Ok(());
    }
    let (other, other_kind, contract) = match (old_kind, new_kind) {
        (ContractKind::Structured, _) => (&new_name, new_kind, &old_name),
        (_, ContractKind::Structured) => (&old_name, old_kind, &new_name),
        _ => {
            return Err(InputError(format!(
                "`{old_name}` is {} and `{new_name}` is {}, so they are not two versions of one contract; give two versions of the same contract",
                kind_in_words(old_kind),
                kind_in_words(new_kind)
            )));
        }
    };
    Err(InputError(format!(
        "`{other}` is not an OpenAPI document (by its name it is {}), while `{contract}` is {}; comparing them would report everything removed, so give two versions of the same contract",
        kind_in_words(other_kind),
        kind_in_words(ContractKind::Structured)
    )))
}

fn files_facts(old: &Path, new: &Path, limits: &Limits) -> Result<Facts, InputError> {
    same_kind(old, new)?;
    // Sizes first: an oversized contract is refused before it is read.
    let too_large: Vec<String> = [old, new]
        .iter()
        .filter_map(|p| over_limit(p, limits))
        .collect();
    if !too_large.is_empty() {
        return Ok(Facts {
            unreadable: vec![UnreadableFile {
                path: file_name(new),
                status: FileStatus::Modified,
                reason: too_large.join("; "),
                version: String::new(),
            }],
            ..Facts::default()
        });
    }
    // Both sides are read in parallel: large specs spend most of their time parsing.
    let (base, head) = std::thread::scope(|s| {
        let b = s.spawn(|| read_version(old, limits));
        let h = read_version(new, limits);
        (
            b.join()
                .unwrap_or_else(|_| Err(InputError("reading OLD failed".to_owned()))),
            h,
        )
    });
    let (base, head) = (base?, head?);
    // Two files given side by side are two versions of one contract, not a rename: the pair
    // is reported under NEW's name.
    Ok(Facts {
        contracts: vec![ContractFile {
            path: file_name(new),
            status: FileStatus::Modified,
            base: Some(base),
            head: Some(head),
        }],
        ..Facts::default()
    })
}
