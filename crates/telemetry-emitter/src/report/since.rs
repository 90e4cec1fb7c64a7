//! `--since 30d`: how far back the report looks.

use std::time::Duration;

use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
#[error("`{0}` is not a duration; write a number and a unit: 90m, 12h, 30d or 8w")]
pub struct SinceError(pub String);

/// Parses `<number><unit>` with unit `m`, `h`, `d` or `w`.
pub fn parse_since(text: &str) -> Result<Duration, SinceError> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let n: u64 = digits.parse().map_err(|_| SinceError(text.to_owned()))?;
    let unit_s = match unit.trim() {
        "m" | "min" => 60,
        "h" => 3_600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return Err(SinceError(text.to_owned())),
    };
    n.checked_mul(unit_s)
        .filter(|&s| s > 0 && s < 100 * 365 * 86_400)
        .map(Duration::from_secs)
        .ok_or_else(|| SinceError(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_mistakes() {
        assert_eq!(parse_since("30d"), Ok(Duration::from_secs(30 * 86_400)));
        assert_eq!(parse_since("12h"), Ok(Duration::from_secs(12 * 3_600)));
        assert_eq!(parse_since("2w"), Ok(Duration::from_secs(14 * 86_400)));
        assert_eq!(parse_since("90m"), Ok(Duration::from_secs(90 * 60)));
        for bad in ["", "d", "30", "30y", "-3d", "0d", "99999999999999999999d"] {
            assert!(parse_since(bad).is_err(), "{bad}");
        }
    }
}
