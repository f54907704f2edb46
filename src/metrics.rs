//! What `GET /metrics` needs from the wiring: the database pool's
//! connections, read from SeaORM's connection so that the HTTP adapter
//! needs no database driver.

use http_adapter::metrics::{PoolReader, PoolStats};
use sea_orm::{DatabaseConnection, DbBackend};

/// Reads the pool of `db` at every scrape.
pub fn pool_reader(db: DatabaseConnection) -> PoolReader {
    Box::new(move || pool_stats(&db))
}

fn pool_stats(db: &DatabaseConnection) -> PoolStats {
    // The getters panic on another kind of connection: ask each only
    // after matching its own.
    let (open, idle) = match db.get_database_backend() {
        DbBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
        DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        DbBackend::MySql => {
            let pool = db.get_mysql_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => return PoolStats::default(),
    };
    // Two readings, not one snapshot: a connection returned in between
    // may count as idle and not yet as open.
    let idle = u32::try_from(idle).unwrap_or(u32::MAX).min(open);
    PoolStats {
        in_use: open - idle,
        idle,
    }
}
