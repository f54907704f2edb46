//! Opening the database: one SeaORM connection over one pool, and on
//! SQLite one more connection for writes (see [`writer_for`]). Every pool
//! option is set in [`connect_options`] and every driver option in the
//! backend's branch of [`connect`], so an option added there reaches both.

use std::path::Path;
use std::str::FromStr;
use std::time::{Duration, Instant};

use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::sqlx::{self};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DbBackend, DbErr, RuntimeErr, SqlxSqliteConnector,
};

use super::bound;
use super::errors::is_sqlite_busy;

/// A pooled server connection idle for this long is pinged before it is
/// handed out, so one the server dropped meanwhile (a restart, a network
/// cut) is replaced instead of failing a request; a busy pool's
/// connections are not pinged. See docs/decisions/pool-test-after-idle.md.
const PING_IF_IDLE_FOR: Duration = Duration::from_secs(1);

/// How long an unused pooled connection stays open.
const IDLE_TIMEOUT: Duration = Duration::from_secs(300);

/// How the pool behaves; from configuration (`[database]`).
#[derive(Debug, Clone)]
pub struct PoolSettings {
    pub max_connections: u32,
    /// How long a request waits for a connection (or a new connection for the
    /// database) before it answers 503: bounds every request while the
    /// database is down.
    pub acquire_timeout: Duration,
    /// How long SQLite waits for the writer lock before giving up.
    pub sqlite_busy_timeout: Duration,
    /// How long the server may run a statement (see [`bound`]).
    pub statement_timeout: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("DATABASE_URL: cannot create the folder {path}: {source}")]
    CreateFolder {
        path: String,
        source: std::io::Error,
    },
    #[error("DATABASE_URL: {path} does not exist, and this command never creates a database: point DATABASE_URL at the service's database")]
    Missing { path: String },
    #[error("DATABASE_URL: {0}")]
    Database(#[from] DbErr),
}

/// Whether opening may create the database (a SQLite file and its folder).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Create {
    /// The service and `migrate`: a new deployment starts from nothing.
    IfMissing,
    /// Commands that only read (`check`): a wrong DATABASE_URL must fail,
    /// not read an empty new database.
    Never,
}

/// Opens the pool of `url` (`sqlite:`, `postgres://`, `postgresql://` or
/// `mysql://`). Statements are logged by our own code where useful; the
/// driver's log would only repeat them.
pub async fn connect(
    url: &str,
    settings: &PoolSettings,
) -> Result<DatabaseConnection, ConnectError> {
    open(url, settings, Create::IfMissing).await
}

/// Opens the pool of `url` as [`connect`] does, but only when the database
/// exists: a server creates no database on connecting, and a SQLite file
/// is neither created nor switched to WAL (a file made by the service
/// already is).
pub async fn connect_existing(
    url: &str,
    settings: &PoolSettings,
) -> Result<DatabaseConnection, ConnectError> {
    open(url, settings, Create::Never).await
}

async fn open(
    url: &str,
    settings: &PoolSettings,
    create: Create,
) -> Result<DatabaseConnection, ConnectError> {
    // SeaORM panics on a URL it cannot parse: refuse it here instead.
    if let Err(err) = url::Url::parse(url) {
        return Err(DbErr::Conn(RuntimeErr::Internal(format!("{url}: {err}"))).into());
    }
    let mut options = connect_options(url, settings);
    let limit = settings.statement_timeout;
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        options
            .statement_timeout(limit)
            .test_before_acquire_if_idle_for(PING_IF_IDLE_FOR)
            .map_sqlx_postgres_pool_opts(move |pool| {
                pool.after_release(move |conn, _| Box::pin(bound::keep_released(conn, limit)))
            });
        return Ok(Database::connect(options).await?);
    }
    if url.starts_with("mysql://") {
        options
            .test_before_acquire_if_idle_for(PING_IF_IDLE_FOR)
            .map_sqlx_mysql_pool_opts(move |pool| {
                pool.after_release(move |conn, _| Box::pin(bound::keep_released(conn, limit)))
                    .after_connect(move |conn, _| Box::pin(bound::set_mariadb_bound(conn, limit)))
            });
        return Ok(Database::connect(options).await?);
    }
    if url.starts_with("sqlite:") {
        return connect_sqlite(options, settings, create).await;
    }
    Err(DbErr::Conn(RuntimeErr::Internal(format!(
        "{url} names no supported database (sqlite:, postgres://, postgresql://, mysql://)"
    )))
    .into())
}

