//! Untrusted text printed in Actions can never end the stop-commands block it is printed in:
//! every line between the markers differs from the closing marker.
#![no_main]

use std::collections::HashMap;
use std::sync::Arc;

use guardians_core::toolkit::{SharedBuffer, Toolkit};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let env: HashMap<String, String> = [("GITHUB_ACTIONS".to_string(), "true".to_string())].into();
    let buffer = SharedBuffer::new();
    let toolkit = Toolkit::new(Arc::new(env), Box::new(buffer.clone()));
    toolkit.untrusted(text);
    let out = buffer.contents();
    if text.is_empty() {
        // Nothing to print, nothing printed.
        assert!(out.is_empty());
        return;
    }
    let mut lines = out.lines();
    let first = lines.next().expect("a start marker");
    let token = first.strip_prefix("::stop-commands::").expect("starts stopped");
    let end = format!("::{token}::");
    let rest: Vec<&str> = lines.collect();
    let (last, inner) = rest.split_last().expect("an end marker");
    assert_eq!(*last, end);
    assert!(inner.iter().all(|line| line.trim() != end));
});
