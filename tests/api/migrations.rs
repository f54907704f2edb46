//! Migrations at start-up: replicas starting together on one database
//! must all come up, with each migration applied once.

use futures_util::future::join_all;
use infrastructure::db;
use migration::MigratorTrait;
use sea_orm::{ConnectionTrait, Statement};

use crate::support::databases::TestDatabase;
use crate::support::Backend;

async fn replicas_migrating_at_once_all_succeed_and_apply_each_migration_once(backend: Backend) {
    let test_db = TestDatabase::create(backend).await;
    let settings = crate::repository::pool_settings(4);
    let pools = join_all((0..4).map(|_| db::connect(&test_db.url, &settings))).await;
    let pools: Vec<_> = pools.into_iter().map(|p| p.expect("connect")).collect();
    let outcomes = join_all(pools.iter().map(db::migrate)).await;
    for outcome in outcomes {
        outcome.expect("every replica migrates");
    }
    let conn = &pools[0];
    let rows = conn
        .query_all(Statement::from_string(
            conn.get_database_backend(),
            "SELECT version FROM seaql_migrations",
        ))
        .await
        .expect("migration table");
    assert_eq!(rows.len(), migration::Migrator::migrations().len());
    // A later start finds nothing to do.
    db::migrate(conn).await.expect("second start is a no-op");
    for pool in pools {
        let _ = pool.close().await;
    }
}

crate::on_every_backend!(replicas_migrating_at_once_all_succeed_and_apply_each_migration_once);
