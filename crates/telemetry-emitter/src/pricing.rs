//! GitHub-hosted runner prices and the estimated cost of a run.
//!
//! The table is GitHub's published per-minute price list **as of [`PRICE_TABLE_AS_OF`]**, taken
//! from [`PRICE_TABLE_SOURCE`]. GitHub changes these prices from time to time (the last cut took
//! effect on 2026-01-01); when it does, update the table and the date together, and users can
//! correct any price meanwhile with `price-overrides` in `.github/guardians.yml`.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::jobs::Job;

/// The day the prices below were last checked against GitHub's documentation.
pub const PRICE_TABLE_AS_OF: &str = "2026-01-01";
/// Where the prices below come from.
pub const PRICE_TABLE_SOURCE: &str =
    "https://docs.github.com/en/billing/reference/actions-runner-pricing";

/// Per-minute prices in micro-USD (1 = $0.000001), keyed by GitHub's billing SKU.
/// Integers, so that sums over many jobs are exact.
pub const PRICE_TABLE: &[(&str, u64)] = &[
    // Standard runners (free on public repositories).
    ("linux_1_core", 2_000),
    ("linux_2_core", 6_000),
    ("windows_2_core", 10_000),
    ("macos", 62_000),
    // x64 larger runners.
    ("linux_2_core_advanced", 6_000),
    ("linux_4_core", 12_000),
    ("linux_8_core", 22_000),
    ("linux_16_core", 42_000),
    ("linux_32_core", 82_000),
    ("linux_64_core", 162_000),
    ("linux_96_core", 252_000),
    ("windows_4_core", 22_000),
    ("windows_8_core", 42_000),
    ("windows_16_core", 82_000),
    ("windows_32_core", 162_000),
    ("windows_64_core", 322_000),
    ("windows_96_core", 552_000),
    ("macos_l", 77_000),
    // arm64 runners (the 2-core ones are also the standard arm64 runners).
    ("linux_2_core_arm", 5_000),
    ("linux_4_core_arm", 8_000),
    ("linux_8_core_arm", 14_000),
    ("linux_16_core_arm", 26_000),
    ("linux_32_core_arm", 50_000),
    ("linux_64_core_arm", 98_000),
    ("windows_2_core_arm", 8_000),
    ("windows_4_core_arm", 14_000),
    ("windows_8_core_arm", 26_000),
    ("windows_16_core_arm", 50_000),
    ("windows_32_core_arm", 98_000),
    ("windows_64_core_arm", 194_000),
    ("macos_xl", 102_000),
    // GPU runners (4-core, one T4).
    ("linux_4_core_gpu", 52_000),
    ("windows_4_core_gpu", 102_000),
];

fn table_price(sku: &str) -> Option<u64> {
    PRICE_TABLE
        .iter()
        .find(|(name, _)| *name == sku)
        .map(|(_, price)| *price)
}

/// What kind of machine ran a job, as far as billing is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunnerClass {
    /// A standard GitHub-hosted runner: free on public repositories.
    Standard {
        sku: &'static str,
    },
    /// A larger GitHub-hosted runner: billed on public repositories too.
    Larger {
        sku: String,
    },
    SelfHosted,
}

/// Labels of GitHub's standard runners, and their SKU.
fn standard_sku(label: &str) -> Option<&'static str> {
    let l = label.to_ascii_lowercase();
    let sku = match l.as_str() {
        "ubuntu-slim" => "linux_1_core",
        "ubuntu-latest" | "ubuntu-24.04" | "ubuntu-22.04" | "ubuntu-20.04" => "linux_2_core",
        "ubuntu-24.04-arm" | "ubuntu-22.04-arm" => "linux_2_core_arm",
        "windows-latest" | "windows-2025" | "windows-2022" | "windows-2019" => "windows_2_core",
        "windows-11-arm" => "windows_2_core_arm",
        _ if l.starts_with("macos-") && !l.ends_with("-large") && !l.ends_with("-xlarge") => {
            "macos"
        }
        _ => return None,
    };
    Some(sku)
}

static CORES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d+)[-_ ]?(?:v?cpus?|cores?)\b").expect("the core-count pattern is a valid regex")
});

