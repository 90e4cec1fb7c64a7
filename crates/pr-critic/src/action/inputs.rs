//! The action's inputs beyond the common ones (`pr-number`, `dry-run` and `fail-on-readonly`
//! are the runner's), read once and checked with messages that name the
//! input and the fix.

use guardians_core::runner::Session;

use crate::args::{Args, Mode};
use crate::config::PrCriticMode;

/// Inputs (and the flags that override them).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Inputs {
    /// `--mode`, else the input `mode`; `None` keeps the configuration's.
    pub mode: Option<PrCriticMode>,
    /// `--coverage`, else the input `coverage-file`: a report in the workspace.
    pub coverage_file: Option<String>,
}

pub(crate) fn read(session: &Session, args: &Args) -> anyhow::Result<Inputs> {
    let toolkit = &session.toolkit;
    let mode = match args.mode {
        Some(mode) => Some(mode.into()),
        None => parse_mode(toolkit.input("mode").as_deref())?,
    };
    let coverage_file = args
        .coverage
        .as_ref()
        .map(|path| path.to_string_lossy().into_owned())
        .or_else(|| toolkit.input("coverage-file"));
    Ok(Inputs {
        mode,
        coverage_file,
    })
}

fn parse_mode(input: Option<&str>) -> anyhow::Result<Option<PrCriticMode>> {
    match input.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) if text.eq_ignore_ascii_case("enforce") => Ok(Some(PrCriticMode::Enforce)),
        Some(text) if text.eq_ignore_ascii_case("warn") => Ok(Some(PrCriticMode::Warn)),
        Some(_) => anyhow::bail!(
            "the input `mode` must be `enforce` or `warn` (or empty for the configuration's)"
        ),
    }
}

impl From<Mode> for PrCriticMode {
    fn from(mode: Mode) -> Self {
        match mode {
            Mode::Enforce => PrCriticMode::Enforce,
            Mode::Warn => PrCriticMode::Warn,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mode_input() {
        assert_eq!(parse_mode(None).unwrap(), None);
        assert_eq!(parse_mode(Some("")).unwrap(), None);
        assert_eq!(parse_mode(Some("warn")).unwrap(), Some(PrCriticMode::Warn));
        assert_eq!(
            parse_mode(Some(" Enforce ")).unwrap(),
            Some(PrCriticMode::Enforce)
        );
        let error = parse_mode(Some("strict")).unwrap_err().to_string();
        assert!(error.contains("`mode`"), "{error}");
    }
}
