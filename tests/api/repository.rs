//! The repository's error contract, on the real databases: the races the
//! HTTP layer cannot stage on demand.

use application::{IntegrationRepository, RepoError};
use domain::input::parse_set_body;
use domain::{InstanceId, IntegrationId, Timestamp};
use infrastructure::db::{self, PoolSettings, SeaOrmRepository};
use serde_json::json;

use crate::support::databases::TestDatabase;
use crate::support::Backend;

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
    let repo = SeaOrmRepository::new(conn.clone());
    let settings = parse_set_body(&json!({
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
    let _ = conn.close().await;
}

crate::on_every_backend!(writing_an_integration_of_a_vanished_instance_reports_a_missing_reference);
