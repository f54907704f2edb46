//! Migrations at start-up, safe when several replicas start at once on one
//! server database: each takes a database-wide lock first, so one applies
//! the pending migrations and the others then find nothing to do.

use sea_orm_migration::sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, Statement, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;

use crate::Migrator;

/// Any fixed number: the key of the advisory lock on PostgreSQL.
const PG_LOCK_KEY: i64 = 0x6377_696e_7465_6772; // "cwintegr"
const MYSQL_LOCK_NAME: &str = "chatwoot_integration_migrations";
const MYSQL_LOCK_WAIT_SECS: u32 = 60;
const SQLITE_LOCK_TABLE: &str = "migration_lock";

/// Applies the migrations not yet applied; a no-op on an up-to-date database.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    match backend {
        // SQLite has no named locks, and a deferred transaction that reads
        // the migration table before writing fails at once when another
        // writer got there first. So the transaction writes first, to a
        // table of its own, which makes it wait (busy timeout) for the
        // file's single writer lock and then hold it to the end.
        DatabaseBackend::Sqlite => {
            db.execute_unprepared(&format!(
                "CREATE TABLE IF NOT EXISTS {SQLITE_LOCK_TABLE} (id INTEGER PRIMARY KEY)"
            ))
            .await?;
            up_in_transaction_after(db, format!("DELETE FROM {SQLITE_LOCK_TABLE}")).await
        }
        // The transaction pins one connection; the lock ends with it.
        DatabaseBackend::Postgres => {
            up_in_transaction_after(db, format!("SELECT pg_advisory_xact_lock({PG_LOCK_KEY})"))
                .await
        }
        // MySQL's DDL commits implicitly, so the lock is a named session
        // lock, held on the connection the transaction pins.
        DatabaseBackend::MySql => {
            let txn = db.begin().await?;
            let acquired = txn
                .query_one_raw(Statement::from_string(
                    backend,
                    format!(
                        "SELECT GET_LOCK('{MYSQL_LOCK_NAME}', {MYSQL_LOCK_WAIT_SECS}) AS acquired"
                    ),
                ))
                .await?
                .and_then(|row| row.try_get::<Option<i64>>("", "acquired").ok().flatten());
            if acquired != Some(1) {
                return Err(DbErr::Custom(format!(
                    "another process held the migration lock for {MYSQL_LOCK_WAIT_SECS} s"
                )));
            }
            let applied = Migrator::up(&txn, None).await;
            let released = txn
                .execute_unprepared(&format!("SELECT RELEASE_LOCK('{MYSQL_LOCK_NAME}')"))
                .await;
            applied?;
            released?;
            txn.commit().await
        }
        other => Err(DbErr::Custom(format!("no migration lock on {other:?}"))),
    }
}

/// Applies the pending migrations in one transaction whose first statement,
/// `lock`, takes the lock that keeps other processes out until the commit.
async fn up_in_transaction_after(db: &DatabaseConnection, lock: String) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    txn.execute_unprepared(&lock).await?;
    Migrator::up(&txn, None).await?;
    txn.commit().await
}
