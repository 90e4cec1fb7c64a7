//! distinct_id rules and deterministic UUIDs.
// Test helpers: a broken fixture should panic where it is read.
#![allow(clippy::unwrap_used)]

use telemetry_emitter::event_name::EventName;
use telemetry_emitter::identity::{EventKey, distinct_id, event_uuid, is_illegal_distinct_id};

#[test]
fn ids_posthog_rejects_are_never_sent() {
    for bad in [
        "anonymous",
        "null",
        "undefined",
        "0",
        "guest",
        "distinct_id",
        "id",
        "not_authenticated",
        "email",
        "true",
        "false",
        "[object Object]",
        "NaN",
        "None",
        "NULL",
        " none ",
    ] {
        assert!(is_illegal_distinct_id(bad), "{bad}");
        let id = distinct_id(bad, "o/r", false);
        assert!(!is_illegal_distinct_id(&id), "{bad} -> {id}");
        assert_eq!(id, format!("github:{}", bad.trim()));
    }
    assert_eq!(distinct_id("", "o/r", false), "github-repository:o/r");
    assert_eq!(distinct_id("   ", "o/r", true), "github-repository:o/r");
    assert_eq!(distinct_id("octocat", "o/r", false), "octocat");
}

#[test]
fn a_hashed_actor_is_the_sha256_of_the_login() {
    // printf 'github:octocat' | sha256sum
    assert_eq!(
        distinct_id("octocat", "o/r", true),
        "0309e87b72e9ebbb324075c26f58478bf2aca6c8cbc26bae3bb2bc74080640f9"
    );
    let id = distinct_id("octocat", "o/r", true);
    assert_eq!(id.len(), 64);
    assert_ne!(id, distinct_id("hubot", "o/r", true));
}

fn key(attempt: u32) -> EventKey<'static> {
    EventKey {
        repository: "octo-org/octo-repo",
        event: EventName::DevCiPassed,
        pr: Some(2),
        sha: "3484a3fb816e0859fd6e1cea078d76385ff50625",
        run_id: Some(289782451),
        run_attempt: Some(attempt),
    }
}

#[test]
fn uuids_are_uuidv5_stable_across_reruns_and_distinct_across_attempts() {
    // Python: uuid5(uuid5(NAMESPACE_URL, "https://github.com/guardians-dev/guardians/telemetry-emitter"),
    //               "octo-org/octo-repo\ndev_ci_passed\n2\n3484a3fb...\n289782451\n1")
    assert_eq!(
        event_uuid(&key(1)).to_string(),
        "8b2c0e3f-1958-517f-9662-a29e4e7875e5"
    );
    assert_eq!(event_uuid(&key(1)).get_version_num(), 5);
    assert_ne!(event_uuid(&key(1)), event_uuid(&key(2)));
    let mut other = key(1);
    other.event = EventName::DevCiFailed;
    assert_ne!(event_uuid(&key(1)), event_uuid(&other));
}
