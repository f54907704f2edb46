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

/// Writers on different rows at once: SQLite must queue them (WAL, busy
/// timeout) instead of failing with "database is locked".
async fn concurrent_sets_and_reads_on_many_instances_all_succeed(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("CHATWOOT_VERIFY", "false")]).await;
    let mut instances = Vec::new();
    for n in 0..20 {
        instances.push(app.create_instance(&format!("many-{n}")).await);
    }
    let body = |n: usize| {
        json!({
            "accountId": n + 1,
            "chatwootURL": "https://chat.example.com",
            "chatwootAccessToken": format!("token-{n}"),
        })
    };
    let bodies: Vec<_> = (0..instances.len()).map(body).collect();
    let writes = join_all(
        instances
            .iter()
            .zip(&bodies)
            .map(|(i, b)| app.set_integration(i, b)),
    );
    let paths: Vec<String> = instances
        .iter()
        .map(|i| format!("/api/v2/instance/{}", i.id))
        .collect();
    let reads = join_all(
        instances
            .iter()
            .zip(&paths)
            .map(|(i, path)| app.get(path, Some(&i.token))),
    );
    let (writes, reads) = futures_util::future::join(writes, reads).await;
    for res in writes {
        assert_eq!(res.status(), 201);
    }
    for res in reads {
        assert_eq!(res.status(), 200);
    }
    for (n, inst) in instances.iter().enumerate() {
        let stored = json_body(
            app.get(&integration_path(&inst.id), Some(&inst.token))
                .await,
        )
        .await;
        assert_eq!(stored["accountId"], json!(n + 1));
    }
}

crate::on_every_backend!(
    fifty_concurrent_sets_leave_one_integration_equal_to_one_request,
    concurrent_sets_and_reads_on_many_instances_all_succeed,
);
