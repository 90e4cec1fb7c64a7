//! A local stand-in for PostHog's `POST /batch/` that validates requests as PostHog does
//! (project API key, event name, distinct id, UUID, ISO 8601 timestamp, size limits), can be
//! scripted to fail first (503, 429 with Retry-After, ...), and records what it accepted.

use std::collections::{HashSet, VecDeque};
use std::io::Read;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use bytes::Bytes;
use serde_json::{Value, json};

/// PostHog's limits: a whole request, and one event.
pub(crate) const MAX_REQUEST_BYTES: usize = 20 * 1024 * 1024;
pub(crate) const MAX_EVENT_BYTES: usize = 1024 * 1024;

const ILLEGAL_IDS: [&str; 15] = [
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
];

/// A canned answer given before validation, in order, one per request.
#[derive(Debug, Clone)]
pub(crate) struct Scripted {
    pub status: u16,
    pub retry_after: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct Recorded {
    pub requests: usize,
    /// Events accepted (a re-sent event appears again).
    pub accepted: Vec<Value>,
    /// Distinct UUIDs accepted: what PostHog counts after deduplication.
    pub unique_uuids: HashSet<String>,
    pub rejections: Vec<String>,
    pub saw_gzip: bool,
}

struct Shared {
    api_key: String,
    script: Mutex<VecDeque<Scripted>>,
    recorded: Mutex<Recorded>,
}

pub(crate) struct FakePosthog {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FakePosthog {
    /// Starts on a free loopback port, in its own thread and runtime, so that both async tests
    /// and the blocking CLI can talk to it.
    pub(crate) fn start(api_key: &str, script: Vec<Scripted>) -> Self {
        let shared = Arc::new(Shared {
            api_key: api_key.to_owned(),
            script: Mutex::new(script.into()),
            recorded: Mutex::new(Recorded::default()),
        });
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (shutdown_tx, shutdown_rx) = tokio::sync::oneshot::channel::<()>();
        let state = shared.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                let app = Router::new()
                    .route("/batch/", post(batch))
                    .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES * 2))
                    .with_state(state);
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = shutdown_rx.await;
                    })
                    .await
                    .unwrap();
            });
        });
        let addr = addr_rx.recv().unwrap();
        Self {
            addr,
            shared,
            shutdown: Some(shutdown_tx),
            thread: Some(thread),
        }
    }

    pub(crate) fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub(crate) fn recorded<T>(&self, f: impl FnOnce(&Recorded) -> T) -> T {
        f(&self.shared.recorded.lock().unwrap())
    }
}

impl Drop for FakePosthog {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn error(status: StatusCode, kind: &str, detail: String) -> Response {
    (
        status,
        axum::Json(json!({"type": kind, "code": "invalid_payload", "detail": detail})),
    )
        .into_response()
}

fn validate_event(event: &Value) -> Result<(), String> {
    let size = serde_json::to_vec(event).unwrap().len();
    if size > MAX_EVENT_BYTES {
        return Err(format!("event is {size} bytes, over the 1 MB limit"));
    }
    let name = event["event"].as_str().unwrap_or_default();
    if name.is_empty() || name.len() > 200 {
        return Err("event name missing or over 200 characters".to_owned());
    }
    let id = event["distinct_id"]
        .as_str()
        .or_else(|| event["properties"]["distinct_id"].as_str())
        .ok_or("distinct_id missing")?;
    let trimmed = id.trim();
    if trimmed.is_empty()
        || trimmed.len() > 200
        || ILLEGAL_IDS
            .iter()
            .any(|bad| trimmed.eq_ignore_ascii_case(bad))
    {
        return Err(format!("illegal distinct_id {id:?}"));
    }
    let uuid = event["uuid"].as_str().ok_or("uuid missing")?;
    uuid::Uuid::parse_str(uuid).map_err(|e| format!("uuid {uuid:?}: {e}"))?;
    let ts = event["timestamp"].as_str().ok_or("timestamp missing")?;
    ts.parse::<jiff::Timestamp>()
        .map_err(|e| format!("timestamp {ts:?} is not ISO 8601: {e}"))?;
    Ok(())
}

async fn batch(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    shared.recorded.lock().unwrap().requests += 1;
    if let Some(s) = shared.script.lock().unwrap().pop_front() {
        let mut response =
            (StatusCode::from_u16(s.status).unwrap(), "scripted failure").into_response();
        if let Some(ra) = s.retry_after {
            response
                .headers_mut()
                .insert("retry-after", ra.parse().unwrap());
        }
        return response;
    }
    let reject = |status: StatusCode, kind: &str, detail: String| {
        shared
            .recorded
            .lock()
            .unwrap()
            .rejections
            .push(detail.clone());
        error(status, kind, detail)
    };
    if body.len() > MAX_REQUEST_BYTES {
        return reject(
            StatusCode::PAYLOAD_TOO_LARGE,
            "validation_error",
            "request over 20 MB".to_owned(),
        );
    }
    let gzip = headers
        .get("content-encoding")
        .is_some_and(|v| v.as_bytes() == b"gzip");
    let raw = if gzip {
        let mut out = Vec::new();
        let limited = flate2::read::GzDecoder::new(&body[..]).take(MAX_REQUEST_BYTES as u64 + 1);
        if std::io::BufReader::new(limited)
            .read_to_end(&mut out)
            .is_err()
        {
            return reject(
                StatusCode::BAD_REQUEST,
                "validation_error",
                "bad gzip".to_owned(),
            );
        }
        if out.len() > MAX_REQUEST_BYTES {
            return reject(
                StatusCode::PAYLOAD_TOO_LARGE,
                "validation_error",
                "decompressed request over 20 MB".to_owned(),
            );
        }
        out
    } else {
        body.to_vec()
    };
    let Ok(doc) = serde_json::from_slice::<Value>(&raw) else {
        return reject(
            StatusCode::BAD_REQUEST,
            "validation_error",
            "not JSON".to_owned(),
        );
    };
    let key = doc["api_key"].as_str().unwrap_or_default();
    if key.is_empty() || key != shared.api_key {
        return reject(
            StatusCode::UNAUTHORIZED,
            "authentication_error",
            "Project API key invalid. You can find your project API key in PostHog project settings.".to_owned(),
        );
    }
    let Some(events) = doc["batch"].as_array().filter(|b| !b.is_empty()) else {
        return reject(
            StatusCode::BAD_REQUEST,
            "validation_error",
            "empty batch".to_owned(),
        );
    };
    for event in events {
        if let Err(detail) = validate_event(event) {
            return reject(StatusCode::BAD_REQUEST, "validation_error", detail);
        }
    }
    let mut rec = shared.recorded.lock().unwrap();
    rec.saw_gzip |= gzip;
    for event in events {
        rec.unique_uuids
            .insert(event["uuid"].as_str().unwrap_or_default().to_owned());
        rec.accepted.push(event.clone());
    }
    (StatusCode::OK, axum::Json(json!({"status": "Ok"}))).into_response()
}
