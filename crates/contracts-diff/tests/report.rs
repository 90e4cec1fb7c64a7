//! Snapshot of the Markdown report for a small realistic pair, and the size cap.

use std::path::Path;

use contracts_diff::Limits;
use contracts_diff::config::ContractsDiffConfig;
use contracts_diff::plan::{ContractFile, Facts, FileStatus, Version, plan};
use contracts_diff::report::{MAX_CHARS, markdown};

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
    assert_eq!(
        report.matches("<details>").count(),
        report.matches("</details>").count()
    );
}
