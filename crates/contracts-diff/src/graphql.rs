//! A structural diff of GraphQL SDL: types, fields, arguments, enum values, union members
//! and executable directives, judged by where a type is used (output from root operations,
//! or input through arguments). The SDL is read with a small tolerant parser; whatever it
//! cannot read is still shown in the text diff.

use std::collections::{BTreeMap, BTreeSet};

use crate::change::{Change, Direction, Severity};
use crate::rules::Rule;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Name(String),
    Str(String),
    Punct(char),
}

/// The tokens of `sdl` and, in parallel, the 1-based line each starts on.
fn tokenize(sdl: &str) -> (Vec<Token>, Vec<usize>) {
    let chars: Vec<char> = sdl.chars().collect();
    let mut out = Vec::new();
    let mut lines = Vec::new();
    // Newlines are counted up to each token's start as it is pushed: one pass, no table.
    let (mut line, mut counted) = (1usize, 0usize);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i.min(chars.len());
        line += chars[counted..start].iter().filter(|&&c| c == '\n').count();
        counted = start;
        let before = out.len();
        if c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '"' {
            let block = chars[i..].starts_with(&['"', '"', '"']);
            let start = i;
            if block {
                i += 3;
                while i < chars.len() && !chars[i..].starts_with(&['"', '"', '"']) {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                i += 3;
            } else {
                i += 1;
                while i < chars.len() && chars[i] != '"' && chars[i] != '\n' {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
            }
            out.push(Token::Str(
                chars[start..i.min(chars.len())].iter().collect(),
            ));
        } else if c.is_alphanumeric() || c == '_' || c == '.' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '.')
            {
                i += 1;
            }
            out.push(Token::Name(chars[start..i].iter().collect()));
        } else {
            if !c.is_whitespace() && c != ',' {
                out.push(Token::Punct(c));
            }
            i += 1;
        }
        if out.len() > before {
            lines.push(line);
        }
    }
    (out, lines)
}

/// An argument or input field: its type as written (`[ID!]!`) and default value, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputValue {
    pub ty: String,
    pub default: Option<String>,
}

/// A field of an object or interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub ty: String,
    pub args: BTreeMap<String, InputValue>,
}

/// A named definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Definition {
    /// `type` or `interface`.
    Object {
        kind: &'static str,
        implements: Vec<String>,
        fields: BTreeMap<String, Field>,
    },
    Input {
        fields: BTreeMap<String, InputValue>,
    },
    Enum {
        values: BTreeSet<String>,
    },
    Union {
        members: BTreeSet<String>,
    },
    Scalar,
}

impl Definition {
    fn kind(&self) -> &'static str {
        match self {
            Definition::Object { kind, .. } => kind,
            Definition::Input { .. } => "input",
            Definition::Enum { .. } => "enum",
            Definition::Union { .. } => "union",
            Definition::Scalar => "scalar",
        }
    }
}

/// A directive definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub args: BTreeMap<String, InputValue>,
    pub locations: BTreeSet<String>,
}

/// Something defined twice, which makes the SDL invalid (a server refuses it); the reader
/// merges the definitions (the later one wins) and says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// What, in words: ``type `User` ``, ``field `User.name` ``.
    pub what: String,
    /// Where it is written: `User`, `User.name`, `User.name(first)`, `@cached`.
    pub at: String,
    /// 1-based line of the second definition, and of the first where known.
    pub line: usize,
    pub first_line: Option<usize>,
}

/// A parsed SDL document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    pub types: BTreeMap<String, Definition>,
    pub directives: BTreeMap<String, Directive>,
    /// Root operation types: `query`, `mutation`, `subscription` to type names.
    pub roots: BTreeMap<String, String>,
    /// Types, fields, arguments, enum values and directives defined more than once.
    pub duplicates: Vec<Duplicate>,
    /// Fields and enum values marked `@deprecated` (`Type.member`), with the reason given.
    pub deprecated: BTreeMap<String, String>,
}

struct Parser {
    tokens: Vec<Token>,
    lines: Vec<usize>,
    pos: usize,
    duplicates: Vec<Duplicate>,
    deprecated: BTreeMap<String, String>,
}

impl Parser {
    /// The line of the next token (of the last one at the end).
    fn line(&self) -> usize {
        self.lines
            .get(self.pos)
            .or(self.lines.last())
            .copied()
            .unwrap_or(1)
    }

