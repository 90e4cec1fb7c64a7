//! Rendering the plan as Markdown (PR comment, step summary, terminal), kept under GitHub's
//! 65,536-character comment limit with a visible note where cut.

use std::fmt::Write as _;

use crate::change::{Change, Severity};
use crate::plan::{FileReport, Plan};

/// Largest report produced; GitHub refuses comments over 65,536 characters.
pub const MAX_CHARS: usize = 65_000;
/// Space kept for closing tags and the truncation note.
const RESERVE: usize = 600;

/// Contract-supplied text (names, messages, paths) for a table cell or inline prose: core's
/// one escaping, so that no backtick, bracket, asterisk or HTML in a name is live in our
/// comment.
pub fn escape(text: &str) -> String {
    guardians_core::markdown::escape_inline(text)
}

/// A code span that survives backticks and `|` inside `text` (core's), which can never form
/// an HTML comment (so one of our markers) in the raw body either.
pub fn code(text: &str) -> String {
    guardians_core::markdown::code_span(&guardians_core::markdown::code_block_text(text))
}

/// A finding's message or note. The differ writes names between backticks, so the text
/// alternates between our prose (escaped) and names (code spans). A name with backticks of its
/// own can only shift which parts show as code: every part is escaped either way, so nothing
/// in it is live Markdown or HTML.
pub fn message(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| match (i % 2, part.is_empty()) {
            (0, _) => escape(part),
            (_, true) => String::new(),
            _ => code(part),
        })
        .collect()
}

/// A writer that stops adding chunks once the budget is spent, counting the change rows and
/// diff lines it had to leave out, so the note at the cut can say exactly what is missing.
struct Budgeted {
    out: String,
    limit: usize,
    cut: bool,
    rows_written: usize,
    diff_lines_dropped: usize,
}

impl Budgeted {
    fn push(&mut self, chunk: &str) -> bool {
        if self.cut || self.out.len() + chunk.len() > self.limit {
            self.cut = true;
            return false;
        }
        self.out.push_str(chunk);
        true
    }

    /// A change row: counted when written, so the rest is known exactly.
    fn push_row(&mut self, row: &str) -> bool {
        let written = self.push(row);
        if written {
            self.rows_written += 1;
        }
        written
    }

    /// Closing tags are always written (from the reserve) so the Markdown stays well formed.
    fn close(&mut self, chunk: &str) {
        self.out.push_str(chunk);
    }
}

fn severity_icon(s: Severity) -> &'static str {
    match s {
        Severity::Breaking => "🔴",
        Severity::PotentiallyBreaking => "🟠",
        Severity::NonBreaking => "🟢",
    }
}

/// One row of a table: the changes to one property (or one operation, or one named place) in
/// one direction, with every rule that fired on it, so a reviewer reads a property once.
struct Row<'a> {
    severity: Severity,
    direction: crate::change::Direction,
    rules: Vec<crate::rules::Rule>,
    /// Rules whose severity the config set, with the severity the rule gave itself.
    configured: Vec<(crate::rules::Rule, Severity)>,
    messages: Vec<&'a str>,
    operations: Vec<&'a str>,
    location: &'a str,
    line: Option<usize>,
}

/// Groups changes into rows by (property, direction), in the order they first appear.
fn rows<'a>(changes: impl IntoIterator<Item = &'a Change>) -> Vec<Row<'a>> {
    let mut rows: Vec<Row<'a>> = Vec::new();
    let mut index: std::collections::HashMap<(&'a str, crate::change::Direction), usize> =
        std::collections::HashMap::new();
    for change in changes {
        let key = (
            crate::payload_path::property_key(&change.pointer),
            change.direction,
        );
        let at = *index.entry(key).or_insert_with(|| {
            rows.push(Row {
                severity: change.severity,
                direction: change.direction,
                rules: Vec::new(),
                configured: Vec::new(),
                messages: Vec::new(),
                operations: Vec::new(),
                location: &change.pointer,
                line: change.line,
            });
            rows.len() - 1
        });
        let row = &mut rows[at];
        row.severity = row.severity.max(change.severity);
        if !row.rules.contains(&change.rule) {
            row.rules.push(change.rule);
        }
        if let Some(default) = change.default_severity
            && !row.configured.iter().any(|(r, _)| *r == change.rule)
        {
            row.configured.push((change.rule, default));
        }
        if !row.messages.contains(&change.message.as_str()) {
            row.messages.push(&change.message);
        }
        for op in &change.operations {
            if !row.operations.contains(&op.as_str()) {
                row.operations.push(op);
            }
        }
    }
    rows
}

