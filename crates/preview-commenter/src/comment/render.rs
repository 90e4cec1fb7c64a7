//! The comment's Markdown: the open PR's table with health and test commands, and the closed
//! PR's note with the URLs struck through.

use std::fmt::Write as _;
use std::time::Duration;

use guardians_core::markdown::escape_inline;

use super::CommentMeta;
use super::markdown::{code_fence, escape_url};
use crate::environments::{Environment, display_url};
use crate::facts::RunFacts;
use crate::health::{HealthReport, StopReason};

const TITLE: &str = "### Preview environments";

/// The metadata a comment written by this run carries.
pub(super) fn meta_for(facts: &RunFacts) -> CommentMeta {
    CommentMeta {
        sha: facts.sha.clone(),
        run_id: facts.run.id,
        run_attempt: facts.run.attempt,
        updated_at: facts.now,
    }
}

/// The comment of an open PR: one row per environment with its URL, health and latency, the
/// commit it describes, and the commands to try the previews.
pub fn render_open(
    facts: &RunFacts,
    environments: &[Environment],
    reports: &[HealthReport],
) -> String {
    let mut body = String::new();
    let _ = writeln!(body, "{}", meta_for(facts).to_html_comment());
    let _ = writeln!(body, "{TITLE}\n");
    let down = environments
        .iter()
        .filter(|env| !report_for(reports, env).is_some_and(|r| r.healthy))
        .count();
    let _ = writeln!(body, "{}\n", headline(environments.len(), down));
    let _ = writeln!(body, "| Environment | URL | Health | Latency |");
    let _ = writeln!(body, "| --- | --- | --- | --- |");
    for env in environments {
        let report = report_for(reports, env);
        let _ = writeln!(
            body,
            "| {} | <{}> | {} | {} |",
            escape_inline(&env.name),
            escape_url(&display_url(&env.url)),
            health_cell(report),
            report
                .and_then(|r| r.latency)
                .map_or_else(|| "—".to_owned(), latency),
        );
    }
    let _ = writeln!(body, "\n{}", provenance(facts, "Checked"));
    let commands = test_commands(environments);
    if !commands.is_empty() {
        let fence = code_fence(&commands);
        let _ = write!(body, "\n#### Try it\n\n{fence}sh\n{commands}{fence}\n");
    }
    body
}

/// The comment of a closed PR: the previews are gone; their URLs stay, struck through.
pub fn render_closed(facts: &RunFacts, environments: &[Environment], merged: bool) -> String {
    let mut body = String::new();
    let _ = writeln!(body, "{}", meta_for(facts).to_html_comment());
    let _ = writeln!(body, "{TITLE}\n");
    let how = if merged {
        "merged"
    } else {
        "closed without merging"
    };
    let _ = writeln!(
        body,
        "This pull request was {how}, so its previews were removed.\n"
    );
    let _ = writeln!(body, "| Environment | URL |");
    let _ = writeln!(body, "| --- | --- |");
    for env in environments {
        let _ = writeln!(
            body,
            "| {} | ~~<{}>~~ |",
            escape_inline(&env.name),
            escape_url(&display_url(&env.url))
        );
    }
    let _ = writeln!(body, "\n{}", provenance(facts, "Last commit"));
    body
}

fn report_for<'a>(reports: &'a [HealthReport], env: &Environment) -> Option<&'a HealthReport> {
    reports.iter().find(|r| r.environment == env.name)
}

fn headline(total: usize, down: usize) -> String {
    match (total, down) {
        (1, 0) => "The preview is up.".to_owned(),
        (1, _) => "**The preview is not healthy.**".to_owned(),
        (_, 0) => format!("All {total} previews are up."),
        (_, 1) => format!("**1 of {total} previews is not healthy.**"),
        (_, _) => format!("**{down} of {total} previews are not healthy.**"),
    }
}

fn health_cell(report: Option<&HealthReport>) -> String {
    let Some(report) = report else {
        return "— not checked".to_owned();
    };
    let tries = match report.attempts {
        1 => String::new(),
        n => format!(" after {n} attempts"),
    };
    if report.healthy {
        let status = report.status.map(|s| format!(" {s}")).unwrap_or_default();
        return format!("✅{status}{tries}");
    }
    let reason = report
        .last_error
        .as_ref()
        .map_or_else(|| "not checked".to_owned(), ToString::to_string);
    let budget = match report.stopped_by {
        Some(StopReason::Budget) => ", time budget used up",
        _ => "",
    };
    format!("❌ {}{tries}{budget}", escape_inline(&reason))
}

fn latency(latency: Duration) -> String {
    let millis = latency.as_millis();
    if millis < 1_000 {
        format!("{millis} ms")
    } else {
        format!("{:.1} s", latency.as_secs_f64())
    }
}

fn provenance(facts: &RunFacts, label: &str) -> String {
    let when = facts.now.strftime("%Y-%m-%d %H:%M UTC");
    let attempt = match facts.run.attempt {
        1 => String::new(),
        n => format!(", attempt {n}"),
    };
    format!(
        "{label} {} · {when} · [run {}{attempt}]({})",
        escape_inline(&facts.sha),
        facts.run.id,
        escape_url(&facts.run.url)
    )
}

/// All environments' test commands in one block, each group headed by a shell comment.
fn test_commands(environments: &[Environment]) -> String {
    let mut out = String::new();
    for env in environments
        .iter()
        .filter(|env| !env.test_commands.is_empty())
    {
        let _ = writeln!(out, "# {}", env.name);
        for command in &env.test_commands {
            let _ = writeln!(out, "{command}");
        }
    }
    out
}

#[cfg(test)]
mod tests;
