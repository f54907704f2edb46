//! The Chatwoot check seen through the API: each misconfiguration is a 400
//! naming the setting to change, and nothing is saved.

use reqwest::Method;
use serde_json::json;

use crate::support::*;

async fn assert_refused(
    app: &TestApp,
    inst: &TestInstance,
    body: serde_json::Value,
    field: &str,
    meaning: &str,
) {
    let res = app.set_integration(inst, &body).await;
    assert_message(res, (400, "Bad Request"), field, &[meaning]).await;
    assert_error(app.get_integration(inst).await, 404, "Not Found").await;
}

/// A rejected token; an account the user is not in, named with the
/// accounts it has; a missing inbox.
async fn a_refused_setting_is_named(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let inst = app.create_instance("gw").await;
    for (key, value, field, meaning) in [
        (
            "chatwootAccessToken",
            json!("wrong-token"),
            "chatwootAccessToken",
            "Invalid Access Token",
        ),
        ("accountId", json!(99), "accountId 99", "12"),
        ("inbox", json!(404), "inbox 404", "does not exist"),
    ] {
        let mut body = app.valid_set_body();
        body[key] = value;
        assert_refused(&app, &inst, body, field, meaning).await;
    }
}

async fn a_url_that_is_not_chatwoot_is_named_and_gets_no_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let inst = app.create_instance("gw").await;
    let other = wiremock::MockServer::start().await;
    let mut body = app.valid_set_body();
    body["chatwootURL"] = json!(other.uri());
    assert_refused(&app, &inst, body, "chatwootURL", "not a Chatwoot server").await;
    let requests = other.received_requests().await.unwrap_or_default();
    assert!(requests
        .iter()
        .all(|r| !r.headers.contains_key("api_access_token")));
    assert_eq!(requests.len(), 1, "only GET /api: {requests:?}");
}

async fn put_checks_again_when_the_result_is_enabled(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let inst = app.instance_with_integration("gw").await;
    let res = app
        .update_integration(&inst, &json!({"accountId": 98}))
        .await;
    let messages = assert_error(res, 400, "Bad Request").await;
    assert!(messages[0].starts_with("accountId 98"), "{messages:?}");
    // Disabling needs no check, even with settings Chatwoot would refuse.
    let res = app
        .update_integration(&inst, &json!({"enabled": false, "accountId": 98}))
        .await;
    assert_eq!(res.status(), 200);
}

/// The messages of a Set of the valid body, which must be refused.
async fn refused_set(app: &TestApp, inst: &TestInstance) -> Vec<String> {
    let res = app.set_integration(inst, &app.valid_set_body()).await;
    assert_error(res, 400, "Bad Request").await
}

async fn an_inbox_that_is_not_an_api_inbox_is_named_at_set_and_put(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let inst = app.create_instance("gw").await;
    app.chatwoot_admin(
        Method::POST,
        "inboxes",
        json!({"name": "Website", "channel": {"type": "web_widget"}}),
    )
    .await;
    let mut body = app.valid_set_body();
    body["inbox"] = json!(4);
    assert_refused(&app, &inst, body, "inbox 4", "Channel::WebWidget inbox").await;

    assert_eq!(
        app.set_integration(&inst, &app.valid_set_body())
            .await
            .status(),
        201
    );
    let res = app.update_integration(&inst, &json!({"inbox": 4})).await;
    let messages = assert_error(res, 400, "Bad Request").await;
    assert!(
        messages[0].starts_with("inbox 4 is a Channel::WebWidget inbox"),
        "{messages:?}"
    );
    assert!(messages[0].contains("needs an API inbox"), "{messages:?}");
}

async fn with_a_webhook_template_the_inbox_must_send_replies_to_the_instance(backend: Backend) {
    let template = "https://gw.example.com/chatwoot/webhook/{instanceId}";
    let app = TestApp::spawn_with(backend, &[("CHATWOOT_WEBHOOK_URL", template)]).await;
    let inst = app.create_instance("gw").await;
    let expected = format!("https://gw.example.com/chatwoot/webhook/{}", inst.id);

    assert_eq!(
        refused_set(&app, &inst).await,
        [format!(
            "inbox 3 has no webhook URL set, where {expected} is expected; in Chatwoot, set its Webhook URL under Settings, then Inboxes, then the inbox, then its Settings tab"
        )]
    );

    app.chatwoot_admin(
        Method::PATCH,
        "inboxes/3",
        json!({"channel": {"webhook_url": expected}}),
    )
    .await;
    let res = app.set_integration(&inst, &app.valid_set_body()).await;
    assert_eq!(res.status(), 201);

    // Another instance may not use the first one's inbox: its URL differs.
    let other = app.create_instance("gw-2").await;
    let messages = refused_set(&app, &other).await;
    assert!(
        messages[0].starts_with(&format!("inbox 3 sends replies to {expected}, not to ")),
        "{messages:?}"
    );
    assert!(messages[0].contains(&other.id), "{messages:?}");
}

crate::on_sqlite!(
    a_refused_setting_is_named,
    a_url_that_is_not_chatwoot_is_named_and_gets_no_token,
    put_checks_again_when_the_result_is_enabled,
    an_inbox_that_is_not_an_api_inbox_is_named_at_set_and_put,
    with_a_webhook_template_the_inbox_must_send_replies_to_the_instance,
);
