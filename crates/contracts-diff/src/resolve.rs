//! A contract version with the files it references, and `$ref` resolution over them.
//!
//! Local references (`#/components/...`) and relative file references (`common.yaml#/X`)
//! inside the repository are followed. Network references and paths leaving the repository
//! are never fetched: they stay unresolved and are compared as text.

use std::collections::{BTreeMap, VecDeque};

use serde_json::Value;

use crate::limits::Limits;
use crate::load::{self, LoadError};

/// One version (base or head) of a contract: its main file plus referenced files.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Repository path of the main file.
    pub main: String,
    /// Parsed files by repository path (the main file included).
    pub files: BTreeMap<String, Value>,
    /// Referenced files that could not be loaded, with the reason.
    pub problems: Vec<String>,
}

/// Where a value sits: which file, and the JSON pointer inside it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Location {
    pub file: String,
    pub pointer: String,
}

/// A value together with where it is written.
#[derive(Debug, Clone, Copy)]
pub struct Node<'a> {
    pub value: &'a Value,
    pub file: &'a str,
}

impl Spec {
    /// A spec made of a single already parsed document.
    pub fn single(main: &str, value: Value) -> Spec {
        let mut files = BTreeMap::new();
        files.insert(main.to_owned(), value);
        Spec {
            main: main.to_owned(),
            files,
            problems: Vec::new(),
        }
    }

    /// Parses the main file and, breadth first, every repository file it references.
    /// `fetch` returns the bytes of a repository path at this version, or None.
    pub fn load(
        main: &str,
        bytes: &[u8],
        fetch: &mut dyn FnMut(&str) -> Option<Vec<u8>>,
        limits: &Limits,
    ) -> Result<Spec, LoadError> {
        let mut root = load::parse(main, bytes, limits)?;
        // Swagger 2.0 is analysed in the OpenAPI 3.0 model, never passed as text.
        if crate::openapi::swagger2::is_swagger2(&root) {
            root = crate::openapi::swagger2::convert(&root);
        }
        let mut spec = Spec::single(main, root);
        let mut queue: VecDeque<String> = VecDeque::from([main.to_owned()]);
        while let Some(file) = queue.pop_front() {
            let mut wanted = Vec::new();
            if let Some(value) = spec.files.get(&file) {
                collect_file_refs(value, &file, &mut wanted);
            }
            for target in wanted {
                if spec.files.contains_key(&target)
                    || spec.problems.iter().any(|p| p.starts_with(&target))
                {
                    continue;
                }
                if spec.files.len() >= limits.max_files {
                    spec.problems.push(format!(
                        "{target}: not loaded, more than {} referenced files",
                        limits.max_files
                    ));
                    continue;
                }
                match fetch(&target) {
                    Some(bytes) => match load::parse(&target, &bytes, limits) {
                        Ok(value) => {
                            spec.files.insert(target.clone(), value);
                            queue.push_back(target);
                        }
                        // Over `max-file-bytes` the whole contract is unreadable (a gate), as
                        // the main file would be: a size limit is not a missing file.
                        Err(e @ LoadError::TooLarge { .. }) => return Err(e),
                        // The error names the file already.
                        Err(e) => spec.problems.push(e.to_string()),
                    },
                    None => spec.problems.push(format!("{target}: file not found")),
                }
            }
        }
        Ok(spec)
    }

    pub fn root(&self) -> Node<'_> {
        let value = self.files.get(&self.main).unwrap_or(&Value::Null);
        Node {
            value,
            file: &self.main,
        }
    }

    /// Formats a location for reports: the bare pointer in the main file, `FILE#POINTER` elsewhere.
    pub fn display(&self, file: &str, pointer: &str) -> String {
        if file == self.main {
            pointer.to_owned()
        } else {
            format!("{file}#{pointer}")
        }
    }

    /// Follows `reference` written in `from_file`. Returns the target value and its location.
    pub fn follow(&self, from_file: &str, reference: &str) -> Result<(Node<'_>, String), RefError> {
        let (file_part, fragment) = match reference.split_once('#') {
            Some((f, frag)) => (f, frag),
            None => (reference, ""),
        };
        if file_part.contains("://") || file_part.starts_with("//") {
            return Err(RefError::Network);
        }
        let file: &str = if file_part.is_empty() {
            from_file
        } else {
            let target = join_relative(from_file, file_part).ok_or(RefError::OutsideRepository)?;
            match self.files.get_key_value(&target) {
                Some((key, _)) => key.as_str(),
                None => return Err(RefError::Missing),
            }
        };
        let (file_key, doc) = self.files.get_key_value(file).ok_or(RefError::Missing)?;
        let pointer = percent_decode(fragment);
        let value = if pointer.is_empty() {
            doc
        } else {
            doc.pointer(&pointer).ok_or(RefError::Missing)?
        };
        Ok((
            Node {
                value,
                file: file_key,
            },
            pointer,
        ))
    }

    /// Follows a chain of `$ref`s from `node` (at `pointer`) to a value without `$ref`.
    pub fn deref<'s>(
        &'s self,
        node: Node<'s>,
        pointer: String,
    ) -> Result<(Node<'s>, String), RefError> {
        let mut current = (node, pointer);
        for _ in 0..32 {
            match current.0.value.get("$ref").and_then(Value::as_str) {
                Some(reference) => current = self.follow(current.0.file, reference)?,
                None => return Ok(current),
            }
        }
        Err(RefError::Cycle)
    }
}

