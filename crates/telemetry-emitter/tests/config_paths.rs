//! The `telemetry-emitter:` section's `jsonl-path` is repository-relative: `..`, absolute paths and
//! backslashes are refused with the key and the file's line, so the sink never writes outside
//! the workspace.

use telemetry_emitter::config::TelemetryEmitterConfig;

/// The error text for `yaml`, whose `telemetry-emitter` section must not read.
fn refused(yaml: &str) -> String {
    guardians_core::config::parse_section::<TelemetryEmitterConfig>(yaml, ".github/guardians.yml")
        .expect_err("a path leaving the repository must be refused")
        .to_string()
}

#[test]
fn telemetry_jsonl_path_stays_in_the_workspace() {
    let text = refused("telemetry-emitter:\n  jsonl-path: ../../home/runner/.bashrc\n");
    assert!(text.contains("at `telemetry-emitter.jsonl-path`"), "{text}");
    let ok: TelemetryEmitterConfig = guardians_core::config::parse_section(
        "telemetry-emitter:\n  jsonl-path: out/events.jsonl\n",
        "g.yml",
    )
    .unwrap();
    assert_eq!(ok.jsonl_path, "out/events.jsonl");
}
