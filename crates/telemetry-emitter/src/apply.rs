//! Send the planned events to the planned sink.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use guardians_core::runner::RunError;
use thiserror::Error;

use crate::config::TelemetryEmitterConfig;
use crate::emit_plan::{Destination, EmitPlan};
use crate::sink::api_key::ApiKey;
use crate::sink::jsonl;
use crate::sink::posthog::{PosthogError, PosthogSink};
use crate::sink::retry::delivery_policy;

#[derive(Debug)]
pub(crate) enum Sink {
    Posthog(PosthogSink),
    Jsonl(PathBuf),
    Stdout,
}

#[derive(Debug, Error)]
pub(crate) enum DeliveryError {
    #[error(
        "the posthog sink needs a project API key: set the posthog-api-key input (from a secret)"
    )]
    NoApiKey,
    #[error(transparent)]
    Posthog(#[from] PosthogError),
    #[error("could not append to {path}: {source}; check that the directory is writable")]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("could not write to standard output: {0}")]
    Stdout(std::io::Error),
}

impl DeliveryError {
    /// The shared exit code's error: a sink that could not be reached after the retries is an
    /// outage (exit 3); a refused key, a bad host or an unwritable file is fixed in the inputs
    /// (exit 2).
    pub(crate) fn into_run_error(self) -> RunError {
        let message = self.to_string();
        match self {
            DeliveryError::Posthog(PosthogError::GaveUp { .. }) => RunError::Unavailable(message),
            _ => RunError::Other(message),
        }
    }
}

/// What was delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Outcome {
    pub sent: usize,
    pub attempts: u32,
    pub destination: String,
}

/// The sink the plan names, with the key and the config's retry bounds.
pub(crate) fn sink_for(
    destination: &Destination,
    config: &TelemetryEmitterConfig,
    api_key: Option<ApiKey>,
) -> Result<Sink, DeliveryError> {
    Ok(match destination {
        Destination::Posthog { host } => {
            let key = api_key.ok_or(DeliveryError::NoApiKey)?;
            let policy = delivery_policy(
                config.max_attempts,
                Duration::from_secs(config.max_retry_wait_s),
            );
            Sink::Posthog(PosthogSink::new(host, key, policy)?)
        }
        Destination::Jsonl { path } => Sink::Jsonl(path.clone()),
        Destination::Stdout => Sink::Stdout,
    })
}

pub(crate) async fn apply(
    plan: &EmitPlan,
    sink: &Sink,
    stdout: &mut (dyn Write + Send),
) -> Result<Outcome, DeliveryError> {
    let sent = plan.events.len();
    if sent == 0 {
        return Ok(Outcome {
            sent,
            attempts: 0,
            destination: "nowhere".to_owned(),
        });
    }
    match sink {
        Sink::Posthog(posthog) => {
            let delivered = posthog.send(&plan.events).await?;
            Ok(Outcome {
                sent,
                attempts: delivered.attempts,
                destination: posthog.endpoint().to_string(),
            })
        }
        Sink::Jsonl(path) => {
            jsonl::append(path, &plan.events).map_err(|source| DeliveryError::File {
                path: path.clone(),
                source,
            })?;
            Ok(Outcome {
                sent,
                attempts: 1,
                destination: path.display().to_string(),
            })
        }
        Sink::Stdout => {
            // Each line starts with `{`, so no line can be read as a workflow command.
            stdout
                .write_all(jsonl::to_lines(&plan.events).as_bytes())
                .map_err(DeliveryError::Stdout)?;
            Ok(Outcome {
                sent,
                attempts: 1,
                destination: "stdout".to_owned(),
            })
        }
    }
}
