//! The body of PostHog's `POST /batch/`.

use flate2::Compression;
use flate2::write::GzEncoder;
use serde::Serialize;
use std::io::Write;

use crate::plan::TelemetryEvent;

#[derive(Debug, Serialize)]
pub(crate) struct BatchBody<'a> {
    pub api_key: &'a str,
    /// Events carry GitHub's times, which may be hours old; they are still live events.
    pub historical_migration: bool,
    pub batch: &'a [TelemetryEvent],
}

impl<'a> BatchBody<'a> {
    pub(crate) fn new(api_key: &'a str, batch: &'a [TelemetryEvent]) -> Self {
        Self {
            api_key,
            historical_migration: false,
            batch,
        }
    }

    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a batch of plain structs always serializes")
    }
}

pub(crate) fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes)?;
    encoder.finish()
}
