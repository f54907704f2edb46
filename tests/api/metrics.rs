//! `GET /metrics` on `METRICS_ADDR`: scraped after a few requests and read
//! with a parser of the Prometheus text format. What is counted does not
//! depend on the backend, so only the pool's gauges are read on each.

use std::collections::BTreeSet;

use prom_text_format_parser::{Metric, Scrape, Type, ValueType};
use reqwest::Method;
use sea_orm::{ConnectionTrait, Database};
use serde_json::json;

use crate::support::prometheus::sample_value;
use crate::support::*;

const INSTANCE: &str = "/api/v2/instance/{instanceId}";
const INTEGRATION: &str = "/api/v2/instance/{instanceId}/chatwoot-integration";
const STATUS: &str = "/api/v2/instance/{instanceId}/chatwoot-integration/status";

async fn spawn_with_metrics(backend: Backend) -> TestApp {
    TestApp::spawn_with(backend, &[("METRICS_ADDR", "127.0.0.1:0")]).await
}

/// A request to `path` on `METRICS_ADDR`.
fn on_metrics_addr(app: &TestApp, method: Method, path: &str) -> reqwest::RequestBuilder {
    let address = app.metrics_address.as_deref().expect("METRICS_ADDR is set");
    app.client.request(method, format!("{address}{path}"))
}

/// The text of one scrape, checked to be the Prometheus text format.
async fn scrape_text(app: &TestApp) -> String {
    let res = sent(on_metrics_addr(app, Method::GET, "/metrics")).await;
    assert_eq!(res.status(), 200);
    let content_type = res.headers()["content-type"].to_str().expect("ASCII");
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );
    res.text().await.expect("body")
}

struct Scraped(Vec<Metric>);

impl Scraped {
    fn parse(text: &str) -> Self {
        let scrape = Scrape::parse(text).unwrap_or_else(|e| panic!("{e:?} in:\n{text}"));
        Self(scrape.metrics)
    }

    fn metric(&self, name: &str, kind: Type) -> &Metric {
        let metric = self
            .0
            .iter()
            .find(|m| m.name == name)
            .unwrap_or_else(|| panic!("no {name}"));
        assert_eq!(metric.kind, kind, "{name}");
        metric
    }

    /// The values of `name` whose labels include `labels`, by value type.
    fn values(&self, name: &str, kind: Type, of: ValueType, labels: &[(&str, &str)]) -> Vec<f64> {
        self.metric(name, kind)
            .samples
            .iter()
            .filter(|s| s.value.value_type == of)
            .filter(|s| {
                labels
                    .iter()
                    .all(|(k, v)| s.labels.iter().any(|l| l.key == *k && l.value == *v))
            })
            .map(|s| s.value.value.as_f64())
            .collect()
    }

    /// The one sample of a counter or gauge with exactly these labels.
    fn value(&self, name: &str, kind: Type, labels: &[(&str, &str)]) -> f64 {
        sample_value(self.metric(name, kind), labels)
    }

    fn requests(&self, method: &str, route: &str, status: &str) -> f64 {
        self.value(
            "http_requests_total",
            Type::Counter,
            &[("method", method), ("route", route), ("status", status)],
        )
    }

    /// Every value of one label across the samples of a metric.
    fn label_values(&self, name: &str, kind: Type, key: &str) -> BTreeSet<String> {
        self.metric(name, kind)
            .samples
            .iter()
            .flat_map(|s| s.labels.iter())
            .filter(|l| l.key == key)
            .map(|l| l.value.clone())
            .collect()
    }
}

/// Stands for a broken database: every statement on the integrations
/// fails from now on.
async fn drop_integrations_table(url: &str) {
    let db = Database::connect(url).await.expect("second connection");
    db.execute_unprepared("DROP TABLE chatwoot_integrations")
        .await
        .expect("table dropped");
    db.close().await.expect("closed");
}

