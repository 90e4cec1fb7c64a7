//! Running the real `telemetry-emitter` binary as the Actions runner would: an event file,
//! `GITHUB_*` variables pointing at the fake GitHub, inputs as `INPUT_*`, and output files.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

pub(crate) const REPO: &str = "octo/shop";

/// What a run left behind.
#[derive(Debug)]
pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub outputs: HashMap<String, String>,
}

pub(crate) fn run_binary(
    dir: &Path,
    api_url: &str,
    event_name: &str,
    payload: &Value,
    inputs: &[(&str, &str)],
    args: &[&str],
) -> Run {
    let event = dir.join("event.json");
    let output = dir.join("output");
    std::fs::write(&event, serde_json::to_vec(payload).unwrap()).unwrap();
    std::fs::write(&output, "").unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_telemetry-emitter"));
    command
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_EVENT_NAME", event_name)
        .env("GITHUB_EVENT_PATH", &event)
        .env("GITHUB_REPOSITORY", REPO)
        .env("GITHUB_API_URL", api_url)
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_RUN_ID", "900001")
        .env("GITHUB_RUN_ATTEMPT", "1")
        .env("INPUT_GITHUB-TOKEN", "ghs_test");
    for (key, value) in inputs {
        command.env(format!("INPUT_{}", key.to_ascii_uppercase()), value);
    }
    let result = command.output().unwrap();
    Run {
        code: result.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&result.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&result.stderr).into_owned(),
        outputs: parse_outputs(&std::fs::read_to_string(&output).unwrap()),
    }
}

/// `name<<DELIM\nvalue\nDELIM` records of a `GITHUB_OUTPUT` file.
pub(crate) fn parse_outputs(text: &str) -> HashMap<String, String> {
    let mut outputs = HashMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((name, delimiter)) = line.split_once("<<") {
            let mut value = Vec::new();
            for next in lines.by_ref() {
                if next == delimiter {
                    break;
                }
                value.push(next);
            }
            outputs.insert(name.to_owned(), value.join("\n"));
        }
    }
    outputs
}

/// The binary with exactly `env` as its environment (and PATH), as a terminal user or a test of
/// the Actions variables runs it.
pub(crate) fn spawn(env: &HashMap<String, String>, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_telemetry-emitter"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(env)
        .output()
        .unwrap()
}