    /// Notes `name` of `owner` defined again at `line` (first at `first`).
    fn duplicate(&mut self, kind: &str, at: String, line: usize, first: Option<usize>) {
        self.duplicates.push(Duplicate {
            what: format!("{kind} `{at}`"),
            at,
            line,
            first_line: first,
        });
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn is_punct(&self, c: char) -> bool {
        self.peek() == Some(&Token::Punct(c))
    }

    fn eat_punct(&mut self, c: char) -> bool {
        if self.is_punct(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn name(&mut self) -> Option<String> {
        match self.peek() {
            Some(Token::Name(n)) => {
                let n = n.clone();
                self.pos += 1;
                Some(n)
            }
            _ => None,
        }
    }

    fn skip_descriptions(&mut self) {
        while matches!(self.peek(), Some(Token::Str(_))) {
            self.pos += 1;
        }
    }

    /// Skips a balanced group starting at an opening bracket.
    fn skip_group(&mut self, open: char, close: char) -> String {
        let mut text = String::new();
        let mut depth = 0usize;
        while let Some(t) = self.next() {
            match &t {
                Token::Punct(c) if *c == open => depth += 1,
                Token::Punct(c) if *c == close => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        text.push(*c);
                        return text;
                    }
                }
                _ => {}
            }
            match t {
                Token::Name(n) | Token::Str(n) => {
                    text.push_str(&n);
                    text.push(' ');
                }
                Token::Punct(c) => text.push(c),
            }
        }
        text
    }

    fn skip_directives(&mut self) {
        self.directives_of(None);
    }

    /// Skips the directives of a member; one of them `@deprecated` records `at` as deprecated,
    /// with its reason (the spec's default reason when none is written).
    fn directives_of(&mut self, at: Option<&str>) {
        while self.eat_punct('@') {
            let name = self.name();
            let start = self.pos;
            if self.is_punct('(') {
                self.skip_group('(', ')');
            }
            if let (Some("deprecated"), Some(at)) = (name.as_deref(), at) {
                let reason = self.tokens[start..self.pos]
                    .windows(3)
                    .find_map(|w| match w {
                        [Token::Name(key), Token::Punct(':'), Token::Str(reason)]
                            if key == "reason" =>
                        {
                            Some(string_value(reason))
                        }
                        _ => None,
                    })
                    .unwrap_or_else(|| "No longer supported".to_owned());
                self.deprecated.insert(at.to_owned(), reason);
            }
        }
    }

    fn type_ref(&mut self) -> String {
        let mut ty = String::new();
        if self.eat_punct('[') {
            ty.push('[');
            ty.push_str(&self.type_ref());
            self.eat_punct(']');
            ty.push(']');
        } else if let Some(n) = self.name() {
            ty.push_str(&n);
        }
        if self.eat_punct('!') {
            ty.push('!');
        }
        ty
    }

    fn value(&mut self) -> String {
        if self.is_punct('[') {
            return self.skip_group('[', ']');
        }
        if self.is_punct('{') {
            return self.skip_group('{', '}');
        }
        let mut text = String::new();
        if self.eat_punct('-') {
            text.push('-');
        }
        match self.next() {
            Some(Token::Name(n)) | Some(Token::Str(n)) => text.push_str(&n),
            Some(Token::Punct(c)) => text.push(c),
            None => {}
        }
        text
    }

    /// `name: Type = default @dir` entries up to the closing bracket; `owner` and `kind` name
    /// them in duplicates (``argument `User.posts(first)` ``, ``input field `Filter.role` ``).
    fn input_values(
        &mut self,
        close: char,
        owner: &str,
        kind: &str,
    ) -> BTreeMap<String, InputValue> {
        let mut out = BTreeMap::new();
        let mut lines: BTreeMap<String, usize> = BTreeMap::new();
        loop {
            self.skip_descriptions();
            if self.eat_punct(close) || self.peek().is_none() {
                return out;
            }
            let line = self.line();
            let Some(name) = self.name() else {
                self.pos += 1;
                continue;
            };
            if !self.eat_punct(':') {
                continue;
            }
            let ty = self.type_ref();
            let default = self.eat_punct('=').then(|| self.value());
            self.skip_directives();
            if let Some(first) = lines.insert(name.clone(), line) {
                let at = if kind == "argument" {
                    format!("{owner}({name})")
                } else {
                    format!("{owner}.{name}")
                };
                self.duplicate(kind, at, line, Some(first));
            }
            out.insert(name, InputValue { ty, default });
        }
    }

    fn fields(&mut self, owner: &str) -> BTreeMap<String, (Field, usize)> {
        let mut out: BTreeMap<String, (Field, usize)> = BTreeMap::new();
        loop {
            self.skip_descriptions();
            if self.eat_punct('}') || self.peek().is_none() {
                return out;
            }
            let line = self.line();
            let Some(name) = self.name() else {
                self.pos += 1;
                continue;
            };
            let args = if self.eat_punct('(') {
                self.input_values(')', &format!("{owner}.{name}"), "argument")
            } else {
                BTreeMap::new()
            };
            if !self.eat_punct(':') {
                continue;
            }
            let ty = self.type_ref();
            self.directives_of(Some(&format!("{owner}.{name}")));
            if let Some((_, first)) = out.insert(name.clone(), (Field { ty, args }, line)) {
                self.duplicate("field", format!("{owner}.{name}"), line, Some(first));
            }
        }
    }

    fn enum_values(&mut self, owner: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        loop {
            self.skip_descriptions();
            if self.eat_punct('}') || self.peek().is_none() {
                return out;
            }
            let line = self.line();
            match self.name() {
                Some(v) => {
                    if !out.insert(v.clone()) {
                        self.duplicate("enum value", format!("{owner}.{v}"), line, None);
                    }
                    self.directives_of(Some(&format!("{owner}.{v}")));
                }
                None => self.pos += 1,
            }
        }
    }
}

/// Adds a definition, merging it into an earlier one of the same name and kind (an
/// `extend`, or an invalid second definition). Returns the members both define.
fn merge(types: &mut BTreeMap<String, Definition>, name: String, def: Definition) -> Vec<String> {
    let common = match (types.get(&name), &def) {
        (Some(Definition::Object { fields, .. }), Definition::Object { fields: f, .. }) => f
            .keys()
            .filter(|k| fields.contains_key(*k))
            .cloned()
            .collect(),
        (Some(Definition::Input { fields }), Definition::Input { fields: f }) => f
            .keys()
            .filter(|k| fields.contains_key(*k))
            .cloned()
            .collect(),
        (Some(Definition::Enum { values }), Definition::Enum { values: v }) => {
            values.intersection(v).cloned().collect()
        }
        _ => Vec::new(),
    };
    match (types.get_mut(&name), def) {
        (
            Some(Definition::Object {
                fields, implements, ..
            }),
            Definition::Object {
                fields: f,
                implements: i,
                ..
            },
        ) => {
            fields.extend(f);
            implements.extend(i);
        }
        (Some(Definition::Input { fields }), Definition::Input { fields: f }) => fields.extend(f),
        (Some(Definition::Enum { values }), Definition::Enum { values: v }) => values.extend(v),
        (Some(Definition::Union { members }), Definition::Union { members: m }) => {
            members.extend(m)
        }
        (Some(_), _) => {}
        (None, def) => {
            types.insert(name, def);
        }
    }
    common
}

/// Parses SDL tolerantly: unknown constructs are skipped.
pub fn parse(sdl: &str) -> Schema {
    let (tokens, lines) = tokenize(sdl);
    let mut p = Parser {
        tokens,
        lines,
        pos: 0,
        duplicates: Vec::new(),
        deprecated: BTreeMap::new(),
    };
    let mut schema = Schema::default();
    // Where each type and object field was first defined, for the duplicates' messages.
    let mut type_lines: BTreeMap<String, usize> = BTreeMap::new();
    let mut field_lines: BTreeMap<String, usize> = BTreeMap::new();
    while let Some(token) = p.next() {
        let line = p.lines.get(p.pos.saturating_sub(1)).copied().unwrap_or(1);
        let Token::Name(word) = token else { continue };
        let extend = word == "extend";
        let word = if extend {
            match p.name() {
                Some(w) => w,
                None => continue,
            }
        } else {
            word
        };
        // Adds a definition; a second one of the same name (not an `extend`) is invalid SDL,
        // reported once for the type rather than once per member it repeats.
        let mut define = |p: &mut Parser,
                          types: &mut BTreeMap<String, Definition>,
                          name: String,
                          def: Definition,
                          member_lines: &BTreeMap<String, usize>| {
            let kind = def.kind();
            let member_kind = match kind {
                "input" => "input field",
                "enum" => "enum value",
                _ => "field",
            };
            let twice = !extend && types.contains_key(&name);
            if twice {
                p.duplicate(kind, name.clone(), line, type_lines.get(&name).copied());
            } else if !extend {
                type_lines.insert(name.clone(), line);
            }
            for member in merge(types, name.clone(), def) {
                let at = format!("{name}.{member}");
                if !twice {
                    let here = member_lines.get(&member).copied().unwrap_or(line);
                    p.duplicate(member_kind, at.clone(), here, field_lines.get(&at).copied());
                }
            }
            for (member, at_line) in member_lines {
                field_lines
                    .entry(format!("{name}.{member}"))
                    .or_insert(*at_line);
            }
        };
        match word.as_str() {
            "schema" => {
                p.skip_directives();
                if p.eat_punct('{') {
                    while let Some(op) = p.name() {
                        p.eat_punct(':');
                        if let Some(ty) = p.name() {
                            schema.roots.insert(op, ty);
                        }
                    }
                    p.eat_punct('}');
                }
            }
            "type" | "interface" => {
                let kind = if word == "type" { "type" } else { "interface" };
                let Some(name) = p.name() else { continue };
                let mut implements = Vec::new();
                if p.peek() == Some(&Token::Name("implements".to_owned())) {
                    p.pos += 1;
                    p.eat_punct('&');
                    while let Some(i) = p.name() {
                        implements.push(i);
                        if !p.eat_punct('&') {
                            break;
                        }
                    }
                }
                p.skip_directives();
                let with_lines = if p.eat_punct('{') {
                    p.fields(&name)
                } else {
                    BTreeMap::new()
                };
                let member_lines = with_lines
                    .iter()
                    .map(|(f, (_, l))| (f.clone(), *l))
                    .collect();
                let fields = with_lines
                    .into_iter()
                    .map(|(f, (field, _))| (f, field))
                    .collect();
                define(
                    &mut p,
                    &mut schema.types,
                    name,
                    Definition::Object {
                        kind,
                        implements,
                        fields,
                    },
                    &member_lines,
                );
            }
            "input" => {
                let Some(name) = p.name() else { continue };
                p.skip_directives();
                let fields = if p.eat_punct('{') {
                    p.input_values('}', &name, "input field")
                } else {
                    BTreeMap::new()
                };
                define(
                    &mut p,
                    &mut schema.types,
                    name,
                    Definition::Input { fields },
                    &BTreeMap::new(),
                );
            }
            "enum" => {
                let Some(name) = p.name() else { continue };
                p.skip_directives();
                let values = if p.eat_punct('{') {
                    p.enum_values(&name)
                } else {
                    BTreeSet::new()
                };
                define(
                    &mut p,
                    &mut schema.types,
                    name,
                    Definition::Enum { values },
                    &BTreeMap::new(),
                );
            }
            "union" => {
                let Some(name) = p.name() else { continue };
                p.skip_directives();
                let mut members = BTreeSet::new();
                if p.eat_punct('=') {
                    p.eat_punct('|');
                    while let Some(m) = p.name() {
                        members.insert(m);
                        if !p.eat_punct('|') {
                            break;
                        }
                    }
                }
                define(
                    &mut p,
                    &mut schema.types,
                    name,
                    Definition::Union { members },
                    &BTreeMap::new(),
                );
            }
            "scalar" => {
                let Some(name) = p.name() else { continue };
                p.skip_directives();
                define(
                    &mut p,
                    &mut schema.types,
                    name,
                    Definition::Scalar,
                    &BTreeMap::new(),
                );
            }
            "directive" => {
                if !p.eat_punct('@') {
                    continue;
                }
                let Some(name) = p.name() else { continue };
                let args = if p.eat_punct('(') {
                    p.input_values(')', &format!("@{name}"), "argument")
                } else {
                    BTreeMap::new()
                };
                if p.peek() == Some(&Token::Name("repeatable".to_owned())) {
                    p.pos += 1;
                }
                let mut locations = BTreeSet::new();
                if p.peek() == Some(&Token::Name("on".to_owned())) {
                    p.pos += 1;
                    p.eat_punct('|');
                    while let Some(l) = p.name() {
                        locations.insert(l);
                        if !p.eat_punct('|') {
                            break;
                        }
                    }
                }
                if schema.directives.contains_key(&name) {
                    p.duplicate("directive", format!("@{name}"), line, None);
                }
                schema
                    .directives
                    .insert(name, Directive { args, locations });
            }
            _ => {}
        }
    }
    for (op, default) in [
        ("query", "Query"),
        ("mutation", "Mutation"),
        ("subscription", "Subscription"),
    ] {
        if !schema.roots.contains_key(op) && schema.types.contains_key(default) {
            schema.roots.insert(op.to_owned(), default.to_owned());
        }
    }
    schema.duplicates = p.duplicates;
    schema.deprecated = p.deprecated;
    schema
}

fn base_name(ty: &str) -> &str {
    ty.trim_matches(|c| c == '[' || c == ']' || c == '!')
}

/// Types reachable from the root operations, split into output and input use; with
/// `past_deprecated` false, only through fields that are not deprecated.
fn usage(schema: &Schema, past_deprecated: bool) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut output = BTreeSet::new();
    let mut input = BTreeSet::new();
    let mut stack: Vec<(String, bool)> =
        schema.roots.values().map(|r| (r.clone(), false)).collect();
    while let Some((name, is_input)) = stack.pop() {
        let seen = if is_input { &mut input } else { &mut output };
        if !seen.insert(name.clone()) {
            continue;
        }
        match schema.types.get(&name) {
            Some(Definition::Object { kind, fields, .. }) => {
                for (field_name, field) in fields {
                    if !past_deprecated
                        && schema
                            .deprecated
                            .contains_key(&format!("{name}.{field_name}"))
                    {
                        continue;
                    }
                    stack.push((base_name(&field.ty).to_owned(), false));
                    for arg in field.args.values() {
                        stack.push((base_name(&arg.ty).to_owned(), true));
                    }
                }
                if *kind == "interface" {
                    for (other, def) in &schema.types {
                        if let Definition::Object { implements, .. } = def
                            && implements.contains(&name)
                        {
                            stack.push((other.clone(), false));
                        }
                    }
                }
            }
            Some(Definition::Union { members }) => {
                stack.extend(members.iter().map(|m| (m.clone(), false)))
            }
            Some(Definition::Input { fields }) => {
                stack.extend(fields.values().map(|f| (base_name(&f.ty).to_owned(), true)));
            }
            _ => {}
        }
    }
    (output, input)
}

