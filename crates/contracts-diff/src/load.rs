//! Parsing YAML or JSON contract text into a JSON value, within [`Limits`], through the
//! shared reader in `guardians_core::data`: nesting deeper than 128 levels is refused in
//! linear time before parsing, and every value is counted while it is built, so a YAML
//! alias bomb stops at `max_nodes` instead of eating memory.

use guardians_core::data::{self, ReadError};
use serde_json::Value;

pub use guardians_core::data::Syntax;

use crate::limits::Limits;

/// Why a contract could not be loaded. The message names the file, the line where known,
/// and the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    #[error("{}", crate::limits::too_large_message(name, *size as u64, *limit))]
    TooLarge {
        name: String,
        size: usize,
        limit: usize,
    },
    #[error("{name} is not UTF-8 text")]
    NotUtf8 { name: String },
    /// Not well-formed, nested too deeply, or an alias bomb: see [`ReadError::reason`].
    #[error(transparent)]
    Unreadable(#[from] ReadError),
}

impl LoadError {
    /// The file that could not be loaded.
    pub fn file(&self) -> &str {
        match self {
            LoadError::TooLarge { name, .. } | LoadError::NotUtf8 { name } => name,
            LoadError::Unreadable(err) => &err.name,
        }
    }

    /// The 1-based line the problem is on, where known.
    pub fn line(&self) -> Option<usize> {
        match self {
            LoadError::Unreadable(err) => err.line,
            LoadError::TooLarge { .. } | LoadError::NotUtf8 { .. } => None,
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
    Ok(data::value(
        name,
        text,
        Syntax::guess(name, text),
        limits.max_nodes,
    )?)
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
        let err = parse("bomb.yaml", bomb.as_bytes(), &limits).unwrap_err();
        assert_eq!(err.file(), "bomb.yaml");
        assert!(err.to_string().contains("alias bomb"), "{err}");
    }

    #[test]
    fn deep_nesting_is_refused_with_file_and_line() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        let err = parse_default("deep.json", &deep).unwrap_err();
        assert_eq!((err.file(), err.line()), ("deep.json", Some(1)));
        assert!(err.to_string().contains("more than 127 levels"), "{err}");
        let deep_yaml = "a:\n".to_owned()
            + &(1..2000)
                .map(|i| format!("{}a:\n", " ".repeat(i)))
                .collect::<String>();
        let err = parse_default("deep.yaml", &deep_yaml).unwrap_err();
        assert_eq!((err.file(), err.line()), ("deep.yaml", Some(129)));
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
            "big.yaml is 24 bytes, over the limit of 10 bytes (`contracts-diff.max-file-bytes`); split the contract or raise the limit"
        );
    }

    #[test]
    fn malformed_yaml_names_the_file() {
        let err = parse_default("bad.yaml", "a: [1, 2\nb: }").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("bad.yaml is not valid YAML at line 2: "),
            "{err}"
        );
    }
}
