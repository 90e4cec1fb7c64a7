use std::collections::BTreeMap;

use super::*;

/// The depth of the value the parser builds: the oracle the pre-scan must never undercut.
fn parsed_depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(parsed_depth).max().unwrap_or(0),
        Value::Object(map) => 1 + map.values().map(parsed_depth).max().unwrap_or(0),
        _ => 0,
    }
}

fn yaml(text: &str) -> Result<Value, ReadError> {
    value("test.yaml", text, Syntax::Yaml, 1_000_000)
}

#[test]
fn a_mebibyte_of_flow_nesting_is_refused_before_parsing_with_its_line() {
    // Parsing this took minutes (libyaml's cost grows with the depth on every token).
    let mut text = String::from("openapi: 3.1.0\ninfo:\n  title: x\npaths: ");
    while text.len() < 1024 * 1024 {
        text.push_str("[{a: ");
    }
    let err = yaml(&text).unwrap_err();
    assert_eq!(err.reason, Reason::TooDeep { limit: MAX_NESTING });
    assert_eq!(err.line, Some(4));
    assert_eq!(
        err.to_string(),
        "test.yaml at line 4: collections nest more than 128 levels deep; deeper YAML or JSON is refused so that reading stays fast, flatten the document"
    );
    let err = value(
        "deep.json",
        &"[".repeat(1024 * 1024),
        Syntax::Json,
        1_000_000,
    )
    .unwrap_err();
    assert_eq!(
        (err.line, &err.reason),
        (Some(1), &Reason::TooDeep { limit: 127 })
    );
}

#[test]
fn nesting_of_128_levels_is_read_and_129_refused() {
    for (depth, ok) in [(128, true), (129, false)] {
        let flow = "[".repeat(depth) + &"]".repeat(depth);
        let block: String = (0..depth)
            .map(|i| format!("{}a:\n", " ".repeat(i)))
            .collect();
        let block = block + &" ".repeat(depth) + "x\n";
        let compact = "- ".repeat(depth) + "x\n";
        for text in [&flow, &block, &compact] {
            let result = yaml(text);
            assert_eq!(result.is_ok(), ok, "{depth} levels: {result:?}");
            if let Ok(v) = result {
                assert_eq!(parsed_depth(&v), 128);
            }
        }
        assert_eq!(
            typed::<Value>("t.yml", &flow).is_ok(),
            ok,
            "typed read at {depth}"
        );
    }
    // JSON: serde_json's own 127, refused by the pre-scan with the same message.
    let json = |depth: usize| "[".repeat(depth) + &"]".repeat(depth);
    assert!(value("a.json", &json(127), Syntax::Json, 1_000).is_ok());
    let err = value("a.json", &json(128), Syntax::Json, 1_000).unwrap_err();
    assert_eq!(err.reason, Reason::TooDeep { limit: 127 });
}

#[test]
fn alias_fan_out_is_refused_by_the_value_budget_and_by_the_repetition_limit() {
    // 478 bytes of OpenAPI head that expands ten-fold per level.
    let mut bomb = String::from("openapi: 3.0.0\nx0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..10 {
        let prev = format!("*a{}", level - 1);
        bomb.push_str(&format!(
            "x{level}: &a{level} [{}]\n",
            [prev.as_str(); 10].join(", ")
        ));
    }
    let err = value("api/openapi.yaml", &bomb, Syntax::Yaml, 100_000).unwrap_err();
    assert_eq!(err.reason, Reason::TooManyValues { limit: 100_000 });
    assert!(
        err.to_string()
            .starts_with("api/openapi.yaml: it expands to more than 100000 values")
    );
    // Typed reads have no value budget; yaml_serde's repetition limit stops them.
    let err = typed::<BTreeMap<String, Value>>("config.yml", &bomb).unwrap_err();
    assert_eq!(err.reason, Reason::AliasRepetition, "{err}");
}

#[test]
fn a_large_legitimate_spec_is_read() {
    let mut text = String::from("openapi: 3.1.0\ninfo: {title: big, version: '1'}\npaths:\n");
    let mut n = 0;
    while text.len() < 4 * 1024 * 1024 {
        text.push_str(&format!(
            "  /items/{n}/{{id}}:\n    get:\n      description: \"Item {n} [see docs] {{x}}\"\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string, pattern: '^[a-z]+$'}}}}\n      responses:\n        '200':\n          description: |\n            OK [[[ {{{{\n          content:\n            application/json:\n              schema: {{type: array, items: {{$ref: '#/components/schemas/S{n}'}}}}\n"
        ));
        n += 1;
    }
    let v = value("big.yaml", &text, Syntax::Yaml, 8_000_000).unwrap();
    assert_eq!(v["paths"].as_object().map(Map::len), Some(n));
    assert_eq!(parsed_depth(&v), 10);
}