fn row_markdown(row: &Row<'_>) -> String {
    let ops = if row.operations.is_empty() {
        String::new()
    } else {
        let shown: Vec<String> = row.operations.iter().take(3).map(|o| code(o)).collect();
        let more = row.operations.len().saturating_sub(3);
        if more > 0 {
            format!("{} +{more} more", shown.join(", "))
        } else {
            shown.join(", ")
        }
    };
    // A severity set by the config says so, so a reviewer does not read it as the rule's own.
    let rules: Vec<String> = row
        .rules
        .iter()
        .map(|r| match row.configured.iter().find(|(c, _)| c == r) {
            Some((_, default)) => format!(
                "`{}` (severity set by `contracts-diff.severity`; default {})",
                r.id(),
                default.label()
            ),
            None => format!("`{}`", r.id()),
        })
        .collect();
    let messages: Vec<String> = row.messages.iter().map(|m| message(m)).collect();
    let path = crate::payload_path::payload_path(row.location);
    let mut location = if path.is_empty() {
        String::new()
    } else {
        code(&path)
    };
    if let Some(line) = row.line {
        if !location.is_empty() {
            location.push(' ');
        }
        let _ = write!(location, "line {line}");
    }
    format!(
        "| {} {} | {} | {} | {} | {} | {} |\n",
        severity_icon(row.severity),
        row.severity.label(),
        rules.join(", "),
        row.direction.as_str(),
        ops,
        messages.join("; "),
        location
    )
}

const TABLE_HEAD: &str =
    "| severity | rules | direction | endpoints | change | where |\n|---|---|---|---|---|---|\n";

/// At most this many endpoints get a row of their own in the roll-up.
const ROLLUP_ENDPOINTS: usize = 30;

/// A report with more changes than this opens with the rule × severity summary and the
/// endpoint roll-up (a release); a smaller one is read whole, and a list of endpoints will do.
const SUMMARY_FROM: usize = 10;

/// Counts per severity, in the order breaking, potentially breaking, non-breaking.
type Tally = [usize; 3];

fn tally_slot(severity: Severity) -> usize {
    match severity {
        Severity::Breaking => 0,
        Severity::PotentiallyBreaking => 1,
        Severity::NonBreaking => 2,
    }
}

