//! A PR description and template of any Markdown, with any changed files and labels, evaluated
//! with the default rules: a plan, never a panic, and the description never echoed raw.
#![no_main]

use std::sync::OnceLock;

use pr_critic::config::PrCriticConfig;
use libfuzzer_sys::fuzz_target;
use pr_critic::facts::{Facts, SourceFile};
use pr_critic::policy::Policy;

fn policy() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(|| Policy::compile(&PrCriticConfig::default()).expect("defaults compile"))
}

fuzz_target!(|data: (&str, Option<&str>, Vec<String>, Vec<String>)| {
    let (template, body, changed_files, labels) = data;
    let facts = Facts {
        body: body.map(str::to_string),
        template: Some(SourceFile {
            path: ".github/pull_request_template.md".into(),
            text: template.to_string(),
        }),
        changed_files,
        labels,
        ..Facts::default()
    };
    let plan = pr_critic::plan::plan(&facts, policy());
    // A marker only the description contains must not reach the report (file names and labels
    // are shown, escaped, so they must not carry it for this check).
    let marker = "::zz-fuzz-marker::";
    let elsewhere = template.contains(marker)
        || facts.changed_files.iter().any(|f| f.contains(marker))
        || facts.labels.iter().any(|l| l.contains(marker));
    if body.is_some_and(|b| b.contains(marker)) && !elsewhere {
        let markdown = pr_critic::report::markdown::render(&plan);
        assert!(!markdown.contains(marker));
    }
});
