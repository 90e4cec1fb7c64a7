//! Cheap structural checks of GraphQL SDL: removed types and removed fields or enum values.
//! Everything else in a GraphQL change is shown as a text diff.

use std::collections::{BTreeMap, BTreeSet};

use crate::change::{Change, Direction, Severity};
use crate::rules::Rule;

/// A named type with the names of its fields (or enum values, or input fields).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TypeShape {
    pub kind: String,
    pub members: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Name(String),
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
            if chars[i..].starts_with(&['"', '"', '"']) {
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
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
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

/// The types of an SDL document with their members. Extensions add to their type.
pub fn shapes(sdl: &str) -> BTreeMap<String, TypeShape> {
    let tokens = tokenize(sdl);
    let mut out: BTreeMap<String, TypeShape> = BTreeMap::new();
    let mut i = 0;
    while i < tokens.len() {
        let Token::Name(word) = &tokens[i] else {
            i += 1;
            continue;
        };
        let kind = word.as_str();
        if !["type", "interface", "input", "enum", "union", "scalar"].contains(&kind) {
            i += 1;
            continue;
        }
        let Some(Token::Name(name)) = tokens.get(i + 1) else {
            i += 1;
            continue;
        };
        let shape = out.entry(name.clone()).or_insert_with(|| TypeShape {
            kind: kind.to_owned(),
            members: BTreeSet::new(),
        });
        i += 2;
        // Skip to the body (or to the next definition for bodiless ones).
        let mut parens = 0usize;
        while i < tokens.len() {
            match &tokens[i] {
                Token::Punct('(') => parens += 1,
                Token::Punct(')') => parens = parens.saturating_sub(1),
                Token::Punct('{') if parens == 0 => break,
                Token::Name(n)
                    if parens == 0
                        && [
                            "type",
                            "interface",
                            "input",
                            "enum",
                            "union",
                            "scalar",
                            "extend",
                            "schema",
                            "directive",
                        ]
                        .contains(&n.as_str())
                        && !matches!(tokens.get(i.wrapping_sub(1)), Some(Token::Punct('@'))) =>
                {
                    break;
                }
                _ => {}
            }
            i += 1;
        }
        if !matches!(tokens.get(i), Some(Token::Punct('{'))) {
            continue;
        }
        i += 1;
        let mut depth_paren = 0usize;
        let mut depth_brace = 0usize;
        let mut after_at = false;
        while i < tokens.len() {
            match &tokens[i] {
                Token::Punct('}') if depth_brace == 0 && depth_paren == 0 => {
                    i += 1;
                    break;
                }
                Token::Punct('{') => depth_brace += 1,
                Token::Punct('}') => depth_brace = depth_brace.saturating_sub(1),
                Token::Punct('(') => depth_paren += 1,
                Token::Punct(')') => depth_paren = depth_paren.saturating_sub(1),
                Token::Punct('@') => after_at = true,
                Token::Name(member) if depth_paren == 0 && depth_brace == 0 => {
                    if after_at {
                        after_at = false;
                    } else {
                        let next = tokens.get(i + 1);
                        let is_member = if kind == "enum" {
                            true
                        } else {
                            matches!(next, Some(Token::Punct(':')) | Some(Token::Punct('(')))
                                && !matches!(tokens.get(i.wrapping_sub(1)), Some(Token::Punct(':')))
                        };
                        if is_member {
                            shape.members.insert(member.clone());
                        }
                    }
                }
                _ => {}
            }
            i += 1;
        }
    }
    out
}

/// Removed types and removed members between two SDL texts.
pub fn removals(file: &str, before: &str, after: &str) -> Vec<Change> {
    let b = shapes(before);
    let a = shapes(after);
    let mut out = Vec::new();
    for (name, shape) in &b {
        match a.get(name) {
            None => out.push(Change::new(
                Rule::GraphqlTypeRemoved,
                Severity::Breaking,
                Direction::None,
                format!("{file}#{name}"),
                format!("GraphQL {} `{name}` was removed", shape.kind),
            )),
            Some(new) => {
                for member in shape.members.difference(&new.members) {
                    let what = if shape.kind == "enum" {
                        "value"
                    } else {
                        "field"
                    };
                    out.push(Change::new(
                        Rule::GraphqlFieldRemoved,
                        Severity::Breaking,
                        Direction::None,
                        format!("{file}#{name}.{member}"),
                        format!("{what} `{name}.{member}` was removed"),
                    ));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEFORE: &str = r#"
        """A user"""
        type User @key(fields: "id") {
          id: ID!
          "the name"
          name(format: String = "full"): String @deprecated(reason: "use fullName")
          posts: [Post!]!
        }
        type Post { id: ID! }
        enum Role { ADMIN USER }
        # type Ghost { x: Int }
        type Query { user(id: ID!): User }
    "#;

    #[test]
    fn finds_types_fields_and_enum_values_ignoring_comments_and_strings() {
        let s = shapes(BEFORE);
        assert_eq!(
            s.keys().collect::<Vec<_>>(),
            ["Post", "Query", "Role", "User"]
        );
        assert_eq!(
            s["User"].members.iter().collect::<Vec<_>>(),
            ["id", "name", "posts"]
        );
        assert_eq!(
            s["Role"].members.iter().collect::<Vec<_>>(),
            ["ADMIN", "USER"]
        );
    }

    #[test]
    fn reports_removed_type_field_and_value() {
        let after = BEFORE
            .replace("type Post { id: ID! }", "")
            .replace("posts: [Post!]!", "")
            .replace("ADMIN USER", "USER");
        let changes = removals("schema.graphql", BEFORE, &after);
        let ids: Vec<(&str, &str)> = changes
            .iter()
            .map(|c| (c.rule.id(), c.pointer.as_str()))
            .collect();
        assert_eq!(
            ids,
            [
                ("graphql-type-removed", "schema.graphql#Post"),
                ("graphql-field-removed", "schema.graphql#Role.ADMIN"),
                ("graphql-field-removed", "schema.graphql#User.posts"),
            ]
        );
    }

    #[test]
    fn additions_are_not_removals() {
        let after = BEFORE.replace("id: ID!\n", "id: ID!\n email: String\n");
        assert!(removals("s.graphql", BEFORE, &after).is_empty());
    }
}
