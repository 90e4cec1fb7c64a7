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

fn tokenize(sdl: &str) -> Vec<Token> {
    let chars: Vec<char> = sdl.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
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
    }
    out
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

/// A parsed SDL document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    pub types: BTreeMap<String, Definition>,
    pub directives: BTreeMap<String, Directive>,
    /// Root operation types: `query`, `mutation`, `subscription` to type names.
    pub roots: BTreeMap<String, String>,
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
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
        while self.eat_punct('@') {
            self.name();
            if self.is_punct('(') {
                self.skip_group('(', ')');
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

    /// `name: Type = default @dir` entries up to the closing bracket.
    fn input_values(&mut self, close: char) -> BTreeMap<String, InputValue> {
        let mut out = BTreeMap::new();
        loop {
            self.skip_descriptions();
            if self.eat_punct(close) || self.peek().is_none() {
                return out;
            }
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
            out.insert(name, InputValue { ty, default });
        }
    }

    fn fields(&mut self) -> BTreeMap<String, Field> {
        let mut out = BTreeMap::new();
        loop {
            self.skip_descriptions();
            if self.eat_punct('}') || self.peek().is_none() {
                return out;
            }
            let Some(name) = self.name() else {
                self.pos += 1;
                continue;
            };
            let args = if self.eat_punct('(') {
                self.input_values(')')
            } else {
                BTreeMap::new()
            };
            if !self.eat_punct(':') {
                continue;
            }
            let ty = self.type_ref();
            self.skip_directives();
            out.insert(name, Field { ty, args });
        }
    }

    fn enum_values(&mut self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        loop {
            self.skip_descriptions();
            if self.eat_punct('}') || self.peek().is_none() {
                return out;
            }
            match self.name() {
                Some(v) => {
                    out.insert(v);
                    self.skip_directives();
                }
                None => self.pos += 1,
            }
        }
    }
}

fn merge(types: &mut BTreeMap<String, Definition>, name: String, def: Definition) {
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
}

/// Parses SDL tolerantly: unknown constructs are skipped.
pub fn parse(sdl: &str) -> Schema {
    let mut p = Parser {
        tokens: tokenize(sdl),
        pos: 0,
    };
    let mut schema = Schema::default();
    while let Some(token) = p.next() {
        let Token::Name(word) = token else { continue };
        let word = if word == "extend" {
            match p.name() {
                Some(w) => w,
                None => continue,
            }
        } else {
            word
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
                let fields = if p.eat_punct('{') {
                    p.fields()
                } else {
                    BTreeMap::new()
                };
                merge(
                    &mut schema.types,
                    name,
                    Definition::Object {
                        kind,
                        implements,
                        fields,
                    },
                );
            }
            "input" => {
                let Some(name) = p.name() else { continue };
                p.skip_directives();
                let fields = if p.eat_punct('{') {
                    p.input_values('}')
                } else {
                    BTreeMap::new()
                };
                merge(&mut schema.types, name, Definition::Input { fields });
            }
            "enum" => {
                let Some(name) = p.name() else { continue };
                p.skip_directives();
                let values = if p.eat_punct('{') {
                    p.enum_values()
                } else {
                    BTreeSet::new()
                };
                merge(&mut schema.types, name, Definition::Enum { values });
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
                merge(&mut schema.types, name, Definition::Union { members });
            }
            "scalar" => {
                let Some(name) = p.name() else { continue };
                p.skip_directives();
                merge(&mut schema.types, name, Definition::Scalar);
            }
            "directive" => {
                if !p.eat_punct('@') {
                    continue;
                }
                let Some(name) = p.name() else { continue };
                let args = if p.eat_punct('(') {
                    p.input_values(')')
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
    schema
}

fn base_name(ty: &str) -> &str {
    ty.trim_matches(|c| c == '[' || c == ']' || c == '!')
}

/// Types reachable from the root operations, split into output and input use.
fn usage(schema: &Schema) -> (BTreeSet<String>, BTreeSet<String>) {
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
                for field in fields.values() {
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
    let (b_out, b_in) = usage(&b);
    let (a_out, a_in) = usage(&a);
    let mut out = Out {
        file,
        changes: Vec::new(),
    };
    for (name, old) in &b.types {
        let used_out = b_out.contains(name) || a_out.contains(name);
        let used_in = b_in.contains(name) || a_in.contains(name);
        if !used_out && !used_in {
            continue;
        }
        let Some(new) = a.types.get(name) else {
            out.push(
                Rule::GraphqlTypeRemoved,
                Severity::Breaking,
                Direction::None,
                name,
                format!("GraphQL {} `{name}` was removed", old.kind()),
            );
            continue;
        };
        match (old, new) {
            (Definition::Object { fields: bf, .. }, Definition::Object { fields: af, .. }) => {
                for (field, bfield) in bf {
                    let at = format!("{name}.{field}");
                    let Some(afield) = af.get(field) else {
                        out.push(
                            Rule::GraphqlFieldRemoved,
                            Severity::Breaking,
                            Direction::Response,
                            &at,
                            format!(
                                "field `{at}` was removed; queries selecting it fail validation"
                            ),
                        );
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
                    // Fewer values only hurts clients that send them.
                    let severity = if used_in {
                        Severity::Breaking
                    } else {
                        Severity::NonBreaking
                    };
                    out.push(
                        Rule::GraphqlFieldRemoved,
                        severity,
                        if used_in {
                            Direction::Request
                        } else {
                            Direction::Response
                        },
                        &format!("{name}.{value}"),
                        format!("enum value `{name}.{value}` was removed"),
                    );
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
