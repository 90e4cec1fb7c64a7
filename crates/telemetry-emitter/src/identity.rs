//! The identifiers of an event: its deterministic UUID and PostHog's `distinct_id`.

use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::event_name::EventName;

/// Namespace of this guardian's UUIDv5s, itself a UUIDv5 of the project's URL, so that no other
/// tool's UUIDv5s collide with ours.
fn namespace() -> Uuid {
    Uuid::new_v5(
        &Uuid::NAMESPACE_URL,
        b"https://github.com/guardians-dev/guardians/telemetry-emitter",
    )
}

/// What makes an event the same event: re-running the workflow that sends it produces the same
/// UUID, which PostHog (and `report`) deduplicate.
#[derive(Debug, Clone, Copy)]
pub struct EventKey<'a> {
    pub repository: &'a str,
    pub event: EventName,
    pub pr: Option<u64>,
    pub sha: &'a str,
    pub run_id: Option<u64>,
    pub run_attempt: Option<u32>,
}

pub fn event_uuid(key: &EventKey<'_>) -> Uuid {
    let opt = |v: Option<String>| v.unwrap_or_default();
    // Newline-separated: no field can contain one, so distinct keys give distinct names.
    let name = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        key.repository,
        key.event,
        opt(key.pr.map(|n| n.to_string())),
        key.sha,
        opt(key.run_id.map(|n| n.to_string())),
        opt(key.run_attempt.map(|n| n.to_string())),
    );
    Uuid::new_v5(&namespace(), name.as_bytes())
}

/// Ids PostHog refuses as `distinct_id` (compared case-insensitively, trimmed), because SDKs
/// produce them by mistake.
const ILLEGAL_DISTINCT_IDS: [&str; 17] = [
    "anonymous",
    "guest",
    "distinctid",
    "distinct_id",
    "id",
    "not_authenticated",
    "email",
    "undefined",
    "true",
    "false",
    "null",
    "[object object]",
    "nan",
    "none",
    "0",
    "\"\"",
    "''",
];

/// PostHog's longest accepted `distinct_id`.
const MAX_DISTINCT_ID_CHARS: usize = 200;

pub fn is_illegal_distinct_id(id: &str) -> bool {
    let t = id.trim();
    t.is_empty()
        || ILLEGAL_DISTINCT_IDS
            .iter()
            .any(|bad| t.eq_ignore_ascii_case(bad))
}

/// The `distinct_id` for an actor: the login, a SHA-256 of it when `hash` is set, and never one
/// of the ids PostHog rejects: such a login gets a `github:` prefix, and an empty one becomes
/// the repository's id.
pub fn distinct_id(actor: &str, repository: &str, hash: bool) -> String {
    let login = actor.trim();
    if login.is_empty() {
        return format!("github-repository:{repository}");
    }
    if hash {
        let digest = Sha256::digest(format!("github:{login}").as_bytes());
        return hex::encode(digest);
    }
    let id = if is_illegal_distinct_id(login) {
        format!("github:{login}")
    } else {
        login.to_owned()
    };
    id.chars().take(MAX_DISTINCT_ID_CHARS).collect()
}
