//! How deeply a YAML (or JSON) text nests, found in one linear pass before any parser sees it.
//!
//! Why hand-written: libyaml (under `yaml_serde`) spends time proportional to the nesting
//! depth on every token, so `[[[[…` or `{a: {a: …` of a few hundred KB takes minutes to
//! parse, and `yaml_serde`'s own depth limit (128) is only checked after the whole event
//! stream has been built. No crate we could find bounds YAML flow and block nesting before
//! parsing (`yaml_serde` has no limits API; `serde_json` is linear already but gets the same
//! check for one rule everywhere). So this scanner follows libyaml's own tokenizer rules
//! closely enough to count every collection the parser would open: block collections by
//! their indentation column, flow collections by their brackets, and the single-pair
//! mappings that `[a: b]` opens inside flow sequences. Quoted scalars, plain scalars
//! (also over several lines), comments, block scalars (`|`, `>`) and document markers are
//! skipped as libyaml skips them. Where the text is not valid YAML the count may be high,
//! never low, for the part the parser would read: refusing a broken file is fine, missing
//! a deep one is not (a fuzz target checks this against the parser).

/// Where the text first nests deeper than allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    /// 1-based line of the collection that went past the limit.
    pub line: usize,
    /// The limit that was passed.
    pub limit: usize,
}

/// The deepest nesting of `text` and the 1-based line where it is first reached.
/// Linear in the length of `text`; use [`check`] to stop at a limit.
pub fn deepest(text: &str) -> (usize, usize) {
    let mut scan = Scan::new(text, usize::MAX);
    // With no limit the scan cannot stop early.
    let _ = scan.run();
    (scan.deepest, scan.deepest_line)
}

/// Fails on the first collection nested deeper than `limit` levels.
pub fn check(text: &str, limit: usize) -> Result<(), TooDeep> {
    Scan::new(text, limit).run()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Seq,
    Map,
}

/// One open flow collection; `pair` is set while a `[a: b]` entry holds an implicit mapping.
#[derive(Debug, Clone, Copy)]
struct Flow {
    kind: Kind,
    pair: bool,
}

struct Scan<'a> {
    b: &'a [u8],
    i: usize,
    line: usize,
    /// Column in characters, as libyaml counts it.
    col: usize,
    /// Open block collections: their column and kind, innermost last.
    block: Vec<(usize, Kind)>,
    flow: Vec<Flow>,
    /// Open collections in all: block + flow + implicit flow pairs.
    depth: usize,
    limit: usize,
    deepest: usize,
    deepest_line: usize,
}

/// What ended a token-level pass over part of a line.
type Step = Result<(), TooDeep>;

