//! The health checker against a local HTTP server playing previews: healthy, slow, 503 then
//! 200, always 500, and a refused port; plus TLS and DNS failures and concurrency.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use guardians_core::github::retry::Sleeper;
use preview_commenter::environments::{Environment, ExpectedStatus};
use preview_commenter::health::{
    HealthChecker, HealthFailure, HealthPolicy, HealthReport, StopReason, http_client,
};
use tokio::sync::Barrier;
use url::Url;

/// What the preview server remembers between requests.
#[derive(Clone)]
struct Previews {
    flaky_calls: Arc<AtomicUsize>,
    busy_calls: Arc<AtomicUsize>,
    broken_calls: Arc<AtomicUsize>,
    barrier: Arc<Barrier>,
}

/// Starts the preview server on an ephemeral loopback port; it lives as long as the runtime.
async fn start_previews(barrier_parties: usize) -> (SocketAddr, Previews) {
    let state = Previews {
        flaky_calls: Arc::default(),
        busy_calls: Arc::default(),
        broken_calls: Arc::default(),
        barrier: Arc::new(Barrier::new(barrier_parties)),
    };
    let app = Router::new()
        .route("/healthy", get(|| async { "ok" }))
        .route("/no-content", get(|| async { StatusCode::NO_CONTENT }))
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                "finally"
            }),
        )
        .route(
            "/flaky",
            get(|State(s): State<Previews>| async move {
                // 503 twice (still deploying), then up.
                if s.flaky_calls.fetch_add(1, Ordering::SeqCst) < 2 {
                    StatusCode::SERVICE_UNAVAILABLE
                } else {
                    StatusCode::OK
                }
            }),
        )
        .route(
            "/busy",
            get(|State(s): State<Previews>| async move {
                // Scaling up: 503 with `Retry-After: 7` once, as a platform waking a preview
                // does, then up.
                if s.busy_calls.fetch_add(1, Ordering::SeqCst) < 1 {
                    (StatusCode::SERVICE_UNAVAILABLE, [("retry-after", "7")]).into_response()
                } else {
                    "ok".into_response()
                }
            }),
        )
        .route(
            "/broken",
            get(|State(s): State<Previews>| async move {
                s.broken_calls.fetch_add(1, Ordering::SeqCst);
                StatusCode::INTERNAL_SERVER_ERROR
            }),
        )
        .route(
            "/together",
            get(|State(s): State<Previews>| async move {
                // Answers only once every party has arrived: checks run one after another
                // would time out here.
                s.barrier.wait().await;
                "ok"
            }),
        )
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (addr, state)
}

/// A loopback port nothing listens on: bound, then released.
fn refused_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    listener.local_addr().expect("local addr").port()
}

fn environment(name: &str, url: &str) -> Environment {
    let url = Url::parse(url).expect("valid test URL");
    Environment {
        name: name.to_owned(),
        url: url.clone(),
        health_url: url,
        expected_status: ExpectedStatus::AnySuccess,
        test_commands: Vec::new(),
        deployment_environment: format!("preview/pr-1/{name}"),
    }
}

/// Records the waits instead of sleeping them (core's `Sleeper`, as the GitHub client's tests
/// use), so backoffs and budgets are exercised without waiting them out.
#[derive(Default)]
struct RecordingSleeper {
    slept: Mutex<Vec<Duration>>,
}

impl RecordingSleeper {
    fn sleeps(&self) -> Vec<Duration> {
        self.slept.lock().expect("lock").clone()
    }
}

impl Sleeper for RecordingSleeper {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        self.slept.lock().expect("lock").push(duration);
        Box::pin(async {})
    }
}

fn policy() -> HealthPolicy {
    HealthPolicy {
        attempts: 5,
        per_try_timeout: Duration::from_millis(300),
        budget: Duration::from_secs(60),
        initial_backoff: Duration::from_millis(100),
        max_backoff: Duration::from_secs(1),
    }
}

fn checker(policy: HealthPolicy, sleeper: Arc<RecordingSleeper>) -> HealthChecker {
    HealthChecker::new(http_client().expect("HTTP client"), policy)
        .with_sleeper(sleeper)
        .with_jitter(|| 0.0)
}

async fn check(url: &str) -> (HealthReport, Vec<Duration>) {
    let sleeper = Arc::new(RecordingSleeper::default());
    let report = checker(policy(), sleeper.clone())
        .check(&environment("Preview", url))
        .await;
    (report, sleeper.sleeps())
}

#[tokio::test]
async fn healthy_preview_passes_on_the_first_attempt() {
    let (addr, _) = start_previews(1).await;
    let (report, sleeps) = check(&format!("http://{addr}/healthy")).await;
    assert!(report.healthy, "{report:?}");
    assert_eq!(
        (report.status, report.attempts, report.last_error),
        (Some(200), 1, None)
    );
    assert!(report.latency.is_some());
    assert!(sleeps.is_empty());
}

