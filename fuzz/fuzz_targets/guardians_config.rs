//! Any text as `.github/guardians.yml`: settings or an error naming the problem, in bounded time.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(err) = guardians_core::config::parse(text, "guardians.yml") {
        assert!(!err.to_string().is_empty());
    }
});
