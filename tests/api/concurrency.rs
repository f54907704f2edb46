use futures_util::future::join_all;
use serde_json::json;

use crate::support::*;

/// Fifty sets racing on one instance: all succeed, and exactly one
/// integration remains, equal to one of the fifty requests.
async fn fifty_concurrent_sets_leave_one_integration_equal_to_one_request(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("CHATWOOT_VERIFY", "false")]).await;
    let inst = app.create_instance("race").await;
    let bodies: Vec<_> = (1..=50)
        .map(|n| {
            json!({
                "accountId": n,
                "chatwootURL": format!("https://chat{n}.example.com"),
                "chatwootAccessToken": format!("token-{n}"),
            })
        })
        .collect();
    let answers = join_all(bodies.iter().map(|b| app.set_integration(&inst, b))).await;
    let mut ids = Vec::new();
    for res in answers {
        assert_eq!(res.status(), 201);
        ids.push(json_body(res).await["integrationId"].clone());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "one integration id for all fifty: {ids:?}");

    let stored = json_body(
        app.get(&integration_path(&inst.id), Some(&inst.token))
            .await,
    )
    .await;
    let n = stored["accountId"].as_i64().expect("accountId");
    assert!((1..=50).contains(&n));
    assert_eq!(
        stored["chatwootURL"],
        format!("https://chat{n}.example.com")
    );
    assert_eq!(
        stored["chatwootAccessToken"],
        format!("token-{n}"),
        "not a mix of two requests"
    );

    let db = sea_orm::Database::connect(app.db.url.as_str())
        .await
        .expect("connect");
    use sea_orm::{ConnectionTrait, Statement};
    let rows = db
        .query_all(Statement::from_string(
            db.get_database_backend(),
            "SELECT id FROM chatwoot_integrations",
        ))
        .await
        .expect("query");
    assert_eq!(rows.len(), 1);
    let _ = db.close().await;
}

crate::on_every_backend!(fifty_concurrent_sets_leave_one_integration_equal_to_one_request);
