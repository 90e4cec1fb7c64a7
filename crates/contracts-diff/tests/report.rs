//! Snapshot of the Markdown report for a small realistic pair, and the size cap.

use std::path::Path;

use contracts_diff::config::ContractsDiffConfig;
use contracts_diff::plan::{ContractFile, Facts, FileStatus, Version, plan};
use contracts_diff::report::{MAX_CHARS, markdown};
use contracts_diff::{Change, Limits};
use serde_json::{Value, json};

fn version(name: &str) -> Version {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    Version {
        content: std::fs::read(path).expect("test data file"),
        related: Default::default(),
    }
}

#[test]
fn petstore_report_markdown() {
    let facts = Facts {
        contracts: vec![
            ContractFile {
                path: "api/openapi.yaml".into(),
                status: FileStatus::Modified,
                base: Some(version("petstore-before.yaml")),
                head: Some(version("petstore-after.yaml")),
            },
            ContractFile {
                path: "packages/types/pet.ts".into(),
                status: FileStatus::Modified,
                base: Some(Version {
                    content: b"export interface Pet {\n  id: string;\n  name: string;\n}\n"
                        .to_vec(),
                    related: Default::default(),
                }),
                head: Some(Version {
                    content: b"export interface Pet {\n  id: string;\n  name: string | null;\n}\n"
                        .to_vec(),
                    related: Default::default(),
                }),
            },
        ],
        endpoint_files: vec!["src/routes/pets.ts".into()],
        ..Facts::default()
    };
    let plan = plan(&facts, &ContractsDiffConfig::default(), &Limits::default());
    insta::assert_snapshot!(markdown(&plan));
}

#[test]
fn huge_reports_are_cut_with_a_visible_note() {
    let old: String = (0..4_000).map(|i| format!("line {i}\n")).collect();
    let new: String = (0..4_000)
        .map(|i| format!("line {} changed\n", i))
        .collect();
    let files = (0..5)
        .map(|i| ContractFile {
            path: format!("packages/types/t{i}.ts"),
            status: FileStatus::Modified,
            base: Some(Version {
                content: old.clone().into_bytes(),
                related: Default::default(),
            }),
            head: Some(Version {
                content: new.clone().into_bytes(),
                related: Default::default(),
            }),
        })
        .collect();
    let config = ContractsDiffConfig {
        max_diff_lines: 100_000,
        ..ContractsDiffConfig::default()
    };
    let plan = plan(
        &Facts {
            contracts: files,
            endpoint_files: vec![],
            ..Facts::default()
        },
        &config,
        &Limits::default(),
    );
    let report = markdown(&plan);
    assert!(report.chars().count() < 65_536);
    assert!(report.len() <= MAX_CHARS);
    assert!(report.contains("Report cut here"));
    // Only text diffs here: the note counts their lines left out.
    assert!(
        report.contains("text-diff lines did not fit"),
        "{}",
        &report[report.len() - 300..]
    );
    assert_eq!(
        report.matches("<details>").count(),
        report.matches("</details>").count()
    );
}

/// An OpenAPI document with `n` operations `GET /items/{i}`, each answering an object with
/// `a` (head: built by `a`) and `b`, and with `param` as its optional query parameters.
fn release_spec(n: usize, keep: impl Fn(usize) -> bool, a: impl Fn(usize) -> Value) -> Vec<u8> {
    let mut paths = serde_json::Map::new();
    for i in (0..n).filter(|i| keep(*i)) {
        paths.insert(
            format!("/items/{i}"),
            json!({"get": {
                "parameters": [],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"type": "object", "required": ["a"], "properties": {
                        "a": a(i), "b": {"type": "integer"}
                    }}
                }}}}
            }}),
        );
    }
    serde_json::to_vec(&json!({
        "openapi": "3.0.3",
        "info": {"title": "release", "version": "1"},
        "paths": paths,
    }))
    .expect("json")
}

