//! One pass of a CommonMark parser (pulldown-cmark) over a description or a template, cut into
//! blocks at headings. Each block keeps what the rules read: its visible lines (HTML comments
//! removed), its task-list items, images and links. A real parser is what makes setext headings,
//! `#` inside code fences, nested lists and CRLF line endings come out right.

use std::sync::LazyLock;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use regex::Regex;

use crate::heading::HeadingKey;

static BARE_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"https?://[^\s<>()\[\]"'`]+"#).expect("the bare URL pattern is valid")
});
static HTML_MEDIA_SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<(?:img|video|source)\b[^>]*?\s(?:src|poster)\s*=\s*["']?([^"'\s>]+)"#)
        .expect("the HTML media pattern is valid")
});
static HTML_HREF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<a\b[^>]*?\shref\s*=\s*["']?([^"'\s>]+)"#)
        .expect("the HTML link pattern is valid")
});

/// A heading as written, with its comparison key.
#[derive(Debug, Clone)]
pub struct Heading {
    pub level: u8,
    /// The heading's text, whitespace collapsed.
    pub text: String,
    pub key: HeadingKey,
}

/// Stands in for the heading of the text before the first heading.
static PREAMBLE_HEADING: LazyLock<Heading> = LazyLock::new(|| Heading {
    level: 0,
    text: String::new(),
    key: HeadingKey::new(""),
});

/// A task-list item: `- [ ] text` or `- [x] text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskItem {
    pub checked: bool,
    /// The item's text, whitespace collapsed.
    pub text: String,
    /// The whole text is struck through (`~~...~~`): the item is withdrawn.
    pub struck: bool,
}

/// The content between one heading and the next (of any level).
#[derive(Debug, Clone, Default)]
pub struct Block {
    /// `None` for the text before the first heading.
    pub heading: Option<Heading>,
    /// Visible lines: text with list markers as `- ` and task markers as `[ ] `/`[x] `, links as
    /// `[text](url)`, HTML comments removed, whitespace collapsed, empty lines dropped.
    pub lines: Vec<String>,
    pub tasks: Vec<TaskItem>,
    /// Sources of Markdown images and HTML `<img>`, `<video>` and `<source>` elements.
    pub media: Vec<String>,
    /// Destinations of links, HTML `<a href>` and bare URLs in the text.
    pub links: Vec<String>,
    /// Anything at all stands under the heading, HTML comments included.
    pub has_source: bool,
    /// The text of the HTML comments under the heading, whitespace collapsed: where templates
    /// write their instructions ("remove this section if ...").
    pub comments: Vec<String>,
    /// The visible lines that stand inside code blocks (also in `lines`): an example, not an
    /// answer.
    pub code_lines: Vec<String>,
}

/// A parsed Markdown document.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub blocks: Vec<Block>,
    /// For each block that has a heading, the index one past its last descendant block: the
    /// heading's section is `blocks[index..section_end[index]]`.
    section_end: Vec<usize>,
}

/// A heading's section: its own block and the blocks of its sub-headings.
#[derive(Debug, Clone, Copy)]
pub struct Section<'a> {
    pub heading: &'a Heading,
    pub blocks: &'a [Block],
}

impl<'a> Section<'a> {
    pub fn lines(self) -> impl Iterator<Item = &'a str> + 'a {
        self.blocks
            .iter()
            .flat_map(|block| block.lines.iter().map(String::as_str))
    }

    pub fn tasks(self) -> impl Iterator<Item = &'a TaskItem> + 'a {
        self.blocks.iter().flat_map(|block| block.tasks.iter())
    }

    pub fn media(self) -> impl Iterator<Item = &'a str> + 'a {
        self.blocks
            .iter()
            .flat_map(|block| block.media.iter().map(String::as_str))
    }

    pub fn links(self) -> impl Iterator<Item = &'a str> + 'a {
        self.blocks
            .iter()
            .flat_map(|block| block.links.iter().map(String::as_str))
    }
}