/// Why a `$ref` was not followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefError {
    Network,
    OutsideRepository,
    Missing,
    Cycle,
}

impl RefError {
    pub fn describe(self) -> &'static str {
        match self {
            RefError::Network => "network references are never fetched",
            RefError::OutsideRepository => "it points outside the repository",
            RefError::Missing => "its target does not exist",
            RefError::Cycle => "it is part of a reference cycle",
        }
    }
}

/// Appends one token to a JSON pointer, escaping `~` and `/`.
pub fn push_token(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + token.len() + 1);
    out.push_str(pointer);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let bytes = s.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Resolves `relative` against the directory of `from_file`; None when it leaves the repository.
pub fn join_relative(from_file: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = if relative.starts_with('/') {
        Vec::new()
    } else {
        let mut p: Vec<&str> = from_file.split('/').collect();
        p.pop();
        p
    };
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(parts.join("/"))
}

fn collect_file_refs(value: &Value, from_file: &str, out: &mut Vec<String>) {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    let file_part = r.split('#').next().unwrap_or("");
                    if !file_part.is_empty()
                        && !file_part.contains("://")
                        && !file_part.starts_with("//")
                        && let Some(target) = join_relative(from_file, file_part)
                        && !out.contains(&target)
                    {
                        out.push(target);
                    }
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items.iter()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn relative_paths_stay_inside_the_repository() {
        assert_eq!(
            join_relative("api/openapi.yaml", "common.yaml").as_deref(),
            Some("api/common.yaml")
        );
        assert_eq!(
            join_relative("api/v1/openapi.yaml", "../x.yaml").as_deref(),
            Some("api/x.yaml")
        );
        assert_eq!(join_relative("openapi.yaml", "../../etc/passwd"), None);
    }

    #[test]
    fn loads_referenced_files_and_refuses_network_refs() {
        let main =
            br##"{"a": {"$ref": "common.json#/X"}, "b": {"$ref": "https://example.com/x.json"}}"##;
        let mut fetch =
            |path: &str| (path == "common.json").then(|| br#"{"X": {"type": "string"}}"#.to_vec());
        let spec = Spec::load("openapi.json", main, &mut fetch, &Limits::default()).unwrap();
        let (node, _) = spec.follow("openapi.json", "common.json#/X").unwrap();
        assert_eq!(node.value, &json!({"type": "string"}));
        assert_eq!(node.file, "common.json");
        assert_eq!(
            spec.follow("openapi.json", "https://example.com/x.json")
                .unwrap_err(),
            RefError::Network
        );
    }

    #[test]
    fn a_referenced_file_too_deep_to_read_is_a_problem_naming_it_and_the_line() {
        let main = br##"{"a": {"$ref": "deep.yaml#/X"}}"##;
        let deep = format!("X:\n  y: {}", "[".repeat(10_000));
        let mut fetch = |path: &str| (path == "deep.yaml").then(|| deep.clone().into_bytes());
        let spec = Spec::load("openapi.json", main, &mut fetch, &Limits::default()).unwrap();
        assert_eq!(
            spec.problems,
            [
                "deep.yaml at line 2: collections nest more than 128 levels deep; deeper YAML or JSON is refused so that reading stays fast, flatten the document"
            ]
        );
    }

    #[test]
    fn a_referenced_file_over_the_size_limit_makes_the_contract_unreadable() {
        let main = br##"{"a": {"$ref": "big.json#/X"}}"##;
        let mut fetch = |path: &str| (path == "big.json").then(|| vec![b' '; 100]);
        let limits = Limits {
            max_bytes: 50,
            ..Limits::default()
        };
        let err = Spec::load("openapi.json", main, &mut fetch, &limits).unwrap_err();
        assert_eq!(
            err.to_string(),
            "big.json is 100 bytes, over the limit of 50 bytes (`contracts-diff.max-file-bytes`); split the contract or raise the limit"
        );
    }

    #[test]
    fn ref_chains_that_loop_are_reported() {
        let spec = Spec::single(
            "a.json",
            json!({"A": {"$ref": "#/B"}, "B": {"$ref": "#/A"}}),
        );
        let root = spec.root();
        let start = Node {
            value: &root.value["A"],
            file: root.file,
        };
        assert_eq!(spec.deref(start, "/A".into()).unwrap_err(), RefError::Cycle);
    }
}
