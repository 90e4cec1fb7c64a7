//! The corpus of real PR templates (tests/data/templates/<repo>/, each with its SOURCE and
//! licence): every template against an untouched, an empty, a lazy and a filled description,
//! with the verdict a maintainer would give. Prints the agreement per case type; all must agree.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pr_critic::facts::{Facts, SourceFile};
use pr_critic::finding::Status;
use pr_critic::plan::{Plan, plan};
use pr_critic::policy::Policy;

/// The description an author writes when they cannot be bothered: no template, a few words.
const LAZY_DEFAULT: &str = "Small fix, see title.\n";

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/templates")
}

fn read(path: &Path) -> String {
    String::from_utf8(std::fs::read(path).unwrap()).unwrap()
}

fn evaluate(template: &str, body: &str) -> Plan {
    let facts = Facts {
        body: Some(body.to_owned()),
        template: Some(SourceFile {
            path: ".github/pull_request_template.md".to_owned(),
            text: template.to_owned(),
        }),
        ..Facts::default()
    };
    plan(&facts, &Policy::default())
}

struct Case {
    repo: String,
    kind: &'static str,
    body: String,
    should_pass: bool,
}

fn cases() -> Vec<(String, String, Vec<Case>)> {
    let mut all = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let repo = dir.file_name().unwrap().to_string_lossy().into_owned();
        let source = read(&dir.join("SOURCE"));
        assert!(
            source.contains("licence: MIT")
                || source.contains("licence: Apache-2.0")
                || source.contains("licence: BSD"),
            "{repo}: SOURCE must name a licence that allows copying: {source}"
        );
        let template = read(&dir.join("template.md"));
        let mut cases = vec![
            Case {
                repo: repo.clone(),
                kind: "untouched",
                body: template.clone(),
                should_pass: false,
            },
            Case {
                repo: repo.clone(),
                kind: "empty",
                body: String::new(),
                should_pass: false,
            },
            Case {
                repo: repo.clone(),
                kind: "lazy",
                body: LAZY_DEFAULT.to_owned(),
                should_pass: false,
            },
            Case {
                repo: repo.clone(),
                kind: "filled",
                body: read(&dir.join("filled.md")),
                should_pass: true,
            },
        ];
        if dir.join("lazy.md").exists() {
            cases.push(Case {
                repo: repo.clone(),
                kind: "lazy",
                body: read(&dir.join("lazy.md")),
                should_pass: false,
            });
        }
        all.push((repo, template, cases));
    }
    all
}

#[test]
fn every_corpus_case_gets_the_maintainers_verdict() {
    let mut agreement: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut disagreements = Vec::new();
    let corpus = cases();
    assert!(
        corpus.len() >= 15,
        "the corpus holds {} templates",
        corpus.len()
    );
    for (_, template, cases) in &corpus {
        for case in cases {
            let plan = evaluate(template, &case.body);
            let agrees = plan.verdict.passed == case.should_pass;
            let entry = agreement.entry(case.kind).or_default();
            entry.1 += 1;
            if agrees {
                entry.0 += 1;
            } else {
                let errors: Vec<String> = plan
                    .findings
                    .iter()
                    .filter(|f| f.status == Status::Error)
                    .map(|f| format!("{}: {}", f.subject, f.message))
                    .collect();
                disagreements.push(format!(
                    "{} / {}: expected {}, got {} {errors:?}",
                    case.repo,
                    case.kind,
                    if case.should_pass { "pass" } else { "fail" },
                    if plan.verdict.passed { "pass" } else { "fail" },
                ));
            }
        }
    }
    let (mut agreed, mut total) = (0, 0);
    for (kind, (ok, n)) in &agreement {
        println!("{kind:>10}: {ok}/{n} agree");
        agreed += ok;
        total += n;
    }
    println!(
        "   overall: {agreed}/{total} agree ({} templates)",
        corpus.len()
    );
    assert!(
        disagreements.is_empty(),
        "disagreements:\n{}",
        disagreements.join("\n")
    );
}
