//! The JSON Lines file sink: one event a line, appended, so a file collects many runs.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

use crate::plan::TelemetryEvent;

/// One line of JSON per event, no trailing newline inside (JSON escapes them).
pub(crate) fn to_lines(events: &[TelemetryEvent]) -> String {
    let mut out = String::new();
    for event in events {
        out.push_str(&serde_json::to_string(event).expect("events always serialize"));
        out.push('\n');
    }
    out
}

pub(crate) fn append(path: &Path, events: &[TelemetryEvent]) -> std::io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let mut file = OpenOptions::new().create(true).append(true).open(path)?;
    // One write per run, so concurrent appenders interleave whole runs, not halves of lines.
    file.write_all(to_lines(events).as_bytes())?;
    file.flush()
}
