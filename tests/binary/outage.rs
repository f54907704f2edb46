//! While the database is down the service answers 503 in the error shape,
//! quickly; once it is back, the service serves again without a restart.

use std::time::{Duration, Instant};

use reqwest::Response;
use serde_json::Value;

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_database_gives_quick_503s_and_the_service_recovers_when_it_returns() {
    let Some(tools) = postgres_tools_or_skip() else {
        return;
    };
    let cluster = Cluster::init(&tools);
    cluster.start();
    let dir = workdir();
    let url = format!("{}/postgres", cluster.server_url());
    let service = Service::start(
        dir.path(),
        &[
            ("DATABASE_URL", url.as_str()),
            ("ADMIN_TOKEN", ADMIN),
            ("APP_DATABASE__ACQUIRE_TIMEOUT_MS", ACQUIRE_TIMEOUT_MS),
        ],
    )
    .await;
    let TestInstance { id, token } = service.create_instance_as(ADMIN, "outage").await;
    let instance_path = format!("/api/v2/instance/{id}");

    cluster.stop();
    for _ in 0..2 {
        let (ready, took) = timed(service.get("/health/ready", None)).await;
        assert_eq!(ready.status(), 503, "ready while down");
        assert!(took < OUTAGE_ANSWER_WITHIN, "ready took {took:?}");
        assert_error_shape(
            &ready.json::<Value>().await.expect("JSON"),
            503,
            "Service Unavailable",
        );

        let (admin_read, took) = timed(service.get(&instance_path, Some(ADMIN))).await;
        assert_eq!(admin_read.status(), 503, "a database route while down");
        assert!(took < OUTAGE_ANSWER_WITHIN, "read took {took:?}");
        assert_error_shape(
            &admin_read.json::<Value>().await.expect("JSON"),
            503,
            "Service Unavailable",
        );

        // An instance token can only be checked against the database.
        let (own_read, took) = timed(service.get(&instance_path, Some(&token))).await;
        assert_eq!(own_read.status(), 503, "an instance token while down");
        assert!(took < OUTAGE_ANSWER_WITHIN, "auth took {took:?}");
    }
    let live = service.get("/health/live", None).await;
    assert_eq!(live.status(), 200, "the process itself stays live");

    cluster.start();
    service.wait_ready().await;
    let back = service.get(&instance_path, Some(&token)).await;
    assert_eq!(back.status(), 200, "served again without a restart");
    assert_eq!(back.json::<Value>().await.expect("JSON")["name"], "outage");

    let (status, process) = service.stop().await;
    assert!(status.success(), "{status}\n{}", process.output());
}
