//! Parse and evaluate a 65,536-character description against the reference template.
//!
//! `cargo bench -p pr-critic --bench evaluate`; results in `crates/pr-critic/BENCHMARKS.md`.

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use pr_critic::body::{Body, MAX_BODY_CHARS};
use pr_critic::config::PrCriticConfig;
use pr_critic::facts::{Facts, SourceFile};
use pr_critic::plan::plan;
use pr_critic::policy::Policy;

const TEMPLATE: &str = include_str!("../tests/data/reference/pull_request_template.md");
const FILLED: &str = include_str!("../tests/data/reference/body_filled.md");

/// The filled reference description, its Risk section grown with realistic Markdown (prose,
/// nested lists, links, code, comments) to exactly `chars` characters.
fn body_of(chars: usize) -> String {
    let chunk = "- Step: enable `sessions-api` for [staff](https://example.com/staff) first.\n  - Watch the error rate; roll back with the flag.\n  <!-- reviewer note -->\n\nThe handler reads sessions newest first, **paginated** by 50, and answers `404` for unknown users.\n\n";
    let split = FILLED
        .find("## Agent metadata")
        .expect("the reference body has an agent metadata section");
    let (head, tail) = FILLED.split_at(split);
    let mut body = String::with_capacity(chars + chunk.len());
    body.push_str(head);
    while body.chars().count() + chunk.chars().count() + tail.chars().count() < chars {
        body.push_str(chunk);
    }
    body.push_str(tail);
    let missing = chars.saturating_sub(body.chars().count());
    body.push_str(&" ".repeat(missing));
    body
}

fn facts(body: String) -> Facts {
    Facts {
        body: Some(body),
        template: Some(SourceFile {
            path: ".github/pull_request_template.md".to_owned(),
            text: TEMPLATE.to_owned(),
        }),
        changed_files: [
            "packages/contracts/users.yaml",
            "src/routes/sessions.ts",
            "web/src/components/SessionList.tsx",
            "tests/sessions.test.ts",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect(),
        changed_files_unknown: false,
        labels: vec!["ai-assisted".to_owned(), "architect-approved".to_owned()],
        commit_messages: vec![
            "Add sessions endpoint\n\nCo-authored-by: Claude <noreply@anthropic.com>".to_owned(),
        ],
        coverage: None,
    }
}

fn evaluate(c: &mut Criterion) {
    let policy = Policy::compile(&PrCriticConfig::default()).expect("the defaults compile");
    let body = body_of(MAX_BODY_CHARS);
    assert_eq!(body.chars().count(), MAX_BODY_CHARS);
    let at_limit = facts(body.clone());
    c.bench_function("plan: 65,536-char body vs reference template", |b| {
        b.iter(|| plan(black_box(&at_limit), black_box(&policy)));
    });
    c.bench_function("parse only: 65,536-char body", |b| {
        b.iter(|| Body::parse(black_box(Some(body.as_str()))));
    });
    let huge = facts(body_of(1 << 20));
    c.bench_function("plan: 1 MiB body (cut at 65,536)", |b| {
        b.iter(|| plan(black_box(&huge), black_box(&policy)));
    });
    c.bench_function("compile the default policy", |b| {
        b.iter(|| Policy::compile(black_box(&PrCriticConfig::default())));
    });
}

criterion_group!(benches, evaluate);
criterion_main!(benches);