const EXECUTABLE_LOCATIONS: &[&str] = &[
    "QUERY",
    "MUTATION",
    "SUBSCRIPTION",
    "FIELD",
    "FRAGMENT_DEFINITION",
    "FRAGMENT_SPREAD",
    "INLINE_FRAGMENT",
    "VARIABLE_DEFINITION",
];

struct Out<'a> {
    file: &'a str,
    changes: Vec<Change>,
}

impl Out<'_> {
    fn push(&mut self, rule: Rule, severity: Severity, dir: Direction, at: &str, message: String) {
        self.changes.push(Change::new(
            rule,
            severity,
            dir,
            format!("{}#{at}", self.file),
            message,
        ));
    }
}

/// The text of a string token as written (`"…"` or a block string `"""…"""`), quotes off and
/// `\"` read as a quote; other escapes are kept as written (the text is only shown).
fn string_value(token: &str) -> String {
    let inner = token
        .strip_prefix("\"\"\"")
        .and_then(|t| t.strip_suffix("\"\"\""))
        .or_else(|| token.strip_prefix('"').and_then(|t| t.strip_suffix('"')))
        .unwrap_or(token);
    inner.replace("\\\"", "\"")
}

/// A deprecation reason for a message: one line, bounded, escaped where it is shown.
fn quoted_reason(reason: &str) -> String {
    let line: String = reason.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut short: String = line.chars().take(200).collect();
    if short.len() < line.len() {
        short.push('…');
    }
    format!("“{short}”")
}

