//! The statement timeout on both ends: the server cancels a statement
//! that runs longer (PostgreSQL's `statement_timeout`, MariaDB's
//! `max_statement_time`), the repository gives up on a call that has not
//! ended by then, for a server that answers nothing (sqlx sets no TCP
//! keepalive). sqlx returns a connection dropped mid-statement to the pool
//! once a ping answers, which on a silent server holds a pool slot as long
//! as it stays silent: so while calls given up on are counted, a released
//! connection must answer a ping within the bound or is closed.

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::Duration;

use sea_orm::sqlx::{self, mysql::MySqlConnection, Executor as _};

/// Calls given up on since a released connection was last tested; the
/// process's, so with several pools (tests) a few more are tested.
pub(super) static ABANDONED: AtomicUsize = AtomicUsize::new(0);

/// The pool's test of a released connection: `Ok(true)` keeps it, an
/// error closes it.
pub(super) async fn keep_released<C: sqlx::Connection>(
    conn: &mut C,
    limit: Duration,
) -> Result<bool, sqlx::Error> {
    let counted = ABANDONED.fetch_update(SeqCst, SeqCst, |n| n.checked_sub(1));
    if counted.is_err() {
        return Ok(true);
    }
    match tokio::time::timeout(limit, conn.ping()).await {
        Ok(answer) => answer.map(|()| true),
        Err(elapsed) => Err(sqlx::Error::Io(elapsed.into())),
    }
}

/// MariaDB's bound, in seconds. MySQL has no such variable and refuses
/// the SET: there the repository's own timeout alone applies.
pub(super) async fn set_mariadb_bound(
    conn: &mut MySqlConnection,
    limit: Duration,
) -> Result<(), sqlx::Error> {
    let set = format!("SET SESSION max_statement_time = {}", limit.as_secs_f64());
    if let Err(err) = conn.execute(sqlx::AssertSqlSafe(set)).await {
        log::debug!("no max_statement_time on this server: {err}");
    }
    Ok(())
}
