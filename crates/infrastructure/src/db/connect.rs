use std::path::Path;
use std::str::FromStr;
use std::time::{Duration, Instant};

use super::errors::is_sqlite_busy;
use sea_orm::sqlx::mysql::{MySqlConnectOptions, MySqlPoolOptions};
use sea_orm::sqlx::pool::PoolOptions;
use sea_orm::sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::sqlx::{self, ConnectOptions as _, Connection as _};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DbErr, RuntimeErr, SqlxMySqlConnector,
    SqlxPostgresConnector,
};

/// A pooled server connection idle for longer than this is pinged before it
/// is handed out, so one the server dropped meanwhile (a restart, a network
/// cut) is replaced instead of failing a request. A busy pool hands out
/// connections idle for microseconds, and pinging each of those cost one
/// more round trip per statement: without it, sets, GETs and PUTs on
/// PostgreSQL at 64 connections went up 45 %, 26 % and 54 % in
/// bench/run.sh. The driver also pings every connection it takes back,
/// which catches connections broken during a request; the request pool
/// (`request_pool.rs`) pings only those whose statement did not complete.
pub(super) const PING_IF_IDLE_FOR: Duration = Duration::from_secs(1);

/// How long an unused pooled connection stays open.
pub(super) const IDLE_TIMEOUT: Duration = Duration::from_secs(300);

/// How the pool behaves; from configuration.
#[derive(Debug, Clone)]
pub struct PoolSettings {
    pub max_connections: u32,
    /// How long a request waits for a connection (or a new connection for the
    /// database) before it answers 503: bounds every request while the
    /// database is down.
    pub acquire_timeout: Duration,
    /// How long SQLite waits for the writer lock before giving up.
    pub sqlite_busy_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_connections: 16,
            acquire_timeout: Duration::from_secs(3),
            sqlite_busy_timeout: Duration::from_secs(10),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("DATABASE_URL: cannot create the folder {path}: {source}")]
    CreateFolder {
        path: String,
        source: std::io::Error,
    },
    #[error("DATABASE_URL: {0}")]
    Database(#[from] DbErr),
}

/// Opens the pool. For a SQLite file it creates the folder, then sets up
/// the file for a concurrent server: WAL (readers never wait for the
/// writer), a busy timeout (a writer waits its turn instead of failing with
/// "database is locked"), and full synchronous commits (every
/// acknowledged write survives a crash).
pub async fn connect(url: &str, pool: &PoolSettings) -> Result<DatabaseConnection, ConnectError> {
    // Server databases get a pool built here, for its acquire test; see
    // PING_IF_IDLE_FOR. Statements are logged by our own code where useful;
    // the driver's log would only repeat them.
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let options = PgConnectOptions::from_str(url)
            .map_err(conn_err)?
            .disable_statement_logging();
        let pool = server_pool::<sqlx::Postgres>(PgPoolOptions::new(), pool)
            .connect_with(options)
            .await
            .map_err(conn_err)?;
        return Ok(SqlxPostgresConnector::from_sqlx_postgres_pool(pool));
    }
    if url.starts_with("mysql://") {
        let options = MySqlConnectOptions::from_str(url)
            .map_err(conn_err)?
            .disable_statement_logging();
        let pool = server_pool::<sqlx::MySql>(MySqlPoolOptions::new(), pool)
            .connect_with(options)
            .await
            .map_err(conn_err)?;
        return Ok(SqlxMySqlConnector::from_sqlx_mysql_pool(pool));
    }
    if url.starts_with("sqlite:") {
        create_sqlite_folder(url)?;
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(pool.max_connections)
        .min_connections(0)
        .connect_timeout(pool.acquire_timeout)
        .acquire_timeout(pool.acquire_timeout)
        .idle_timeout(IDLE_TIMEOUT)
        // A SQLite connection is a file handle in this process: nothing can
        // drop it, so testing it would only cost a hop to its worker thread.
        .test_before_acquire(false)
        .sqlx_logging(false);
    let busy = pool.sqlite_busy_timeout;
    options.map_sqlx_sqlite_opts(move |opts| {
        opts.journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(busy)
            .foreign_keys(true)
            .create_if_missing(true)
    });
    // Processes opening a new file at once race to switch it to WAL; the
    // loser is told "database is locked" without waiting. Try again within
    // the busy timeout, as any other writer would wait.
    let deadline = Instant::now() + pool.sqlite_busy_timeout;
    loop {
        match Database::connect(options.clone()).await {
            Err(err) if is_sqlite_busy(&err) && Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            connected => return Ok(connected?),
        }
    }
}

/// Pool options for PostgreSQL and MySQL/MariaDB.
fn server_pool<DB: sqlx::Database>(
    options: PoolOptions<DB>,
    pool: &PoolSettings,
) -> PoolOptions<DB> {
    options
        .max_connections(pool.max_connections)
        .min_connections(0)
        .acquire_timeout(pool.acquire_timeout)
        .idle_timeout(IDLE_TIMEOUT)
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for >= PING_IF_IDLE_FOR {
                    // An error closes this connection; the pool then hands
                    // out another one or opens a new one.
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
}

fn conn_err(err: sqlx::Error) -> DbErr {
    DbErr::Conn(RuntimeErr::SqlxError(err))
}

fn create_sqlite_folder(url: &str) -> Result<(), ConnectError> {
    let Ok(options) = SqliteConnectOptions::from_str(url) else {
        // Let the driver report the malformed URL with its own words.
        return Ok(());
    };
    let Some(folder) = options.get_filename().parent() else {
        return Ok(());
    };
    if folder.as_os_str().is_empty() || folder == Path::new("") || folder.exists() {
        return Ok(());
    }
    std::fs::create_dir_all(folder).map_err(|source| ConnectError::CreateFolder {
        path: folder.display().to_string(),
        source,
    })
}