#[tokio::test]
async fn expected_status_is_exact_when_configured() {
    let (addr, _) = start_previews(1).await;
    let mut env = environment("Preview", &format!("http://{addr}/no-content"));
    let sleeper = Arc::new(RecordingSleeper::default());
    let report = checker(policy(), sleeper.clone()).check(&env).await;
    assert!(report.healthy, "204 is a 2xx");

    env.expected_status = ExpectedStatus::Exactly(200);
    let report = checker(
        HealthPolicy {
            attempts: 2,
            ..policy()
        },
        sleeper,
    )
    .check(&env)
    .await;
    assert!(!report.healthy);
    assert_eq!(
        report.last_error.map(|e| e.to_string()).as_deref(),
        Some("HTTP 204, expected 200")
    );
}

#[tokio::test]
async fn deploying_preview_recovers_after_503s_with_growing_backoff() {
    let (addr, state) = start_previews(1).await;
    let (report, sleeps) = check(&format!("http://{addr}/flaky")).await;
    assert!(report.healthy, "{report:?}");
    assert_eq!(report.attempts, 3);
    assert_eq!(report.status, Some(200));
    assert_eq!(
        report.last_error,
        Some(HealthFailure::UnexpectedStatus {
            status: 503,
            expected: ExpectedStatus::AnySuccess
        }),
        "the last failure is kept for the record"
    );
    assert_eq!(
        sleeps,
        [Duration::from_millis(100), Duration::from_millis(200)]
    );
    assert_eq!(state.flaky_calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn always_500_gives_up_after_every_attempt() {
    let (addr, state) = start_previews(1).await;
    let (report, sleeps) = check(&format!("http://{addr}/broken")).await;
    assert!(!report.healthy);
    assert_eq!(report.attempts, 5);
    assert_eq!(report.status, Some(500));
    assert_eq!(report.stopped_by, Some(StopReason::Attempts));
    assert_eq!(
        report.last_error.map(|e| e.to_string()).as_deref(),
        Some("HTTP 500, expected 2xx")
    );
    assert_eq!(
        sleeps,
        [100, 200, 400, 800].map(Duration::from_millis),
        "exponential backoff, no wait after the last attempt"
    );
    assert_eq!(state.broken_calls.load(Ordering::SeqCst), 5);
}

#[tokio::test]
async fn backoff_is_capped() {
    let (addr, _) = start_previews(1).await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let policy = HealthPolicy {
        attempts: 6,
        max_backoff: Duration::from_millis(250),
        ..policy()
    };
    let report = checker(policy, sleeper.clone())
        .check(&environment("Preview", &format!("http://{addr}/broken")))
        .await;
    assert_eq!(report.attempts, 6);
    assert_eq!(
        sleeper.sleeps(),
        [100, 200, 250, 250, 250].map(Duration::from_millis)
    );
}

#[tokio::test]
async fn jitter_shortens_waits() {
    let (addr, _) = start_previews(1).await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let report = checker(
        HealthPolicy {
            attempts: 3,
            ..policy()
        },
        sleeper.clone(),
    )
    .with_jitter(|| 0.5)
    .check(&environment("Preview", &format!("http://{addr}/broken")))
    .await;
    assert_eq!(report.attempts, 3);
    assert_eq!(sleeper.sleeps(), [75, 150].map(Duration::from_millis));
}

#[tokio::test]
async fn slow_preview_times_out_per_attempt() {
    let (addr, _) = start_previews(1).await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let policy = HealthPolicy {
        attempts: 2,
        per_try_timeout: Duration::from_millis(200),
        ..policy()
    };
    let report = checker(policy, sleeper)
        .check(&environment("Slow", &format!("http://{addr}/slow")))
        .await;
    assert!(!report.healthy);
    assert_eq!(report.attempts, 2);
    assert_eq!(report.status, None);
    assert_eq!(
        report.last_error,
        Some(HealthFailure::Timeout { after_ms: 200 })
    );
    assert_eq!(
        report.last_error.map(|e| e.to_string()).as_deref(),
        Some("timed out after 0.2 s")
    );
}

#[tokio::test]
async fn the_budget_stops_retries_before_attempts_run_out() {
    let (addr, state) = start_previews(1).await;
    let sleeper = Arc::new(RecordingSleeper::default());
    // Waits of 3 s and 6 s fit a 10 s budget; the next wait of 12 s does not.
    let policy = HealthPolicy {
        attempts: 10,
        budget: Duration::from_secs(10),
        initial_backoff: Duration::from_secs(3),
        max_backoff: Duration::from_secs(60),
        ..policy()
    };
    let report = checker(policy, sleeper.clone())
        .check(&environment("Preview", &format!("http://{addr}/broken")))
        .await;
    assert_eq!(report.attempts, 3);
    assert_eq!(report.stopped_by, Some(StopReason::Budget));
    assert_eq!(sleeper.sleeps(), [3, 6].map(Duration::from_secs));
    assert_eq!(state.broken_calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn the_budget_also_limits_one_attempt() {
    let (addr, _) = start_previews(1).await;
    let policy = HealthPolicy {
        attempts: 1,
        per_try_timeout: Duration::from_secs(20),
        budget: Duration::from_millis(250),
        ..policy()
    };
    let report = checker(policy, Arc::new(RecordingSleeper::default()))
        .check(&environment("Slow", &format!("http://{addr}/slow")))
        .await;
    assert_eq!(
        report.last_error,
        Some(HealthFailure::Timeout { after_ms: 250 })
    );
}

#[tokio::test]
async fn refused_port_is_reported_as_refused() {
    let port = refused_port();
    let (report, _) = check(&format!("http://127.0.0.1:{port}/health")).await;
    assert!(!report.healthy);
    assert_eq!(report.attempts, 5);
    assert_eq!(report.last_error, Some(HealthFailure::Refused));
    assert_eq!(report.status, None);
}

#[tokio::test]
async fn https_to_a_plain_http_server_is_a_tls_error() {
    let (addr, _) = start_previews(1).await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let report = checker(
        HealthPolicy {
            attempts: 1,
            ..policy()
        },
        sleeper,
    )
    .check(&environment("Preview", &format!("https://{addr}/healthy")))
    .await;
    assert!(
        matches!(report.last_error, Some(HealthFailure::Tls { .. })),
        "{:?}",
        report.last_error
    );
}

#[tokio::test]
async fn unknown_host_is_a_dns_error() {
    // `.invalid` never resolves (RFC 6761).
    let sleeper = Arc::new(RecordingSleeper::default());
    let report = checker(
        HealthPolicy {
            attempts: 1,
            per_try_timeout: Duration::from_secs(5),
            ..policy()
        },
        sleeper,
    )
    .check(&environment(
        "Preview",
        "http://myapp-pr-42.preview.invalid/health",
    ))
    .await;
    assert!(
        matches!(report.last_error, Some(HealthFailure::Dns { .. })),
        "{:?}",
        report.last_error
    );
    assert_eq!(
        report.last_error.map(|e| e.to_string()).as_deref(),
        Some("DNS lookup failed")
    );
}

#[tokio::test(flavor = "current_thread")]
async fn environments_are_checked_concurrently_and_reported_in_order() {
    let (addr, _) = start_previews(3).await;
    let envs: Vec<_> = ["Frontend", "API", "Docs"]
        .into_iter()
        .map(|name| environment(name, &format!("http://{addr}/together")))
        .collect();
    let policy = HealthPolicy {
        attempts: 1,
        per_try_timeout: Duration::from_secs(5),
        ..policy()
    };
    let reports = checker(policy, Arc::new(RecordingSleeper::default()))
        .check_all(&envs)
        .await;
    let outcome: Vec<_> = reports
        .iter()
        .map(|r| (r.environment.as_str(), r.healthy))
        .collect();
    assert_eq!(outcome, [("Frontend", true), ("API", true), ("Docs", true)]);
}

#[tokio::test]
async fn mixed_previews_each_get_their_own_verdict() {
    let (addr, _) = start_previews(1).await;
    let port = refused_port();
    let envs = vec![
        environment("Healthy", &format!("http://{addr}/healthy")),
        environment("Broken", &format!("http://{addr}/broken")),
        environment("Gone", &format!("http://127.0.0.1:{port}/")),
    ];
    let policy = HealthPolicy {
        attempts: 2,
        ..policy()
    };
    let reports = checker(policy, Arc::new(RecordingSleeper::default()))
        .check_all(&envs)
        .await;
    let outcome: Vec<_> = reports
        .iter()
        .map(|r| {
            (
                r.environment.as_str(),
                r.healthy,
                r.last_error.as_ref().map(ToString::to_string),
            )
        })
        .collect();
    assert_eq!(
        outcome,
        [
            ("Healthy", true, None),
            ("Broken", false, Some("HTTP 500, expected 2xx".to_owned())),
            ("Gone", false, Some("connection refused".to_owned())),
        ]
    );
}

#[tokio::test]
async fn a_preview_that_asks_to_wait_with_retry_after_is_waited_for() {
    let (addr, state) = start_previews(1).await;
    let (report, sleeps) = check(&format!("http://{addr}/busy")).await;
    assert!(report.healthy, "{report:?}");
    assert_eq!(report.attempts, 2);
    // The policy's first backoff is 100 ms; the preview asked for 7 s, capped at `max_backoff`
    // (1 s here).
    assert_eq!(sleeps, [Duration::from_secs(1)]);
    assert_eq!(state.busy_calls.load(Ordering::SeqCst), 2);

    // With a cap above what it asked, the preview gets exactly its 7 s.
    let sleeper = Arc::new(RecordingSleeper::default());
    let patient = HealthPolicy {
        max_backoff: Duration::from_secs(30),
        ..policy()
    };
    state.busy_calls.store(0, Ordering::SeqCst);
    let report = checker(patient, sleeper.clone())
        .check(&environment("Preview", &format!("http://{addr}/busy")))
        .await;
    assert!(report.healthy, "{report:?}");
    assert_eq!(sleeper.sleeps(), [Duration::from_secs(7)]);
}
