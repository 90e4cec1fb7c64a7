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

/// A writer that stops adding chunks once the budget is spent, remembering what it dropped.
struct Budgeted {
    out: String,
    limit: usize,
    cut: bool,
    dropped: usize,
}

impl Budgeted {
    fn push(&mut self, chunk: &str) -> bool {
        if self.cut || self.out.len() + chunk.len() > self.limit {
            self.cut = true;
            self.dropped += chunk.len();
            return false;
        }
        self.out.push_str(chunk);
        true
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

fn change_row(file: Option<&str>, c: &Change) -> String {
    let ops = if c.operations.is_empty() {
        String::new()
    } else {
        let shown: Vec<String> = c.operations.iter().take(3).map(|o| code(o)).collect();
        let more = c.operations.len().saturating_sub(3);
        if more > 0 {
            format!("{} +{more} more", shown.join(", "))
        } else {
            shown.join(", ")
        }
    };
    let location = match (file, c.pointer.is_empty()) {
        (Some(f), true) => code(f),
        (Some(f), false) => format!("{} {}", code(f), code(&c.pointer)),
        (None, true) => String::new(),
        (None, false) => code(&c.pointer),
    };
    format!(
        "| {} {} | `{}` | {} | {} | {} | {} |\n",
        severity_icon(c.severity),
        c.severity.label(),
        c.rule.id(),
        c.direction.as_str(),
        ops,
        message(&c.message),
        location
    )
}

const TABLE_HEAD: &str =
    "| severity | rule | direction | endpoints | change | where |\n|---|---|---|---|---|---|\n";

/// The full Markdown report of a plan.
pub fn markdown(plan: &Plan) -> String {
    let endpoint_files = &plan.endpoint_files;
    let mut w = Budgeted {
        out: String::new(),
        limit: MAX_CHARS - RESERVE,
        cut: false,
        dropped: 0,
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
    if !plan.outputs.endpoints.is_empty() {
        let shown: Vec<String> = plan
            .outputs
            .endpoints
            .iter()
            .take(30)
            .map(|e| code(e))
            .collect();
        let more = plan.outputs.endpoints.len().saturating_sub(30);
        writeln!(
            head,
            "**Endpoints touched ({}):** {}{}\n",
            plan.outputs.endpoints.len(),
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        )
        .ok();
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

    // Breaking and potentially breaking changes of every file first.
    let serious: Vec<(&FileReport, &Change)> = plan
        .files
        .iter()
        .flat_map(|f| f.changes.iter().map(move |c| (f, c)))
        .filter(|(_, c)| c.severity > Severity::NonBreaking)
        .collect();
    if !serious.is_empty() {
        w.push("### Breaking and potentially breaking\n\n");
        w.push(TABLE_HEAD);
        for (f, c) in &serious {
            w.push(&change_row(Some(&f.path), c));
        }
        w.push("\n");
    }

    for file in &plan.files {
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
            break;
        }
        let minor: Vec<&Change> = file
            .changes
            .iter()
            .filter(|c| c.severity == Severity::NonBreaking)
            .collect();
        if !minor.is_empty()
            && w.push(&format!(
                "<details><summary>{} non-breaking changes</summary>\n\n{TABLE_HEAD}",
                minor.len()
            ))
        {
            for c in minor {
                if !w.push(&change_row(None, c)) {
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
            if w.push(&summary) {
                for line in diff.unified.lines() {
                    // Base- and head-branch text: it must never form an HTML comment (or one
                    // of our markers) in the raw body.
                    let line = guardians_core::markdown::code_block_text(line);
                    if !w.push(&format!("{line}\n")) {
                        break;
                    }
                }
                w.close(&format!("{fence}\n"));
                if diff.omitted_lines > 0 {
                    w.close(&format!(
                        "\n… {} more diff lines omitted (max-diff-lines).\n",
                        diff.omitted_lines
                    ));
                }
                w.close("\n</details>\n\n");
            }
        }
    }
    if w.cut {
        w.close(&format!(
            "\n---\n⚠️ **Report cut here**: about {} more characters did not fit GitHub's comment limit. \
             Run `contracts-diff --format json` for the complete list.\n",
            w.dropped
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
