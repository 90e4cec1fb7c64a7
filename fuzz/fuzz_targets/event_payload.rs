//! Any bytes as any event's payload: an error or a value, never a panic or a hang.
#![no_main]

use guardians_core::event::Event;
use libfuzzer_sys::fuzz_target;

const EVENTS: &[&str] = &[
    "pull_request",
    "pull_request_target",
    "push",
    "workflow_run",
    "merge_group",
    "issue_comment",
    "deployment_status",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, payload)) = data.split_first() else {
        return;
    };
    let name = EVENTS[selector as usize % EVENTS.len()];
    if let Ok(event) = Event::parse(name, payload) {
        let _ = event.pull_request();
    }
});
