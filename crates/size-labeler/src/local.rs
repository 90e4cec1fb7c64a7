//! `--git BASE...HEAD`: size a range of a local checkout, with no API and no run context. It
//! writes nothing, so it ends like a dry run: the plan printed, the exit per the verdict.

use guardians_core::config;
use guardians_core::runner::{Exit, Plan as _, RunError};
use guardians_core::toolkit::Toolkit;

use crate::cli::Cli;
use crate::guardian::Decision;
use crate::settings::{InputOverrides, Settings};
use crate::{git_mode, inputs, plan};

pub(crate) fn run(cli: &Cli, range: &str, toolkit: &Toolkit) -> Result<Exit, RunError> {
    let local =
        git_mode::gather(&cli.repo_dir, range).map_err(|e| RunError::Other(e.to_string()))?;
    let file_config = match (&cli.common.config, &local.config_text) {
        (Some(path), _) => config::load_from_file(path)?.config,
        (None, Some(text)) => {
            config::parse(text, &format!("{}:.github/guardians.yml", local.base))?
        }
        (None, None) => config::GuardiansConfig::default(),
    };
    let settings = Settings::resolve(&file_config.section()?, &InputOverrides::default())
        .map_err(|e| RunError::Other(e.to_string()))?;
    let rules = inputs::ignore_rules(&settings, local.gitattributes.as_deref())?;
    let decision = Decision::new(plan::plan(&local.facts, &settings, &rules), true);
    // File names are untrusted: in Actions the text is printed with workflow commands stopped.
    let text = if cli.common.json {
        serde_json::to_string_pretty(&decision)
            .map_err(|e| RunError::Other(format!("could not render the plan as JSON: {e}")))?
    } else {
        decision.markdown()
    };
    toolkit.untrusted(&text);
    Ok(Exit::verdict(decision.failed()))
}
