//! Headings that are not Markdown headings. A quarter of real PR templates ask their questions
//! as bold lines (`**What does this PR do?**`), `Field:` lines, numbered questions or the rows of
//! a question/answer table. Such a template is rewritten so that each question is an ATX heading
//! and its answer stands under it; the description is rewritten the same way, but only where a
//! line asks one of the template's questions, so an author's own bold text stays text.
//!
//! The rewrite works on lines, outside code fences and HTML comments, before the CommonMark pass:
//! after it, every rule reads pseudo-headings exactly as it reads real ones.

use std::sync::LazyLock;

use regex::Regex;

use crate::heading::{HeadingKey, body_matches_template};
use crate::markdown::Document;

static BOLD_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[-*+]\s+|\d{1,2}[.)]\s+)?(?:\*\*|__)(.+?)(?:\*\*|__)(.*)$")
        .expect("the bold lead pattern is valid")
});
static FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*([A-Z][^:|`<>\[\]]{0,58}?)\s*:(?:\s+(.*)|\s*)$")
        .expect("the field pattern is valid")
});
static NUMBERED_QUESTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*\d{1,2}[.)]\s+(.{3,150}\?)\s*(.*)$").expect("the numbered pattern is valid")
});
static TABLE_DELIMITER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)+\|?\s*$")
        .expect("the table delimiter pattern is valid")
});

/// The longest pseudo-heading, in words: a longer line ending in a colon is a sentence.
const MAX_FIELD_WORDS: usize = 8;

/// How a template asks its questions.
#[derive(Debug, Clone, Default)]
pub struct Cues {
    /// The questions, as the template writes them (markup removed).
    pub questions: Vec<String>,
    /// Comparison keys of `questions`.
    keys: Vec<String>,
    /// Keys of table rows whose template answer is a default value (`| License | MIT`), not a
    /// prompt: keeping it is an answer.
    defaults: Vec<String>,
}

impl Cues {
    pub fn is_empty(&self) -> bool {
        self.questions.is_empty()
    }

    /// Whether the template answers this question with a default value the author may keep.
    pub fn has_default(&self, key: &str) -> bool {
        self.defaults.iter().any(|known| known == key)
    }

    fn knows(&self, question: &str) -> bool {
        let key = HeadingKey::new(question).key;
        !key.is_empty()
            && self
                .keys
                .iter()
                .any(|known| body_matches_template(&key, known))
    }
}

/// A template without Markdown headings, rewritten so that its questions are headings. A template
/// with headings is returned as it is: there, bold lines are emphasis inside sections.
pub(crate) fn template(text: &str) -> (String, Cues) {
    if Document::parse(text).headings().next().is_some() {
        return (text.to_owned(), Cues::default());
    }
    let mut cues = Cues::default();
    let rewritten = rewrite(text, &mut |question, answer| {
        let key = HeadingKey::new(question).key;
        if key.is_empty() || !asks(question, answer) {
            return false;
        }
        if let Some(Line::Row(answer)) = answer
            && is_default_answer(answer)
        {
            cues.defaults.push(key.clone());
        }
        cues.questions.push(question.to_owned());
        cues.keys.push(key);
        true
    });
    if cues.is_empty() {
        return (text.to_owned(), cues);
    }
    (rewritten, cues)
}

/// A description rewritten so that the lines asking the template's questions are headings.
pub(crate) fn body(text: &str, cues: &Cues) -> String {
    if cues.is_empty() {
        return text.to_owned();
    }
    rewrite(text, &mut |question, _| cues.knows(question))
}

/// A table answer that is a value, not a prompt: short, without `yes/no`, `#...`, `<...>`,
/// ellipses or questions.
fn is_default_answer(answer: &str) -> bool {
    let visible = answer
        .split("<!--")
        .next()
        .unwrap_or("")
        .trim()
        .trim_matches('`');
    !visible.is_empty()
        && visible.split_whitespace().count() <= 3
        && !visible.contains(['/', '#', '<', '>', '?', '[', '…', '|'])
        && !visible.contains("...")
}

/// One pass over the lines; `accept` decides whether a candidate question becomes a heading.
/// What follows a candidate question on its line.
#[derive(Clone, Copy)]
enum Line<'a> {
    /// The answer cell of a table row.
    Row(&'a str),
    /// The rest of a bold, field or numbered line, and whether the question was labelled as one.
    Rest(&'a str, bool),
}

/// Whether a candidate line of a template asks something: a question or a label (ending in `?` or
/// `:`), or a bold line with nothing after it. "**Before submitting a pull request,** please make
/// sure ..." and "**Learn more:** <url>" tell, they do not ask.
fn asks(question: &str, line: Option<Line<'_>>) -> bool {
    let (rest, labelled) = match line {
        Some(Line::Row(_)) => return true,
        Some(Line::Rest(rest, labelled)) => (rest.trim(), labelled),
        None => ("", false),
    };
    let telling = [
        "Note",
        "Tip",
        "Please",
        "Thank",
        "Before",
        "Learn more",
        "Important",
        "Warning",
    ]
    .iter()
    .any(|lead| question.starts_with(lead));
    let only_a_link = rest.starts_with("http") && !rest.contains(' ');
    (labelled || question.ends_with('?') || rest.is_empty()) && !telling && !only_a_link
}

/// `accept` also sees what follows the question on its line.
fn rewrite(text: &str, accept: &mut dyn FnMut(&str, Option<Line<'_>>) -> bool) -> String {
    let text = text.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() + 64);
    let mut fence: Option<&str> = None;
    let mut in_comment = false;
    let mut in_table = false;
    for (index, raw) in lines.iter().enumerate() {
        let line = raw.trim_end_matches('\r');
        let trimmed = line.trim_start();
        if let Some(marker) = fence {
            if trimmed.starts_with(marker) {
                fence = None;
            }
            push_line(&mut out, line);
            continue;
        }
        if !in_comment && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            fence = Some(&trimmed[..3]);
            push_line(&mut out, line);
            continue;
        }
        let starts_in_comment = in_comment;
        in_comment = comment_state_after(line, in_comment);
        if starts_in_comment || trimmed.starts_with("<!--") {
            push_line(&mut out, line);
            continue;
        }
        // A question/answer table: its header and delimiter go, each row becomes a question.
        let next_is_delimiter = lines
            .get(index + 1)
            .is_some_and(|next| TABLE_DELIMITER.is_match(next));
        if next_is_delimiter && two_cells(line).is_some() {
            in_table = true;
            continue;
        }
        if in_table {
            if TABLE_DELIMITER.is_match(line) {
                continue;
            }
            if let Some((question, answer)) = two_cells(line)
                && accept(&question, Some(Line::Row(&answer)))
            {
                push_heading(&mut out, &question, &answer);
                continue;
            }
            if line.trim().is_empty() || !line.contains('|') {
                in_table = false;
            }
        }
        if let Some((question, rest, labelled)) = candidate(line)
            && accept(&question, Some(Line::Rest(&rest, labelled)))
        {
            push_heading(&mut out, &question, &rest);
            continue;
        }
        push_line(&mut out, line);
    }
    out
}

/// A line that may ask a question: a bold lead, a `Field:` line or a numbered question. Returns
/// the question (markup removed), the rest of the line (an answer written on it), and whether the
/// question was labelled as one (a `:` or `?` after it).
fn candidate(line: &str) -> Option<(String, String, bool)> {
    if line.trim_start().starts_with(['-', '*', '+']) && line.contains("[ ]") {
        return None;
    }
    if let Some(captures) = BOLD_LEAD.captures(line) {
        let inner = captures.get(1).map_or("", |m| m.as_str());
        let rest = captures.get(2).map_or("", |m| m.as_str());
        let question = inner
            .trim()
            .trim_start_matches(['-', '*', ' '])
            .trim_end_matches([':', ' '])
            .trim();
        // `**Question** *(hint)*: answer` is labelled by its colon too.
        let labelled = inner.trim_end().ends_with([':', '?']) || rest.contains(':');
        let rest = rest.trim().trim_start_matches(':').trim();
        if question.chars().any(char::is_alphabetic) && question.chars().count() <= 150 {
            return Some((question.to_owned(), rest.to_owned(), labelled));
        }
    }
    if let Some(captures) = NUMBERED_QUESTION.captures(line) {
        let question = captures.get(1).map_or("", |m| m.as_str()).trim();
        let rest = captures.get(2).map_or("", |m| m.as_str()).trim();
        return Some((question.to_owned(), rest.to_owned(), true));
    }
    if let Some(captures) = FIELD.captures(line) {
        let label = captures.get(1).map_or("", |m| m.as_str()).trim();
        let rest = captures.get(2).map_or("", |m| m.as_str()).trim();
        // "If fixing a bug, the description includes:" introduces a list; it asks nothing.
        let conditional = ["If ", "When ", "Please ", "Note"]
            .iter()
            .any(|lead| label.starts_with(lead));
        if label.split_whitespace().count() <= MAX_FIELD_WORDS
            && !label.contains("http")
            && !conditional
        {
            return Some((label.to_owned(), rest.to_owned(), true));
        }
    }
    None
}

/// The two cells of a table row `| question | answer |`, if it has exactly two.
fn two_cells(line: &str) -> Option<(String, String)> {
    if !line.contains('|') {
        return None;
    }
    let inner = line.trim();
    let inner = inner.strip_prefix('|').unwrap_or(inner);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let cells: Vec<&str> = inner.split('|').map(str::trim).collect();
    match cells.as_slice() {
        [question, answer] if question.chars().any(char::is_alphanumeric) => {
            Some(((*question).to_owned(), (*answer).to_owned()))
        }
        _ => None,
    }
}

/// Whether a comment is still open after `line`.
fn comment_state_after(line: &str, mut open: bool) -> bool {
    let mut rest = line;
    loop {
        if open {
            match rest.find("-->") {
                Some(end) => {
                    open = false;
                    rest = &rest[end + 3..];
                }
                None => return true,
            }
        } else {
            match rest.find("<!--") {
                Some(start) => {
                    open = true;
                    rest = &rest[start + 4..];
                }
                None => return false,
            }
        }
    }
}

fn push_line(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
}

/// The question as a level-2 heading (Markdown in it escaped so it stays one heading), the answer
/// written on its line below it.
fn push_heading(out: &mut String, question: &str, answer: &str) {
    out.push_str("\n## ");
    for c in question.chars() {
        if matches!(c, '#' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push_str("\n\n");
    if !answer.is_empty() {
        out.push_str(answer);
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headings(text: &str) -> Vec<String> {
        Document::parse(text)
            .headings()
            .map(|(_, heading)| heading.text.clone())
            .collect()
    }

    #[test]
    fn bold_questions_become_headings() {
        let (text, cues) = template(
            "<!-- intro -->\n**What kind of change?**\n\n<!-- hint -->\n**- How I did it**\n",
        );
        assert_eq!(cues.questions, vec!["What kind of change?", "How I did it"]);
        assert_eq!(
            headings(&text),
            vec!["What kind of change?", "How I did it"]
        );
    }

    #[test]
    fn field_lines_carry_their_answer() {
        let (text, cues) = template(
            "Checklist:\n- [ ] tests\n\nIssue: #\nThis is a sentence that is much too long to be a field label: no\n",
        );
        assert_eq!(cues.questions, vec!["Checklist", "Issue"]);
        let body = body("Issue: #12\nChecklist:\n- [x] tests\n", &cues);
        let doc = Document::parse(&body);
        let issue = doc
            .sections()
            .find(|s| s.heading.text == "Issue")
            .expect("issue");
        assert_eq!(issue.lines().collect::<Vec<_>>(), vec!["#12"]);
        let _ = text;
    }

    #[test]
    fn question_answer_tables_become_one_heading_per_row() {
        let (text, cues) =
            template("| Q | A\n| --- | ---\n| Bug fix? | yes/no\n| Tickets | Fix #...\n");
        assert_eq!(cues.questions, vec!["Bug fix?", "Tickets"]);
        assert_eq!(headings(&text), vec!["Bug fix?", "Tickets"]);
        assert!(!cues.has_default("bug fix") && !cues.has_default("tickets"));
        let (_, defaults) = template("| Q | A\n|---|---\n| License | MIT\n| Tests pass? | Yes\n");
        assert!(defaults.has_default("license") && defaults.has_default("tests pass"));
        let body = body(
            "| Q | A\n|---|---\n| Bug fix? | no\n| Tickets | Fix #4\n",
            &cues,
        );
        let doc = Document::parse(&body);
        let bug = doc.sections().next().expect("a row");
        assert_eq!(bug.lines().collect::<Vec<_>>(), vec!["no"]);
    }

    #[test]
    fn bold_lines_that_tell_rather_than_ask_stay_text() {
        let (_, cues) = template(
            "**Before submitting a pull request,** please make sure the following is done:\n\n1. Run `yarn`.\n\n**Learn more about contributing:** https://example.com/contributing\n",
        );
        assert!(cues.is_empty(), "{:?}", cues.questions);
        let (_, cues) = template("**Summary**\n\n<!-- why -->\n\n**Test plan**\n");
        assert_eq!(cues.questions, vec!["Summary", "Test plan"]);
    }

    #[test]
    fn numbered_questions_become_headings() {
        let (_, cues) = template("1. What does this change?\n2. How was it tested?\n");
        assert_eq!(
            cues.questions,
            vec!["What does this change?", "How was it tested?"]
        );
    }

    #[test]
    fn templates_with_headings_and_code_or_comments_are_left_alone() {
        let (text, cues) = template("## Summary\n**Bold note**\n");
        assert!(cues.is_empty());
        assert_eq!(text, "## Summary\n**Bold note**\n");
        let (_, cues) = template("<!--\n**Inside a comment**\n-->\n```\n**In code**\n```\n");
        assert!(cues.is_empty());
    }

    #[test]
    fn an_authors_bold_text_stays_text() {
        let (_, cues) = template("**What does this PR do?**\n");
        let body = body(
            "**What does this PR do?**\nIt adds **Bold claims**: x\n",
            &cues,
        );
        assert_eq!(headings(&body), vec!["What does this PR do?"]);
    }
}
