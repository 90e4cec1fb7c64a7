//! lcov tracefiles (`lcov.info`): `LF:` (lines found) and `LH:` (lines hit) per file record, or
//! `DA:line,hits` lines when a producer leaves the totals out.

use super::{CoverageError, CoverageFormat, CoverageSummary};

pub(super) fn parse(text: &str) -> Result<CoverageSummary, CoverageError> {
    let mut found: u64 = 0;
    let mut hit: u64 = 0;
    let mut records = 0usize;
    // Per record: totals if given, else counted from DA lines.
    let mut record = Record::default();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        let number = number + 1;
        if line == "end_of_record" {
            let (record_found, record_hit) = record.totals();
            found += record_found;
            hit += record_hit;
            records += 1;
            record = Record::default();
        } else if let Some(value) = line.strip_prefix("LF:") {
            record.lines_found = Some(parse_count(value, number)?);
        } else if let Some(value) = line.strip_prefix("LH:") {
            record.lines_hit = Some(parse_count(value, number)?);
        } else if let Some(value) = line.strip_prefix("DA:") {
            let hits = value.split(',').nth(1).ok_or_else(|| {
                CoverageError::Lcov(format!("line {number}: `DA:` needs `line,hits`"))
            })?;
            record.da_lines += 1;
            if parse_count(hits, number)? > 0 {
                record.da_hit += 1;
            }
        } else if !line.is_empty() && !line.contains(':') {
            return Err(CoverageError::Lcov(format!(
                "line {number} is not an lcov record"
            )));
        }
    }
    if record.any() {
        let (record_found, record_hit) = record.totals();
        found += record_found;
        hit += record_hit;
        records += 1;
    }
    if records == 0 {
        return Err(CoverageError::Lcov(
            "no file records (`end_of_record`)".to_owned(),
        ));
    }
    Ok(CoverageSummary {
        format: CoverageFormat::Lcov,
        lines: Some((hit.min(found), found)),
        rate: None,
    })
}

#[derive(Default)]
struct Record {
    lines_found: Option<u64>,
    lines_hit: Option<u64>,
    da_lines: u64,
    da_hit: u64,
}

impl Record {
    fn any(&self) -> bool {
        self.lines_found.is_some() || self.lines_hit.is_some() || self.da_lines > 0
    }

    fn totals(&self) -> (u64, u64) {
        match (self.lines_found, self.lines_hit) {
            (Some(found), Some(hit)) => (found, hit),
            _ => (self.da_lines, self.da_hit),
        }
    }
}

fn parse_count(value: &str, number: usize) -> Result<u64, CoverageError> {
    let value = value.trim();
    // Some producers write hit counts as floats or negative numbers for excluded lines.
    value
        .parse::<u64>()
        .or_else(|_| value.parse::<f64>().map(|float| float.max(0.0) as u64))
        .map_err(|_| CoverageError::Lcov(format!("line {number}: `{value}` is not a count")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_are_summed_over_records() {
        let summary = parse(
            "TN:\nSF:src/a.rs\nDA:1,1\nDA:2,0\nLF:2\nLH:1\nend_of_record\nSF:src/b.rs\nLF:8\nLH:8\nend_of_record\n",
        )
        .expect("valid lcov");
        assert_eq!(summary.lines, Some((9, 10)));
        assert_eq!(summary.percent(), 90.0);
    }

    #[test]
    fn da_lines_count_when_totals_are_missing() {
        let summary =
            parse("SF:a.py\nDA:1,3\nDA:2,0\nDA:3,0\nDA:4,1\nend_of_record\n").expect("valid");
        assert_eq!(summary.lines, Some((2, 4)));
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(matches!(
            parse("hello world\n"),
            Err(CoverageError::Lcov(_))
        ));
        assert!(matches!(
            parse("SF:a\nLF:x\nend_of_record"),
            Err(CoverageError::Lcov(_))
        ));
    }
}
