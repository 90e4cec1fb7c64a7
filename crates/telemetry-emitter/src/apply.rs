//! Send the planned events to the chosen sink.

use std::io::Write;
use std::path::PathBuf;

use thiserror::Error;

use crate::plan::Plan;
use crate::sink::jsonl;
use crate::sink::posthog::{PosthogError, PosthogSink};

#[derive(Debug)]
pub enum Sink {
    Posthog(PosthogSink),
    Jsonl(PathBuf),
    Stdout,
}

#[derive(Debug, Error)]
pub enum DeliveryError {
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

/// What was delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub sent: usize,
    pub attempts: u32,
    pub destination: String,
}

pub async fn apply(
    plan: &Plan,
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
