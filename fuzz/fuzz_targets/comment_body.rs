//! A comment body of any length and content always fits GitHub's limit after fitting.
#![no_main]

use guardians_core::github::comment_body::{COMMENT_LIMIT, fit_comment_body};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: (&str, u16)| {
    let (text, repeat) = data;
    let body = text.repeat(usize::from(repeat % 4096) + 1);
    let fitted = fit_comment_body(&body);
    assert!(fitted.encode_utf16().count() <= COMMENT_LIMIT);
    if body.encode_utf16().count() <= COMMENT_LIMIT - 512 {
        assert_eq!(fitted, body);
    }
});