impl Document {
    /// Parses `text`, ignoring a UTF-8 byte-order mark and YAML front matter (neither is shown by
    /// GitHub, and a mark would hide a first-line heading).
    pub fn parse(text: &str) -> Self {
        let text = without_front_matter(text.trim_start_matches('\u{feff}'));
        let mut builder = Builder::default();
        for event in Parser::new_ext(text, options()) {
            builder.event(event);
        }
        builder.finish()
    }

    /// Every heading's section (with all its sub-headings), in document order.
    pub fn sections(&self) -> impl Iterator<Item = Section<'_>> {
        self.headings()
            .map(|(index, _)| self.section(index, |_| false))
    }

    /// The blocks that start with a heading, with their indices.
    pub fn headings(&self) -> impl Iterator<Item = (usize, &Heading)> {
        self.blocks
            .iter()
            .enumerate()
            .filter_map(|(index, block)| block.heading.as_ref().map(|heading| (index, heading)))
    }

    /// The section of the heading block at `index`: its own block and its sub-headings' blocks,
    /// up to the first sub-heading for which `stop` holds (a heading that is a section of its own).
    ///
    /// An index past the end is clamped to the last block.
    pub fn section(&self, index: usize, stop: impl Fn(&Heading) -> bool) -> Section<'_> {
        if self.blocks.is_empty() {
            return Section {
                heading: &PREAMBLE_HEADING,
                blocks: &[],
            };
        }
        let index = index.min(self.blocks.len() - 1);
        let end = self.section_end.get(index).copied().unwrap_or(index + 1);
        let end = (index + 1..end)
            .find(|&next| self.blocks[next].heading.as_ref().is_some_and(&stop))
            .unwrap_or(end);
        Section {
            heading: self.blocks[index]
                .heading
                .as_ref()
                .unwrap_or(&PREAMBLE_HEADING),
            blocks: &self.blocks[index..end],
        }
    }

    /// The blocks of the heading at `index` and of all its sub-headings.
    pub fn section_range(&self, index: usize) -> std::ops::Range<usize> {
        let end = self.section_end.get(index).copied().unwrap_or(index + 1);
        index..end.max(index + 1).min(self.blocks.len())
    }

    /// Whether the heading block at `index` has sub-headings.
    pub fn has_subheadings(&self, index: usize) -> bool {
        self.section_end
            .get(index)
            .is_some_and(|&end| end > index + 1)
    }

    /// Every visible line of the document, headings excluded.
    pub fn lines(&self) -> impl Iterator<Item = &str> {
        self.blocks
            .iter()
            .flat_map(|block| block.lines.iter().map(String::as_str))
    }

    pub fn tasks(&self) -> impl Iterator<Item = &TaskItem> {
        self.blocks.iter().flat_map(|block| block.tasks.iter())
    }
}

fn options() -> Options {
    Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// An open list item, collecting its text to tell whether it is a struck-through task.
#[derive(Default)]
struct OpenItem {
    checked: Option<bool>,
    text: String,
    plain_chars: usize,
    struck_chars: usize,
}

#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    current: Block,
    buffer: String,
    heading: Option<(u8, String)>,
    in_html_comment: bool,
    items: Vec<OpenItem>,
    strike_depth: usize,
    destinations: Vec<String>,
    /// Just after a list marker: a loose item's paragraph continues the marker's line.
    at_item_start: bool,
    /// The text of the HTML comment being read.
    comment: String,
    in_code_block: bool,
    code: String,
}

