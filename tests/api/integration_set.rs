use reqwest::Method;
use serde_json::{json, Value};

use crate::support::chatwoot_double;
use crate::support::*;

/// Every key of an integration as the contract answers it.
pub(crate) const CONTRACT_KEYS: [&str; 15] = [
    "integrationId",
    "enabled",
    "accountId",
    "inboxId",
    "chatwootURL",
    "chatwootAccessToken",
    "enabledGroup",
    "displayAttendant",
    "startConversationAs",
    "createdAt",
    "updatedAt",
    "deletedAt",
    "instanceInstanceId",
    "n8nWebhook",
    "query",
];

fn is_contract_timestamp(value: &Value) -> bool {
    let Some(text) = value.as_str() else {
        return false;
    };
    // 2025-06-12T13:21:06.572Z
    text.len() == 24
        && text.ends_with('Z')
        && text.as_bytes()[19] == b'.'
        && chrono::DateTime::parse_from_rfc3339(text).is_ok()
}

async fn set_returns_201_with_exactly_the_contract_body(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let inst = app.create_instance("gw").await;
    let res = app.set_integration(&inst, &app.valid_set_body()).await;
    assert_eq!(res.status(), 201);
    let body = json_body(res).await;
    let mut keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = CONTRACT_KEYS.to_vec();
    keys.sort_unstable();
    expected.sort_unstable();
    assert_eq!(keys, expected, "exactly the contract's keys");
    assert!(uuid::Uuid::parse_str(body["integrationId"].as_str().unwrap()).is_ok());
    assert_eq!(body["enabled"], true);
    assert_eq!(body["accountId"], json!(12));
    assert_eq!(body["inboxId"], json!(3));
    assert_eq!(body["chatwootURL"], app.chatwoot.uri());
    assert_eq!(body["chatwootAccessToken"], chatwoot_double::TOKEN);
    assert_eq!(body["enabledGroup"], false);
    assert_eq!(body["displayAttendant"], true);
    assert_eq!(body["startConversationAs"], "open");
    assert!(
        is_contract_timestamp(&body["createdAt"]),
        "{}",
        body["createdAt"]
    );
    assert_eq!(body["createdAt"], body["updatedAt"]);
    assert_eq!(body["deletedAt"], Value::Null);
    assert_eq!(body["instanceInstanceId"], inst.id.as_str());
    assert_eq!(body["n8nWebhook"], Value::Null);
    assert_eq!(body["query"], Value::Null);
}

async fn get_returns_exactly_what_set_answered_with_milliseconds_intact(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let inst = app.create_instance("gw").await;
    let mut body = app.valid_set_body();
    body["n8nWebhook"] = json!("https://n8n.example.com/webhook/abc?x=1");
    body["integrationOptions"] =
        json!({"enabledGroup": true, "displayAttendant": false, "startConversationAs": "pending"});
    let set = json_body(app.set_integration(&inst, &body).await).await;
    let res = app.get_integration(&inst).await;
    assert_eq!(res.status(), 200);
    let read = json_body(res).await;
    assert_eq!(read, set);
    assert_eq!(
        read["n8nWebhook"],
        "https://n8n.example.com/webhook/abc?x=1"
    );
    assert_eq!(read["enabledGroup"], true);
    assert_eq!(read["displayAttendant"], false);
    assert_eq!(read["startConversationAs"], "pending");
}

async fn string_ids_are_stored_and_returned_as_integers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let inst = app.create_instance("gw").await;
    let mut body = app.valid_set_body();
    body["accountId"] = json!("12");
    body.as_object_mut().unwrap().remove("inbox");
    body["inboxId"] = json!("3");
    let res = json_body(app.set_integration(&inst, &body).await).await;
    assert_eq!(res["accountId"], json!(12));
    assert_eq!(res["inboxId"], json!(3));
}

async fn the_url_is_stored_in_canonical_form(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("CHATWOOT_VERIFY", "false")]).await;
    let inst = app.create_instance("gw").await;
    let mut body = app.valid_set_body();
    body["chatwootURL"] = json!("HTTPS://Chat.Example.com:443/");
    let res = json_body(app.set_integration(&inst, &body).await).await;
    assert_eq!(res["chatwootURL"], "https://chat.example.com");
}

