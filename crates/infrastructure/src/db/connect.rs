use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

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
    if url.starts_with("sqlite:") {
        create_sqlite_folder(url)?;
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(pool.max_connections)
        .min_connections(0)
        .connect_timeout(pool.acquire_timeout)
        .acquire_timeout(pool.acquire_timeout)
        .idle_timeout(Duration::from_secs(300))
        .test_before_acquire(true)
        // Statements are logged by our own code where useful; the driver's
        // log would only repeat them.
        .sqlx_logging(false);
    let busy = pool.sqlite_busy_timeout;
    options.map_sqlx_sqlite_opts(move |opts| {
        opts.journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(busy)
            .foreign_keys(true)
            .create_if_missing(true)
    });
    Ok(Database::connect(options).await?)
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