impl Builder {
    fn event(&mut self, event: Event<'_>) {
        let is_heading_edge = matches!(
            event,
            Event::Start(Tag::Heading { .. }) | Event::End(TagEnd::Heading(_))
        );
        if self.heading.is_none() && !is_heading_edge {
            self.current.has_source = true;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) | Event::Code(text) | Event::InlineMath(text) => self.text(&text),
            Event::DisplayMath(text) => self.text(&text),
            Event::Html(html) | Event::InlineHtml(html) => self.html(&html),
            Event::SoftBreak | Event::HardBreak => self.push_raw("\n"),
            Event::TaskListMarker(checked) => {
                self.at_item_start = true;
                self.push_raw(if checked { "[x] " } else { "[ ] " });
                if let Some(item) = self.items.last_mut() {
                    item.checked = Some(checked);
                }
            }
            Event::Rule | Event::FootnoteReference(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        let was_at_item_start = std::mem::take(&mut self.at_item_start);
        match tag {
            Tag::Heading { level, .. } => {
                self.flush_lines();
                self.heading = Some((level_number(level), String::new()));
            }
            Tag::Item => {
                self.push_raw("\n- ");
                self.items.push(OpenItem::default());
                self.at_item_start = true;
            }
            Tag::Paragraph if was_at_item_start => self.at_item_start = true,
            Tag::Strikethrough => self.strike_depth += 1,
            Tag::Link { dest_url, .. } => {
                // A heading shows a link's text only, as a reader sees it.
                if self.heading.is_none() {
                    self.push_raw("[");
                }
                self.destinations.push(dest_url.to_string());
            }
            Tag::Image { dest_url, .. } => {
                self.push_raw("![");
                self.destinations.push(dest_url.to_string());
            }
            Tag::CodeBlock(_) => {
                self.in_code_block = true;
                self.push_raw("\n");
            }
            Tag::Paragraph | Tag::BlockQuote(_) | Tag::TableRow => {
                self.push_raw("\n");
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => {
                if let Some((level, text)) = self.heading.take() {
                    let text = collapse_whitespace(&text);
                    let key = HeadingKey::new(&text);
                    let block = Block {
                        heading: Some(Heading { level, text, key }),
                        ..Block::default()
                    };
                    self.blocks
                        .push(std::mem::replace(&mut self.current, block));
                }
            }
            TagEnd::Item => {
                self.push_raw("\n");
                if let Some(item) = self.items.pop()
                    && let Some(checked) = item.checked
                {
                    self.current.tasks.push(TaskItem {
                        checked,
                        text: collapse_whitespace(&item.text),
                        struck: item.plain_chars == 0 && item.struck_chars > 0,
                    });
                }
            }
            TagEnd::Strikethrough => self.strike_depth = self.strike_depth.saturating_sub(1),
            TagEnd::Link => {
                let url = self.destinations.pop().unwrap_or_default();
                if self.heading.is_none() {
                    self.push_raw(&format!("]({url})"));
                }
                self.current.links.push(url);
            }
            TagEnd::Image => {
                let url = self.destinations.pop().unwrap_or_default();
                self.push_raw(&format!("]({url})"));
                self.current.media.push(url);
            }
            TagEnd::TableCell => self.push_raw(" | "),
            TagEnd::CodeBlock => {
                self.in_code_block = false;
                for line in std::mem::take(&mut self.code).split('\n') {
                    let line = collapse_whitespace(line);
                    if !line.is_empty() {
                        self.current.code_lines.push(line);
                    }
                }
                self.push_raw("\n");
            }
            TagEnd::Paragraph | TagEnd::BlockQuote(_) | TagEnd::TableRow | TagEnd::TableHead => {
                self.push_raw("\n")
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        self.at_item_start = false;
        if let Some((_, heading)) = &mut self.heading {
            heading.push_str(text);
            return;
        }
        self.buffer.push_str(text);
        if self.in_code_block {
            self.code.push_str(text);
        }
        if let Some(item) = self.items.last_mut() {
            item.text.push_str(text);
            let visible = text.chars().filter(|c| !c.is_whitespace()).count();
            if self.strike_depth > 0 {
                item.struck_chars += visible;
            } else {
                item.plain_chars += visible;
            }
        }
    }

    /// Raw HTML, kept except for comments. A comment may open in one event and close in a later one
    /// (an inline comment across lines), hence the state.
    fn html(&mut self, html: &str) {
        let mut visible = String::new();
        let mut rest = html;
        loop {
            if self.in_html_comment {
                match rest.find("-->") {
                    Some(end) => {
                        self.in_html_comment = false;
                        self.comment.push_str(&rest[..end]);
                        let comment = collapse_whitespace(&std::mem::take(&mut self.comment));
                        if !comment.is_empty() {
                            self.current.comments.push(comment);
                        }
                        rest = &rest[end + 3..];
                    }
                    None => {
                        self.comment.push_str(rest);
                        self.comment.push(' ');
                        break;
                    }
                }
            } else {
                match rest.find("<!--") {
                    Some(start) => {
                        visible.push_str(&rest[..start]);
                        self.in_html_comment = true;
                        rest = &rest[start + 4..];
                    }
                    None => {
                        visible.push_str(rest);
                        break;
                    }
                }
            }
        }
        if visible.trim().is_empty() {
            return;
        }
        for captures in HTML_MEDIA_SOURCE.captures_iter(&visible) {
            if let Some(source) = captures.get(1) {
                self.current.media.push(source.as_str().to_owned());
            }
        }
        for captures in HTML_HREF.captures_iter(&visible) {
            if let Some(href) = captures.get(1) {
                self.current.links.push(href.as_str().to_owned());
            }
        }
        if let Some((_, heading)) = &mut self.heading {
            heading.push_str(&visible);
        } else {
            self.buffer.push_str(&visible);
        }
    }

    fn push_raw(&mut self, text: &str) {
        match &mut self.heading {
            Some((_, heading)) => heading.push_str(if text == "\n" { " " } else { text }),
            None => self.buffer.push_str(text),
        }
    }

    fn flush_lines(&mut self) {
        for line in self.buffer.split('\n') {
            let line = collapse_whitespace(line);
            if line.is_empty() {
                continue;
            }
            for url in BARE_URL.find_iter(&line) {
                if !self.current.links.iter().any(|known| known == url.as_str()) {
                    self.current.links.push(url.as_str().to_owned());
                }
            }
            self.current.lines.push(line);
        }
        self.buffer.clear();
    }

    fn finish(mut self) -> Document {
        self.flush_lines();
        let last = std::mem::take(&mut self.current);
        self.blocks.push(last);
        let section_end = section_ends(&self.blocks);
        Document {
            blocks: self.blocks,
            section_end,
        }
    }
}

/// For each heading block, where its section ends: at the next heading of the same or a higher
/// level. One pass with a stack of open headings.
fn section_ends(blocks: &[Block]) -> Vec<usize> {
    let mut ends = vec![blocks.len(); blocks.len()];
    let mut open: Vec<(usize, u8)> = Vec::new();
    for (index, block) in blocks.iter().enumerate() {
        if let Some(heading) = &block.heading {
            while let Some(&(opened, level)) = open.last() {
                if level < heading.level {
                    break;
                }
                ends[opened] = index;
                open.pop();
            }
            open.push((index, heading.level));
        }
    }
    ends
}

/// `text` without YAML front matter: a first line `---`, then `key: value` lines, list items,
/// indented lines or comments, closed by `---` or `...`. Anything else is left alone (a leading
/// `---` may be a thematic break).
fn without_front_matter(text: &str) -> &str {
    let mut lines = text.split_inclusive('\n');
    let Some(first) = lines.next() else {
        return text;
    };
    if first.trim_end() != "---" {
        return text;
    }
    let mut consumed = first.len();
    let mut entries = 0;
    for line in lines.take(200) {
        consumed += line.len();
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return if entries > 0 { &text[consumed..] } else { text };
        }
        let is_entry = trimmed.is_empty()
            || trimmed.starts_with('#')
            || trimmed.starts_with([' ', '\t', '-'])
            || trimmed.split_once(':').is_some_and(|(key, _)| {
                !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' '))
            });
        if !is_entry {
            return text;
        }
        entries += usize::from(!trimmed.is_empty());
    }
    text
}

fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headings(doc: &Document) -> Vec<(u8, String)> {
        doc.sections()
            .map(|section| (section.heading.level, section.heading.text.clone()))
            .collect()
    }

