//! Webhook payloads of the events the guardians run on, parsed into small, tolerant structs.
//!
//! GitHub's payloads are large and change over time; the guardians read a few dozen fields of
//! them. So every struct here names only what some guardian uses, ignores unknown fields, and
//! defaults what GitHub may omit or send as `null` (older GitHub Enterprise Server releases omit
//! `draft`, a deleted fork turns `head.repo` into `null`, ...). Only the fields that identify
//! what happened (numbers, SHAs, refs, the repository's name) are required: without them a
//! guardian cannot act, and a clear error naming the field beats a silent wrong answer.
//!
//! [`Event::parse`] dispatches on the event name (`GITHUB_EVENT_NAME`); `pull_request_target`
//! shares the `pull_request` payload. Events no guardian reads become [`Event::Other`].

mod common;
mod deployment_status;
mod error;
mod issue_comment;
mod merge_group;
mod null_default;
mod pull_request;
mod push;
mod workflow_run;

pub use common::{BranchRef, Commit, CommitAuthor, GitRef, Label, Repository, User};
pub use deployment_status::{Deployment, DeploymentStatus, DeploymentStatusEvent};
pub use error::EventError;
pub use issue_comment::{Comment, Issue, IssueCommentEvent, IssuePullRequestLink};
pub use merge_group::{MergeGroup, MergeGroupEvent};
pub use pull_request::{PullRequest, PullRequestEvent};
pub use push::{PushEvent, Pusher};
pub use workflow_run::{Workflow, WorkflowRun, WorkflowRunEvent, WorkflowRunPullRequest};

use serde::de::DeserializeOwned;

/// One webhook payload, typed by its event name.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(
    clippy::large_enum_variant,
    reason = "one event per run; plain variants keep matching on it simple for every guardian"
)]
pub enum Event {
    /// `pull_request` and `pull_request_target`.
    PullRequest(PullRequestEvent),
    Push(PushEvent),
    WorkflowRun(WorkflowRunEvent),
    MergeGroup(MergeGroupEvent),
    IssueComment(IssueCommentEvent),
    DeploymentStatus(DeploymentStatusEvent),
    /// An event no guardian reads the payload of (`workflow_dispatch`, `schedule`, ...).
    Other {
        name: String,
    },
}

impl Event {
    /// Parses `json` as the payload of the event `event_name`.
    ///
    /// The payload of an [`Event::Other`] is not read at all, so it cannot fail.
    pub fn parse(event_name: &str, json: &[u8]) -> Result<Event, EventError> {
        Ok(match event_name {
            "pull_request" | "pull_request_target" => {
                let mut event: PullRequestEvent = parse_as(event_name, json)?;
                if event.number == 0 {
                    // `number` sits beside `pull_request` in every payload GitHub sends today;
                    // a hand-written or older payload may carry it only inside.
                    event.number = event.pull_request.number;
                }
                Event::PullRequest(event)
            }
            "push" => Event::Push(parse_as(event_name, json)?),
            "workflow_run" => Event::WorkflowRun(parse_as(event_name, json)?),
            "merge_group" => Event::MergeGroup(parse_as(event_name, json)?),
            "issue_comment" => Event::IssueComment(parse_as(event_name, json)?),
            "deployment_status" => Event::DeploymentStatus(parse_as(event_name, json)?),
            other => Event::Other {
                name: other.to_owned(),
            },
        })
    }

    /// The pull request of a `pull_request` or `pull_request_target` event.
    pub fn pull_request(&self) -> Option<&PullRequest> {
        match self {
            Event::PullRequest(event) => Some(&event.pull_request),
            _ => None,
        }
    }

    /// The repository the event happened in, for every event whose payload was read.
    pub fn repository(&self) -> Option<&Repository> {
        match self {
            Event::PullRequest(event) => Some(&event.repository),
            Event::Push(event) => Some(&event.repository),
            Event::WorkflowRun(event) => Some(&event.repository),
            Event::MergeGroup(event) => Some(&event.repository),
            Event::IssueComment(event) => Some(&event.repository),
            Event::DeploymentStatus(event) => Some(&event.repository),
            Event::Other { .. } => None,
        }
    }

    /// The payload's `action` (`opened`, `completed`, ...); `push` and unread events have none.
    pub fn action(&self) -> Option<&str> {
        match self {
            Event::PullRequest(event) => Some(&event.action),
            Event::WorkflowRun(event) => Some(&event.action),
            Event::MergeGroup(event) => Some(&event.action),
            Event::IssueComment(event) => Some(&event.action),
            Event::DeploymentStatus(event) => Some(&event.action),
            Event::Push(_) | Event::Other { .. } => None,
        }
    }
}

fn parse_as<T: DeserializeOwned>(event_name: &str, json: &[u8]) -> Result<T, EventError> {
    reject_non_object(event_name, json)?;
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let value = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| EventError::from_path_error(event_name, error))?;
    // Trailing bytes mean a corrupted or concatenated file, not a payload with extra fields.
    deserializer
        .end()
        .map_err(|error| EventError::from_json_error(event_name, error))?;
    Ok(value)
}

/// serde reads a struct from a JSON array too (positionally), which would turn `[1, 2]` into an
/// error about a field `[0]`; say plainly that a payload is an object instead. The first byte
/// tells the JSON type, so nothing else needs to be read (or recursed into).
fn reject_non_object(event_name: &str, json: &[u8]) -> Result<(), EventError> {
    let first = json.iter().find(|byte| !byte.is_ascii_whitespace());
    let kind = match first {
        // An object, or nothing at all: the deserializer reports what is wrong, if anything.
        Some(b'{') | None => return Ok(()),
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b'-' | b'0'..=b'9') => "a number",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        // Not JSON: the deserializer reports where it breaks.
        Some(_) => return Ok(()),
    };
    Err(EventError::not_an_object(event_name, kind))
}
