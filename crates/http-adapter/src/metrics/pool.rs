//! The database pool's connections, read at every scrape from whatever the
//! binary supplies, so this crate needs no database driver.

use std::fmt;

use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::MetricType;

/// The pool's connections at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolStats {
    /// Open and lent to a statement or transaction.
    pub in_use: u32,
    /// Open and waiting in the pool.
    pub idle: u32,
}

/// Reads the pool's connections now; cheap (no I/O, no waiting).
pub type PoolReader = Box<dyn Fn() -> PoolStats + Send + Sync>;

pub(super) struct Collector(PoolReader);

impl Collector {
    pub(super) fn new(read: PoolReader) -> Self {
        Self(read)
    }
}

impl fmt::Debug for Collector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("pool::Collector")
    }
}

impl prometheus_client::collector::Collector for Collector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> fmt::Result {
        let stats = (self.0)();
        let mut family = encoder.encode_descriptor(
            "database_pool_connections",
            "Open connections of the database pool, in use or idle.",
            None,
            MetricType::Gauge,
        )?;
        for (state, count) in [("in_use", stats.in_use), ("idle", stats.idle)] {
            let labels = [("state", state)];
            ConstGauge::new(i64::from(count)).encode(family.encode_family(&labels)?)?;
        }
        Ok(())
    }
}
