//! The options of one `emit`: flags win over action inputs, which win over the config file.

use std::path::PathBuf;

use guardians_core::runner::RunError;
use guardians_core::toolkit::Toolkit;

use crate::cli::{EmitArgs, SinkArg};
use crate::config::{TelemetryEmitterConfig, TelemetrySink};
use crate::event_name::EventName;
use crate::sink::api_key::ApiKey;

/// What can be known before the config file is read: enough to report a failure to read it.
#[derive(Debug, Clone)]
pub struct EarlyOptions {
    /// `--strict` or the input `strict`; `None` when neither says (the config decides).
    pub strict: Option<bool>,
    pub api_key: Option<ApiKey>,
    pub explicit_event: Option<EventName>,
}

/// Reads flags and inputs. The API key is masked in the log at once. A malformed input is bad
/// input (exit 2).
pub fn early(args: &EmitArgs, toolkit: &Toolkit) -> Result<EarlyOptions, RunError> {
    let strict = if args.strict {
        Some(true)
    } else {
        toolkit.input_bool("strict")?
    };
    let key = args
        .posthog_api_key
        .clone()
        .or_else(|| toolkit.input("posthog-api-key"));
    if let Some(key) = &key {
        toolkit.mask(key);
    }
    let explicit_event = args
        .explicit_event
        .clone()
        .or_else(|| toolkit.input("event"))
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.parse::<EventName>())
        .transpose()
        .map_err(|e| RunError::Other(format!("the `event` input or --name: {e}")))?;
    Ok(EarlyOptions {
        strict,
        api_key: key.as_deref().and_then(ApiKey::new),
        explicit_event,
    })
}

/// Where the events go, with everything overridden that flags or inputs set.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub sink: TelemetrySink,
    pub posthog_host: String,
    pub jsonl_path: PathBuf,
}

pub fn delivery(
    args: &EmitArgs,
    toolkit: &Toolkit,
    config: &TelemetryEmitterConfig,
    has_key: bool,
) -> Result<Delivery, RunError> {
    let sink = match args.sink {
        Some(SinkArg::Posthog) => Some(TelemetrySink::Posthog),
        Some(SinkArg::Jsonl) => Some(TelemetrySink::Jsonl),
        Some(SinkArg::Stdout) => Some(TelemetrySink::Stdout),
        None => toolkit.input("sink").map(|s| parse_sink(&s)).transpose()?,
    };
    let sink = sink.or(config.sink).unwrap_or(if has_key {
        TelemetrySink::Posthog
    } else {
        TelemetrySink::Jsonl
    });
    Ok(Delivery {
        sink,
        posthog_host: args
            .posthog_host
            .clone()
            .or_else(|| toolkit.input("posthog-host"))
            .unwrap_or_else(|| config.posthog_host.clone()),
        jsonl_path: args
            .jsonl_path
            .clone()
            .or_else(|| toolkit.input("jsonl-path").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from(&config.jsonl_path)),
    })
}

fn parse_sink(text: &str) -> Result<TelemetrySink, RunError> {
    match text.trim().to_ascii_lowercase().as_str() {
        "posthog" => Ok(TelemetrySink::Posthog),
        "jsonl" => Ok(TelemetrySink::Jsonl),
        "stdout" => Ok(TelemetrySink::Stdout),
        other => Err(RunError::Other(format!(
            "the `sink` input is `{other}`; use posthog, jsonl or stdout"
        ))),
    }
}
