//! SIGTERM and SIGINT: the listener closes at once, the request in flight
//! finishes, the pool is closed and the exit code is 0; a request slower
//! than the shutdown timeout does not hold the exit back.

use std::path::Path;
use std::time::{Duration, Instant};

use reqwest::{Method, Response};
use serde_json::json;
use tokio::task::JoinHandle;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{service_env, sqlite_url, ADMIN};
use crate::support::chatwoot_double;
use crate::support::process::{workdir, Service, PATIENCE};
use crate::support::{integration_path, TestInstance};

/// A healthy Chatwoot whose first answer (`GET /api`) takes `delay`.
async fn slow_chatwoot(delay: Duration) -> MockServer {
    let server = chatwoot_double::healthy().await;
    Mock::given(method("GET"))
        .and(path("/api"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"version": chatwoot_double::VERSION}))
                .set_delay(delay),
        )
        .with_priority(1)
        .mount(&server)
        .await;
    server
}

async fn until_chatwoot_is_asked(chatwoot: &MockServer) {
    let deadline = Instant::now() + PATIENCE;
    while chatwoot
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty()
    {
        assert!(Instant::now() < deadline, "the Set never reached Chatwoot");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A service on SQLite in `dir` with a Set in flight, held up by a Chatwoot
/// whose `GET /api` answers after `delay`. The Chatwoot double is returned
/// so it lives as long as the test.
async fn with_a_set_in_flight(
    dir: &Path,
    delay: Duration,
    env: &[(&str, &str)],
) -> (Service, JoinHandle<reqwest::Result<Response>>, MockServer) {
    let chatwoot = slow_chatwoot(delay).await;
    let url = sqlite_url(dir, "shutdown.sqlite");
    let mut all = service_env(&url, "true");
    all.extend_from_slice(env);
    let service = Service::start(dir, &all).await;
    let TestInstance { id, token } = service.create_instance_as(ADMIN, "in-flight").await;
    let in_flight = tokio::spawn(
        service
            .request(Method::POST, &integration_path(&id), Some(&token))
            .json(&json!({
                "accountId": chatwoot_double::ACCOUNT,
                "chatwootURL": chatwoot.uri(),
                "chatwootAccessToken": chatwoot_double::TOKEN,
                "inbox": chatwoot_double::INBOX,
            }))
            .send(),
    );
    until_chatwoot_is_asked(&chatwoot).await;
    (service, in_flight, chatwoot)
}

async fn connection_refused(port: u16) -> bool {
    tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
}

async fn a_signal_lets_the_request_in_flight_finish_then_exits_zero(signal: &str) {
    let dir = workdir();
    let db_file = dir.path().join("shutdown.sqlite");
    let (service, in_flight, _chatwoot) = with_a_set_in_flight(
        dir.path(),
        // Slow enough that the listener is seen closed while the request
        // is still in flight, even on a loaded machine.
        Duration::from_secs(4),
        &[("APP_HTTP__SHUTDOWN_TIMEOUT_SECS", "10")],
    )
    .await;

    let mut process = service.process;
    let signalled = Instant::now();
    process.signal(signal);
    let deadline = Instant::now() + Duration::from_secs(3);
    while !connection_refused(service.port).await {
        assert!(
            Instant::now() < deadline,
            "still accepting connections after SIG{signal}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let answered = tokio::time::timeout(PATIENCE, in_flight)
        .await
        .expect("the request in flight is answered")
        .expect("task")
        .expect("no connection error");
    assert_eq!(answered.status(), 201, "the request in flight completes");

    let status = process.wait_exit(PATIENCE).await;
    assert_eq!(status.code(), Some(0), "SIG{signal}\n{}", process.output());
    assert!(
        signalled.elapsed() < Duration::from_secs(10),
        "the exit waited for nothing but the request in flight"
    );
    let log = process.stderr();
    assert!(log.contains("database pool closed"), "{log}");
    // SQLite folds and removes its WAL file when the last connection closes.
    assert!(
        !dir.path().join("shutdown.sqlite-wal").exists(),
        "the pool was closed, not dropped"
    );
    assert!(db_file.exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_the_request_in_flight_finish_refuses_new_connections_and_exits_zero() {
    a_signal_lets_the_request_in_flight_finish_then_exits_zero("TERM").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigint_lets_the_request_in_flight_finish_refuses_new_connections_and_exits_zero() {
    a_signal_lets_the_request_in_flight_finish_then_exits_zero("INT").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_slower_than_the_shutdown_timeout_does_not_hold_the_exit_back() {
    let dir = workdir();
    let (service, in_flight, _chatwoot) = with_a_set_in_flight(
        dir.path(),
        Duration::from_secs(20),
        &[
            ("APP_HTTP__SHUTDOWN_TIMEOUT_SECS", "1"),
            ("APP_CHATWOOT__TIMEOUT_MS", "30000"),
        ],
    )
    .await;

    let mut process = service.process;
    let signalled = Instant::now();
    process.signal("TERM");
    let status = process.wait_exit(PATIENCE).await;
    let took = signalled.elapsed();
    assert_eq!(status.code(), Some(0), "{}", process.output());
    assert!(
        took < Duration::from_secs(5),
        "exit took {took:?} with a 1 s shutdown timeout"
    );
    let cut = tokio::time::timeout(PATIENCE, in_flight)
        .await
        .expect("answered or cut")
        .expect("task");
    assert!(
        cut.map(|res| res.status() != 201).unwrap_or(true),
        "the slow request was cut, not completed"
    );
    assert!(process.stderr().contains("database pool closed"));
}
