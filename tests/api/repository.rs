//! The repository's error contract, on the real databases: the races the
//! HTTP layer cannot stage on demand.

use application::{IntegrationRepository, RepoError};
use domain::{InstanceId, IntegrationId, Timestamp};
use http_adapter::request::{RequestBody, SetIntegrationRequest};
use infrastructure::db::{self, PoolSettings, RequestPool, SeaOrmRepository};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, QueryResult, Statement};
use serde_json::json;
use std::future::Future;
use std::time::Duration;

use crate::support::databases::TestDatabase;
use crate::support::{skipped, Backend};

/// An instance deleted between the auth check and the write: the write
/// must say the instance is gone (404), not fail as a fault (500).
async fn writing_an_integration_of_a_vanished_instance_reports_a_missing_reference(
    backend: Backend,
) {
    let test_db = TestDatabase::create(backend).await;
    let conn = db::connect(&test_db.url, &PoolSettings::default())
        .await
        .expect("connect");
    db::migrate(&conn).await.expect("migrate");
    let repo = SeaOrmRepository::new(conn).expect("repository");
    let settings = SetIntegrationRequest::parse(json!({
        "accountId": 1,
        "chatwootURL": "https://chat.example.com",
        "chatwootAccessToken": "t",
    }))
    .expect("valid body");
    let outcome = repo
        .upsert_integration(
            InstanceId::new(uuid::Uuid::new_v4()),
            IntegrationId::new(uuid::Uuid::now_v7()),
            &settings,
            Timestamp::from_millis(1_750_000_000_000).expect("timestamp"),
        )
        .await;
    assert!(
        matches!(outcome, Err(RepoError::ReferenceMissing)),
        "{outcome:?}"
    );
    let _ = repo.close().await;
}

/// A statement that fails leaves its connection unsettled; the request
/// pool must check it (or replace it) before the next statement, not hand
/// it out broken or keep its slot: with one connection, the next statement
/// would otherwise wait forever or fail.
async fn the_request_pool_serves_again_after_a_failed_statement(backend: Backend) {
    let (_test_db, conn, pool) = request_pool(backend, 1, 1).await;
    let backend = conn.get_database_backend();
    for _ in 0..3 {
        let failed = pool
            .query_one(Statement::from_string(
                backend,
                "SELECT * FROM no_such_table",
            ))
            .await;
        assert!(failed.is_err(), "{failed:?}");
        let row = pool
            .query_one(Statement::from_string(backend, "SELECT 'served' AS answer"))
            .await
            .expect("the pool serves again")
            .expect("one row");
        let answer: String = row.try_get("", "answer").expect("answer");
        assert_eq!(answer, "served");
    }
    pool.close().await;
    let _ = conn.close().await;
}

/// Once closed (at shutdown, after the last request), the request pool
/// opens no new connection: a late statement fails as on a closed pool,
/// which the repository reports as the database being unavailable (503).
async fn a_closed_request_pool_refuses_statements(backend: Backend) {
    let (_test_db, conn, pool) = request_pool(backend, 2, 1).await;
    let statement = session_statement(backend);
    session_id(pool.query_one(statement.clone()).await.expect("served"));
    pool.close().await;
    let late = pool.query_one(statement).await;
    assert!(
        matches!(late, Err(sea_orm::DbErr::ConnectionAcquire(_))),
        "{late:?}"
    );
    let _ = conn.close().await;
}

/// Each actix worker is a runtime of its own, and one that stops (or is
/// restarted after a panic) takes its runtime with it, and with it every
/// socket opened there. The next request, on another runtime, must still
/// be served: on PostgreSQL by the same session (its connections run on
/// threads of the pool's own), on MySQL by a new one (its connections run
/// on the workers, and the dead one is replaced, not handed out to fail).
async fn the_request_pool_serves_after_the_runtime_that_opened_its_connection_stopped(
    backend: Backend,
) {
    let (_test_db, conn, pool) = request_pool(backend, 1, 1).await;
    let session = session_statement(backend);
    let (worker_pool, worker_session) = (pool.clone(), session.clone());
    let first = on_a_worker_thread(async move { worker_pool.query_one(worker_session).await })
        .expect("the statement runs on the worker");
    let next = tokio::time::timeout(Duration::from_secs(10), pool.query_one(session))
        .await
        .expect("served within 10 s")
        .expect("the statement runs after the worker stopped");
    let (first, next) = (session_id(first), session_id(next));
    match backend {
        // Its connections live on threads of the pool's own.
        Backend::Postgres => assert_eq!(next, first, "the same session serves on"),
        // Its connections live on the workers: the ended one's is replaced.
        Backend::Mariadb => assert_ne!(next, first, "a new session replaces the dead one"),
        Backend::Sqlite => {}
    }
    pool.close().await;
    let _ = conn.close().await;
}