/// Compares two input-value types: `T` to `T!` narrows, `T!` to `T` widens, others change.
fn input_type_change(old: &str, new: &str) -> Option<Severity> {
    if old == new {
        None
    } else if format!("{old}!") == new {
        Some(Severity::Breaking)
    } else if old == format!("{new}!") {
        Some(Severity::NonBreaking)
    } else {
        Some(Severity::Breaking)
    }
}

fn output_type_change(old: &str, new: &str) -> Option<Severity> {
    if old == new {
        None
    } else if format!("{new}!") == old {
        Some(Severity::Breaking)
    } else if old.to_owned() + "!" == new {
        Some(Severity::NonBreaking)
    } else {
        Some(Severity::Breaking)
    }
}

fn diff_input_values(
    out: &mut Out<'_>,
    at: &str,
    what: &str,
    before: &BTreeMap<String, InputValue>,
    after: &BTreeMap<String, InputValue>,
) {
    let dir = Direction::Request;
    for (name, old) in before {
        let Some(new) = after.get(name) else {
            out.push(
                Rule::GraphqlArgumentChanged,
                Severity::Breaking,
                dir,
                &format!("{at}({name})"),
                format!("{what} `{name}` of `{at}` was removed"),
            );
            continue;
        };
        if let Some(severity) = input_type_change(&old.ty, &new.ty) {
            out.push(
                Rule::GraphqlTypeChanged,
                severity,
                dir,
                &format!("{at}({name})"),
                format!(
                    "{what} `{name}` of `{at}` changed type from `{}` to `{}`",
                    old.ty, new.ty
                ),
            );
        }
        if old.default != new.default {
            let severity = if old.default.is_some() {
                Severity::PotentiallyBreaking
            } else {
                Severity::NonBreaking
            };
            out.push(
                Rule::DefaultChanged,
                severity,
                dir,
                &format!("{at}({name})"),
                format!(
                    "default of {what} `{name}` of `{at}` changed from {} to {}",
                    old.default.as_deref().unwrap_or("none"),
                    new.default.as_deref().unwrap_or("none")
                ),
            );
        }
    }
    for (name, new) in after {
        if !before.contains_key(name) {
            let required = new.ty.ends_with('!') && new.default.is_none();
            out.push(
                Rule::GraphqlArgumentChanged,
                if required {
                    Severity::Breaking
                } else {
                    Severity::NonBreaking
                },
                dir,
                &format!("{at}({name})"),
                format!(
                    "new {}{what} `{name}` of `{at}`",
                    if required { "required " } else { "optional " }
                ),
            );
        }
    }
}

