//! The report as a terminal table, Markdown (for a step summary) or JSON.

use clap::ValueEnum;

use super::bands::{SOURCE, bands};
use super::metrics::{CiRuns, Distribution, Metrics, Week};

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
            if m.history.is_some() {
                "Lead time (first commit -> deploy)".to_owned()
            } else {
                "Lead time (PR opened -> deploy)".to_owned()
            },
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
    if let Some(h) = &m.history {
        rows.push((
            "Change failures".to_owned(),
            format!(
                "{} failed deploy(s), {} rollback(s), {} revert PR(s)",
                h.failed_deploys, h.rollbacks, h.reverts
            ),
        ));
        if h.not_yet_deployed > 0 {
            rows.push((
                "Merged, not yet deployed".to_owned(),
                h.not_yet_deployed.to_string(),
            ));
        }
    }
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
    if m.queue.batches > 0 {
        rows.push((
            "Queue batches".to_owned(),
            format!(
                "{} ({} passed: {}), {} bisection round(s) after {} failed batch(es)",
                m.queue.batches,
                m.queue.batches_passed,
                pct(m.queue.batch_success_rate),
                m.queue.bisection_rounds,
                m.queue.batches - m.queue.batches_passed
            ),
        ));
    }
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
            s.push_str(&missing_markdown(m));
            s.push_str(&bands_markdown(m));
            s.push_str(&charts(&m.weekly));
            s.push_str(&sources_markdown(m));
            s
        }
        Format::Table => {
            let rows = rows(m);
            let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
            let mut s: String = rows
                .iter()
                .map(|(k, v)| format!("{k:<width$}  {v}\n"))
                .collect();
            for b in bands(m) {
                s.push_str(&format!("DORA band: {}: {} ({SOURCE})\n", b.key, b.band));
            }
            for gap in &m.missing {
                s.push_str(&format!("MISSING: {gap}\n"));
            }
            s
        }
    }
}

fn missing_markdown(m: &Metrics) -> String {
    if m.missing.is_empty() {
        return String::new();
    }
    let mut s = String::from(
        "\n> [!WARNING]\n> Part of the history could not be read; the numbers above are without it:\n",
    );
    for gap in &m.missing {
        s.push_str(&format!("> - {}\n", one_line(gap)));
    }
    s
}

fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ").replace('|', "\\|")
}

fn bands_markdown(m: &Metrics) -> String {
    let mut s = format!(
        "\n### DORA performance bands\n\nThresholds from the {SOURCE} (its software-delivery performance clusters).\n\n| Key | Band | Thresholds (2024) |\n| --- | --- | --- |\n"
    );
    for b in bands(m) {
        s.push_str(&format!("| {} | {} | {} |\n", b.key, b.band, b.thresholds));
    }
    s
}

fn sources_markdown(m: &Metrics) -> String {
    let src = &m.sources;
    format!(
        "\n### How each key is measured\n\n- Lead time: {}\n- Deployments: {}\n- Change failure rate: {}\n- Time to restore: {}\n",
        src.lead_time, src.deployments, src.change_failure_rate, src.time_to_restore
    )
}

/// Mermaid `xychart-beta` charts, which GitHub renders in Markdown: one per series, weeks on
/// the x axis. A week without data draws as 0 (the chart type has no gaps).
pub fn charts(weeks: &[Week]) -> String {
    if weeks.is_empty() {
        return String::new();
    }
    let labels: Vec<String> = weeks
        .iter()
        .map(|w| format!("\"{}\"", w.start.get(5..).unwrap_or(&w.start)))
        .collect();
    let hours = |s: Option<i64>| s.map_or(0.0, |s| round1(s as f64 / 3_600.0));
    let mut s = String::from("\n### Per week (weeks start on Monday, UTC)\n");
    s.push_str(&chart(
        "Deployments per week",
        &labels,
        "deploys",
        &[("bar", weeks.iter().map(|w| w.deploys as f64).collect())],
    ));
    s.push_str(&chart(
        "Lead time per week, hours (lower line p50, upper line p90; 0 = nothing deployed)",
        &labels,
        "hours",
        &[
            (
                "line",
                weeks.iter().map(|w| hours(w.lead_time_p50_s)).collect(),
            ),
            (
                "line",
                weeks.iter().map(|w| hours(w.lead_time_p90_s)).collect(),
            ),
        ],
    ));
    s.push_str(&chart(
        "Change failure rate per week, %",
        &labels,
        "%",
        &[(
            "bar",
            weeks
                .iter()
                .map(|w| round1(w.change_failure_rate.unwrap_or(0.0) * 100.0))
                .collect(),
        )],
    ));
    s.push_str(&chart(
        "CI duration per week, p50 minutes",
        &labels,
        "minutes",
        &[(
            "line",
            weeks
                .iter()
                .map(|w| w.ci_duration_p50_s.map_or(0.0, |d| round1(d as f64 / 60.0)))
                .collect(),
        )],
    ));
    s.push_str(&chart(
        "CI cost per week, USD",
        &labels,
        "USD",
        &[("bar", weeks.iter().map(|w| round2(w.ci_cost_usd)).collect())],
    ));
    s
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn chart(title: &str, labels: &[String], unit: &str, series: &[(&str, Vec<f64>)]) -> String {
    let max = series
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .fold(0.0_f64, f64::max);
    let top = if max <= 0.0 { 1.0 } else { (max * 1.1).ceil() };
    let mut s = format!(
        "\n```mermaid\nxychart-beta\n    title \"{title}\"\n    x-axis [{}]\n    y-axis \"{unit}\" 0 --> {top}\n",
        labels.join(", ")
    );
    for (kind, values) in series {
        let values: Vec<String> = values.iter().map(|v| format!("{v}")).collect();
        s.push_str(&format!("    {kind} [{}]\n", values.join(", ")));
    }
    s.push_str("```\n");
    s
}
