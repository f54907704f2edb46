//! A fresh database per test on each backend, dropped when the test ends.

use std::path::PathBuf;

use sea_orm::{ConnectOptions, ConnectionTrait, Database, Statement};

use super::servers::server_url;

/// The three backends the suite runs on; `servers` says where the
/// PostgreSQL and MariaDB servers come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
    Mariadb,
}

/// Where to connect while creating and dropping: PostgreSQL's own
/// database; MariaDB needs none.
fn admin_url(backend: Backend) -> String {
    match backend {
        Backend::Postgres => format!("{}/postgres", server_url(backend)),
        _ => server_url(backend),
    }
}

/// `sql` as a statement of the connection's backend.
pub fn statement(conn: &impl ConnectionTrait, sql: impl Into<String>) -> Statement {
    Statement::from_string(conn.get_database_backend(), sql)
}

pub struct TestDatabase {
    pub backend: Backend,
    pub url: String,
    name: String,
    /// Holds the SQLite file's folder until the test ends.
    _dir: Option<tempfile::TempDir>,
}

impl TestDatabase {
    pub async fn create(backend: Backend) -> Self {
        let name = format!("t_{}", uuid::Uuid::new_v4().simple());
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir for SQLite");
                let path: PathBuf = dir.path().join("test.sqlite");
                Self {
                    backend,
                    url: format!("sqlite://{}", path.display()),
                    name,
                    _dir: Some(dir),
                }
            }
            Backend::Postgres | Backend::Mariadb => {
                let admin = Database::connect(admin_url(backend))
                    .await
                    .unwrap_or_else(|e| {
                        panic!("{backend:?} server at {}: {e}", server_url(backend))
                    });
                admin
                    .execute_raw(Statement::from_string(
                        admin.get_database_backend(),
                        format!("CREATE DATABASE {name}"),
                    ))
                    .await
                    .expect("create test database");
                let _ = admin.close().await;
                Self {
                    backend,
                    url: format!("{}/{name}", server_url(backend)),
                    name,
                    _dir: None,
                }
            }
        }
    }

    pub fn file_path(&self) -> Option<PathBuf> {
        self._dir.as_ref().map(|d| d.path().join("test.sqlite"))
    }
}

impl Drop for TestDatabase {
    /// Drops the database on a thread of its own: `Drop` cannot await, and
    /// the test's runtime may already be shutting down.
    fn drop(&mut self) {
        if self.backend == Backend::Sqlite {
            return;
        }
        let backend = self.backend;
        let statement = match backend {
            Backend::Postgres => format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
            _ => format!("DROP DATABASE IF EXISTS {}", self.name),
        };
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime for dropping the test database");
            runtime.block_on(async move {
                // One connection, so the session setting below applies to the drop.
                let mut options = ConnectOptions::new(admin_url(backend));
                options.max_connections(1);
                let admin = Database::connect(options).await?;
                if backend == Backend::Mariadb {
                    // A connection the test leaked inside a transaction would
                    // block the drop forever (the metadata lock waits a year).
                    admin
                        .execute_raw(Statement::from_string(
                            admin.get_database_backend(),
                            "SET SESSION lock_wait_timeout = 10",
                        ))
                        .await?;
                }
                admin
                    .execute_raw(Statement::from_string(
                        admin.get_database_backend(),
                        statement,
                    ))
                    .await?;
                admin.close().await
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop test database {}", self.name);
        }
    }
}
