//! Coverage reports: lcov, Cobertura XML and Istanbul json-summary, reduced to line coverage.

mod cobertura;
mod istanbul;
mod lcov;

use crate::rules::coverage::format_percent;

/// Which format a report was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoverageFormat {
    Lcov,
    Cobertura,
    IstanbulSummary,
}

/// Line coverage of a whole report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoverageSummary {
    pub format: CoverageFormat,
    /// Covered and total lines, when the report gives them.
    pub lines: Option<(u64, u64)>,
    /// The report's own rate in percent, used when it gives no line counts.
    pub rate: Option<f64>,
}

impl CoverageSummary {
    /// Line coverage in percent. A report with no lines at all is 100% covered: nothing is
    /// uncovered.
    pub fn percent(&self) -> f64 {
        match (self.lines, self.rate) {
            (Some((_, 0)), _) => 100.0,
            (Some((covered, total)), _) => covered as f64 * 100.0 / total as f64,
            (None, Some(rate)) => rate,
            (None, None) => 100.0,
        }
    }

    /// `72.4% (724 of 1000 lines)`.
    pub fn describe(&self) -> String {
        let percent = format_percent(self.percent());
        match self.lines {
            Some((covered, total)) => format!("{percent} ({covered} of {total} lines)"),
            None => percent,
        }
    }
}

/// Why a report could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CoverageError {
    #[error("it is empty")]
    Empty,
    #[error("it is not lcov, Cobertura XML or Istanbul json-summary")]
    UnknownFormat,
    #[error("invalid lcov: {0}")]
    Lcov(String),
    #[error("invalid Cobertura XML: {0}")]
    Cobertura(String),
    #[error("invalid Istanbul json-summary: {0}")]
    Istanbul(String),
}

/// Reads a report, telling the format by its first character: `<` for XML, `{` for JSON,
/// anything else for lcov.
pub fn parse_report(text: &str) -> Result<CoverageSummary, CoverageError> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    match trimmed.chars().next() {
        None => Err(CoverageError::Empty),
        Some('<') => cobertura::parse(trimmed),
        Some('{') => istanbul::parse(trimmed),
        Some(_) => lcov::parse(trimmed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_is_told_by_the_first_character() {
        assert_eq!(
            parse_report("TN:\nSF:a.rs\nLF:4\nLH:3\nend_of_record\n").map(|s| s.format),
            Ok(CoverageFormat::Lcov)
        );
        assert_eq!(
            parse_report(r#"{"total":{"lines":{"total":4,"covered":3,"pct":75}}}"#)
                .map(|s| s.format),
            Ok(CoverageFormat::IstanbulSummary)
        );
        assert_eq!(
            parse_report(r#"<?xml version="1.0"?><coverage line-rate="0.75"></coverage>"#)
                .map(|s| s.format),
            Ok(CoverageFormat::Cobertura)
        );
        assert_eq!(parse_report("  \n"), Err(CoverageError::Empty));
    }

    #[test]
    fn percent_and_description() {
        let summary = CoverageSummary {
            format: CoverageFormat::Lcov,
            lines: Some((724, 1000)),
            rate: None,
        };
        assert_eq!(summary.describe(), "72.4% (724 of 1000 lines)");
        let empty = CoverageSummary {
            lines: Some((0, 0)),
            ..summary
        };
        assert_eq!(empty.percent(), 100.0);
    }
}