/// At shutdown the HTTP workers end before the pools close. A SQLite
/// connection runs on a thread of its own, not on the worker that opened
/// it, so it must still be closed (and waited for), not just dropped: the
/// last connection to close folds the WAL back into the database file, and
/// a drop closes it later, on its own thread, racing the process's exit.
#[tokio::test]
async fn closing_sqlite_pools_after_the_worker_that_opened_a_connection_ended_folds_the_wal() {
    let (test_db, conn, pool) = sqlite_pool_with_notes().await;
    let worker_pool = pool.clone();
    on_a_worker_thread(async move {
        worker_pool
            .write_one(sqlite(
                "INSERT INTO notes (body) VALUES ('kept') RETURNING body",
            ))
            .await?;
        worker_pool
            .query_one(sqlite("SELECT body FROM notes"))
            .await
    })
    .expect("the statements run on the worker")
    .expect("one row");
    let file = test_db.file_path().expect("a SQLite file");
    let wal = file.with_extension("sqlite-wal");
    assert!(wal.exists(), "the writes went to the WAL first");

    // The request pool last, so that its connection is the one to fold
    // the WAL, and its close must have waited for that.
    conn.close().await.expect("close");
    pool.close().await;

    assert!(!wal.exists(), "every connection was closed, none dropped");
}

/// SQLite folds its WAL back into the database file (a checkpoint) every
/// 1000 pages, but only when a committing statement steps to its end. The
/// request pool's writes end in `RETURNING`; taking their row and resetting
/// them committed without checkpointing, so a service taking only sets grew
/// its WAL by every write until shutdown.
#[tokio::test]
async fn sqlite_writes_that_return_their_row_keep_the_wal_within_its_checkpoint_size() {
    let (test_db, conn, pool) = sqlite_pool_with_notes().await;
    let page = conn
        .query_one(sqlite("PRAGMA page_size"))
        .await
        .expect("page size")
        .expect("one row")
        .try_get_by_index::<i64>(0)
        .expect("a number");
    // A page-sized body each: every write adds at least one page to the WAL,
    // so 2000 writes are twice the checkpoint's size.
    let filler = "x".repeat(usize::try_from(page).expect("a size"));
    for _ in 0..2000 {
        let written = pool
            .write_one(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "INSERT INTO notes (body) VALUES (?) RETURNING length(body) AS size",
                [filler.clone().into()],
            ))
            .await
            .expect("write")
            .expect("one row");
        let size: i64 = written.try_get("", "size").expect("a size");
        assert_eq!(size, page, "the row the write returned");
    }
    let file = test_db.file_path().expect("a SQLite file");
    let wal = std::fs::metadata(file.with_extension("sqlite-wal")).expect("a WAL");
    // 1000 pages, each with its 24-byte frame header, plus the pages of the
    // write that crossed the line and the 32-byte WAL header.
    let bound = 1010 * (page + 24) + 32;
    assert!(
        i64::try_from(wal.len()).expect("a size") <= bound,
        "WAL of {} bytes, more than {bound}",
        wal.len()
    );
    pool.close().await;
    conn.close().await.expect("close");
}

/// On MySQL each thread that runs requests (an HTTP worker: a thread with
/// a runtime of its own) takes connections from its own share of the pool.
/// A second worker must not pick up the first one's idle connection: its
/// socket belongs to the first worker's runtime, and every reply would
/// wait for that runtime to poll it. (PostgreSQL's connections run on
/// threads of their own; SQLite's reads on the thread that asks.)
#[actix_web::test]
async fn each_request_thread_runs_its_mysql_statements_on_connections_of_its_own() {
    if skipped(Backend::Mariadb) {
        return;
    }
    let (_test_db, conn, pool) = request_pool(Backend::Mariadb, 2, 2).await;
    // One thread after the other, so the second finds the first one's
    // connection idle in the pool.
    let mut sessions = Vec::new();
    for _ in 0..2 {
        let pool = pool.clone();
        sessions.push(on_a_worker_thread(async move {
            let mut seen = Vec::new();
            for _ in 0..3 {
                let row = pool.query_one(session_statement(Backend::Mariadb)).await;
                seen.push(session_id(row.expect("the statement runs")));
            }
            seen
        }));
    }
    for seen in &sessions {
        assert!(seen.iter().all(|id| *id == seen[0]), "{sessions:?}");
    }
    assert_ne!(sessions[0][0], sessions[1][0], "{sessions:?}");
    pool.close().await;
    let _ = conn.close().await;
}