fn tally_cells(t: &Tally) -> String {
    t.iter()
        .map(|n| {
            if *n == 0 {
                String::new()
            } else {
                n.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The rule × severity summary: what kinds of change a release holds, worst first.
fn rule_summary(plan: &Plan) -> String {
    let mut by_rule: std::collections::BTreeMap<crate::rules::Rule, Tally> =
        std::collections::BTreeMap::new();
    for change in plan.files.iter().flat_map(|f| &f.changes) {
        by_rule.entry(change.rule).or_default()[tally_slot(change.severity)] += 1;
    }
    if by_rule.is_empty() {
        return String::new();
    }
    let mut ordered: Vec<(crate::rules::Rule, Tally)> = by_rule.into_iter().collect();
    // Worst first: by breaking, then potentially breaking, then the total.
    ordered.sort_by(|(ra, a), (rb, b)| {
        (b[0], b[1], b.iter().sum::<usize>())
            .cmp(&(a[0], a[1], a.iter().sum::<usize>()))
            .then_with(|| ra.id().cmp(rb.id()))
    });
    let mut out = String::from(
        "**Changes by rule:**\n\n| rule | 🔴 breaking | 🟠 potentially | 🟢 non-breaking |\n|---|--:|--:|--:|\n",
    );
    for (rule, tally) in ordered {
        let _ = writeln!(out, "| `{}` | {} |", rule.id(), tally_cells(&tally));
    }
    out.push('\n');
    out
}

/// The endpoint roll-up: each operation with its changes counted by severity, worst first.
fn endpoint_rollup(plan: &Plan) -> String {
    let mut by_endpoint: std::collections::BTreeMap<&str, Tally> =
        std::collections::BTreeMap::new();
    for change in plan.files.iter().flat_map(|f| &f.changes) {
        for op in &change.operations {
            by_endpoint.entry(op.as_str()).or_default()[tally_slot(change.severity)] += 1;
        }
    }
    if by_endpoint.is_empty() {
        return String::new();
    }
    let total = by_endpoint.len();
    let mut ordered: Vec<(&str, Tally)> = by_endpoint.into_iter().collect();
    ordered.sort_by(|(ea, a), (eb, b)| {
        (b[0], b[1], b[2])
            .cmp(&(a[0], a[1], a[2]))
            .then_with(|| ea.cmp(eb))
    });
    let mut out = format!(
        "**Endpoints touched ({total}):**\n\n| endpoint | 🔴 breaking | 🟠 potentially | 🟢 non-breaking |\n|---|--:|--:|--:|\n"
    );
    for (endpoint, tally) in ordered.iter().take(ROLLUP_ENDPOINTS) {
        let _ = writeln!(out, "| {} | {} |", code(endpoint), tally_cells(tally));
    }
    if total > ROLLUP_ENDPOINTS {
        let _ = writeln!(
            out,
            "\n… and {} more endpoints (the JSON report lists them all).",
            total - ROLLUP_ENDPOINTS
        );
    }
    out.push('\n');
    out
}

/// The endpoints a small report touches, on one line.
fn endpoint_line(plan: &Plan) -> String {
    let endpoints = &plan.outputs.endpoints;
    if endpoints.is_empty() {
        return String::new();
    }
    let shown: Vec<String> = endpoints
        .iter()
        .take(ROLLUP_ENDPOINTS)
        .map(|e| code(e))
        .collect();
    let more = endpoints.len().saturating_sub(ROLLUP_ENDPOINTS);
    format!(
        "**Endpoints touched ({}):** {}{}\n\n",
        endpoints.len(),
        shown.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    )
}

/// The full Markdown report of a plan.
pub fn markdown(plan: &Plan) -> String {
    let endpoint_files = &plan.endpoint_files;
    let mut w = Budgeted {
        out: String::new(),
        limit: MAX_CHARS - RESERVE,
        cut: false,
        rows_written: 0,
        diff_lines_dropped: 0,
    };
    let mut head = String::new();
    writeln!(head, "## API contract changes\n").ok();
    if plan.files.is_empty() {
        writeln!(head, "No API contract file changed.\n").ok();
    } else {
        let verdict = match plan.verdict {
            Some(Severity::Breaking) => "🔴 **Breaking changes**",
            Some(Severity::PotentiallyBreaking) => "🟠 **Potentially breaking changes**",
            Some(Severity::NonBreaking) => "🟢 **No breaking changes**",
            None => "🟢 **No semantic change found**",
        };
        let count = |severity: &str| plan.counts.get(severity).copied().unwrap_or(0);
        writeln!(
            head,
            "{verdict} in {} contract file{}: {} breaking, {} potentially breaking, {} non-breaking.\n",
            plan.files.len(),
            if plan.files.len() == 1 { "" } else { "s" },
            count("breaking"),
            count("potentially-breaking"),
            count("non-breaking"),
        )
        .ok();
    }
    if plan.approval_required {
        writeln!(
            head,
            "These changes need an architect's approval: the {} label.\n",
            code(&plan.approval_label)
        )
        .ok();
    }
    let changes = plan.files.iter().map(|f| f.changes.len()).sum::<usize>();
    if changes > SUMMARY_FROM {
        head.push_str(&rule_summary(plan));
        head.push_str(&endpoint_rollup(plan));
    } else {
        head.push_str(&endpoint_line(plan));
    }
    if !endpoint_files.is_empty() {
        let shown: Vec<String> = endpoint_files.iter().take(20).map(|e| code(e)).collect();
        writeln!(
            head,
            "**Route/handler files changed:** {}\n",
            shown.join(", ")
        )
        .ok();
    }
    w.push(&head);

    // Rows of each file: the breaking and potentially breaking ones of every file first, in
    // one section (each file named once above its table), then each file's non-breaking ones.
    let serious: Vec<(&FileReport, Vec<Row<'_>>)> = plan
        .files
        .iter()
        .map(|f| {
            let rows = rows(
                f.changes
                    .iter()
                    .filter(|c| c.severity > Severity::NonBreaking),
            );
            (f, rows)
        })
        .filter(|(_, rows)| !rows.is_empty())
        .collect();
    let minor: Vec<Vec<Row<'_>>> = plan
        .files
        .iter()
        .map(|f| {
            rows(
                f.changes
                    .iter()
                    .filter(|c| c.severity == Severity::NonBreaking),
            )
        })
        .collect();
    let rows_total = serious.iter().map(|(_, r)| r.len()).sum::<usize>()
        + minor.iter().map(Vec::len).sum::<usize>();

    if !serious.is_empty() && w.push("### Breaking and potentially breaking\n\n") {
        for (file, rows) in &serious {
            if !w.push(&format!("{}\n\n{TABLE_HEAD}", code(&file.path))) {
                break;
            }
            for row in rows {
                if !w.push_row(&row_markdown(row)) {
                    break;
                }
            }
            w.push("\n");
        }
    }

    for (file, minor) in plan.files.iter().zip(&minor) {
        let mut section = String::new();
        let count = |s: Severity| file.changes.iter().filter(|c| c.severity == s).count();
        writeln!(
            section,
            "### {} ({}, {})\n\n{} breaking, {} potentially breaking, {} non-breaking.\n",
            code(&file.path),
            escape(&file.status.label()),
            file.kind,
            count(Severity::Breaking),
            count(Severity::PotentiallyBreaking),
            count(Severity::NonBreaking),
        )
        .ok();
        if let Some(note) = &file.note {
            writeln!(section, "> {}\n", message(note)).ok();
        }
        if !w.push(&section) {
            if let Some(diff) = &file.text_diff {
                w.diff_lines_dropped += diff.unified.lines().count();
            }
            continue;
        }
        let changes_in_minor: usize = count(Severity::NonBreaking);
        if !minor.is_empty()
            && w.push(&format!(
                "<details><summary>{changes_in_minor} non-breaking changes</summary>\n\n{TABLE_HEAD}"
            ))
        {
            for row in minor {
                if !w.push_row(&row_markdown(row)) {
                    break;
                }
            }
            w.close("\n</details>\n\n");
        }
        if let Some(diff) = &file.text_diff {
            let fence = "`".repeat(3.max(longest_backtick_run(&diff.unified) + 1));
            let summary = format!(
                "<details><summary>Text diff (+{} −{})</summary>\n\n{fence}diff\n",
                diff.added, diff.removed
            );
            let lines = diff.unified.lines().count();
            if w.push(&summary) {
                let mut written = 0;
                for line in diff.unified.lines() {
                    // Base- and head-branch text: it must never form an HTML comment (or one
                    // of our markers) in the raw body.
                    let line = guardians_core::markdown::code_block_text(line);
                    if !w.push(&format!("{line}\n")) {
                        break;
                    }
                    written += 1;
                }
                w.diff_lines_dropped += lines - written;
                w.close(&format!("{fence}\n"));
                if diff.omitted_lines > 0 {
                    w.close(&format!(
                        "\n… {} more diff lines omitted (max-diff-lines).\n",
                        diff.omitted_lines
                    ));
                }
                w.close("\n</details>\n\n");
            } else {
                w.diff_lines_dropped += lines;
            }
        }
    }
    if w.cut {
        let rows_left = rows_total - w.rows_written;
        let mut missing = Vec::new();
        if rows_left > 0 {
            missing.push(format!(
                "{rows_left} of {rows_total} change row{}",
                if rows_total == 1 { "" } else { "s" }
            ));
        }
        if w.diff_lines_dropped > 0 {
            missing.push(format!(
                "{} text-diff line{}",
                w.diff_lines_dropped,
                if w.diff_lines_dropped == 1 { "" } else { "s" }
            ));
        }
        w.close(&format!(
            "\n---\n⚠️ **Report cut here**: {} did not fit GitHub's comment limit. \
             Run `contracts-diff --format json` for the complete list.\n",
            if missing.is_empty() {
                "the end of the report".to_owned()
            } else {
                missing.join(" and ")
            }
        ));
    }
    w.out
}

fn longest_backtick_run(text: &str) -> usize {
    let mut best = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_html_markup_and_table_breaks() {
        assert_eq!(escape("<img src=x>|a\nb"), "\\<img src=x\\>\\|a b");
        assert_eq!(escape("`x` [y](z) *w*"), "\\`x\\` \\[y\\](z) \\*w\\*");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("<!-- x"), "`<\u{200D}!-- x`");
    }

    #[test]
    fn messages_show_names_as_code_and_nothing_live() {
        assert_eq!(
            message("new required property `species`; clients <= 1"),
            "new required property `species`; clients \\<= 1"
        );
        // A name with backticks of its own: its parts are escaped or code, never live.
        let hostile = message("property `a` [x](https://evil.example) **b** <img>` removed");
        assert_eq!(
            hostile,
            "property `a` \\[x\\](https://evil.example) \\*\\*b\\*\\* \\<img\\>` removed`"
        );
    }

    #[test]
    fn fences_grow_past_backticks_in_the_diff() {
        assert_eq!(longest_backtick_run("a ```` b ` c"), 4);
    }
}
