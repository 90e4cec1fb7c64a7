//! Running a guardian's binary the way the Actions runner runs a step: the event payload in a
//! file, the runner's variables, and `$GITHUB_OUTPUT` / `$GITHUB_STEP_SUMMARY` files read back
//! afterwards. For the guardians' end-to-end tests (feature `test-support`).

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use crate::toolkit::read_output_file;

/// The step's environment.
pub struct StepEnv<'a> {
    pub event_name: &'a str,
    pub payload: &'a serde_json::Value,
    /// `owner/name`.
    pub repository: &'a str,
    pub api_url: &'a str,
    /// Passed as the `github-token` input.
    pub token: &'a str,
    /// The working directory and `GITHUB_WORKSPACE`; the step's own folder when `None`.
    pub workspace: Option<&'a Path>,
}

/// What the step left behind.
#[derive(Debug)]
pub struct StepRun {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub outputs: HashMap<String, String>,
    pub summary: String,
}

/// Run `binary` as a step, keeping the event and the runner's files in `dir`. The environment is
/// cleared first (only `PATH` kept), so nothing of the calling shell leaks in; `extra` is set
/// last and wins (inputs as `INPUT_*`, or overrides such as `GITHUB_EVENT_NAME`).
pub fn run_step(
    binary: &Path,
    dir: &Path,
    step: &StepEnv<'_>,
    extra: &[(&str, &str)],
) -> std::io::Result<StepRun> {
    let event = dir.join("event.json");
    let output = dir.join("github-output");
    let summary = dir.join("step-summary");
    std::fs::write(&event, serde_json::to_vec(step.payload)?)?;
    std::fs::write(&output, "")?;
    std::fs::write(&summary, "")?;
    let workspace = step.workspace.unwrap_or(dir);
    let mut command = Command::new(binary);
    command
        .env_clear()
        .current_dir(workspace)
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_EVENT_NAME", step.event_name)
        .env("GITHUB_EVENT_PATH", &event)
        .env("GITHUB_REPOSITORY", step.repository)
        .env("GITHUB_WORKSPACE", workspace)
        .env("GITHUB_API_URL", step.api_url)
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("INPUT_GITHUB-TOKEN", step.token);
    // The actions pass `${{ github.token }}` again so that the default `github-token` is known
    // to be the workflow's token; a step whose token is given as an input override is modelled
    // the same way. A test of another token (an App's) sets GUARDIANS_WORKFLOW_TOKEN in `extra`.
    let token = extra
        .iter()
        .rev()
        .find(|(key, _)| *key == "INPUT_GITHUB-TOKEN")
        .map_or(step.token, |(_, value)| *value);
    command.env(crate::github::identity::WORKFLOW_TOKEN_ENV, token);
    for (key, value) in extra {
        command.env(key, value);
    }
    let result = command.output()?;
    Ok(StepRun {
        code: result.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&result.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&result.stderr).into_owned(),
        outputs: read_output_file(&std::fs::read_to_string(&output)?),
        summary: std::fs::read_to_string(&summary)?,
    })
}
