//! Reading the JSON Lines sink back: tolerant of bad lines, deduplicated by UUID.

use std::collections::HashSet;
use std::io::BufRead;

use jiff::Timestamp;

use crate::plan::TelemetryEvent;

#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub events: Vec<TelemetryEvent>,
    /// Events seen again with the same UUID (re-runs); counted once.
    pub duplicates: usize,
    /// Lines that are not events (the line numbers of the first few are kept).
    pub malformed: usize,
    pub first_malformed_lines: Vec<usize>,
    /// Events older than `--since`.
    pub filtered_out: usize,
}

/// Reads events at or after `since` (all when `None`), sorted by time.
pub fn load(reader: impl BufRead, since: Option<Timestamp>) -> std::io::Result<Loaded> {
    let mut loaded = Loaded::default();
    let mut seen = HashSet::new();
    for (index, line) in reader.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let Ok(event) = serde_json::from_str::<TelemetryEvent>(&line) else {
            loaded.malformed += 1;
            if loaded.first_malformed_lines.len() < 5 {
                loaded.first_malformed_lines.push(index + 1);
            }
            continue;
        };
        if since.is_some_and(|s| event.timestamp < s) {
            loaded.filtered_out += 1;
            continue;
        }
        if !seen.insert(event.uuid) {
            loaded.duplicates += 1;
            continue;
        }
        loaded.events.push(event);
    }
    loaded.events.sort_by_key(|e| e.timestamp);
    Ok(loaded)
}
