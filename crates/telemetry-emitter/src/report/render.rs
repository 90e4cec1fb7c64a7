//! The report as a terminal table, Markdown (for a step summary) or JSON.

use clap::ValueEnum;

use super::metrics::{CiRuns, Distribution, Metrics};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Markdown,
    Json,
}

/// `1d 2h`, `3h 5m`, `4m 10s`, `12s`.
pub fn human_duration(seconds: i64) -> String {
    let s = seconds.max(0);
    let (d, h, m, sec) = (s / 86_400, s % 86_400 / 3_600, s % 3_600 / 60, s % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{sec}s"),
        (0, 0, _) => format!("{m}m {sec}s"),
        (0, _, _) => format!("{h}h {m}m"),
        _ => format!("{d}d {h}h"),
    }
}

fn pct(rate: Option<f64>) -> String {
    rate.map_or_else(|| "n/a".to_owned(), |r| format!("{:.1}%", r * 100.0))
}

fn dist(d: &Distribution) -> String {
    match (d.p50_s, d.p90_s, d.p95_s) {
        (Some(p50), Some(p90), Some(p95)) => format!(
            "p50 {} / p90 {} / p95 {} (n={})",
            human_duration(p50),
            human_duration(p90),
            human_duration(p95),
            d.count
        ),
        _ => "n/a".to_owned(),
    }
}

fn ci_rows(rows: &mut Vec<(String, String)>, label: &str, runs: &CiRuns) {
    rows.push((
        format!("{label} success rate"),
        format!(
            "{} ({} passed, {} failed)",
            pct(runs.success_rate),
            runs.passed,
            runs.failed
        ),
    ));
    rows.push((format!("{label} duration"), dist(&runs.duration)));
    rows.push((format!("{label} runner wait"), dist(&runs.runner_wait)));
    rows.push((
        format!("{label} cost"),
        format!(
            "${:.2} (failed runs ${:.2})",
            runs.cost_usd, runs.failed_cost_usd
        ),
    ));
}

fn rows(m: &Metrics) -> Vec<(String, String)> {
    let window = match (m.window.from, m.window.to) {
        (Some(from), Some(to)) => format!(
            "{} .. {} ({:.1} days, {} events)",
            from.strftime("%Y-%m-%d"),
            to.strftime("%Y-%m-%d"),
            m.window.days,
            m.events
        ),
        _ => format!("no events ({:.1} days)", m.window.days),
    };
    let mut rows = vec![
        ("Window".to_owned(), window),
        ("PRs opened".to_owned(), m.prs_opened.to_string()),
        (
            "Lead time (PR opened -> deploy)".to_owned(),
            dist(&m.lead_time),
        ),
        (
            "Deployment frequency".to_owned(),
            format!(
                "{:.2} per week ({} succeeded, {} failed)",
                m.deploys.per_week, m.deploys.succeeded, m.deploys.failed
            ),
        ),
        (
            "Change failure rate".to_owned(),
            pct(m.deploys.change_failure_rate),
        ),
        (
            "Time to restore".to_owned(),
            dist(&m.deploys.time_to_restore),
        ),
    ];
    ci_rows(&mut rows, "CI", &m.ci);
    ci_rows(&mut rows, "Integration CI", &m.integration);
    rows.push((
        "Queue".to_owned(),
        format!(
            "{} entered, {} passed integration",
            m.queue.entered, m.queue.passed_through
        ),
    ));
    rows.push(("Time in queue".to_owned(), dist(&m.queue.time_in_queue)));
    rows.push((
        "Total CI cost".to_owned(),
        format!("${:.2}", m.total_cost_usd),
    ));
    rows
}

pub fn render(m: &Metrics, format: Format) -> String {
    match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(m).expect("metrics always serialize");
            s.push('\n');
            s
        }
        Format::Markdown => {
            let mut s = String::from("## Delivery metrics\n\n| Metric | Value |\n| --- | --- |\n");
            for (k, v) in rows(m) {
                s.push_str(&format!("| {k} | {v} |\n"));
            }
            s
        }
        Format::Table => {
            let rows = rows(m);
            let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
            rows.iter()
                .map(|(k, v)| format!("{k:<width$}  {v}\n"))
                .collect()
        }
    }
}
