//! The loader must turn any bytes into a value or an error, within its limits.
#![no_main]

use contracts_diff::{Limits, load};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_nodes: 100_000,
        ..Limits::default()
    };
    let _ = load::parse("fuzz.yaml", data, &limits);
    let _ = load::parse("fuzz.json", data, &limits);
});