async fn a_second_set_replaces_the_whole_configuration_and_keeps_id_and_created_at(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let inst = app.create_instance("gw").await;
    let mut first = app.valid_set_body();
    first["n8nWebhook"] = json!("https://n8n.example.com/hook");
    first["integrationOptions"] = json!({"enabledGroup": true});
    let a = json_body(app.set_integration(&inst, &first).await).await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let mut second = app.valid_set_body();
    second["accountId"] = json!(7);
    second.as_object_mut().unwrap().remove("inbox");
    let res = app.set_integration(&inst, &second).await;
    assert_eq!(res.status(), 201);
    let b = json_body(res).await;
    assert_eq!(b["integrationId"], a["integrationId"]);
    assert_eq!(b["createdAt"], a["createdAt"]);
    assert!(
        b["updatedAt"].as_str() > a["updatedAt"].as_str(),
        "updatedAt moves"
    );
    assert_eq!(b["accountId"], json!(7));
    // Absent optional fields take their defaults; they do not keep old values.
    assert_eq!(b["inboxId"], Value::Null);
    assert_eq!(b["n8nWebhook"], Value::Null);
    assert_eq!(b["enabledGroup"], false);
}

async fn a_disabled_integration_is_saved_without_contacting_chatwoot(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let inst = app.create_instance("gw").await;
    let body = json!({
        "enabled": false,
        "accountId": 99,
        "chatwootURL": "http://127.0.0.1:9/unreachable",
        "chatwootAccessToken": "anything",
    });
    let res = app.set_integration(&inst, &body).await;
    assert_eq!(res.status(), 201);
    assert_eq!(json_body(res).await["enabled"], false);
    let requests = app.chatwoot.received_requests().await.unwrap_or_default();
    assert!(requests.is_empty(), "no request to Chatwoot: {requests:?}");
}

async fn set_returns_400_listing_every_invalid_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let inst = app.create_instance("gw").await;
    let body = json!({
        "accountId": 0,
        "enabled": "true",
        "chatwootURL": "ftp://x",
        "chatwootAccessToken": "has space",
        "n8nWebhook": "https://user:pw@example.com",
        "inbox": "3a",
        "integrationOptions": {"startConversationAs": "closed", "enabledGroup": 1, "foo": 1},
        "extra": true,
    });
    let res = app.set_integration(&inst, &body).await;
    let messages = assert_error(res, 400, "Bad Request").await;
    for expected in [
        "accountId must be a positive integer or a string of digits",
        "enabled must be a boolean value",
        "chatwootAccessToken must be 1 to 512 printable characters without whitespace",
        "inbox must be a positive integer or a string of digits",
        "integrationOptions.startConversationAs must be one of the following values: open, pending",
        "integrationOptions.enabledGroup must be a boolean value",
        "property integrationOptions.foo should not exist",
        "property extra should not exist",
    ] {
        assert!(
            messages.contains(&expected.to_owned()),
            "missing {expected:?} in {messages:?}"
        );
    }
    assert_each_named(&messages, &["chatwootURL", "n8nWebhook"]);
    assert_eq!(messages.len(), 10, "one message per problem: {messages:?}");
    // Nothing was stored.
    let read = app.get_integration(&inst).await;
    assert_error(read, 404, "Not Found").await;
}

async fn missing_required_fields_are_each_named(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let inst = app.create_instance("gw").await;
    let messages = assert_error(
        app.set_integration(&inst, &json!({})).await,
        400,
        "Bad Request",
    )
    .await;
    assert_eq!(
        messages,
        [
            "accountId should not be empty",
            "chatwootURL should not be empty",
            "chatwootAccessToken should not be empty"
        ]
    );
}

async fn inbox_and_inbox_id_together_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let inst = app.create_instance("gw").await;
    let mut body = app.valid_set_body();
    body["inboxId"] = json!(3);
    let messages = assert_error(app.set_integration(&inst, &body).await, 400, "Bad Request").await;
    assert_eq!(messages, ["inbox and inboxId must not both be given"]);
}

async fn the_admin_token_may_set_any_instance(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let inst = app.create_instance("gw").await;
    let res = app
        .write_integration(Method::POST, &inst.id, ADMIN_TOKEN, &app.valid_set_body())
        .await;
    assert_eq!(res.status(), 201);
}

crate::on_sqlite!(
    set_returns_201_with_exactly_the_contract_body,
    get_returns_exactly_what_set_answered_with_milliseconds_intact,
    string_ids_are_stored_and_returned_as_integers,
    the_url_is_stored_in_canonical_form,
    a_second_set_replaces_the_whole_configuration_and_keeps_id_and_created_at,
    a_disabled_integration_is_saved_without_contacting_chatwoot,
    set_returns_400_listing_every_invalid_field,
    missing_required_fields_are_each_named,
    inbox_and_inbox_id_together_are_refused,
    the_admin_token_may_set_any_instance,
);
