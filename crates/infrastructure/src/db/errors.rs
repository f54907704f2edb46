use application::RepoError;
use sea_orm::{sqlx, DbErr, RuntimeErr, SqlErr};

/// Driver errors become the repository's categories here, and only here.
pub fn repo_error(err: DbErr) -> RepoError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => return RepoError::Duplicate,
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => return RepoError::ReferenceMissing,
        _ => {}
    }
    // Cancelled at the statement timeout (PostgreSQL, MariaDB).
    if let DbErr::Exec(RuntimeErr::SqlxError(driver))
    | DbErr::Query(RuntimeErr::SqlxError(driver)) = &err
    {
        if let sqlx::Error::Database(db) = driver.as_ref() {
            if matches!(db.code().as_deref(), Some("57014" | "70100")) {
                return RepoError::TimedOut(err.to_string());
            }
        }
    }
    if is_unavailable(&err) {
        return RepoError::Unavailable(err.to_string());
    }
    RepoError::Other(err.to_string())
}

/// A write of an integration keeps its id and its instance, so the one
/// unique key it can break is the live inbox's.
pub fn inbox_taken(err: RepoError) -> RepoError {
    match err {
        RepoError::Duplicate => RepoError::InboxTaken,
        other => other,
    }
}

fn is_unavailable(err: &DbErr) -> bool {
    match err {
        DbErr::ConnectionAcquire(_) => true,
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => sqlx_unavailable(e),
        DbErr::Conn(_) => true,
        _ => false,
    }
}

fn sqlx_unavailable(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        // PostgreSQL: connection exceptions (08), shutdown and recovery
        // (57P0x). SQLite: busy or locked past the busy timeout (5, 6 and
        // their extended codes).
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            code.starts_with("08") || code.starts_with("57P0") || sqlite_busy_code(&code)
        }),
        _ => false,
    }
}

/// SQLITE_BUSY or SQLITE_LOCKED, with or without an extended code.
fn sqlite_busy_code(code: &str) -> bool {
    matches!(code.parse::<i32>().map(|c| c & 0xff), Ok(5 | 6))
}

/// Whether opening a SQLite connection failed only because another
/// connection held the file, which the busy timeout does not always cover
/// (switching a new file to WAL needs it alone).
pub fn is_sqlite_busy(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => db.code().is_some_and(|code| sqlite_busy_code(&code)),
        _ => false,
    }
}
