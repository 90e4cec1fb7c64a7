//! The size-labeler's readers of repository text: `.gitattributes`, ignore globs and
//! `git diff --numstat -z` output never panic.
#![no_main]

use guardians_core::change_size::{GeneratedFiles, IgnoreRules};
use libfuzzer_sys::fuzz_target;
use size_labeler::parse_numstat_z;

fuzz_target!(|data: (&str, Vec<String>, &[u8], &str)| {
    let (attributes, globs, numstat, path) = data;
    let generated = GeneratedFiles::parse(attributes);
    let _ = generated.is_generated(path);
    if let Ok(rules) = IgnoreRules::new(true, Some(generated), &globs) {
        let _ = rules.reason(path);
    }
    for file in parse_numstat_z(numstat) {
        assert_eq!(file.changes, file.additions.saturating_add(file.deletions));
    }
});