#[actix_web::test]
async fn requests_checks_and_database_faults_are_counted_by_route_template() {
    let app = spawn_with_metrics(Backend::Sqlite).await;
    let instance = app.create_instance("metrics").await;
    let unknown = uuid::Uuid::new_v4().to_string();
    let res = app
        .get(&format!("/api/v2/instance/{unknown}"), Some(ADMIN_TOKEN))
        .await;
    assert_error(res, 404, "Not Found").await;
    let res = app.get(&format!("/no/such/route/{unknown}"), None).await;
    assert_error(res, 404, "Not Found").await;
    let nested = format!("/api/v2/instance/{}/no-such-route", instance.id);
    assert_error(app.get(&nested, Some(ADMIN_TOKEN)).await, 404, "Not Found").await;
    let res = app.set_integration(&instance, &app.valid_set_body()).await;
    assert_eq!(res.status(), 201);
    let mut rejected = app.valid_set_body();
    rejected["chatwootAccessToken"] = json!("wrong-token");
    let res = app.set_integration(&instance, &rejected).await;
    assert_error(res, 400, "Bad Request").await;
    let res = app
        .get(&status_path(&instance.id), Some(&instance.token))
        .await;
    assert_eq!(res.status(), 200);
    drop_integrations_table(&app.db.url).await;
    let res = app.get_integration(&instance).await;
    assert_error(res, 500, "Internal Server Error").await;

    let text = scrape_text(&app).await;
    assert!(
        !text.contains(&unknown) && !text.contains(&instance.id),
        "no raw ids:\n{text}"
    );
    let scraped = Scraped::parse(&text);

    assert_eq!(scraped.requests("POST", "/api/v2/instance", "201"), 1.0);
    assert_eq!(scraped.requests("GET", INSTANCE, "404"), 1.0);
    assert_eq!(scraped.requests("GET", "unmatched", "404"), 2.0);
    assert_eq!(scraped.requests("POST", INTEGRATION, "201"), 1.0);
    assert_eq!(scraped.requests("POST", INTEGRATION, "400"), 1.0);
    assert_eq!(scraped.requests("GET", INTEGRATION, "500"), 1.0);
    let routes = scraped.label_values("http_requests_total", Type::Counter, "route");
    let expected: BTreeSet<String> = [
        "/api/v2/instance",
        INSTANCE,
        INTEGRATION,
        STATUS,
        "unmatched",
    ]
    .map(str::to_owned)
    .into();
    assert_eq!(routes, expected);

    let latency = "http_request_duration_seconds";
    let integration = [("route", INTEGRATION)];
    let count = scraped.values(latency, Type::Histogram, ValueType::Count, &integration);
    assert_eq!(count, [3.0], "three requests on the integration route");
    let sum = scraped.values(latency, Type::Histogram, ValueType::Sum, &integration);
    assert!(sum[0] > 0.0, "{sum:?}");
    let buckets = scraped.values(latency, Type::Histogram, ValueType::Sample, &integration);
    assert!(buckets.len() > 2, "{buckets:?}");
    assert!(buckets.windows(2).all(|w| w[0] <= w[1]), "{buckets:?}");
    let everything = [("route", INTEGRATION), ("le", "+Inf")];
    let all = scraped.values(latency, Type::Histogram, ValueType::Sample, &everything);
    assert_eq!(all, [3.0]);

    // Counted where the check runs: the Set that passed, the one refused
    // and the status run (of the settings that passed); nothing else.
    let checks = "chatwoot_checks_total";
    assert_eq!(
        scraped.value(checks, Type::Counter, &[("outcome", "ok")]),
        2.0
    );
    assert_eq!(
        scraped.value(checks, Type::Counter, &[("outcome", "token_rejected")]),
        1.0
    );
    let outcomes = scraped.label_values(checks, Type::Counter, "outcome");
    assert_eq!(outcomes, ["ok", "token_rejected"].map(str::to_owned).into());

    let db_errors = "database_errors_total";
    assert_eq!(
        scraped.value(db_errors, Type::Counter, &[("kind", "other")]),
        1.0
    );
    for kind in ["unavailable", "timeout"] {
        assert_eq!(
            scraped.value(db_errors, Type::Counter, &[("kind", kind)]),
            0.0
        );
    }
}

#[actix_web::test]
async fn with_checking_off_no_check_is_counted() {
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        &[
            ("METRICS_ADDR", "127.0.0.1:0"),
            ("CHATWOOT_VERIFY", "false"),
        ],
    )
    .await;
    let instance = app.create_instance("unchecked").await;
    let res = app.set_integration(&instance, &app.valid_set_body()).await;
    assert_eq!(res.status(), 201);
    let res = app
        .get(&status_path(&instance.id), Some(&instance.token))
        .await;
    assert_eq!(res.status(), 200);

    let text = scrape_text(&app).await;
    assert_eq!(
        Scraped::parse(&text).requests("POST", INTEGRATION, "201"),
        1.0
    );
    assert!(!text.contains("chatwoot_checks_total{"), "{text}");
    assert!(app.chatwoot_untouched().await);
}

async fn pool_gauges_count_the_open_connections(backend: Backend) {
    let app = spawn_with_metrics(backend).await;
    let instance = app.create_instance("pool").await;
    let res = app.get_integration(&instance).await;
    assert_error(res, 404, "Not Found").await;
    let scraped = Scraped::parse(&scrape_text(&app).await);
    let pool = "database_pool_connections";
    let in_use = scraped.value(pool, Type::Gauge, &[("state", "in_use")]);
    let idle = scraped.value(pool, Type::Gauge, &[("state", "idle")]);
    // The pool keeps the connections it opened (for the migrations, at
    // least) and never more than APP_DATABASE__MAX_CONNECTIONS (8).
    assert!((1.0..=8.0).contains(&(in_use + idle)), "{in_use} + {idle}");
}

crate::on_every_backend!(pool_gauges_count_the_open_connections);

#[actix_web::test]
async fn metrics_are_served_only_on_metrics_addr() {
    let without = TestApp::spawn(Backend::Sqlite).await;
    assert!(without.metrics_address.is_none());
    let res = without.get("/metrics", Some(ADMIN_TOKEN)).await;
    assert_error(res, 404, "Not Found").await;

    let app = spawn_with_metrics(Backend::Sqlite).await;
    let res = app.get("/metrics", Some(ADMIN_TOKEN)).await;
    assert_error(res, 404, "Not Found").await;
    let instances = on_metrics_addr(&app, Method::GET, "/api/v2/instance");
    let res = sent(instances.bearer_auth(ADMIN_TOKEN)).await;
    assert_error(res, 404, "Not Found").await;
    let res = sent(on_metrics_addr(&app, Method::POST, "/metrics")).await;
    assert_eq!(res.headers()["allow"], "GET");
    assert_error(res, 405, "Method Not Allowed").await;

    // Scrapes are not requests of the service.
    scrape_text(&app).await;
    let scraped = Scraped::parse(&scrape_text(&app).await);
    let routes = scraped.label_values("http_requests_total", Type::Counter, "route");
    assert_eq!(
        routes,
        ["unmatched".to_owned()].into(),
        "the API's 404 only"
    );
}