/// A release of 600 changes over 300 endpoints (issue 13 item 6): the report opens with the
/// rule × severity summary and the endpoint roll-up, rules on one property make one row, the
/// file is named once above its table, and the cut says exactly how many rows are left out.
#[test]
fn a_600_change_release_is_summed_up_rolled_up_and_cut_exactly() {
    let n = 300;
    let base = release_spec(n, |_| true, |_| json!({"type": "string"}));
    // 0..150 removed (150 operation-removed); 150..300 keep, `a` becomes a nullable integer
    // (type-changed + became-nullable on one property: 300 changes in 150 rows); the removed
    // half's `b` vanishes with them. Then 150 more: a new optional parameter on the rest.
    let mut head: Value = serde_json::from_slice(&release_spec(
        n,
        |i| i >= 150,
        |_| json!({"type": "integer", "nullable": true}),
    ))
    .expect("json");
    for (_, item) in head["paths"].as_object_mut().expect("paths").iter_mut() {
        item["get"]["parameters"] = json!([{
            "name": "cursor", "in": "query", "required": false, "schema": {"type": "string"}
        }]);
    }
    let facts = Facts {
        contracts: vec![ContractFile {
            path: "api/openapi.json".into(),
            status: FileStatus::Modified,
            base: Some(Version {
                content: base,
                related: Default::default(),
            }),
            head: Some(Version {
                content: serde_json::to_vec(&head).expect("json"),
                related: Default::default(),
            }),
        }],
        ..Facts::default()
    };
    let plan = plan(&facts, &ContractsDiffConfig::default(), &Limits::default());
    let changes: Vec<&Change> = plan.files.iter().flat_map(|f| &f.changes).collect();
    assert_eq!(changes.len(), 600, "{:#?}", plan.counts);
    let report = markdown(&plan);
    assert!(report.len() <= MAX_CHARS);

    // The summary: one line per rule with its counts by severity, worst first.
    let summary = report
        .split("**Changes by rule:**")
        .nth(1)
        .expect("a rule summary");
    let summary_rows: Vec<&str> = summary
        .lines()
        .skip_while(|l| !l.starts_with("|---"))
        .skip(1)
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert_eq!(
        summary_rows,
        [
            "| `became-nullable` | 150 |  |  |",
            "| `operation-removed` | 150 |  |  |",
            "| `type-changed` | 150 |  |  |",
            "| `parameter-added` |  |  | 150 |",
        ]
    );
    // The roll-up: 300 endpoints, 30 shown worst first, the rest counted.
    assert!(report.contains("**Endpoints touched (300):**"), "{report}");
    assert!(
        report.contains("| `GET /items/150` | 2 |  | 1 |"),
        "{report}"
    );
    assert!(report.contains("… and 270 more endpoints"), "{report}");
    // One row for the two rules on `a`, located inside the payload; the file named once
    // above the table, not on each row.
    assert!(
        report.contains(
            "| 🔴 breaking | `type-changed`, `became-nullable` | response | `GET /items/150` |"
        ) || report.contains(
            "| 🔴 breaking | `became-nullable`, `type-changed` | response | `GET /items/150` |"
        ),
        "{report}"
    );
    assert!(report.contains("| `response 200 → a` |"), "{report}");
    assert_eq!(
        report.matches("api/openapi.json").count(),
        2,
        "the breaking table's head and the file's section"
    );
    // The cut names the exact number of rows left out: 450 rows in all (150 removals, 150
    // merged property rows, 150 parameters), minus those shown.
    let shown = report
        .lines()
        .filter(|l| l.starts_with("| 🔴") || l.starts_with("| 🟠") || l.starts_with("| 🟢"))
        .count();
    assert!(shown < 450, "the report should be cut: {shown} rows");
    assert!(
        report.contains(&format!(
            "**Report cut here**: {} of 450 change rows did not fit",
            450 - shown
        )),
        "{}",
        &report[report.len().saturating_sub(400)..]
    );
}
