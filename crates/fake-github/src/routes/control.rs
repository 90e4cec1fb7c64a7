//! `/_fake/*`: inspect and steer a running fake from another process (workflow tests, benchmarks).
//! No authentication, not logged, never faulted.

use std::time::Duration;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use crate::app::App;
use crate::fault::{ArmedFault, Fault};
use crate::limits::SecondaryLimits;
use crate::seed_file::SeedDocument;

fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"message": message}))).into_response()
}

pub(super) async fn dump_state(State(app): State<App>) -> Response {
    let state = app.state().clone();
    Json(state).into_response()
}

pub(super) async fn list_calls(State(app): State<App>) -> Response {
    Json(app.calls()).into_response()
}

pub(super) async fn reset_calls(State(app): State<App>) -> Response {
    app.clear_calls();
    StatusCode::NO_CONTENT.into_response()
}

/// Accepts one fault object or an array of them.
#[derive(Deserialize)]
#[serde(untagged)]
enum FaultList {
    One(Fault),
    Many(Vec<Fault>),
}

pub(super) async fn add_faults(State(app): State<App>, body: Bytes) -> Response {
    let faults = match serde_json::from_slice::<FaultList>(&body) {
        Ok(FaultList::One(fault)) => vec![fault],
        Ok(FaultList::Many(faults)) => faults,
        Err(error) => {
            return bad_request(format!(
                "the fault is not valid JSON of the documented shape ({error}); expected {{\"path\": \"/repos/*/*/pulls/*/files\", \"status\": 502, \"times\": 1}}"
            ));
        }
    };
    let mut armed = Vec::new();
    for fault in faults {
        match ArmedFault::new(fault) {
            Ok(fault) => armed.push(fault),
            Err(error) => return bad_request(error.to_string()),
        }
    }
    let count = armed.len();
    for fault in armed {
        app.arm(fault);
    }
    (StatusCode::CREATED, Json(json!({"queued": count}))).into_response()
}

pub(super) async fn clear_faults(State(app): State<App>) -> Response {
    app.clear_faults();
    StatusCode::NO_CONTENT.into_response()
}

pub(super) async fn seed(State(app): State<App>, body: Bytes) -> Response {
    let text = String::from_utf8_lossy(&body);
    match SeedDocument::from_json(&text) {
        Ok(document) => match app.state().apply_seed(document) {
            Ok(()) => Json(json!({"ok": true})).into_response(),
            Err(error) => bad_request(error.to_string()),
        },
        Err(error) => bad_request(error.to_string()),
    }
}

#[derive(Deserialize)]
struct Latency {
    ms: u64,
}

pub(super) async fn set_latency(State(app): State<App>, body: Bytes) -> Response {
    match serde_json::from_slice::<Latency>(&body) {
        Ok(latency) => {
            app.set_latency(Duration::from_millis(latency.ms));
            Json(json!({"latency_ms": latency.ms})).into_response()
        }
        Err(error) => bad_request(format!("expected {{\"ms\": N}} ({error})")),
    }
}

/// `{"max_concurrent": 8, "content_writes_per_minute": 80, "status": 429, "retry_after": 60}`,
/// every key optional; `{}` turns the limits off.
pub(super) async fn set_secondary_limits(State(app): State<App>, body: Bytes) -> Response {
    match serde_json::from_slice::<SecondaryLimits>(&body) {
        Ok(limits) => {
            app.set_secondary_limits(limits.clone());
            Json(limits).into_response()
        }
        Err(error) => bad_request(format!(
            "expected {{\"max_concurrent\": N, \"content_writes_per_minute\": N, \"status\": 403|429, \"retry_after\": SECONDS}} ({error})"
        )),
    }
}

#[derive(Deserialize)]
struct Rename {
    from: String,
    to: String,
}

/// `{"from": "o/old", "to": "o/new"}`: the repository moves and its old name redirects.
pub(super) async fn rename_repo(State(app): State<App>, body: Bytes) -> Response {
    match serde_json::from_slice::<Rename>(&body) {
        Ok(rename) if rename.to.contains('/') => {
            app.rename_repo(&rename.from, &rename.to);
            StatusCode::NO_CONTENT.into_response()
        }
        Ok(_) => bad_request("`to` must be OWNER/NAME".to_owned()),
        Err(error) => bad_request(format!(
            "expected {{\"from\": \"o/old\", \"to\": \"o/new\"}} ({error})"
        )),
    }
}