/// For a SQLite file: creates its folder, then sets it up for a concurrent
/// server: WAL (readers never wait for the writer), a busy timeout (a
/// writer waits its turn instead of failing with "database is locked"),
/// and full synchronous commits (every acknowledged write survives a
/// crash). See docs/decisions/sqlite-wal-one-writer.md.
async fn connect_sqlite(
    mut options: ConnectOptions,
    settings: &PoolSettings,
    create: Create,
) -> Result<DatabaseConnection, ConnectError> {
    let file = SqliteConnectOptions::from_str(options.get_url()).map_err(conn_err)?;
    let file = file.get_filename();
    match create {
        Create::IfMissing => create_folder(file)?,
        Create::Never if !file.exists() => {
            return Err(ConnectError::Missing {
                path: file.display().to_string(),
            })
        }
        Create::Never => {}
    }
    let busy_timeout = settings.sqlite_busy_timeout;
    options
        .map_sqlx_sqlite_opts(move |sqlite| {
            let sqlite = sqlite
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(busy_timeout)
                .foreign_keys(true);
            match create {
                Create::IfMissing => sqlite
                    .journal_mode(SqliteJournalMode::Wal)
                    .create_if_missing(true),
                Create::Never => sqlite,
            }
        })
        // A SQLite connection is a file handle in this process: nothing
        // can drop it, so it is never pinged.
        .test_before_acquire(false);
    // Processes opening a new file at once race to switch it to WAL; the
    // loser is told "database is locked" without waiting. Try again within
    // the busy timeout, as any other writer would wait.
    let deadline = Instant::now() + busy_timeout;
    loop {
        match Database::connect(options.clone()).await {
            Err(DbErr::Conn(RuntimeErr::SqlxError(err)))
                if is_sqlite_busy(&err) && Instant::now() < deadline =>
            {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            connected => return Ok(connected?),
        }
    }
}

/// The connection every write goes through. SQLite commits one writer at a
/// time whatever the pool size, and a writer that finds the lock taken
/// sleeps in SQLite's busy handler; so there writes queue, in order, for a
/// pool of one connection beside `db`'s, with its options. Elsewhere it is
/// `db` itself.
pub(super) fn writer_for(db: &DatabaseConnection) -> DatabaseConnection {
    if db.get_database_backend() != DbBackend::Sqlite {
        return db.clone();
    }
    let pool = db.get_sqlite_connection_pool();
    let writer = pool
        .options()
        .clone()
        .max_connections(1)
        .connect_lazy_with((*pool.connect_options()).clone());
    SqlxSqliteConnector::from_sqlx_sqlite_pool(writer)
}

/// Closes `db`'s pool once no request is running, and waits for its last
/// connection to end: SQLite's last one folds the WAL back into the file,
/// PostgreSQL's end their sessions. Since sqlx 0.9 `Pool::close` waits for
/// every connection to come back before it closes them (sqlx#3952).
pub(super) async fn close(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.clone().close().await
}

/// The options every pool shares.
fn connect_options(url: &str, settings: &PoolSettings) -> ConnectOptions {
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(settings.max_connections)
        .min_connections(0)
        .acquire_timeout(settings.acquire_timeout)
        .idle_timeout(IDLE_TIMEOUT)
        .sqlx_logging(false);
    options
}

fn conn_err(err: sqlx::Error) -> DbErr {
    DbErr::Conn(RuntimeErr::SqlxError(err.into()))
}

fn create_folder(file: &Path) -> Result<(), ConnectError> {
    let missing = file
        .parent()
        .filter(|f| !f.as_os_str().is_empty() && !f.exists());
    missing.map_or(Ok(()), |folder| {
        std::fs::create_dir_all(folder).map_err(|source| ConnectError::CreateFolder {
            path: folder.display().to_string(),
            source,
        })
    })
}