/// A request pool of `max_connections` for `workers` on a new database
/// (kept while the returned guard lives).
async fn request_pool(
    backend: Backend,
    max_connections: u32,
    workers: usize,
) -> (TestDatabase, DatabaseConnection, RequestPool) {
    let test_db = TestDatabase::create(backend).await;
    let conn = db::connect(
        &test_db.url,
        &PoolSettings {
            max_connections,
            ..PoolSettings::default()
        },
    )
    .await
    .expect("connect");
    let pool = RequestPool::beside(&conn, workers).expect("request pool");
    (test_db, conn, pool)
}

/// A statement answering with the server session's id (always 1 on SQLite).
fn session_statement(backend: Backend) -> Statement {
    let (db_backend, sql) = match backend {
        Backend::Postgres => (DbBackend::Postgres, "SELECT pg_backend_pid()::bigint AS id"),
        Backend::Mariadb => (
            DbBackend::MySql,
            "SELECT CAST(CONNECTION_ID() AS SIGNED) AS id",
        ),
        Backend::Sqlite => (DbBackend::Sqlite, "SELECT 1 AS id"),
    };
    Statement::from_string(db_backend, sql)
}

/// A request pool on a new SQLite file holding an empty `notes` table.
async fn sqlite_pool_with_notes() -> (TestDatabase, DatabaseConnection, RequestPool) {
    let (test_db, conn, pool) = request_pool(Backend::Sqlite, 2, 1).await;
    conn.execute_unprepared("CREATE TABLE notes (body TEXT NOT NULL)")
        .await
        .expect("create table");
    (test_db, conn, pool)
}

fn sqlite(sql: &str) -> Statement {
    Statement::from_string(DbBackend::Sqlite, sql)
}

/// The `body` of a `notes` row.
fn body(row: Option<QueryResult>) -> String {
    row.expect("one row").try_get("", "body").expect("a body")
}

fn session_id(row: Option<QueryResult>) -> i64 {
    row.expect("one row")
        .try_get("", "id")
        .expect("a session id")
}

/// Runs `task` as an actix worker would: on a thread of its own, in a
/// current-thread runtime that ends with it.
fn on_a_worker_thread<T: Send + 'static>(task: impl Future<Output = T> + Send + 'static) -> T {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a worker's runtime")
            .block_on(task)
    })
    .join()
    .expect("the worker thread ends")
}

crate::on_every_backend!(
    writing_an_integration_of_a_vanished_instance_reports_a_missing_reference,
    the_request_pool_serves_again_after_a_failed_statement,
    the_request_pool_serves_after_the_runtime_that_opened_its_connection_stopped,
    a_closed_request_pool_refuses_statements,
);

/// SQLite's writes queue, in order, for one connection; a write sent down
/// the read path would jump that queue, so the read path refuses it.
#[tokio::test]
async fn sqlite_reads_refuse_to_write() {
    let (_test_db, conn, pool) = sqlite_pool_with_notes().await;
    let write = pool
        .query_one(sqlite(
            "INSERT INTO notes (body) VALUES ('jumped') RETURNING body",
        ))
        .await;
    assert!(write.is_err(), "{write:?}");
    let written = pool
        .write_one(sqlite(
            "INSERT INTO notes (body) VALUES ('queued') RETURNING body",
        ))
        .await
        .expect("the writer writes");
    assert_eq!(body(written), "queued");
    pool.close().await;
    let _ = conn.close().await;
}

/// `sqlite::memory:` is one database shared by the SeaORM pool's
/// connections; the request pool's reads, on another driver, must open
/// that same database, not a file of its name.
#[tokio::test]
async fn sqlite_reads_see_the_in_memory_database_the_seaorm_pool_wrote() {
    let conn = db::connect("sqlite::memory:", &PoolSettings::default())
        .await
        .expect("connect");
    conn.execute_unprepared(
        "CREATE TABLE notes (body TEXT NOT NULL); INSERT INTO notes VALUES ('kept')",
    )
    .await
    .expect("create and fill a table");
    let pool = RequestPool::beside(&conn, 1).expect("request pool");
    let row = pool
        .query_one(sqlite("SELECT body FROM notes"))
        .await
        .expect("the read runs");
    assert_eq!(body(row), "kept");
    pool.close().await;
    let _ = conn.close().await;
}
