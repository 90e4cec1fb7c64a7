//! The engine must compare any two parsed documents without panicking or hanging. The input
//! is split in two at the first NUL byte: base and head.
#![no_main]

use contracts_diff::resolve::Spec;
use contracts_diff::{Limits, openapi};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_nodes: 100_000,
        max_comparisons: 50_000,
        ..Limits::default()
    };
    let split = data.iter().position(|b| *b == 0).unwrap_or(data.len());
    let (base, head) = data.split_at(split);
    let head = head.get(1..).unwrap_or(&[]);
    let mut none = |_: &str| None;
    let (Ok(b), Ok(h)) = (
        Spec::load("openapi.yaml", base, &mut none, &limits),
        Spec::load("openapi.yaml", head, &mut none, &limits),
    ) else {
        return;
    };
    let _ = openapi::diff(&b, &h, &limits);
});
