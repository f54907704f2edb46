//! Metrics for operators, in the Prometheus text format: requests and their
//! latency by route template, Chatwoot checks by outcome, database faults
//! by kind, and the database pool's connections. Served on a listener of
//! its own ([`server`]), never on the API's.

mod counted;
pub mod labels;
mod pool;
mod server;
mod track;

use std::borrow::Cow;
use std::time::Duration;

use actix_web::http::StatusCode;
use prometheus_client::encoding::{prometheus_text, EncodeLabelSet};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

pub use counted::Counted;
pub use labels::DbErrorKind;
pub use pool::{PoolReader, PoolStats};
pub use server::{server, PATH};
pub use track::track;

/// Upper bounds of the latency buckets, in seconds: from a cached read
/// (about a millisecond) to the Chatwoot and database timeouts (seconds).
const LATENCY_BUCKETS: [f64; 13] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    #[prometheus(flatten)]
    route: RouteLabels,
    status: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct RouteLabels {
    route: Cow<'static, str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct KindLabels {
    kind: &'static str,
}

fn latency_histogram() -> Histogram {
    Histogram::new(LATENCY_BUCKETS)
}

/// The metrics of one running service, shared by its workers.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    checks: Family<OutcomeLabels, Counter>,
    db_errors: Family<KindLabels, Counter>,
}

impl Metrics {
    /// `pool` is read at every scrape.
    pub fn new(pool: PoolReader) -> Self {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route template and status",
            requests.clone(),
        );
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(
            latency_histogram as fn() -> Histogram,
        );
        registry.register(
            "http_request_duration_seconds",
            "Time from a request's arrival to its response, by route template",
            latency.clone(),
        );
        let checks = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "chatwoot_checks",
            "Runs of the Chatwoot check (Set, Update, the status) and of autoCreate's steps, by outcome (ok, or what was wrong)",
            checks.clone(),
        );
        let db_errors = Family::<KindLabels, Counter>::default();
        for kind in DbErrorKind::ALL {
            drop(db_errors.get_or_create(&KindLabels { kind: kind.label() }));
        }
        registry.register(
            "database_errors",
            "Requests answered 503 or 500 because of the database, by kind",
            db_errors.clone(),
        );
        registry.register_collector(Box::new(pool::Collector::new(pool)));
        Self {
            registry,
            requests,
            latency,
            checks,
            db_errors,
        }
    }

    /// One answered request. `route` is its route template, `None` when no
    /// route matched.
    fn observe_request(
        &self,
        method: &'static str,
        route: Option<String>,
        status: StatusCode,
        elapsed: Duration,
    ) {
        let route = RouteLabels {
            route: route.map_or(Cow::Borrowed(labels::UNMATCHED_ROUTE), Cow::Owned),
        };
        self.latency
            .get_or_create(&route)
            .observe(elapsed.as_secs_f64());
        self.requests
            .get_or_create(&RequestLabels {
                method,
                route,
                status: status.as_u16(),
            })
            .inc();
    }

    fn count_check(&self, outcome: &'static str) {
        self.checks.get_or_create(&OutcomeLabels { outcome }).inc();
    }

    fn count_db_error(&self, kind: DbErrorKind) {
        self.db_errors
            .get_or_create(&KindLabels { kind: kind.label() })
            .inc();
    }

    /// Every metric in the Prometheus text format (version 0.0.4).
    pub fn encode(&self) -> Result<String, std::fmt::Error> {
        let mut text = String::new();
        prometheus_text::encode(&mut text, &self.registry)?;
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    #[test]
    fn pool_gauges_are_read_at_every_scrape() {
        let reads = AtomicU32::new(0);
        let pool = move || PoolStats {
            in_use: reads.fetch_add(1, Ordering::Relaxed) + 1,
            idle: 5,
        };
        let metrics = Metrics::new(Box::new(pool));
        for in_use in [1, 2] {
            let text = metrics.encode().expect("encodes");
            let line = format!("database_pool_connections{{state=\"in_use\"}} {in_use}\n");
            assert!(text.contains(&line), "{text}");
            assert!(
                text.contains("database_pool_connections{state=\"idle\"} 5\n"),
                "{text}"
            );
        }
    }
}