fn is_blank(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

fn is_flow_indicator(c: u8) -> bool {
    matches!(c, b',' | b'[' | b']' | b'{' | b'}')
}

impl<'a> Scan<'a> {
    fn new(text: &'a str, limit: usize) -> Self {
        let b = text.as_bytes();
        let start = if b.starts_with("\u{feff}".as_bytes()) {
            3
        } else {
            0
        };
        Scan {
            b,
            i: start,
            line: 1,
            col: 0,
            block: Vec::new(),
            flow: Vec::new(),
            depth: 0,
            limit,
            deepest: 0,
            deepest_line: 1,
        }
    }

    fn eof(&self) -> bool {
        self.i >= self.b.len()
    }

    fn at(&self, offset: usize) -> Option<u8> {
        self.b.get(self.i + offset).copied()
    }

    /// Length of the line break at `i + offset` (`\r\n`, `\r`, `\n`, NEL, LS, PS), or 0.
    fn break_len_at(&self, offset: usize) -> usize {
        let rest = &self.b[(self.i + offset).min(self.b.len())..];
        match rest {
            [b'\r', b'\n', ..] => 2,
            [b'\r' | b'\n', ..] => 1,
            [0xC2, 0x85, ..] => 2,
            [0xE2, 0x80, 0xA8 | 0xA9, ..] => 3,
            _ => 0,
        }
    }

    fn is_break(&self) -> bool {
        self.break_len_at(0) > 0
    }

    /// Blank, line break or end of text at `i + offset` (libyaml's `IS_BLANKZ_AT`).
    fn blankz_at(&self, offset: usize) -> bool {
        match self.at(offset) {
            None => true,
            Some(c) => is_blank(c) || self.break_len_at(offset) > 0,
        }
    }

    /// Moves past one character that is not a line break.
    fn bump(&mut self) {
        if let Some(&c) = self.b.get(self.i) {
            self.i += 1;
            // Continuation bytes of a UTF-8 character do not start a column.
            if c & 0xC0 != 0x80 {
                self.col += 1;
            }
        }
    }

    /// Moves past a line break, if one is here.
    fn bump_break(&mut self) -> bool {
        let len = self.break_len_at(0);
        if len == 0 {
            return false;
        }
        self.i += len;
        self.line += 1;
        self.col = 0;
        true
    }

    fn skip_blanks(&mut self) {
        while self.at(0).is_some_and(is_blank) {
            self.bump();
        }
    }

    fn skip_to_break(&mut self) {
        while !self.eof() && !self.is_break() {
            self.bump();
        }
    }

    fn skip_blanks_and_breaks(&mut self) {
        loop {
            // libyaml skips a byte-order mark at the start of any line between tokens (and
            // counts it as a column), not only at the start of the text (found by fuzzing:
            // `\r\u{feff}-` is a sequence).
            if self.col == 0
                && self.b[self.i.min(self.b.len())..].starts_with("\u{feff}".as_bytes())
            {
                self.bump();
                self.i += 2;
                continue;
            }
            if self.at(0).is_some_and(is_blank) {
                self.bump();
            } else if !self.bump_break() {
                return;
            }
        }
    }

    fn enter(&mut self) -> Step {
        self.depth += 1;
        if self.depth > self.deepest {
            self.deepest = self.depth;
            self.deepest_line = self.line;
        }
        if self.depth > self.limit {
            return Err(TooDeep {
                line: self.line,
                limit: self.limit,
            });
        }
        Ok(())
    }

    fn close_block_deeper_than(&mut self, col: usize) {
        while self.block.last().is_some_and(|&(c, _)| c > col) {
            self.block.pop();
            self.depth -= 1;
        }
    }

    /// A block collection of `kind` has an entry at `col`: continue it or open it.
    fn open_block(&mut self, col: usize, kind: Kind) -> Step {
        self.close_block_deeper_than(col);
        // A sequence written at its parent key's column ends at the next key there.
        if kind == Kind::Map && self.block.last() == Some(&(col, Kind::Seq)) {
            self.block.pop();
            self.depth -= 1;
        }
        if self.block.last() == Some(&(col, kind)) {
            return Ok(());
        }
        self.block.push((col, kind));
        self.enter()
    }

    /// libyaml's current block indentation (`parser.indent`): -1 outside any collection.
    fn block_indent(&self) -> isize {
        self.block.last().map_or(-1, |&(c, _)| c as isize)
    }

    fn run(&mut self) -> Step {
        loop {
            self.skip_blanks_and_breaks();
            if self.eof() {
                return Ok(());
            }
            if self.col == 0 {
                let marker = |c: u8| {
                    self.at(0) == Some(c)
                        && self.at(1) == Some(c)
                        && self.at(2) == Some(c)
                        && self.blankz_at(3)
                };
                if marker(b'-') || marker(b'.') {
                    let end = self.at(0) == Some(b'.');
                    self.depth -= self.block.len();
                    self.block.clear();
                    for _ in 0..3 {
                        self.bump();
                    }
                    if end {
                        self.skip_to_break();
                        continue;
                    }
                    self.block_tokens()?;
                    continue;
                }
                if self.at(0) == Some(b'%') {
                    self.skip_to_break();
                    continue;
                }
            }
            if self.at(0) == Some(b'#') {
                self.skip_to_break();
                continue;
            }
            self.close_block_deeper_than(self.col);
            self.block_tokens()?;
        }
    }

    /// Tokens in block context up to the end of the line, following multi-line constructs
    /// (flow collections, quoted, plain and block scalars) to their ends. Returns at a line
    /// break, at the end of the text, or at the first non-blank character of a line that
    /// ended a multi-line plain scalar.
    fn block_tokens(&mut self) -> Step {
        // Column where the current node's properties (`&anchor`, `!tag`) began.
        let mut props: Option<usize> = None;
        loop {
            self.skip_blanks();
            let Some(c) = self.at(0) else { return Ok(()) };
            if self.is_break() {
                return Ok(());
            }
            let node_col = props.unwrap_or(self.col);
            match c {
                b'#' => {
                    self.skip_to_break();
                    return Ok(());
                }
                b'-' if self.blankz_at(1) => {
                    self.open_block(self.col, Kind::Seq)?;
                    self.bump();
                    props = None;
                }
                b'?' if self.blankz_at(1) => {
                    self.open_block(self.col, Kind::Map)?;
                    self.bump();
                    props = None;
                }
                b':' if self.blankz_at(1) => {
                    // A value with no key (or after `? key`): libyaml opens a mapping here.
                    self.open_block(node_col, Kind::Map)?;
                    self.bump();
                    props = None;
                }
                b'[' | b'{' => {
                    self.flow_collection()?;
                    props = None;
                    self.after_block_node(node_col)?;
                }
                b']' | b'}' | b',' => {
                    // Unbalanced: a parse error at this point; nothing after it is read.
                    self.bump();
                }
                b'"' | b'\'' => {
                    self.quoted(c);
                    props = None;
                    self.after_block_node(node_col)?;
                }
                b'|' | b'>' => {
                    self.block_scalar();
                    return Ok(());
                }
                b'&' | b'!' => {
                    props.get_or_insert(self.col);
                    self.skip_property();
                }
                b'*' => {
                    self.skip_property();
                    props = None;
                    self.after_block_node(node_col)?;
                }
                _ => {
                    props = None;
                    if self.plain_block(node_col)? {
                        return Ok(());
                    }
                }
            }
        }
    }

    /// After a node in block context: `: ` makes it the key of a mapping at `node_col`.
    fn after_block_node(&mut self, node_col: usize) -> Step {
        self.skip_blanks();
        if self.at(0) == Some(b':') && self.blankz_at(1) {
            self.open_block(node_col, Kind::Map)?;
            self.bump();
        }
        Ok(())
    }

    /// An anchor, alias or tag: up to a blank or a flow indicator. (libyaml allows `[` and
    /// `,` inside tags in block context; ending the tag there can only count more.)
    fn skip_property(&mut self) {
        let anchor = self.at(0) != Some(b'!');
        self.bump();
        while let Some(c) = self.at(0) {
            // Anchor and alias names are libyaml's `IS_ALPHA`: `&a:` is `&a` then `:`.
            let ends_name = anchor && !(c.is_ascii_alphanumeric() || c == b'-' || c == b'_');
            if ends_name || is_blank(c) || is_flow_indicator(c) || self.is_break() {
                break;
            }
            self.bump();
        }
    }

    /// A plain scalar in block context starting at the current character. Returns true when
    /// the scalar ran over line breaks and ended at the first character of a later line
    /// (the caller treats that line afresh); false when the line goes on after it.
    fn plain_block(&mut self, node_col: usize) -> Result<bool, TooDeep> {
        let min_indent = (self.block_indent() + 1).max(0) as usize;
        let first_line = self.line;
        loop {
            // Non-blank run: `: ` ends the scalar as a mapping key.
            while !self.blankz_at(0) {
                if self.at(0) == Some(b':') && self.blankz_at(1) {
                    if self.line == first_line {
                        self.open_block(node_col, Kind::Map)?;
                    }
                    self.bump();
                    return Ok(false);
                }
                self.bump();
            }
            if self.eof() {
                return Ok(false);
            }
            // Whitespace, maybe line breaks: the scalar goes on unless a comment, a document
            // marker or a less indented line follows.
            let mut crossed = false;
            loop {
                if self.at(0).is_some_and(is_blank) {
                    self.bump();
                } else if self.bump_break() {
                    crossed = true;
                } else {
                    break;
                }
            }
            if self.eof() {
                return Ok(crossed);
            }
            if self.at(0) == Some(b'#') {
                if crossed {
                    return Ok(true);
                }
                self.skip_to_break();
                return Ok(false);
            }
            if crossed {
                let marker = self.col == 0
                    && (self.b[self.i..].starts_with(b"---")
                        || self.b[self.i..].starts_with(b"..."))
                    && self.blankz_at(3);
                if marker || self.col < min_indent {
                    return Ok(true);
                }
            }
        }
    }

    /// A single- or double-quoted scalar, over line breaks, to its closing quote.
    fn quoted(&mut self, quote: u8) {
        self.bump();
        while let Some(c) = self.at(0) {
            if self.bump_break() {
                continue;
            }
            if quote == b'"' && c == b'\\' {
                self.bump();
                if !self.is_break() {
                    self.bump();
                }
                continue;
            }
            if c == quote {
                self.bump();
                if quote == b'\'' && self.at(0) == Some(b'\'') {
                    self.bump();
                    continue;
                }
                return;
            }
            self.bump();
        }
    }

    /// A literal or folded block scalar: the header line, then every line indented at least
    /// as far as its content (libyaml's rules for the indentation).
    fn block_scalar(&mut self) {
        let parent = self.block_indent();
        self.bump();
        let mut explicit: Option<usize> = None;
        while let Some(c) = self.at(0) {
            match c {
                b'+' | b'-' => self.bump(),
                b'1'..=b'9' => {
                    explicit = Some(usize::from(c - b'0'));
                    self.bump();
                }
                _ => break,
            }
        }
        self.skip_to_break();
        if !self.bump_break() {
            return;
        }
        let mut indent = explicit.map(|m| if parent >= 0 { parent as usize + m } else { m });
        let mut max_blank = 0;
        loop {
            let line_start = self.i;
            let mut spaces = 0;
            while self.at(0) == Some(b' ') {
                self.bump();
                spaces += 1;
            }
            if self.eof() {
                return;
            }
            if self.is_break() {
                max_blank = max_blank.max(spaces);
                self.bump_break();
                continue;
            }
            let wanted = *indent
                .get_or_insert_with(|| max_blank.max(spaces).max((parent + 1).max(1) as usize));
            if spaces < wanted {
                // The scalar ended; this line belongs to the structure again.
                self.i = line_start;
                self.col = 0;
                return;
            }
            self.skip_to_break();
            self.bump_break();
        }
    }

    /// A flow collection from its opening bracket to the one that closes it, over any
    /// number of lines.
    fn flow_collection(&mut self) -> Step {
        loop {
            self.skip_blanks_and_breaks();
            let Some(c) = self.at(0) else { return Ok(()) };
            match c {
                b'#' => self.skip_to_break(),
                b'[' | b'{' => {
                    self.bump();
                    let kind = if c == b'[' { Kind::Seq } else { Kind::Map };
                    self.flow.push(Flow { kind, pair: false });
                    self.enter()?;
                }
                b']' | b'}' => {
                    self.bump();
                    if let Some(level) = self.flow.pop() {
                        self.depth -= 1 + usize::from(level.pair);
                    }
                    if self.flow.is_empty() {
                        return Ok(());
                    }
                }
                b',' => {
                    self.bump();
                    if let Some(level) = self.flow.last_mut()
                        && level.pair
                    {
                        level.pair = false;
                        self.depth -= 1;
                    }
                }
                b':' | b'?' => {
                    self.bump();
                    // A key or value directly in a flow sequence opens a one-pair mapping.
                    if let Some(level) = self.flow.last_mut()
                        && level.kind == Kind::Seq
                        && !level.pair
                    {
                        level.pair = true;
                        self.enter()?;
                    }
                }
                b'"' | b'\'' => self.quoted(c),
                b'&' | b'!' | b'*' => self.skip_property(),
                _ => self.plain_flow(),
            }
        }
    }

    /// A plain scalar inside a flow collection: up to a flow indicator, `: ` or a comment.
    fn plain_flow(&mut self) {
        loop {
            while let Some(c) = self.at(0) {
                if self.blankz_at(0) || is_flow_indicator(c) {
                    break;
                }
                if c == b':' {
                    let next = self.at(1);
                    if self.blankz_at(1) || next.is_some_and(is_flow_indicator) {
                        return;
                    }
                }
                self.bump();
            }
            match self.at(0) {
                None => return,
                Some(c) if is_flow_indicator(c) => return,
                _ => {}
            }
            self.skip_blanks_and_breaks();
            if self.at(0).is_none_or(|c| c == b'#' || is_flow_indicator(c)) {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(text: &str) -> usize {
        deepest(text).0
    }

    #[test]
    fn block_collections_count_by_indentation() {
        assert_eq!(depth("a: 1\nb: 2\n"), 1);
        assert_eq!(depth("a:\n  b:\n    c: 1\nd: 2\n"), 3);
        assert_eq!(depth("- - - x\n  - y\n"), 3);
        assert_eq!(depth("- a: 1\n  b: 2\n- c: 3\n"), 2);
        // A sequence at its key's column is still nested in the mapping.
        assert_eq!(depth("a:\n- x\n- y\nb: 1\n"), 2);
        assert_eq!(depth("&x a:\n    b: 1\n"), 2);
        // Found by the fuzzer: an anchor name ends where libyaml's does.
        assert_eq!(depth("&2:"), 1);
        assert_eq!(depth("\"a\": {b: [1]}\n"), 3);
    }

    #[test]
    fn flow_collections_count_by_brackets() {
        assert_eq!(depth("[[[]]]"), 3);
        assert_eq!(depth("{\"a\": [{\"b\": \"]]]\"}]}"), 3);
        assert_eq!(depth("a: [1, [2, {x: 3}]]\n"), 4);
        // `[a: b]` opens a one-pair mapping inside the sequence.
        assert_eq!(depth("[a: [b: c]]"), 4);
        assert_eq!(depth("[a:b, c]"), 1);
    }

    #[test]
    fn scalars_and_comments_hide_brackets() {
        assert_eq!(depth("a: see [1 and {2\nb: 'it''s [x' # [[[\n"), 1);
        assert_eq!(depth("a: \"\\\"[[\"\n"), 1);
        assert_eq!(depth("a: text\n  [continued [\nb: 1\n"), 1);
        assert_eq!(depth("a: |\n  [[[[\n  {{{{\nb: >-\n  [[[\n"), 1);
        assert_eq!(depth("a: x#[[\n"), 1);
        assert_eq!(depth("[a, #]]]\n b]"), 1);
    }

    #[test]
    fn a_block_scalar_ends_where_its_indentation_does() {
        // `b:` at the mapping's column ends the scalar; its flow collection counts.
        assert_eq!(depth("- a: |\n  b: [[[x]]]\n"), 5);
        assert_eq!(depth("a: |2\n    [[[\n  [[[\n"), 1);
    }

    #[test]
    fn a_byte_order_mark_at_the_start_of_a_line_is_skipped_as_libyaml_does() {
        assert_eq!(depth("\r\u{feff}-"), 1);
        assert_eq!(depth("\n\u{feff}[[x]]"), 2);
    }

    #[test]
    fn carriage_returns_and_unicode_breaks_end_lines() {
        assert_eq!(depth("a: 1\rb: [[x]]"), 3);
        assert_eq!(depth("a: 1\u{2028}b: [[x]]"), 3);
        assert_eq!(depth("a: 1\u{85}b: [[x]]"), 3);
    }

    #[test]
    fn check_names_the_line_past_the_limit() {
        let text = "a:\n  b: [\n[[x]]]\n";
        assert_eq!(check(text, 4), Err(TooDeep { line: 3, limit: 4 }));
        assert_eq!(check(text, 5), Ok(()));
    }
}
