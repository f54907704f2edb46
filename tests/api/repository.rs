//! The repository's error contract and its SQLite set-up, on the real
//! databases: what the HTTP layer cannot stage on demand.

use std::collections::HashMap;
use std::time::Duration;

use application::{InstanceRepository, IntegrationRepository, RepoError};
use domain::{
    AccountId, ChatwootAccessToken, HttpUrl, Instance, InstanceId, InstanceName, IntegrationId,
    IntegrationOptions, IntegrationSettings, SecretRecord, Timestamp, TokenHash,
};
use futures_util::future::join_all;
use infrastructure::db::{self, PoolSettings, SeaOrmRepository};
use infrastructure::settings::Settings;
use sea_orm::{ConnectionTrait, Database, TransactionTrait};

use crate::support::databases::TestDatabase;
use crate::support::{statement, Backend};

/// The configured defaults, with `max_connections` instead.
pub fn pool_settings(max_connections: u32) -> PoolSettings {
    let no_files = tempfile::tempdir().expect("temp dir");
    let settings = Settings::load_from(no_files.path(), &HashMap::new()).expect("defaults");
    PoolSettings {
        max_connections,
        ..settings.database.clone()
    }
}

/// A repository on a new, migrated database (kept while the guard lives).
async fn repository(backend: Backend, pool: &PoolSettings) -> (TestDatabase, SeaOrmRepository) {
    let test_db = TestDatabase::create(backend).await;
    let conn = db::connect(&test_db.url, pool).await.expect("connect");
    db::migrate(&conn).await.expect("migrate");
    (test_db, SeaOrmRepository::new(conn, pool.statement_timeout))
}

fn at() -> Timestamp {
    Timestamp::from_millis(1_750_000_000_000).expect("timestamp")
}

fn settings(account: i64) -> IntegrationSettings {
    IntegrationSettings {
        enabled: true,
        account_id: AccountId::new(account).expect("account id"),
        inbox_id: None,
        chatwoot_url: HttpUrl::parse("https://chat.example.com").expect("url"),
        access_token: ChatwootAccessToken::parse("t").expect("token"),
        n8n_webhook: None,
        options: IntegrationOptions::default(),
    }
}

/// A new instance, stored.
async fn instance(repo: &SeaOrmRepository, n: usize) -> InstanceId {
    let id = InstanceId::new(uuid::Uuid::new_v4());
    let new = Instance {
        id,
        name: InstanceName::parse(&format!("repository-{n}")).expect("name"),
        description: None,
        created_at: at(),
        updated_at: at(),
    };
    repo.create_instance(&new, &TokenHash::of(&format!("token-{n}")))
        .await
        .expect("instance stored");
    id
}

async fn set(repo: &SeaOrmRepository, instance: InstanceId, account: i64) -> Result<(), RepoError> {
    let id = IntegrationId::new(uuid::Uuid::now_v7());
    let written = repo
        .upsert_integration(
            instance,
            id,
            &settings(account),
            &SecretRecord::NotRead,
            at(),
        )
        .await?;
    assert_eq!(
        written.settings.account_id.get(),
        account,
        "the row it left"
    );
    Ok(())
}

/// A statement that fails must not leave the pool's only connection
/// unusable for the next request.
async fn the_pool_serves_again_after_a_failed_statement(backend: Backend) {
    let (_test_db, repo) = repository(backend, &pool_settings(1)).await;
    for _ in 0..3 {
        let failed = repo
            .connection()
            .execute_unprepared("SELECT * FROM no_such_table")
            .await;
        assert!(failed.is_err(), "{failed:?}");
        let found = repo.find_instance_by_token(&TokenHash::of("none")).await;
        assert!(matches!(found, Ok(None)), "{found:?}");
    }
    let _ = repo.close().await;
}

/// Once closed (at shutdown, after the last request), a late request is
/// told the database is unavailable (503), on reads and writes alike.
async fn a_closed_repository_answers_unavailable(backend: Backend) {
    let (_test_db, repo) = repository(backend, &pool_settings(2)).await;
    let id = instance(&repo, 1).await;
    repo.close().await.expect("close");
    let read = repo.find_integration(id).await;
    assert!(matches!(read, Err(RepoError::Unavailable(_))), "{read:?}");
    let write = set(&repo, id, 1).await;
    assert!(matches!(write, Err(RepoError::Unavailable(_))), "{write:?}");
}