/// Every structural change between two SDL texts.
pub fn diff(file: &str, before: &str, after: &str) -> Vec<Change> {
    let b = parse(before);
    let a = parse(after);
    let (b_out, b_in) = usage(&b, true);
    let (a_out, a_in) = usage(&a, true);
    // What clients could reach without a deprecated field: a type only reachable through
    // deprecated fields had notice when it goes (issue 13 item 3).
    let (b_live_out, b_live_in) = usage(&b, false);
    let mut out = Out {
        file,
        changes: Vec::new(),
    };
    // Invalid SDL is compared as read (definitions merged), never silently: each thing the
    // head defines twice is a finding at its line. New ones may stop the server from starting.
    for dup in &a.duplicates {
        let known = b.duplicates.iter().any(|d| d.what == dup.what);
        let first = dup
            .first_line
            .map(|l| format!(", first at line {l}"))
            .unwrap_or_default();
        let mut change = Change::new(
            Rule::GraphqlSdlInvalid,
            if known {
                Severity::NonBreaking
            } else {
                Severity::PotentiallyBreaking
            },
            Direction::None,
            format!("{file}#{}", dup.at),
            format!(
                "{} is defined twice (line {}{first}): the SDL is invalid and a GraphQL server refuses it; it was compared with the definitions merged, the later one winning{}",
                dup.what,
                dup.line,
                if known {
                    " (already so in the base version)"
                } else {
                    ""
                }
            ),
        );
        change.line = Some(dup.line);
        out.changes.push(change);
    }
    for (name, old) in &b.types {
        let used_out = b_out.contains(name) || a_out.contains(name);
        let used_in = b_in.contains(name) || a_in.contains(name);
        if !used_out && !used_in {
            continue;
        }
        let Some(new) = a.types.get(name) else {
            if b_live_out.contains(name) || b_live_in.contains(name) {
                out.push(
                    Rule::GraphqlTypeRemoved,
                    Severity::Breaking,
                    Direction::None,
                    name,
                    format!("GraphQL {} `{name}` was removed", old.kind()),
                );
            } else {
                out.push(
                    Rule::GraphqlDeprecatedRemoved,
                    Severity::PotentiallyBreaking,
                    Direction::None,
                    name,
                    format!(
                        "GraphQL {} `{name}` was removed; clients could reach it only through deprecated fields",
                        old.kind()
                    ),
                );
            }
            continue;
        };
        match (old, new) {
            (Definition::Object { fields: bf, .. }, Definition::Object { fields: af, .. }) => {
                for (field, bfield) in bf {
                    let at = format!("{name}.{field}");
                    let Some(afield) = af.get(field) else {
                        match b.deprecated.get(&at) {
                            Some(reason) => out.push(
                                Rule::GraphqlDeprecatedRemoved,
                                Severity::PotentiallyBreaking,
                                Direction::Response,
                                &at,
                                format!(
                                    "field `{at}` was removed after its deprecation ({}); queries still selecting it fail validation",
                                    quoted_reason(reason)
                                ),
                            ),
                            None => out.push(
                                Rule::GraphqlFieldRemoved,
                                Severity::Breaking,
                                Direction::Response,
                                &at,
                                format!(
                                    "field `{at}` was removed; queries selecting it fail validation"
                                ),
                            ),
                        }
                        continue;
                    };
                    if let Some(severity) = output_type_change(&bfield.ty, &afield.ty) {
                        out.push(
                            Rule::GraphqlTypeChanged,
                            severity,
                            Direction::Response,
                            &at,
                            format!(
                                "field `{at}` changed type from `{}` to `{}`",
                                bfield.ty, afield.ty
                            ),
                        );
                    }
                    diff_input_values(&mut out, &at, "argument", &bfield.args, &afield.args);
                }
                for field in af.keys().filter(|f| !bf.contains_key(*f)) {
                    out.push(
                        Rule::GraphqlFieldAdded,
                        Severity::NonBreaking,
                        Direction::Response,
                        &format!("{name}.{field}"),
                        format!("new field `{name}.{field}`"),
                    );
                }
            }
            (Definition::Input { fields: bf }, Definition::Input { fields: af }) => {
                diff_input_values(&mut out, name, "input field", bf, af);
            }
            (Definition::Enum { values: bv }, Definition::Enum { values: av }) => {
                for value in bv.difference(av) {
                    let at = format!("{name}.{value}");
                    let direction = if used_in {
                        Direction::Request
                    } else {
                        Direction::Response
                    };
                    // Fewer values only hurts clients that send them, and those had notice
                    // when the value was deprecated.
                    match b.deprecated.get(&at) {
                        Some(reason) if used_in => out.push(
                            Rule::GraphqlDeprecatedRemoved,
                            Severity::PotentiallyBreaking,
                            direction,
                            &at,
                            format!(
                                "enum value `{at}` was removed after its deprecation ({})",
                                quoted_reason(reason)
                            ),
                        ),
                        _ => out.push(
                            Rule::GraphqlFieldRemoved,
                            if used_in {
                                Severity::Breaking
                            } else {
                                Severity::NonBreaking
                            },
                            direction,
                            &at,
                            format!("enum value `{at}` was removed"),
                        ),
                    }
                }
                for value in av.difference(bv) {
                    let severity = if used_out {
                        Severity::PotentiallyBreaking
                    } else {
                        Severity::NonBreaking
                    };
                    out.push(
                        Rule::EnumValueAdded,
                        severity,
                        if used_out { Direction::Response } else { Direction::Request },
                        &format!("{name}.{value}"),
                        format!("enum value `{name}.{value}` was added; clients switching over the values may not handle it"),
                    );
                }
            }
            (Definition::Union { members: bm }, Definition::Union { members: am }) => {
                for m in bm.difference(am) {
                    out.push(
                        Rule::UnionMemberRemoved,
                        Severity::Breaking,
                        Direction::Response,
                        &format!("{name}|{m}"),
                        format!("`{m}` is no longer a member of union `{name}`; fragments on it fail validation"),
                    );
                }
                for m in am.difference(bm) {
                    // Potentially breaking, like an added output enum value: clients that
                    // switch over `__typename` may not handle the new member.
                    out.push(
                        Rule::UnionMemberAdded,
                        Severity::PotentiallyBreaking,
                        Direction::Response,
                        &format!("{name}|{m}"),
                        format!("`{m}` was added to union `{name}`; clients may receive a type they do not handle"),
                    );
                }
            }
            (old, new) if old.kind() != new.kind() => out.push(
                Rule::GraphqlTypeChanged,
                Severity::Breaking,
                Direction::None,
                name,
                format!("`{name}` changed from {} to {}", old.kind(), new.kind()),
            ),
            _ => {}
        }
    }
    for (name, old) in &b.directives {
        let executable = |d: &Directive| {
            d.locations
                .iter()
                .any(|l| EXECUTABLE_LOCATIONS.contains(&l.as_str()))
        };
        if !executable(old) {
            continue;
        }
        let at = format!("@{name}");
        let Some(new) = a.directives.get(name) else {
            out.push(
                Rule::GraphqlTypeRemoved,
                Severity::Breaking,
                Direction::Request,
                &at,
                format!("executable directive `@{name}` was removed"),
            );
            continue;
        };
        for location in old.locations.difference(&new.locations) {
            out.push(
                Rule::GraphqlArgumentChanged,
                Severity::Breaking,
                Direction::Request,
                &at,
                format!("directive `@{name}` can no longer be used on {location}"),
            );
        }
        diff_input_values(&mut out, &at, "argument", &old.args, &new.args);
    }
    out.changes
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEFORE: &str = r#"
        """A user"""
        type User implements Node @key(fields: "id") {
          id: ID!
          "the name"
          name(format: String = "full"): String @deprecated(reason: "use fullName")
          posts(first: Int = 10): [Post!]!
          role: Role
        }
        interface Node { id: ID! }
        type Post { id: ID! }
        enum Role { ADMIN USER }
        union Result = User | Post
        input UserFilter { role: Role, name: String }
        # type Ghost { x: Int }
        type Unused { x: Int }
        type Query { user(id: ID!, filter: UserFilter): User search: [Result!]! }
        directive @cached(ttl: Int) on FIELD | QUERY
    "#;

    fn ids(before: &str, after: &str) -> Vec<(String, Severity)> {
        diff("s.graphql", before, after)
            .iter()
            .map(|c| (format!("{} {}", c.rule.id(), c.pointer), c.severity))
            .collect()
    }

    /// (rule, pointer, severity, line, message) of every change.
    fn found(before: &str, after: &str) -> Vec<(String, Severity, Option<usize>, String)> {
        diff("s.graphql", before, after)
            .into_iter()
            .map(|c| {
                (
                    format!("{} {}", c.rule.id(), c.pointer),
                    c.severity,
                    c.line,
                    c.message,
                )
            })
            .collect()
    }

    #[test]
    fn a_field_defined_twice_is_reported_and_a_removal_still_caught() {
        let before = "type Query { user: User }\ntype User {\n  id: ID!\n  name: String\n  role: String\n}\n";
        let after =
            "type Query { user: User }\ntype User {\n  id: ID!\n  name: String\n  name: Int\n}\n";
        assert_eq!(
            found(before, after),
            [
                (
                    "graphql-sdl-invalid s.graphql#User.name".to_owned(),
                    Severity::PotentiallyBreaking,
                    Some(5),
                    "field `User.name` is defined twice (line 5, first at line 4): the SDL is invalid and a GraphQL server refuses it; it was compared with the definitions merged, the later one winning".to_owned()
                ),
                (
                    "graphql-type-changed s.graphql#User.name".to_owned(),
                    Severity::Breaking,
                    None,
                    "field `User.name` changed type from `String` to `Int`".to_owned()
                ),
                (
                    "graphql-field-removed s.graphql#User.role".to_owned(),
                    Severity::Breaking,
                    None,
                    "field `User.role` was removed; queries selecting it fail validation".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn a_type_defined_twice_is_one_finding_and_removals_are_still_caught() {
        let before = "type Query { user: User }\ntype User { id: ID! name: String role: String }\n";
        // The second definition repeats `id`; `role` is in neither.
        let after = "type Query { user: User }\ntype User { id: ID! name: String }\n\ntype User { id: ID! }\n";
        let changes = found(before, after);
        assert_eq!(
            changes
                .iter()
                .map(|(id, severity, line, _)| (id.as_str(), *severity, *line))
                .collect::<Vec<_>>(),
            [
                (
                    "graphql-sdl-invalid s.graphql#User",
                    Severity::PotentiallyBreaking,
                    Some(4)
                ),
                (
                    "graphql-field-removed s.graphql#User.role",
                    Severity::Breaking,
                    None
                ),
            ]
        );
        assert!(
            changes[0]
                .3
                .starts_with("type `User` is defined twice (line 4, first at line 2)"),
            "{}",
            changes[0].3
        );
        // Already invalid in the base: still shown, but it is not this change's doing.
        let same = found(after, after);
        assert_eq!(
            same.iter()
                .map(|(id, severity, ..)| (id.as_str(), *severity))
                .collect::<Vec<_>>(),
            [("graphql-sdl-invalid s.graphql#User", Severity::NonBreaking)]
        );
        assert!(
            same[0].3.ends_with("(already so in the base version)"),
            "{}",
            same[0].3
        );
    }

    #[test]
    fn an_extension_repeating_a_field_enum_values_arguments_and_directives_are_duplicates() {
        let sdl = "type Query { user(id: ID, id: ID): User }\ntype User { id: ID! }\nextend type User { id: ID! email: String }\nenum Role { A B A }\ndirective @d on FIELD\ndirective @d on QUERY\n";
        let dups: Vec<(String, usize, Option<usize>)> = parse(sdl)
            .duplicates
            .into_iter()
            .map(|d| (d.what, d.line, d.first_line))
            .collect();
        assert_eq!(
            dups,
            [
                ("argument `Query.user(id)`".to_owned(), 1, Some(1)),
                ("field `User.id`".to_owned(), 3, Some(2)),
                ("enum value `Role.A`".to_owned(), 4, None),
                ("directive `@d`".to_owned(), 6, None),
            ]
        );
        // An extension adding new fields is valid.
        assert!(
            parse("type User { id: ID! }\nextend type User { email: String }\n")
                .duplicates
                .is_empty()
        );
    }

    #[test]
    fn parses_types_fields_arguments_and_defaults() {
        let s = parse(BEFORE);
        let Some(Definition::Object {
            fields, implements, ..
        }) = s.types.get("User")
        else {
            panic!("User is an object")
        };
        assert_eq!(implements, &["Node"]);
        assert_eq!(fields["posts"].ty, "[Post!]!");
        assert_eq!(fields["posts"].args["first"].default.as_deref(), Some("10"));
        assert_eq!(
            fields["name"].args["format"].default.as_deref(),
            Some("\"full\"")
        );
        assert!(!s.types.contains_key("Ghost"));
        assert_eq!(s.directives["cached"].locations.len(), 2);
    }

    #[test]
    fn identical_schemas_and_unused_types_give_nothing() {
        assert!(ids(BEFORE, BEFORE).is_empty());
        assert!(ids(BEFORE, &BEFORE.replace("type Unused { x: Int }", "")).is_empty());
    }

    #[test]
    fn removing_what_was_deprecated_is_potentially_breaking_and_quotes_the_reason() {
        let before = r#"
type Query { issue: Issue, filter(state: State): Int }
type Issue {
  title: String
  projectNext: ProjectNext @deprecated(reason: "Use `projectV2`. Removal on 2023-01-01 UTC.")
  legacy: String @deprecated
  kept: ProjectNext
}
type ProjectNext { id: ID }
type OldOnly { id: ID }
enum State { OPEN OLD @deprecated(reason: "gone soon") CLOSED }
"#;
        // A deprecated field, a bare `@deprecated` field and a deprecated input enum value go.
        let after = before
            .replace("  projectNext: ProjectNext @deprecated(reason: \"Use `projectV2`. Removal on 2023-01-01 UTC.\")\n", "")
            .replace("  legacy: String @deprecated\n", "")
            .replace("OLD @deprecated(reason: \"gone soon\") ", "");
        let changes = diff("s.graphql", before, &after);
        let found: Vec<(&str, Severity, &str)> = changes
            .iter()
            .map(|c| (c.rule.id(), c.severity, c.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "graphql-deprecated-removed",
                    Severity::PotentiallyBreaking,
                    "field `Issue.legacy` was removed after its deprecation (“No longer supported”); queries still selecting it fail validation"
                ),
                (
                    "graphql-deprecated-removed",
                    Severity::PotentiallyBreaking,
                    "field `Issue.projectNext` was removed after its deprecation (“Use `projectV2`. Removal on 2023-01-01 UTC.”); queries still selecting it fail validation"
                ),
                (
                    "graphql-deprecated-removed",
                    Severity::PotentiallyBreaking,
                    "enum value `State.OLD` was removed after its deprecation (“gone soon”)"
                ),
            ],
        );
        // A type reachable only through deprecated fields goes with them; one still reachable
        // through a live field is breaking.
        let only_deprecated = before.replace("  kept: ProjectNext\n", "");
        let gone = only_deprecated
            .replace("  projectNext: ProjectNext @deprecated(reason: \"Use `projectV2`. Removal on 2023-01-01 UTC.\")\n", "")
            .replace("type ProjectNext { id: ID }\n", "");
        assert!(
            ids(&only_deprecated, &gone).contains(&(
                "graphql-deprecated-removed s.graphql#ProjectNext".to_owned(),
                Severity::PotentiallyBreaking
            )),
            "{:?}",
            ids(&only_deprecated, &gone)
        );
        let still_used = before.replace("type ProjectNext { id: ID }\n", "");
        assert!(ids(before, &still_used).contains(&(
            "graphql-type-removed s.graphql#ProjectNext".to_owned(),
            Severity::Breaking
        )));
    }

    #[test]
    fn removals_nullability_and_arguments_are_judged() {
        let changed = BEFORE
            .replace("type Post { id: ID! }", "type Post { id: ID }")
            .replace(
                "user(id: ID!, filter: UserFilter)",
                "user(id: ID!, filter: UserFilter, limit: Int!)",
            )
            .replace("posts(first: Int = 10)", "posts(first: Int = 20)");
        let got = ids(BEFORE, &changed);
        assert!(
            got.contains(&(
                "graphql-type-changed s.graphql#Post.id".to_owned(),
                Severity::Breaking
            )),
            "{got:?}"
        );
        assert!(got.contains(&(
            "graphql-argument-changed s.graphql#Query.user(limit)".to_owned(),
            Severity::Breaking
        )));
        assert!(got.contains(&(
            "default-changed s.graphql#User.posts(first)".to_owned(),
            Severity::PotentiallyBreaking
        )));
        let removed = BEFORE.replace("role: Role\n", "");
        assert_eq!(
            ids(BEFORE, &removed),
            [(
                "graphql-field-removed s.graphql#User.role".to_owned(),
                Severity::Breaking
            )]
        );
    }

    #[test]
    fn enum_and_union_changes_depend_on_use() {
        // Role is used in input (UserFilter) and output (User.role): removal breaks senders.
        let fewer = BEFORE.replace("ADMIN USER", "USER");
        assert_eq!(
            ids(BEFORE, &fewer),
            [(
                "graphql-field-removed s.graphql#Role.ADMIN".to_owned(),
                Severity::Breaking
            )]
        );
        let more = BEFORE.replace("ADMIN USER", "ADMIN USER GUEST");
        assert_eq!(
            ids(BEFORE, &more),
            [(
                "enum-value-added s.graphql#Role.GUEST".to_owned(),
                Severity::PotentiallyBreaking
            )]
        );
        let union = BEFORE.replace("union Result = User | Post", "union Result = User");
        assert_eq!(
            ids(BEFORE, &union),
            [(
                "union-member-removed s.graphql#Result|Post".to_owned(),
                Severity::Breaking
            )]
        );
        // A new member is potentially breaking, like a new output enum value.
        let wider = BEFORE.replace(
            "union Result = User | Post",
            "union Result = User | Post | Unused",
        );
        assert_eq!(
            ids(BEFORE, &wider),
            [(
                "union-member-added s.graphql#Result|Unused".to_owned(),
                Severity::PotentiallyBreaking
            )]
        );
    }

    #[test]
    fn executable_directive_changes() {
        let gone = BEFORE.replace("directive @cached(ttl: Int) on FIELD | QUERY", "");
        assert_eq!(
            ids(BEFORE, &gone),
            [(
                "graphql-type-removed s.graphql#@cached".to_owned(),
                Severity::Breaking
            )]
        );
        let fewer = BEFORE.replace("on FIELD | QUERY", "on FIELD");
        assert_eq!(
            ids(BEFORE, &fewer),
            [(
                "graphql-argument-changed s.graphql#@cached".to_owned(),
                Severity::Breaking
            )]
        );
    }
}