/// The SKU of a larger runner from its labels: OS, core count and architecture are read from
/// words like `windows`, `16-cores`, `arm64`, `gpu`; an unknown size is priced as 2 cores.
fn larger_sku(labels: &[String]) -> String {
    let joined = labels.join(" ").to_ascii_lowercase();
    if joined.contains("macos") {
        return if joined.contains("xlarge") {
            "macos_xl"
        } else {
            "macos_l"
        }
        .to_owned();
    }
    let os = if joined.contains("windows") {
        "windows"
    } else {
        "linux"
    };
    let cores: u32 = CORES
        .captures(&joined)
        .and_then(|c| c.get(1)?.as_str().parse().ok())
        .unwrap_or(2);
    if joined.contains("gpu") {
        return format!("{os}_4_core_gpu");
    }
    let arm = joined.contains("arm") || joined.contains("aarch64");
    match (os, cores, arm) {
        (_, _, true) => format!("{os}_{cores}_core_arm"),
        ("linux", 2, false) => "linux_2_core_advanced".to_owned(),
        _ => format!("{os}_{cores}_core"),
    }
}

pub fn classify_runner(job: &Job) -> RunnerClass {
    if job
        .labels
        .iter()
        .any(|l| l.eq_ignore_ascii_case("self-hosted"))
    {
        return RunnerClass::SelfHosted;
    }
    if let Some(sku) = job.labels.iter().find_map(|l| standard_sku(l)) {
        return RunnerClass::Standard { sku };
    }
    RunnerClass::Larger {
        sku: larger_sku(&job.labels),
    }
}

/// Pricing inputs from the config.
#[derive(Debug, Clone, Default)]
pub struct PricingRules {
    /// Per-minute price in USD for self-hosted minutes on private repositories.
    pub self_hosted_per_minute_usd: f64,
    /// Per-minute prices in USD by runner label or SKU; they win over the table.
    pub overrides: BTreeMap<String, f64>,
}

/// The cost of one job.
#[derive(Debug, Clone, PartialEq)]
pub struct JobCost {
    pub job: String,
    /// `ceil(seconds / 60)`, as GitHub rounds each job up to whole minutes.
    pub minutes: u64,
    /// The SKU, `self-hosted`, or the overriding label.
    pub priced_as: String,
    pub per_minute_micro_usd: u64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CostEstimate {
    pub jobs: Vec<JobCost>,
    /// SKUs with no price in the table (priced at 0; add a `price-overrides` entry).
    pub unpriced: Vec<String>,
}

impl CostEstimate {
    pub fn total_micro_usd(&self) -> u64 {
        self.jobs
            .iter()
            .map(|j| j.minutes * j.per_minute_micro_usd)
            .sum()
    }

    pub fn total_usd(&self) -> f64 {
        self.total_micro_usd() as f64 / 1_000_000.0
    }

    pub fn billable_minutes(&self) -> u64 {
        self.jobs
            .iter()
            .filter(|j| j.per_minute_micro_usd > 0)
            .map(|j| j.minutes)
            .sum()
    }
}

fn usd_to_micro(usd: f64) -> u64 {
    if usd.is_finite() && usd > 0.0 {
        (usd * 1_000_000.0).round() as u64
    } else {
        0
    }
}

/// Sum over jobs of `ceil(seconds / 60) × per-minute price of its runner`.
/// Standard runners cost nothing on public repositories; self-hosted minutes cost the configured
/// platform charge on private ones only.
pub fn estimate_cost(jobs: &[Job], private_repository: bool, rules: &PricingRules) -> CostEstimate {
    let mut estimate = CostEstimate::default();
    for job in jobs {
        let minutes = job
            .run_seconds()
            .map(|s| (s as u64).div_ceil(60))
            .unwrap_or(0);
        let overriding = job
            .labels
            .iter()
            .find_map(|l| rules.overrides.get(l).map(|p| (l.clone(), *p)));
        let (priced_as, per_minute) = if let Some((label, usd)) = overriding {
            (label, usd_to_micro(usd))
        } else {
            match classify_runner(job) {
                RunnerClass::SelfHosted => {
                    let usd = if private_repository {
                        rules.self_hosted_per_minute_usd
                    } else {
                        0.0
                    };
                    ("self-hosted".to_owned(), usd_to_micro(usd))
                }
                RunnerClass::Standard { sku } => {
                    let price = if let Some(usd) = rules.overrides.get(sku) {
                        usd_to_micro(*usd)
                    } else if private_repository {
                        table_price(sku).unwrap_or(0)
                    } else {
                        0
                    };
                    (sku.to_owned(), price)
                }
                RunnerClass::Larger { sku } => {
                    let price = match rules.overrides.get(&sku) {
                        Some(usd) => usd_to_micro(*usd),
                        None => table_price(&sku).unwrap_or_else(|| {
                            if !estimate.unpriced.contains(&sku) {
                                estimate.unpriced.push(sku.clone());
                            }
                            0
                        }),
                    };
                    (sku, price)
                }
            }
        };
        estimate.jobs.push(JobCost {
            job: job.name.clone(),
            minutes,
            priced_as,
            per_minute_micro_usd: per_minute,
        });
    }
    estimate
}