/// A statement still waiting at the statement timeout (here for a row
/// another connection holds locked) ends as a timeout, and the pool's only
/// connection serves the next call once the lock is gone. On the servers
/// the repository would wait far longer than the test does: the server
/// cancels the statement itself. SQLite has no such bound; there the
/// repository gives up.
async fn a_statement_past_the_timeout_is_a_timeout_and_the_pool_serves_again(backend: Backend) {
    let statement_timeout = Duration::from_millis(500);
    let pool = PoolSettings {
        statement_timeout,
        ..pool_settings(1)
    };
    let test_db = TestDatabase::create(backend).await;
    let conn = db::connect(&test_db.url, &pool).await.expect("connect");
    db::migrate(&conn).await.expect("migrate");
    let (gives_up_after, test_waits) = match backend {
        Backend::Sqlite => (statement_timeout, Duration::from_secs(10)),
        _ => (Duration::from_secs(60), Duration::from_secs(10)),
    };
    let repo = SeaOrmRepository::new(conn, gives_up_after);
    let id = instance(&repo, 1).await;
    let holder = Database::connect(&test_db.url).await.expect("connect");
    let lock = holder.begin().await.expect("begin");
    lock.execute_raw(statement(
        &holder,
        format!("UPDATE instances SET updated_at = updated_at WHERE id = '{id}'"),
    ))
    .await
    .expect("the row locked");

    let token = TokenHash::of("rotated");
    let blocked = tokio::time::timeout(test_waits, repo.replace_token(id, &token, at()))
        .await
        .expect("the statement ended at the statement timeout");
    assert!(
        matches!(blocked, Err(RepoError::TimedOut(_))),
        "{blocked:?}"
    );

    lock.rollback().await.expect("rollback");
    let replaced = repo.replace_token(id, &token, at()).await;
    assert!(matches!(replaced, Ok(true)), "{replaced:?}");
    let _ = repo.close().await;
}

/// Names refused since (`.` and `..`) stay readable where stored before,
/// so such an instance can still be listed and deleted.
async fn an_instance_stored_with_a_dot_name_is_still_read_and_deleted(backend: Backend) {
    let (test_db, repo) = repository(backend, &pool_settings(2)).await;
    let id = InstanceId::new(uuid::Uuid::new_v4());
    let raw = Database::connect(&test_db.url).await.expect("connect");
    raw.execute_raw(statement(
        &raw,
        format!(
            "INSERT INTO instances (id, name, description, token_hash, created_at, updated_at) \
             VALUES ('{id}', '..', NULL, '{}', 1750000000000, 1750000000000)",
            TokenHash::of("dots").to_hex()
        ),
    ))
    .await
    .expect("a row of an older version");

    let listed = repo.list_instances().await.expect("listed");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name.as_str(), "..");
    assert!(repo.delete_instance(id).await.expect("deleted"));
    let _ = repo.close().await;
}

crate::on_every_backend!(
    an_instance_stored_with_a_dot_name_is_still_read_and_deleted,
    the_pool_serves_again_after_a_failed_statement,
    a_closed_repository_answers_unavailable,
    a_statement_past_the_timeout_is_a_timeout_and_the_pool_serves_again,
);

/// SQLite commits one writer at a time; the repository's writes queue for
/// one connection instead of racing for the file's lock. With no busy
/// timeout at all, a write that found the lock taken would fail at once
/// (503): concurrent sets on many instances must all succeed.
#[actix_web::test]
async fn concurrent_sqlite_writes_never_find_the_lock_taken() {
    let pool = PoolSettings {
        sqlite_busy_timeout: Duration::ZERO,
        ..pool_settings(8)
    };
    let (_test_db, repo) = repository(Backend::Sqlite, &pool).await;
    let mut instances = Vec::new();
    for n in 0..8 {
        instances.push(instance(&repo, n).await);
    }
    let sets = (0..64).map(|i| set(&repo, instances[i % instances.len()], i as i64 + 1));
    for outcome in join_all(sets).await {
        outcome.expect("every concurrent set succeeds");
    }
    repo.close().await.expect("close");
}

/// SQLite folds its WAL back into the database file (a checkpoint) every
/// 1000 pages, but only when a committing statement steps to its end. The
/// set's upsert ends in `RETURNING`; taking its row and resetting it
/// committed without checkpointing, so a service taking only sets grew its
/// WAL by every write until shutdown.
#[actix_web::test]
async fn sqlite_sets_keep_the_wal_within_its_checkpoint_size() {
    let (test_db, repo) = repository(Backend::Sqlite, &pool_settings(2)).await;
    let page = repo
        .connection()
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            "PRAGMA page_size",
        ))
        .await
        .expect("page size")
        .expect("one row")
        .try_get_by_index::<i64>(0)
        .expect("a number");
    let id = instance(&repo, 1).await;
    // Every commit adds at least the row's page to the WAL, so 2000 sets
    // are twice the checkpoint's size.
    for account in 1..=2000 {
        set(&repo, id, account).await.expect("set");
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
    repo.close().await.expect("close");
}

/// At shutdown the repository's close must wait for every SQLite
/// connection to end: the last one folds the WAL back into the database
/// file, and one merely dropped does it later, racing the process's exit.
#[actix_web::test]
async fn closing_the_repository_folds_sqlite_s_wal_into_the_file() {
    let (test_db, repo) = repository(Backend::Sqlite, &pool_settings(2)).await;
    let id = instance(&repo, 1).await;
    set(&repo, id, 1).await.expect("set");
    repo.find_integration(id)
        .await
        .expect("read")
        .expect("found");
    let wal = test_db
        .file_path()
        .expect("a SQLite file")
        .with_extension("sqlite-wal");
    assert!(wal.exists(), "the writes went to the WAL first");
    repo.close().await.expect("close");
    assert!(!wal.exists(), "every connection was closed, none dropped");
}
