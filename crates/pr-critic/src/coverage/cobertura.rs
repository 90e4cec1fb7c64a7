//! Cobertura XML (`coverage.xml`, from coverage.py, JaCoCo converters, cargo-llvm-cov, ...): the
//! root `<coverage>` element's `lines-covered` / `lines-valid`, or its `line-rate`. Only the root
//! element is read, so a large report costs little.

use quick_xml::Reader;
use quick_xml::events::Event;

use super::{CoverageError, CoverageFormat, CoverageSummary};

pub(super) fn parse(text: &str) -> Result<CoverageSummary, CoverageError> {
    let mut reader = Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(Event::Start(element)) | Ok(Event::Empty(element)) => {
                if element.name().as_ref() != b"coverage" {
                    return Err(CoverageError::Cobertura(
                        "the root element is not `<coverage>`".to_owned(),
                    ));
                }
                let mut covered = None;
                let mut valid = None;
                let mut rate = None;
                for attribute in element.attributes() {
                    let attribute =
                        attribute.map_err(|error| CoverageError::Cobertura(error.to_string()))?;
                    let value = attribute
                        .unescape_value()
                        .map_err(|error| CoverageError::Cobertura(error.to_string()))?;
                    let value = value.trim();
                    match attribute.key.as_ref() {
                        b"lines-covered" => covered = value.parse::<u64>().ok(),
                        b"lines-valid" => valid = value.parse::<u64>().ok(),
                        b"line-rate" => rate = value.parse::<f64>().ok().filter(|r| r.is_finite()),
                        _ => {}
                    }
                }
                let lines = covered
                    .zip(valid)
                    .map(|(covered, valid)| (covered.min(valid), valid));
                if lines.is_none() && rate.is_none() {
                    return Err(CoverageError::Cobertura(
                        "`<coverage>` has neither `lines-covered`/`lines-valid` nor `line-rate`"
                            .to_owned(),
                    ));
                }
                return Ok(CoverageSummary {
                    format: CoverageFormat::Cobertura,
                    lines,
                    rate: rate.map(|rate| (rate * 100.0).clamp(0.0, 100.0)),
                });
            }
            Ok(Event::Eof) => {
                return Err(CoverageError::Cobertura(
                    "no `<coverage>` element".to_owned(),
                ));
            }
            Ok(_) => {}
            Err(error) => return Err(CoverageError::Cobertura(error.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_counts_are_read_from_the_root() {
        let summary = parse(
            r#"<?xml version="1.0" ?>
<!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd">
<coverage version="7.4.0" timestamp="1" lines-valid="412" lines-covered="350" line-rate="0.8495" branches-covered="0" branches-valid="0" branch-rate="0" complexity="0">
  <sources><source>/repo</source></sources>
  <packages/>
</coverage>"#,
        )
        .expect("valid");
        assert_eq!(summary.lines, Some((350, 412)));
    }

    #[test]
    fn the_rate_serves_without_counts() {
        let summary = parse(r#"<coverage line-rate="0.5"/>"#).expect("valid");
        assert_eq!(summary.percent(), 50.0);
    }

    #[test]
    fn other_xml_is_an_error() {
        assert!(parse("<report/>").is_err());
        assert!(parse("<coverage branch-rate=\"1\"/>").is_err());
    }
}
