//! Delivery to a local fake of PostHog's batch endpoint that validates as PostHog does.
// Test helpers: a broken fixture should panic where it is read.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::fake_posthog::{FakePosthog, Scripted};
use support::{data, facts, plan_for};
use telemetry_emitter::config::TelemetryEmitterConfig;
use telemetry_emitter::plan::TelemetryEvent;
use telemetry_emitter::sink::api_key::ApiKey;
use telemetry_emitter::sink::posthog::{PosthogError, PosthogSink};
use telemetry_emitter::sink::retry::{Sleeper, delivery_policy};

const KEY: &str = "phc_TestProjectKey0123456789";

/// Records the waits instead of sleeping them.
#[derive(Default)]
struct RecordingSleeper(Mutex<Vec<Duration>>);

impl Sleeper for RecordingSleeper {
    fn sleep(
        &self,
        d: Duration,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>> {
        self.0.lock().unwrap().push(d);
        Box::pin(async {})
    }
}

fn events() -> Vec<TelemetryEvent> {
    plan_for(
        "pull_request",
        &data("pull_request.opened.json"),
        &TelemetryEmitterConfig::default(),
        &facts(),
    )
    .events
}

fn sink(fake: &FakePosthog, key: &str) -> (PosthogSink, Arc<RecordingSleeper>) {
    let sleeper = Arc::new(RecordingSleeper::default());
    let policy = delivery_policy(4, Duration::from_secs(30));
    let sink = PosthogSink::new(&fake.url(), ApiKey::new(key).unwrap(), policy)
        .unwrap()
        .with_sleeper(sleeper.clone());
    (sink, sleeper)
}

fn fail(status: u16, retry_after: Option<&str>) -> Scripted {
    Scripted {
        status,
        retry_after: retry_after.map(str::to_owned),
    }
}

#[tokio::test]
async fn a_valid_batch_is_accepted_gzipped_in_one_request() {
    let fake = FakePosthog::start(KEY, vec![]);
    let (sink, sleeper) = sink(&fake, KEY);
    let delivered = sink.send(&events()).await.unwrap();
    assert_eq!(delivered.attempts, 1);
    assert!(sleeper.0.lock().unwrap().is_empty());
    fake.recorded(|r| {
        assert_eq!(r.requests, 1);
        assert!(r.saw_gzip);
        assert_eq!(r.accepted.len(), 1);
        assert_eq!(r.accepted[0]["event"], "dev_pr_opened");
        assert_eq!(r.accepted[0]["distinct_id"], "Codertocat");
        assert_eq!(r.accepted[0]["timestamp"], "2019-05-15T15:20:33.000Z");
    });
}

#[tokio::test]
async fn a_503_is_retried_and_then_delivered() {
    let fake = FakePosthog::start(KEY, vec![fail(503, None)]);
    let (sink, sleeper) = sink(&fake, KEY);
    let delivered = sink.send(&events()).await.unwrap();
    assert_eq!(delivered.attempts, 2);
    // One backoff step: half a second with jitter (core's policy), never no wait at all.
    let waits = sleeper.0.lock().unwrap().clone();
    assert_eq!(waits.len(), 1, "{waits:?}");
    assert!(
        (Duration::from_millis(250)..=Duration::from_millis(500)).contains(&waits[0]),
        "{waits:?}"
    );
    fake.recorded(|r| {
        assert_eq!(r.requests, 2);
        assert_eq!(r.accepted.len(), 1);
    });
}

#[tokio::test]
async fn a_429_waits_at_least_retry_after_and_never_past_the_cap() {
    let fake = FakePosthog::start(KEY, vec![fail(429, Some("7")), fail(429, Some("3600"))]);
    let (sink, sleeper) = sink(&fake, KEY);
    let delivered = sink.send(&events()).await.unwrap();
    assert_eq!(delivered.attempts, 3);
    assert_eq!(
        *sleeper.0.lock().unwrap(),
        [Duration::from_secs(7), Duration::from_secs(30)]
    );
}

#[tokio::test]
async fn a_400_is_terminal_with_a_clear_message_and_no_retry() {
    let fake = FakePosthog::start(KEY, vec![fail(400, None)]);
    let (sink, sleeper) = sink(&fake, KEY);
    let error = sink.send(&events()).await.unwrap_err();
    assert!(matches!(error, PosthogError::Refused { status: 400, .. }));
    assert!(
        error.to_string().contains("will not pass on retry"),
        "{error}"
    );
    assert!(sleeper.0.lock().unwrap().is_empty());
    fake.recorded(|r| assert_eq!(r.requests, 1));
}

#[tokio::test]
async fn a_wrong_key_is_refused_and_the_key_is_not_in_the_message() {
    let fake = FakePosthog::start(KEY, vec![]);
    let (sink, _) = sink(&fake, "phc_WrongKeyThatMustNotLeak");
    let error = sink.send(&events()).await.unwrap_err().to_string();
    assert!(error.contains("HTTP 401"), "{error}");
    assert!(error.contains("posthog-api-key"), "{error}");
    assert!(!error.contains("WrongKeyThatMustNotLeak"), "{error}");
    assert!(!format!("{sink:?}").contains("WrongKeyThatMustNotLeak"));
}

#[tokio::test]
async fn persistent_5xx_gives_up_after_the_attempt_budget() {
    let fake = FakePosthog::start(KEY, vec![fail(502, None); 10]);
    let (sink, sleeper) = sink(&fake, KEY);
    let error = sink.send(&events()).await.unwrap_err();
    assert!(
        matches!(error, PosthogError::GaveUp { attempts: 4, .. }),
        "{error}"
    );
    assert_eq!(sleeper.0.lock().unwrap().len(), 3);
    fake.recorded(|r| assert_eq!(r.requests, 4));
}

#[tokio::test]
async fn network_errors_are_retried() {
    // A port nothing listens on: bind, note the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let sleeper = Arc::new(RecordingSleeper::default());
    let sink = PosthogSink::new(
        &format!("http://127.0.0.1:{port}"),
        ApiKey::new(KEY).unwrap(),
        delivery_policy(3, Duration::from_secs(30)),
    )
    .unwrap()
    .with_sleeper(sleeper.clone());
    let error = sink.send(&events()).await.unwrap_err();
    assert!(
        matches!(error, PosthogError::GaveUp { attempts: 3, .. }),
        "{error}"
    );
    assert_eq!(sleeper.0.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_rerun_sends_the_same_uuids_so_posthog_counts_once() {
    let fake = FakePosthog::start(KEY, vec![]);
    let (sink, _) = sink(&fake, KEY);
    sink.send(&events()).await.unwrap();
    // The workflow is re-run: the same payload is planned and sent again.
    sink.send(&events()).await.unwrap();
    fake.recorded(|r| {
        assert_eq!(r.accepted.len(), 2);
        assert_eq!(r.unique_uuids.len(), 1);
    });
}

#[tokio::test]
async fn the_fake_rejects_what_posthog_rejects() {
    let fake = FakePosthog::start(KEY, vec![]);
    let (sink, _) = sink(&fake, KEY);
    let mut bad = events();
    bad[0].distinct_id = "undefined".to_owned();
    let error = sink.send(&bad).await.unwrap_err().to_string();
    assert!(error.contains("illegal distinct_id"), "{error}");
    let mut huge = events();
    huge[0].properties.endpoints_touched = Some(vec!["x".repeat(1024 * 1024)]);
    let error = sink.send(&huge).await.unwrap_err().to_string();
    assert!(error.contains("1 MB"), "{error}");
}

#[test]
fn the_host_may_be_us_eu_or_self_hosted_with_a_path() {
    use telemetry_emitter::sink::posthog::batch_endpoint;
    assert_eq!(
        batch_endpoint("https://eu.i.posthog.com").unwrap().as_str(),
        "https://eu.i.posthog.com/batch/"
    );
    assert_eq!(
        batch_endpoint("https://ph.example.com/ingest/")
            .unwrap()
            .as_str(),
        "https://ph.example.com/ingest/batch/"
    );
    assert!(batch_endpoint("eu.i.posthog.com").is_err());
    assert!(batch_endpoint("ftp://x").is_err());
}
