//! Istanbul / nyc / Jest / Vitest `json-summary` (`coverage-summary.json`): `total.lines`.

use serde::Deserialize;

use super::{CoverageError, CoverageFormat, CoverageSummary};

#[derive(Deserialize)]
struct Summary {
    total: Total,
}

#[derive(Deserialize)]
struct Total {
    lines: Metric,
}

#[derive(Deserialize)]
struct Metric {
    total: u64,
    covered: u64,
}

pub(super) fn parse(text: &str) -> Result<CoverageSummary, CoverageError> {
    let summary: Summary = serde_json::from_str(text).map_err(|error| {
        CoverageError::Istanbul(format!(
            "{error} (expected `total.lines.total` and `total.lines.covered`)"
        ))
    })?;
    let Metric { total, covered } = summary.total.lines;
    Ok(CoverageSummary {
        format: CoverageFormat::IstanbulSummary,
        lines: Some((covered.min(total), total)),
        rate: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn total_lines_are_read() {
        let summary = parse(
            r#"{"total":{"lines":{"total":200,"covered":150,"skipped":0,"pct":75},"statements":{"total":1,"covered":1,"skipped":0,"pct":100}},"/src/a.ts":{"lines":{"total":1,"covered":1,"skipped":0,"pct":100}}}"#,
        )
        .expect("valid");
        assert_eq!(summary.lines, Some((150, 200)));
    }

    #[test]
    fn a_json_without_totals_is_an_error() {
        let error = parse(r#"{"files": []}"#).expect_err("no totals");
        assert!(error.to_string().contains("total.lines"), "{error}");
    }
}
