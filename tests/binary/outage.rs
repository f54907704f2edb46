//! While the database is down or frozen the service answers 503 in the
//! error shape, quickly; once it is back, the service serves again without
//! a restart.

use std::time::{Duration, Instant};

use futures_util::future::join_all;
use reqwest::Response;
use serde_json::Value;
use tempfile::TempDir;

use crate::common::{assert_error_shape, ADMIN};
use crate::support::postgres_server::Cluster;
use crate::support::process::{workdir, Service};
use crate::support::servers::postgres_tools_or_skip;
use crate::support::TestInstance;

/// The acquire timeout the service gets, and how long an answer may take
/// while the database is down (the timeout plus a generous margin).
const ACQUIRE_TIMEOUT_MS: &str = "1000";
const OUTAGE_ANSWER_WITHIN: Duration = Duration::from_secs(6);

async fn timed(request: impl std::future::Future<Output = Response>) -> (Response, Duration) {
    let started = Instant::now();
    let res = request.await;
    (res, started.elapsed())
}

/// The binary on a private PostgreSQL cluster of its own, with the admin
/// token and `settings`; `None` (the test skipped) without PostgreSQL.
async fn service_on_a_private_cluster(
    settings: &[(&str, &str)],
) -> Option<(Cluster, TempDir, Service)> {
    let tools = postgres_tools_or_skip()?;
    let cluster = Cluster::init(&tools);
    cluster.start();
    let dir = workdir();
    let url = format!("{}/postgres", cluster.server_url());
    let mut env = vec![("DATABASE_URL", url.as_str()), ("ADMIN_TOKEN", ADMIN)];
    env.extend_from_slice(settings);
    let service = Service::start(dir.path(), &env).await;
    Some((cluster, dir, service))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_database_gives_quick_503s_and_the_service_recovers_when_it_returns() {
    let settings = [("APP_DATABASE__ACQUIRE_TIMEOUT_MS", ACQUIRE_TIMEOUT_MS)];
    let Some((cluster, _dir, service)) = service_on_a_private_cluster(&settings).await else {
        return;
    };
    let TestInstance { id, token } = service.create_instance_as(ADMIN, "outage").await;
    let instance_path = format!("/api/v2/instance/{id}");

    cluster.stop();
    for _ in 0..2 {
        // Readiness, and a route that reads the database.
        for (path, token) in [
            ("/health/ready", None),
            (instance_path.as_str(), Some(ADMIN)),
        ] {
            let res = quick_503(&service, path, token).await;
            let body = res.json::<Value>().await.expect("JSON");
            assert_error_shape(&body, 503, "Service Unavailable");
        }
        // An instance token can only be checked against the database.
        quick_503(&service, &instance_path, Some(&token)).await;
    }
    let live = service.get("/health/live", None).await;
    assert_eq!(live.status(), 200, "the process itself stays live");

    cluster.start();
    served_again_then_stopped(service, &instance_path, &token, "outage").await;
}

/// The statement timeout the service gets for the frozen-database test,
/// and how long an answer may take while the database is frozen (the
/// timeout plus a generous margin).
const STATEMENT_TIMEOUT_MS: &str = "1000";
const FROZEN_ANSWER_WITHIN: Duration = Duration::from_secs(5);

/// A database that keeps its connections open and answers nothing (here a
/// PostgreSQL stopped with SIGSTOP: a hung host, a network cut without a
/// reset). Requests that hold a pooled connection already must not wait
/// for it: each answers 503 within the statement timeout, the connections
/// given up on leave the pool instead of waiting there, and once the
/// server resumes the service serves again by itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frozen_database_gives_503s_within_the_statement_timeout_and_the_service_recovers() {
    let settings = [
        ("APP_DATABASE__STATEMENT_TIMEOUT_MS", STATEMENT_TIMEOUT_MS),
        ("METRICS_ADDR", "127.0.0.1:0"),
    ];
    let Some((cluster, _dir, mut service)) = service_on_a_private_cluster(&settings).await else {
        return;
    };
    let log = service
        .process
        .wait_for_stderr("metrics on ", Duration::from_secs(10))
        .await;
    let metrics = metrics_url(&log);
    let TestInstance { id, token } = service.create_instance_as(ADMIN, "frozen").await;
    let instance_path = format!("/api/v2/instance/{id}");
    // Connections used just now, so the pool lends them without a ping:
    // their statements are sent to the frozen server.
    let warm = join_all((0..3).map(|_| service.get(&instance_path, Some(&token)))).await;
    assert!(warm.iter().all(|res| res.status() == 200));

    let frozen = cluster.freeze();
    let reads = (0..3).map(|_| timed(service.get(&instance_path, Some(&token))));
    for (read, took) in join_all(reads).await {
        assert_eq!(read.status(), 503, "a database route while frozen");
        assert!(took < FROZEN_ANSWER_WITHIN, "read took {took:?}");
        let body = read.json::<Value>().await.expect("JSON");
        assert_error_shape(&body, 503, "Service Unavailable");
        assert_eq!(
            body["message"][0],
            "the database did not answer in time; try again shortly"
        );
    }
    let (ready, took) = timed(service.get("/health/ready", None)).await;
    assert_eq!(ready.status(), 503, "ready while frozen");
    assert!(took < FROZEN_ANSWER_WITHIN, "ready took {took:?}");
    let (admin_read, took) = timed(service.get(&instance_path, Some(ADMIN))).await;
    assert_eq!(admin_read.status(), 503, "an admin read while frozen");
    assert!(took < FROZEN_ANSWER_WITHIN, "admin read took {took:?}");

    // No request is running now: a connection still lent out would be one
    // waiting for the frozen server on its way back to the pool.
    let deadline = Instant::now() + FROZEN_ANSWER_WITHIN;
    loop {
        let scraped = scrape(&metrics).await;
        if sample(&scraped, "database_pool_connections{state=\"in_use\"}") == 0.0 {
            assert!(sample(&scraped, "database_errors_total{kind=\"timeout\"}") >= 1.0);
            break;
        }
        assert!(
            Instant::now() < deadline,
            "connections given up on stay in the pool:\n{scraped}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    drop(frozen);
    served_again_then_stopped(service, &instance_path, &token, "frozen").await;
}

/// A 503 to `GET path` while the database is down, within
/// [`OUTAGE_ANSWER_WITHIN`].
async fn quick_503(service: &Service, path: &str, token: Option<&str>) -> Response {
    let (res, took) = timed(service.get(path, token)).await;
    assert_eq!(res.status(), 503, "{path} while down");
    assert!(took < OUTAGE_ANSWER_WITHIN, "{path} took {took:?}");
    res
}

/// Once the database is back: ready, the instance `name` served again
/// without a restart, and a clean stop.
async fn served_again_then_stopped(service: Service, path: &str, token: &str, name: &str) {
    service.wait_ready().await;
    let back = service.get(path, Some(token)).await;
    assert_eq!(back.status(), 200, "served again without a restart");
    assert_eq!(back.json::<Value>().await.expect("JSON")["name"], name);

    let (status, process) = service.stop().await;
    assert!(status.success(), "{status}\n{}", process.output());
}

/// `http://127.0.0.1:PORT/metrics` from `metrics on 127.0.0.1:PORT/metrics`.
fn metrics_url(log: &str) -> String {
    let rest = &log[log.find("metrics on ").expect("the metrics line") + "metrics on ".len()..];
    let address = rest.split_whitespace().next().expect("an address");
    format!("http://{address}")
}

async fn scrape(url: &str) -> String {
    let res = reqwest::get(url).await.expect("metrics answer");
    assert_eq!(res.status(), 200);
    res.text().await.expect("metrics text")
}

/// The value of the sample named with its labels, exactly as exported.
fn sample(scraped: &str, series: &str) -> f64 {
    scraped
        .lines()
        .find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {series} in\n{scraped}"))
}