    #[test]
    fn atx_and_setext_headings_with_emoji_and_crlf() {
        let doc = Document::parse(
            "## 🎯 Scope\r\nText\r\n\r\nRisk\r\n----\r\n```sh\r\n# not a heading\r\n```\r\n",
        );
        assert_eq!(
            headings(&doc),
            vec![(2, "🎯 Scope".to_owned()), (2, "Risk".to_owned())]
        );
        let risk = doc.sections().nth(1).expect("two sections");
        assert_eq!(risk.lines().collect::<Vec<_>>(), vec!["# not a heading"]);
    }

    #[test]
    fn a_byte_order_mark_and_front_matter_are_skipped() {
        let doc =
            Document::parse("\u{feff}---\r\nname: PR\r\nabout: x\r\n---\r\n## Summary\r\nText\r\n");
        assert_eq!(headings(&doc), vec![(2, "Summary".to_owned())]);
        let doc = Document::parse("---\nNot front matter, a rule and text.\n");
        assert_eq!(
            doc.lines().collect::<Vec<_>>(),
            vec!["Not front matter, a rule and text."]
        );
    }

    #[test]
    fn a_heading_shows_a_links_text_only() {
        let doc = Document::parse("### Review Checklist ([full steps here](../CHECKLIST.md))\n");
        assert_eq!(
            headings(&doc),
            vec![(3, "Review Checklist (full steps here)".to_owned())]
        );
    }

