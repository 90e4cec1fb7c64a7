//! The hidden metadata of an existing preview comment is written by us but stored where anyone
//! with write access can edit it: any body parses to metadata or to nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use preview_commenter::comment::metadata::CommentMeta;

fuzz_target!(|body: &str| {
    let _ = CommentMeta::parse(body);
});
