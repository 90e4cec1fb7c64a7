//! The one reader of YAML and JSON text in the Guardians: the config file, contract specs,
//! action inputs that hold YAML. Every text is first checked for nesting deeper than
//! [`MAX_NESTING`] in one linear pass ([`nesting`]), so no parser spends quadratic time on
//! it; then parsed with `yaml_serde` (YAML) or `serde_json` (JSON). Alias bombs are stopped
//! twice: `yaml_serde` refuses to replay aliases more than 100 times the document's own
//! events (its fixed repetition limit), and [`value`] also counts every value it builds.

pub mod nesting;

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Deepest nesting of collections read, the same as `yaml_serde`'s and `serde_json`'s own
/// recursion limits, so a document either side accepts is accepted here. Real configs and
/// API descriptions stay far below it (the GitHub REST description nests 18 levels).
pub const MAX_NESTING: usize = 128;

/// `serde_json` counts its limit so that 127 levels is the deepest it reads; JSON texts are
/// held to that, so that the refusal always comes from the pre-scan, with its message.
pub const MAX_JSON_NESTING: usize = 127;

/// The text syntax of a document.
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
        match text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .chars()
            .next()
        {
            Some('{') | Some('[') => Syntax::Json,
            _ => Syntax::Yaml,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Syntax::Json => "JSON",
            Syntax::Yaml => "YAML",
        }
    }
}

/// Why a text could not be read: which text (`name`), where (`line`), and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// The file or input, as given by the caller.
    pub name: String,
    /// 1-based line, where known.
    pub line: Option<usize>,
    pub reason: Reason,
}

/// The reason part of a [`ReadError`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Collections nested deeper than the limit (checked before parsing).
    TooDeep { limit: usize },
    /// More values than the caller's budget, counting each use of an alias.
    TooManyValues { limit: usize },
    /// `yaml_serde` refused to replay aliases any further.
    AliasRepetition,
    /// Not well-formed YAML or JSON.
    Syntax { syntax: Syntax, message: String },
    /// Well-formed, but not the expected shape (typed reads): unknown key, wrong type.
    Invalid { key_path: String, message: String },
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::TooDeep { limit } => write!(
                f,
                "collections nest more than {limit} levels deep; deeper YAML or JSON is refused so that reading stays fast, flatten the document"
            ),
            Reason::TooManyValues { limit } => write!(
                f,
                "it expands to more than {limit} values (YAML aliases are counted each time they are used); this looks like an alias bomb, write the repeated parts out or drop the aliases"
            ),
            Reason::AliasRepetition => f.write_str(
                "its YAML aliases expand to far more than the document itself (repetition limit exceeded); this looks like an alias bomb, write the repeated parts out or drop the aliases",
            ),
            Reason::Syntax { syntax, message } => {
                write!(f, "not valid {}: {message}", syntax.name())
            }
            Reason::Invalid { key_path, message } => {
                if key_path.is_empty() || key_path == "." {
                    f.write_str(message)
                } else {
                    write!(f, "at `{key_path}`: {message}")
                }
            }
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = &self.name;
        match (&self.reason, self.line) {
            // Kept as `NAME is not valid YAML` so that it reads the same as it always has.
            (Reason::Syntax { syntax, message }, line) => {
                write!(f, "{name} is not valid {}", syntax.name())?;
                if let Some(line) = line {
                    write!(f, " at line {line}")?;
                }
                write!(f, ": {message}")
            }
            (reason, Some(line)) => write!(f, "{name} at line {line}: {reason}"),
            (reason, None) => write!(f, "{name}: {reason}"),
        }
    }
}

impl std::error::Error for ReadError {}

impl ReadError {
    fn new(name: &str, line: Option<usize>, reason: Reason) -> Self {
        ReadError {
            name: name.to_owned(),
            line,
            reason,
        }
    }

    fn too_deep(name: &str, deep: nesting::TooDeep) -> Self {
        Self::new(name, Some(deep.line), Reason::TooDeep { limit: deep.limit })
    }

    /// Maps a `yaml_serde` error: its fixed limits to their reasons, the rest to `otherwise`.
    fn from_yaml(
        name: &str,
        err: &yaml_serde::Error,
        otherwise: impl FnOnce(String) -> Reason,
    ) -> Self {
        let line = err.location().map(|l| l.line());
        let message = bare_message(&err.to_string());
        let reason = match message.as_str() {
            "repetition limit exceeded" => Reason::AliasRepetition,
            // Only reachable through aliases: plain nesting is refused before parsing.
            "recursion limit exceeded" => Reason::TooDeep { limit: MAX_NESTING },
            _ => otherwise(message),
        };
        Self::new(name, line, reason)
    }
}

/// yaml_serde's message repeats the key path in front and the position behind; both are
/// reported on their own, so keep only the reason.
fn bare_message(message: &str) -> String {
    let mut message = message;
    if let Some(at) = message.rfind(" at line ")
        && message[at..].contains(" column ")
    {
        message = &message[..at];
    }
    if let Some((prefix, rest)) = message.split_once(": ")
        && !prefix.contains(' ')
        && !prefix.is_empty()
    {
        message = rest;
    }
    message.to_string()
}

/// Refuses `text` (named `name` in errors) when it nests deeper than [`MAX_NESTING`].
/// Linear in the length of `text`; the readers below call it first.
pub fn check_nesting(name: &str, text: &str) -> Result<(), ReadError> {
    nesting::check(text, MAX_NESTING).map_err(|deep| ReadError::too_deep(name, deep))
}

/// Reads YAML (JSON is YAML too) into `T`, naming the key path of a value of the wrong
/// shape. For config files and action inputs.
pub fn typed<T: DeserializeOwned>(name: &str, text: &str) -> Result<T, ReadError> {
    check_nesting(name, text)?;
    let deserializer = yaml_serde::Deserializer::from_str(text);
    serde_path_to_error::deserialize(deserializer).map_err(|err| {
        let key_path = err.path().to_string();
        let inner = err.into_inner();
        ReadError::from_yaml(name, &inner, |message| Reason::Invalid {
            key_path,
            message,
        })
    })
}

/// Reads YAML or JSON into a JSON value (YAML map keys become strings), building at most
/// `max_values` values so that aliases cannot blow it up. Empty YAML is `null`.
pub fn value(
    name: &str,
    text: &str,
    syntax: Syntax,
    max_values: usize,
) -> Result<Value, ReadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let limit = match syntax {
        Syntax::Json => MAX_JSON_NESTING,
        Syntax::Yaml => MAX_NESTING,
    };
    nesting::check(text, limit).map_err(|deep| ReadError::too_deep(name, deep))?;
    let budget = Budget {
        left: Cell::new(max_values),
        exceeded: Cell::new(false),
    };
    let too_many = || ReadError::new(name, None, Reason::TooManyValues { limit: max_values });
    match syntax {
        Syntax::Json => {
            let syntax_error = |e: serde_json::Error| {
                ReadError::new(
                    name,
                    (e.line() > 0).then_some(e.line()),
                    Reason::Syntax {
                        syntax: Syntax::Json,
                        message: bare_message(&e.to_string()),
                    },
                )
            };
            let mut de = serde_json::Deserializer::from_str(text);
            let value = ValueSeed(&budget).deserialize(&mut de).map_err(|e| {
                if budget.exceeded.get() {
                    too_many()
                } else {
                    syntax_error(e)
                }
            })?;
            de.end().map_err(syntax_error)?;
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
                    ReadError::from_yaml(name, &e, |message| Reason::Syntax {
                        syntax: Syntax::Yaml,
                        message,
                    })
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
mod tests;
