//! Parsing YAML or JSON contract text into a JSON value, within [`Limits`].
//!
//! Both parsers already bound nesting (128 levels). On top of that every value is counted
//! while it is built, so a YAML alias bomb stops at `max_nodes` instead of eating memory.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::limits::Limits;

/// Why a contract could not be loaded. The message names the file and the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    #[error(
        "{name} is {size} bytes, over the limit of {limit} bytes; split the contract or raise the limit"
    )]
    TooLarge {
        name: String,
        size: usize,
        limit: usize,
    },
    #[error("{name} is not UTF-8 text")]
    NotUtf8 { name: String },
    #[error("{name} is not valid JSON: {message}")]
    Json { name: String, message: String },
    #[error("{name} is not valid YAML: {message}")]
    Yaml { name: String, message: String },
    #[error(
        "{name} expands to more than {limit} values (YAML aliases are counted each time they are used); this looks like an alias bomb"
    )]
    TooManyValues { name: String, limit: usize },
}

/// The text syntax of a contract file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Json,
    Yaml,
}

impl Syntax {
    /// JSON for `.json` files and for text that starts with `{` or `[`; YAML otherwise.
    pub fn guess(name: &str, text: &str) -> Syntax {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".json") {
            return Syntax::Json;
        }
        if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            return Syntax::Yaml;
        }
        match text.trim_start().chars().next() {
            Some('{') | Some('[') => Syntax::Json,
            _ => Syntax::Yaml,
        }
    }
}

/// Parses `bytes` (named `name` in errors) as JSON or YAML into a JSON value.
pub fn parse(name: &str, bytes: &[u8], limits: &Limits) -> Result<Value, LoadError> {
    if bytes.len() > limits.max_bytes {
        return Err(LoadError::TooLarge {
            name: name.to_owned(),
            size: bytes.len(),
            limit: limits.max_bytes,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|_| LoadError::NotUtf8 {
        name: name.to_owned(),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let budget = Budget {
        left: Cell::new(limits.max_nodes),
        exceeded: Cell::new(false),
    };
    let too_many = || LoadError::TooManyValues {
        name: name.to_owned(),
        limit: limits.max_nodes,
    };
    match Syntax::guess(name, text) {
        Syntax::Json => {
            let mut de = serde_json::Deserializer::from_str(text);
            let value = ValueSeed(&budget).deserialize(&mut de).map_err(|e| {
                if budget.exceeded.get() {
                    too_many()
                } else {
                    LoadError::Json {
                        name: name.to_owned(),
                        message: e.to_string(),
                    }
                }
            })?;
            de.end().map_err(|e| LoadError::Json {
                name: name.to_owned(),
                message: e.to_string(),
            })?;
            Ok(value)
        }
        Syntax::Yaml => {
            if text.trim().is_empty() {
                return Ok(Value::Null);
            }
            let de = yaml_serde::Deserializer::from_str(text);
            ValueSeed(&budget).deserialize(de).map_err(|e| {
                if budget.exceeded.get() {
                    too_many()
                } else {
                    LoadError::Yaml {
                        name: name.to_owned(),
                        message: e.to_string(),
                    }
                }
            })
        }
    }
}

struct Budget {
    left: Cell<usize>,
    exceeded: Cell<bool>,
}

impl Budget {
    fn take<E: de::Error>(&self) -> Result<(), E> {
        match self.left.get().checked_sub(1) {
            Some(left) => {
                self.left.set(left);
                Ok(())
            }
            None => {
                self.exceeded.set(true);
                Err(E::custom("value limit exceeded"))
            }
        }
    }
}

struct ValueSeed<'b>(&'b Budget);

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(ValueVisitor(self.0))
    }
}

struct ValueVisitor<'b>(&'b Budget);

impl<'de> Visitor<'de> for ValueVisitor<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON-compatible value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.0.take()?;
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.0.take()?;
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.0.take()?;
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.0.take()?;
        // YAML's .inf and .nan have no JSON form; keep them as text rather than fail.
        Ok(Number::from_f64(v).map_or_else(|| Value::String(v.to_string()), Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.0.take()?;
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.0.take()?;
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.0.take()?;
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        ValueSeed(self.0).deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.0.take()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element_seed(ValueSeed(self.0))? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.0.take()?;
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let value = map.next_value_seed(ValueSeed(self.0))?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// Map keys as strings: YAML allows `200:` or `true:` as keys, JSON models them as text.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = String;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a scalar map key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Ok("null".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_default(name: &str, text: &str) -> Result<Value, LoadError> {
        parse(name, text.as_bytes(), &Limits::default())
    }

    #[test]
    fn yaml_integer_keys_become_strings() {
        let v = parse_default("a.yaml", "responses:\n  200:\n    description: OK\n").unwrap();
        assert_eq!(v["responses"]["200"]["description"], "OK");
    }

    #[test]
    fn json_is_parsed_by_extension_and_by_content() {
        assert_eq!(parse_default("a.json", "{\"a\": 1}").unwrap()["a"], 1);
        assert_eq!(parse_default("noext", " [1, 2]").unwrap()[1], 2);
    }

    #[test]
    fn alias_bomb_is_stopped_with_a_clear_error() {
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..12 {
            let prev = format!("*a{}", level - 1);
            let items = [prev.as_str(); 10].join(", ");
            bomb.push_str(&format!("a{level}: &a{level} [{items}]\n"));
        }
        let limits = Limits {
            max_nodes: 1_000_000,
            ..Limits::default()
        };
        let started = std::time::Instant::now();
        let err = parse("bomb.yaml", bomb.as_bytes(), &limits).unwrap_err();
        assert!(
            err.to_string().contains("alias bomb") || err.to_string().contains("repetition"),
            "{err}"
        );
        assert!(started.elapsed().as_secs() < 10);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        let err = parse_default("deep.json", &deep).unwrap_err();
        assert!(err.to_string().contains("recursion limit"), "{err}");
        let deep_yaml = "a:\n".to_owned()
            + &(1..2000)
                .map(|i| format!("{}a:\n", " ".repeat(i)))
                .collect::<String>();
        let err = parse_default("deep.yaml", &deep_yaml).unwrap_err();
        assert!(err.to_string().contains("recursion limit"), "{err}");
    }

    #[test]
    fn too_large_file_names_the_limit() {
        let limits = Limits {
            max_bytes: 10,
            ..Limits::default()
        };
        let err = parse("big.yaml", b"openapi: 3.0.0\ninfo: {}\n", &limits).unwrap_err();
        assert_eq!(
            err.to_string(),
            "big.yaml is 24 bytes, over the limit of 10 bytes; split the contract or raise the limit"
        );
    }

    #[test]
    fn malformed_yaml_names_the_file() {
        let err = parse_default("bad.yaml", "a: [1, 2\nb: }").unwrap_err();
        assert!(
            err.to_string().starts_with("bad.yaml is not valid YAML"),
            "{err}"
        );
    }
}
