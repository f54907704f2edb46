//! Migrations at start-up: replicas starting together on one database
//! must all come up, with each migration applied once.

use futures_util::future::join_all;
use infrastructure::db;
use migration::MigratorTrait;
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::support::databases::TestDatabase;
use crate::support::{statement, Backend};

/// A new database of `backend`, not migrated, and a pool of two on it.
async fn unmigrated(backend: Backend) -> (TestDatabase, DatabaseConnection) {
    let test_db = TestDatabase::create(backend).await;
    let pool = crate::repository::pool_settings(2);
    let conn = db::connect(&test_db.url, &pool).await.expect("connect");
    (test_db, conn)
}

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
        .query_all_raw(statement(conn, "SELECT version FROM seaql_migrations"))
        .await
        .expect("migration table");
    assert_eq!(rows.len(), migration::Migrator::migrations().len());
    // A later start finds nothing to do.
    db::migrate(conn).await.expect("second start is a no-op");
    for pool in pools {
        let _ = pool.close().await;
    }
}

/// Rows written before the rule of one live integration per inbox that
/// already break it stop the migration, with a message naming the inbox
/// and its instances; nothing is half applied, and once they are fixed
/// the migration goes through.
async fn the_inbox_rule_refuses_rows_that_already_share_an_inbox(backend: Backend) {
    let (_test_db, conn) = unmigrated(backend).await;
    migration::Migrator::up(&conn, Some(2))
        .await
        .expect("the schema before the rule");
    let run = |sql: String| {
        let conn = &conn;
        async move {
            conn.execute_raw(statement(conn, sql))
                .await
                .expect("statement")
        }
    };
    let ids = [
        "00000000-0000-4000-8000-00000000000a",
        "00000000-0000-4000-8000-00000000000b",
        "00000000-0000-4000-8000-00000000000c",
    ];
    for (n, id) in ids.iter().enumerate() {
        run(format!(
            "INSERT INTO instances (id, name, description, token_hash, created_at, updated_at) \
             VALUES ('{id}', 'gw-{n}', NULL, '{n:064}', 1, 1)"
        ))
        .await;
        // The third one's integration is deleted: it does not count.
        let deleted_at = if n == 2 { "5" } else { "NULL" };
        run(format!(
            "INSERT INTO chatwoot_integrations (id, instance_id, enabled, account_id, inbox_id, \
             chatwoot_url, chatwoot_access_token, n8n_webhook, enabled_group, display_attendant, \
             start_conversation_as, query, revision, created_at, updated_at, deleted_at) \
             VALUES ('{}', '{id}', {}, 12, 3, 'https://chat.example.com', 'token', NULL, FALSE, \
             TRUE, 'open', NULL, 1, 1, 1, {deleted_at})",
            id.replace("4000", "4111"),
            if n == 0 { "TRUE" } else { "FALSE" },
        ))
        .await;
    }

    let refused = db::migrate(&conn).await.expect_err("the migration refuses");
    let message = refused.to_string();
    assert!(
        message.contains(&format!(
            "inbox 3 of account 12 at https://chat.example.com is used by instances {}, {}",
            ids[0], ids[1]
        )),
        "{message}"
    );
    assert!(!message.contains(ids[2]), "{message}");

    run(format!(
        "UPDATE chatwoot_integrations SET inbox_id = 4 WHERE instance_id = '{}'",
        ids[1]
    ))
    .await;
    db::migrate(&conn)
        .await
        .expect("applied once the rows are fixed");
    let _ = conn.close().await;
}

/// The signing secret's columns: added by their migration, taken away by
/// its `down`, added again by `up`. Migrations added later are applied
/// only at the end, so that `down` takes away this one.
async fn the_signing_secret_columns_are_added_and_removed(backend: Backend) {
    let (_test_db, conn) = unmigrated(backend).await;
    let names: Vec<String> = migration::Migrator::migrations()
        .iter()
        .map(|migration| migration.name().to_owned())
        .collect();
    let position = names
        .iter()
        .position(|name| name == "m20261204_000004_webhook_signing_secret")
        .expect("the signing secret's migration is listed");
    let through_it = u32::try_from(position + 1).expect("a few migrations");
    migration::Migrator::up(&conn, Some(through_it))
        .await
        .expect("migrate");
    let select = || {
        conn.execute_raw(statement(
            &conn,
            "SELECT webhook_secret, webhook_secret_at, webhook_secret_hidden \
             FROM chatwoot_integrations",
        ))
    };
    select().await.expect("the columns exist");
    migration::Migrator::down(&conn, Some(1))
        .await
        .expect("down");
    assert!(select().await.is_err(), "the columns are gone");
    migration::Migrator::up(&conn, None)
        .await
        .expect("up again");
    select().await.expect("the columns are back");
    let _ = conn.close().await;
}

crate::on_every_backend!(
    replicas_migrating_at_once_all_succeed_and_apply_each_migration_once,
    the_inbox_rule_refuses_rows_that_already_share_an_inbox,
    the_signing_secret_columns_are_added_and_removed,
);
