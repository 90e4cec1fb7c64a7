//! Cheap structural checks of protobuf files: removed messages, and fields removed without
//! reserving their number or renumbered. Everything else is shown as a text diff.

use std::collections::{BTreeMap, BTreeSet};

use crate::change::{Change, Direction, Severity};
use crate::rules::Rule;

/// Fields of one message (or values of one enum): name to number, plus reserved numbers.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct MessageShape {
    pub fields: BTreeMap<String, i64>,
    pub reserved_numbers: BTreeSet<i64>,
    pub reserved_names: BTreeSet<String>,
}

fn tokenize(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == '"' || c == '\'' {
            let start = i;
            i += 1;
            while i < chars.len() && chars[i] != c {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push(chars[start..i.min(chars.len())].iter().collect());
        } else if c.is_alphanumeric() || c == '_' || c == '.' || c == '-' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '.' | '-'))
            {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else {
            if !c.is_whitespace() {
                out.push(c.to_string());
            }
            i += 1;
        }
    }
    out
}

/// Messages and enums by qualified name (`Outer.Inner`).
pub(crate) fn shapes(text: &str) -> BTreeMap<String, MessageShape> {
    let tokens = tokenize(text);
    let mut out: BTreeMap<String, MessageShape> = BTreeMap::new();
    // Stack of open blocks: Some(name) for messages/enums, None for other braces.
    let mut stack: Vec<Option<String>> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i].as_str();
        match t {
            "message" | "enum" if tokens.get(i + 2).map(String::as_str) == Some("{") => {
                let parent = stack.iter().rev().find_map(|s| s.clone());
                let name = match parent {
                    Some(p) => format!("{p}.{}", tokens[i + 1]),
                    None => tokens[i + 1].clone(),
                };
                out.entry(name.clone()).or_default();
                stack.push(Some(name));
                i += 3;
                continue;
            }
            "{" => stack.push(None),
            "}" => {
                stack.pop();
            }
            "reserved" => {
                let owner = stack.iter().rev().find_map(|s| s.clone());
                let mut j = i + 1;
                while j < tokens.len() && tokens[j] != ";" {
                    if let Some(owner) = &owner {
                        let shape = out.entry(owner.clone()).or_default();
                        let tok = &tokens[j];
                        if let Ok(n) = tok.parse::<i64>() {
                            if tokens.get(j + 1).map(String::as_str) == Some("to") {
                                let end = tokens
                                    .get(j + 2)
                                    .and_then(|e| {
                                        if e == "max" {
                                            Some(536_870_911)
                                        } else {
                                            e.parse().ok()
                                        }
                                    })
                                    .unwrap_or(n);
                                // Bounded: huge ranges are kept as their first 100k numbers.
                                shape.reserved_numbers.extend((n..=end).take(100_000));
                                j += 2;
                            } else {
                                shape.reserved_numbers.insert(n);
                            }
                        } else if tok.starts_with('"') || tok.starts_with('\'') {
                            shape
                                .reserved_names
                                .insert(tok.trim_matches(|c| c == '"' || c == '\'').to_owned());
                        }
                    }
                    j += 1;
                }
                i = j;
                continue;
            }
            "=" => {
                // `... name = N` inside a message or enum (not inside options).
                if let (Some(Some(owner)), Some(name), Some(number)) = (
                    stack.last(),
                    i.checked_sub(1).and_then(|k| tokens.get(k)),
                    tokens.get(i + 1).and_then(|n| n.parse::<i64>().ok()),
                ) {
                    let is_option = i >= 2 && tokens[i - 2] == "option";
                    if !is_option {
                        out.entry(owner.clone())
                            .or_default()
                            .fields
                            .insert(name.clone(), number);
                    }
                }
            }
            "oneof" if tokens.get(i + 2).map(String::as_str) == Some("{") => {
                // Fields of a oneof belong to the enclosing message.
                let owner = stack.iter().rev().find_map(|s| s.clone());
                stack.push(owner);
                i += 3;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Removed messages, removed fields (unless reserved) and renumbered fields.
pub(crate) fn removals(file: &str, before: &str, after: &str) -> Vec<Change> {
    let b = shapes(before);
    let a = shapes(after);
    let mut out = Vec::new();
    for (name, shape) in &b {
        let Some(new) = a.get(name) else {
            out.push(Change::new(
                Rule::ProtoMessageRemoved,
                Severity::Breaking,
                Direction::None,
                format!("{file}#{name}"),
                format!("message or enum `{name}` was removed"),
            ));
            continue;
        };
        for (field, number) in &shape.fields {
            match new.fields.get(field) {
                Some(n) if n != number => out.push(Change::new(
                    Rule::ProtoFieldRenumbered,
                    Severity::Breaking,
                    Direction::None,
                    format!("{file}#{name}.{field}"),
                    format!("field `{name}.{field}` changed its number from {number} to {n}"),
                )),
                Some(_) => {}
                None => {
                    let reused = new
                        .fields
                        .iter()
                        .find(|(_, n)| *n == number)
                        .map(|(f, _)| f.clone());
                    let reserved = new.reserved_numbers.contains(number);
                    let (severity, message) = match reused {
                        Some(other) => (
                            Severity::Breaking,
                            format!(
                                "field `{name}.{field}` was removed and its number {number} reused by `{other}`"
                            ),
                        ),
                        None if reserved => (
                            Severity::PotentiallyBreaking,
                            format!(
                                "field `{name}.{field}` was removed; its number {number} is reserved"
                            ),
                        ),
                        None => (
                            Severity::Breaking,
                            format!(
                                "field `{name}.{field}` was removed without reserving number {number}"
                            ),
                        ),
                    };
                    out.push(Change::new(
                        Rule::ProtoFieldRemoved,
                        severity,
                        Direction::None,
                        format!("{file}#{name}.{field}"),
                        message,
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
        syntax = "proto3";
        option java_package = "x.y";
        // message Ghost { int32 a = 1; }
        message User {
          string id = 1;
          string name = 2 [deprecated = true];
          map<string, string> labels = 3;
          oneof contact { string email = 4; string phone = 5; }
          message Address { string city = 1; }
        }
        enum Role { ROLE_UNSPECIFIED = 0; ADMIN = 1; }
    "#;

    #[test]
    fn parses_messages_fields_oneofs_and_nested_types() {
        let s = shapes(BEFORE);
        assert_eq!(
            s.keys().collect::<Vec<_>>(),
            ["Role", "User", "User.Address"]
        );
        let user: Vec<(&str, i64)> = s["User"]
            .fields
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .collect();
        assert_eq!(
            user,
            [
                ("email", 4),
                ("id", 1),
                ("labels", 3),
                ("name", 2),
                ("phone", 5)
            ]
        );
    }

    #[test]
    fn flags_removed_renumbered_and_reserved_fields() {
        let after = BEFORE
            .replace("string name = 2 [deprecated = true];", "reserved 2;")
            .replace("string phone = 5;", "string phone = 6;")
            .replace("message Address { string city = 1; }", "");
        let changes = removals("api.proto", BEFORE, &after);
        let got: Vec<(&str, Severity)> =
            changes.iter().map(|c| (c.rule.id(), c.severity)).collect();
        assert_eq!(
            got,
            [
                ("proto-field-removed", Severity::PotentiallyBreaking),
                ("proto-field-renumbered", Severity::Breaking),
                ("proto-message-removed", Severity::Breaking),
            ]
        );
    }
}
