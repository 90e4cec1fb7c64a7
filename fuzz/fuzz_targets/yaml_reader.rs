//! The shared YAML/JSON reader: any text gives a value or an error naming it, and the
//! linear nesting pre-scan never counts less than the parser builds (else deep input could
//! reach the parser's quadratic path unrefused).
#![no_main]

use guardians_core::data::{self, Syntax, nesting};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

fuzz_target!(|text: &str| {
    let (scanned, _) = nesting::deepest(text);
    for syntax in [Syntax::Yaml, Syntax::Json] {
        match data::value("fuzz.yaml", text, syntax, 100_000) {
            // Aliases nest copies of other nodes, which the scan does not follow.
            Ok(value) if !text.contains('*') => assert!(
                depth(&value) <= scanned,
                "scan counted {scanned} levels, the parser built {}",
                depth(&value)
            ),
            Ok(_) => {}
            Err(err) => assert!(err.to_string().starts_with("fuzz.yaml")),
        }
    }
    if let Err(err) = data::typed::<Value>("fuzz.yml", text) {
        assert!(err.to_string().starts_with("fuzz.yml"));
    }
});
