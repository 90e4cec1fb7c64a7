//! DORA's performance bands, as the 2024 Accelerate State of DevOps Report (DORA, Google Cloud)
//! published its four software-delivery clusters. The clusters are typical values rather than
//! cut-offs; the cut-offs below are the clusters' stated ranges, and where two clusters share a
//! range (recovery under a day: high and medium) or are not ordered (change failure rate: high
//! 20%, medium 10%), the text says so rather than pretend a precision the report does not give.

use serde::Serialize;

use super::metrics::Metrics;

/// The report the thresholds come from; printed with every band.
pub const SOURCE: &str = "DORA, Accelerate State of DevOps Report 2024";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    pub key: &'static str,
    pub band: String,
    pub thresholds: &'static str,
}

const DAY: i64 = 86_400;
const WEEK: i64 = 7 * DAY;
const MONTH: i64 = 30 * DAY;

pub fn bands(m: &Metrics) -> Vec<Band> {
    let mut out = Vec::new();
    let deploys = m.deploys.succeeded + m.deploys.failed;
    out.push(Band {
        key: "Deployment frequency",
        band: if m.deploys.succeeded == 0 {
            "n/a (no deploys)".into()
        } else {
            let per_week = m.deploys.per_week;
            // Elite: on demand, several a day; high: daily to weekly; medium: weekly to monthly.
            if per_week >= 7.0 {
                "elite".into()
            } else if per_week >= 1.0 {
                "high".into()
            } else if per_week >= 12.0 / 52.0 {
                "medium".into()
            } else {
                "low".into()
            }
        },
        thresholds: "elite: on demand (daily or more); high: daily to weekly; medium: weekly to monthly; low: monthly to every six months",
    });
    out.push(Band {
        key: "Lead time for changes (p50)",
        band: match m.lead_time.p50_s {
            None => "n/a (no deployed change)".into(),
            Some(s) if s < DAY => "elite".into(),
            Some(s) if s < WEEK => "high".into(),
            Some(s) if s < MONTH => "medium".into(),
            Some(_) => "low".into(),
        },
        thresholds: "elite: under a day; high: a day to a week; medium: a week to a month; low: one to six months",
    });
    out.push(Band {
        key: "Change failure rate",
        band: match m.deploys.change_failure_rate {
            None => "n/a (no deploys)".into(),
            Some(r) if deploys > 0 && r <= 0.05 => "elite".into(),
            Some(r) if r <= 0.10 => {
                "medium (the 2024 medium cluster's 10% is below high's 20%)".into()
            }
            Some(r) if r <= 0.20 => "high".into(),
            Some(_) => "low".into(),
        },
        thresholds: "elite: 5%; high: 20%; medium: 10%; low: 40%",
    });
    out.push(Band {
        key: "Failed deployment recovery time (p50)",
        band: match m.deploys.time_to_restore.p50_s {
            None => "n/a (nothing to restore)".into(),
            Some(s) if s < 3_600 => "elite".into(),
            Some(s) if s < DAY => "high or medium (both: under a day)".into(),
            Some(s) if s <= MONTH => "low".into(),
            Some(_) => "below low (over a month)".into(),
        },
        thresholds: "elite: under an hour; high: under a day; medium: under a day; low: a week to a month",
    });
    out
}