    #[test]
    fn comments_and_code_lines_are_kept_apart() {
        let doc = Document::parse(
            "## Q\n<!-- remove this\nsection if not -->\n```\nYes\nNo\n```\nanswer\n",
        );
        let block = &doc.blocks[1];
        assert_eq!(block.comments, vec!["remove this section if not"]);
        assert_eq!(block.code_lines, vec!["Yes", "No"]);
        assert!(block.lines.contains(&"answer".to_owned()));
    }

    #[test]
    fn html_comments_are_not_content_even_across_lines() {
        let doc = Document::parse(
            "## Scope\n<!-- describe\nthe scope -->\n\nSome <!-- inline\nhint --> text\n",
        );
        let scope = doc.sections().next().expect("one section");
        assert_eq!(scope.lines().collect::<Vec<_>>(), vec!["Some text"]);
    }

    #[test]
    fn tasks_nested_struck_and_commented() {
        let doc = Document::parse(
            "- [x] done\n  - [ ] nested\n- [ ] ~~withdrawn~~\n<!-- - [ ] hidden -->\n",
        );
        let tasks: Vec<_> = doc.tasks().cloned().collect();
        assert_eq!(tasks.len(), 3, "{tasks:?}");
        assert!(
            tasks
                .iter()
                .any(|t| t.text == "nested" && !t.checked && !t.struck)
        );
        assert!(tasks.iter().any(|t| t.text == "withdrawn" && t.struck));
        assert!(tasks.iter().any(|t| t.text == "done" && t.checked));
    }

    #[test]
    fn sections_include_their_sub_headings() {
        let doc = Document::parse("# Title\n## A\na\n### A1\na1\n## B\nb\n");
        let sections: Vec<_> = doc.sections().collect();
        assert_eq!(sections[0].lines().count(), 3);
        assert_eq!(sections[1].lines().collect::<Vec<_>>(), vec!["a", "a1"]);
        assert_eq!(sections[3].lines().collect::<Vec<_>>(), vec!["b"]);
    }

    #[test]
    fn media_and_links_are_collected() {
        let doc = Document::parse(
            "## Shots\n![before](https://example.com/a.png)\n<img width=\"300\" src=\"https://example.com/b.png\">\nSee https://github.com/user-attachments/assets/abc and [demo](https://loom.com/share/x)\n",
        );
        let shots = doc.sections().next().expect("one section");
        assert_eq!(
            shots.media().collect::<Vec<_>>(),
            vec!["https://example.com/a.png", "https://example.com/b.png"]
        );
        let links: Vec<_> = shots.links().collect();
        assert!(links.contains(&"https://loom.com/share/x"));
        assert!(links.contains(&"https://github.com/user-attachments/assets/abc"));
    }
}
