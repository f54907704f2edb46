use serde_json::{json, Value};

use crate::integration_set::CONTRACT_KEYS;
use crate::support::*;

async fn get_answers_404_when_no_integration_was_set(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let inst = app.create_instance("gw").await;
    let messages = assert_error(app.get_integration(&inst).await, 404, "Not Found").await;
    assert_eq!(messages, ["chatwoot integration not found"]);
}

async fn put_changes_only_the_fields_it_names(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let inst = app.create_instance("gw").await;
    let mut body = app.valid_set_body();
    body["n8nWebhook"] = json!("https://n8n.example.com/hook");
    let set = json_body(app.set_integration(&inst, &body).await).await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let res = app
        .update_integration(
            &inst,
            &json!({"integrationOptions": {"startConversationAs": "pending"}, "n8nWebhook": null}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let put = json_body(res).await;
    assert_eq!(put["startConversationAs"], "pending");
    assert_eq!(
        put["n8nWebhook"],
        Value::Null,
        "null clears a nullable field"
    );
    let changed = ["startConversationAs", "n8nWebhook", "updatedAt"];
    for kept in CONTRACT_KEYS.iter().filter(|key| !changed.contains(key)) {
        assert_eq!(put[kept], set[kept], "{kept} is kept");
    }
    assert!(put["updatedAt"].as_str() > set["updatedAt"].as_str());
    let read = json_body(app.get_integration(&inst).await).await;
    assert_eq!(read, put);
}

async fn put_validates_with_the_same_rules(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let inst = app.create_instance("gw").await;
    app.set_integration(&inst, &app.valid_set_body()).await;
    let res = app
        .update_integration(
            &inst,
            &json!({"accountId": -1, "enabled": null, "bogus": 1}),
        )
        .await;
    let messages = assert_error(res, 400, "Bad Request").await;
    assert!(
        messages.contains(&"accountId must be a positive integer or a string of digits".to_owned()),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"property bogus should not exist".to_owned()),
        "{messages:?}"
    );
    assert_eq!(messages.len(), 3, "{messages:?}");
}

async fn put_answers_404_without_a_live_integration(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let inst = app.create_instance("gw").await;
    let path = integration_path(&inst.id);
    let res = app
        .update_integration(&inst, &json!({"enabled": false}))
        .await;
    assert_error(res, 404, "Not Found").await;
    app.set_integration(&inst, &app.valid_set_body()).await;
    app.delete(&path, Some(&inst.token)).await;
    let res = app
        .update_integration(&inst, &json!({"enabled": false}))
        .await;
    assert_error(res, 404, "Not Found").await;
}

async fn delete_is_soft_and_a_later_set_revives_the_integration(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let inst = app.create_instance("gw").await;
    let path = integration_path(&inst.id);
    let set = json_body(app.set_integration(&inst, &app.valid_set_body()).await).await;

    let res = app.delete(&path, Some(&inst.token)).await;
    assert_eq!(res.status(), 200);
    let deleted = json_body(res).await;
    assert_eq!(deleted["integrationId"], set["integrationId"]);
    let deleted_at = deleted["deletedAt"].as_str().expect("deletedAt set");
    assert!(
        deleted_at.ends_with('Z') && deleted_at.len() == 24,
        "{deleted_at}"
    );

    assert_error(app.get(&path, Some(&inst.token)).await, 404, "Not Found").await;
    assert_error(app.delete(&path, Some(&inst.token)).await, 404, "Not Found").await;

    let revived = app.set_integration(&inst, &app.valid_set_body()).await;
    assert_eq!(revived.status(), 201);
    let revived = json_body(revived).await;
    assert_eq!(revived["deletedAt"], Value::Null);
    assert_eq!(revived["integrationId"], set["integrationId"]);
    assert_eq!(revived["createdAt"], set["createdAt"]);
    assert_eq!(app.get(&path, Some(&inst.token)).await.status(), 200);
}

crate::on_sqlite!(
    get_answers_404_when_no_integration_was_set,
    put_changes_only_the_fields_it_names,
    put_validates_with_the_same_rules,
    put_answers_404_without_a_live_integration,
    delete_is_soft_and_a_later_set_revives_the_integration,
);
