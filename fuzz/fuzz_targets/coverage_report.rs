//! A coverage report (lcov, Cobertura XML, Istanbul json-summary) of any content: a summary or
//! an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(summary) = pr_critic::coverage::parse_report(text) {
        let _ = summary.describe();
    }
});