#[test]
fn syntax_errors_name_file_and_line() {
    let err = yaml("a: [1, 2\nb: }").unwrap_err();
    assert_eq!(err.line, Some(2));
    assert!(
        err.to_string()
            .starts_with("test.yaml is not valid YAML at line 2: "),
        "{err}"
    );
    let err = value("a.json", "{\n\"a\": 1,\n}", Syntax::Json, 10).unwrap_err();
    assert_eq!(err.line, Some(3));
    assert!(
        err.to_string()
            .starts_with("a.json is not valid JSON at line 3: "),
        "{err}"
    );
}

#[test]
fn typed_reads_name_the_key_path() {
    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Section {
        name: String,
    }
    let err =
        typed::<BTreeMap<String, Section>>("c.yml", "a:\n  name: x\nb:\n  nmae: y\n").unwrap_err();
    assert_eq!(err.line, Some(4));
    assert!(
        matches!(&err.reason, Reason::Invalid { key_path, message } if key_path == "b.nmae" && message.starts_with("unknown field `nmae`")),
        "{err:?}"
    );
}

#[test]
fn yaml_integer_keys_become_strings() {
    let v = yaml("responses:\n  200:\n    description: OK\n").unwrap();
    assert_eq!(v["responses"]["200"]["description"], "OK");
}

#[test]
fn json_is_guessed_by_extension_and_by_content() {
    assert_eq!(Syntax::guess("a.json", "x"), Syntax::Json);
    assert_eq!(Syntax::guess("noext", " [1, 2]"), Syntax::Json);
    assert_eq!(Syntax::guess("a.yml", "{}"), Syntax::Yaml);
    assert_eq!(Syntax::guess("noext", "a: 1"), Syntax::Yaml);
}

/// Texts where brackets hide in scalars, comments and block scalars, or where nesting hides
/// in indentation: the pre-scan's depth is never below what the parser builds.
#[test]
fn the_scan_never_undercounts_what_the_parser_builds() {
    let samples = [
        "a: [b, {c: [d]}]\n",
        "- - - [x]\n  - {y: [z]}\n",
        "a: 'it''s [[' # ]]]]\n",
        "a: |\n  [[[\nb: >\n   {{{\n   }\nc: [[x]]\n",
        "a:\n- [x: [y: z]]\n- {? k : [v]}\n",
        "? a\n: - c\n  - [d]\n",
        "a: \"x\\\" [[\"\nb:\n  c:\n    d: [1]\n",
        "- a: b\n  c: [\n    [1, 2],\n    # ]\n    [3]\n  ]\n",
        "%YAML 1.1\n--- {b: [[c]]}\n...\n",
        "a: plain text\n  continued [ here\nb: [[1]]\n",
        "&x a:\n  &y b: *x\n",
        "{\"a\":[{\"b\":[\"]\"]}]}",
        "[a\n b, [c]]",
        "k: !!seq [x, [y]]\n",
    ];
    for text in samples {
        let Ok(parsed) = yaml(text) else {
            panic!("sample should parse: {text:?}");
        };
        let (scanned, _) = nesting::deepest(text);
        assert!(
            scanned >= parsed_depth(&parsed),
            "{text:?}: scanned {scanned} < parsed {}",
            parsed_depth(&parsed)
        );
    }
}

/// A small deterministic fuzz run of the same property (the fuzz target `yaml_reader` runs
/// it open-ended): random texts built from the characters that matter to YAML's structure.
#[test]
fn random_structure_never_makes_the_scan_undercount() {
    const PIECES: &[&str] = &[
        "[", "]", "{", "}", ": ", ":", ",", " ", "  ", "\n", "\n  ", "\n    ", "- ", "#", "'",
        "\"", "\\", "a", "b: ", "? ", "|", ">-", "&x ", "!t ", "\r", "---\n", "x\n  y",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut parsed_ok = 0;
    for _ in 0..20_000 {
        let len = 1 + (next() % 24) as usize;
        let text: String = (0..len)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect();
        let Ok(parsed) = value("fuzz.yaml", &text, Syntax::Yaml, 10_000) else {
            continue;
        };
        parsed_ok += 1;
        let (scanned, _) = nesting::deepest(&text);
        assert!(
            scanned >= parsed_depth(&parsed),
            "{text:?}: scanned {scanned} < parsed {}",
            parsed_depth(&parsed)
        );
    }
    // The property was checked on a meaningful number of well-formed texts.
    assert!(parsed_ok > 2_000, "{parsed_ok}");
}
