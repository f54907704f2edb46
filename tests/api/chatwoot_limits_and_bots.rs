//! Chatwoot 4.13 and later through the API: rack-attack's 429 is a 503
//! with `Retry-After` that saves nothing, a suspended account is a 400
//! naming `accountId`, and an agent bot shows in the status without
//! refusing a Set.

use serde_json::{json, Value};

use crate::support::chatwoot_double::{self, AgentBot};
use crate::support::*;

async fn status(app: &TestApp, inst: &TestInstance) -> Value {
    let res = app.get(&status_path(&inst.id), Some(&inst.token)).await;
    assert_eq!(res.status(), 200);
    json_body(res).await
}

/// The check named `name` in a status.
fn check<'a>(status: &'a Value, name: &str) -> &'a Value {
    status["checks"]
        .as_array()
        .and_then(|checks| checks.iter().find(|c| c["name"] == name))
        .unwrap_or_else(|| panic!("no {name} in {status}"))
}

/// PUT `startConversationAs: pending`.
async fn put_pending(app: &TestApp, inst: &TestInstance) -> reqwest::Response {
    app.update_integration(
        inst,
        &json!({"integrationOptions": {"startConversationAs": "pending"}}),
    )
    .await
}

/// A 503 in the error shape with `Retry-After: 60`, whose one message says
/// Chatwoot at `url` limits this service and how to lift it.
async fn assert_throttled(res: reqwest::Response, url: &str) {
    let retry_after = res.headers().get("retry-after").cloned();
    let messages = assert_error(res, 503, "Service Unavailable").await;
    assert_eq!(
        retry_after.as_ref().and_then(|v| v.to_str().ok()),
        Some("60")
    );
    assert_eq!(messages.len(), 1, "{messages:?}");
    let message = &messages[0];
    assert!(
        message.starts_with(&format!(
            "chatwootURL {url} is limiting requests from this service: GET /api answered HTTP 429"
        )),
        "{message}"
    );
    for said in ["RACK_ATTACK_ALLOWED_IPS", "RACK_ATTACK_LIMIT"] {
        assert!(message.contains(said), "{said} in {message}");
    }
}

#[actix_web::test]
async fn set_and_put_meeting_a_429_answer_503_with_retry_after_and_save_nothing() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let inst = app.create_instance("gw").await;
    let url = app.chatwoot.uri();
    app.chatwoot_handle.set_throttled(true);

    assert_throttled(
        app.set_integration(&inst, &app.valid_set_body()).await,
        &url,
    )
    .await;
    let res = app.get_integration(&inst).await;
    assert_error(res, 404, "Not Found").await;

    app.chatwoot_handle.set_throttled(false);
    let res = app.set_integration(&inst, &app.valid_set_body()).await;
    assert_eq!(res.status(), 201);
    let saved = json_body(res).await;
    app.chatwoot_handle.set_throttled(true);
    let res = put_pending(&app, &inst).await;
    assert_throttled(res, &url).await;
    let res = app.get_integration(&inst).await;
    assert_eq!(json_body(res).await, saved, "PUT changed nothing");

    // The status names the throttling in the check that met it.
    let limited = status(&app, &inst).await;
    assert_eq!(limited["healthy"], false, "{limited}");
    assert_eq!(check(&limited, "reachable")["ok"], true, "{limited}");
    let chatwoot = check(&limited, "chatwoot");
    assert_eq!(chatwoot["ok"], false, "{limited}");
    assert!(
        chatwoot["message"]
            .as_str()
            .is_some_and(|m| m.contains("is limiting requests from this service")),
        "{limited}"
    );
    assert_eq!(check(&limited, "token")["ok"], Value::Null, "{limited}");
}

#[actix_web::test]
async fn a_suspended_account_is_a_400_naming_account_id() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let inst = app.create_instance("gw").await;
    app.chatwoot_handle
        .suspend_account(chatwoot_double::ACCOUNT);

    let res = app.set_integration(&inst, &app.valid_set_body()).await;

    let start = "accountId 12 is suspended in Chatwoot";
    assert_message(res, (400, "Bad Request"), start, &["Unsuspend"]).await;
    let res = app.get_integration(&inst).await;
    assert_error(res, 404, "Not Found").await;
}

#[actix_web::test]
async fn an_agent_bot_never_refuses_a_set_and_shows_in_the_status_until_pending() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let inst = app.create_instance("gw").await;
    app.chatwoot_handle.set_agent_bot(
        chatwoot_double::INBOX,
        AgentBot {
            id: 7,
            name: "Captain".to_owned(),
        },
    );

    let res = app.set_integration(&inst, &app.valid_set_body()).await;
    assert_eq!(res.status(), 201, "a bot is a legitimate choice");

    let with_bot = status(&app, &inst).await;
    assert_eq!(with_bot["healthy"], false, "{with_bot}");
    let agent_bot = check(&with_bot, "agentBot");
    assert_eq!(agent_bot["ok"], false, "{with_bot}");
    let message = agent_bot["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with(
            "integrationOptions.startConversationAs is open, but inbox 3 has the agent bot \"Captain\" (id 7)"
        ),
        "{message}"
    );
    assert_eq!(check(&with_bot, "inbox")["ok"], true, "{with_bot}");

    let res = put_pending(&app, &inst).await;
    assert_eq!(res.status(), 200);
    let pending = status(&app, &inst).await;
    assert_eq!(pending["healthy"], true, "{pending}");
    assert_eq!(check(&pending, "agentBot")["ok"], true, "{pending}");
}

#[actix_web::test]
async fn auto_create_meeting_a_429_answers_503_and_creates_nothing() {
    let template = "https://gw.example.com/chatwoot/webhook/{instanceId}";
    let app = TestApp::spawn_with(Backend::Sqlite, &[("CHATWOOT_WEBHOOK_URL", template)]).await;
    let inst = app.create_instance("gw").await;
    let mut body = app.valid_set_body();
    body["inbox"] = Value::Null;
    body["autoCreate"] = json!(true);
    app.chatwoot_handle.set_throttled(true);

    assert_throttled(app.set_integration(&inst, &body).await, &app.chatwoot.uri()).await;

    app.chatwoot_handle.set_throttled(false);
    let names: Vec<Value> = app
        .chatwoot_inboxes()
        .await
        .iter()
        .map(|inbox| inbox["name"].clone())
        .collect();
    assert_eq!(names, [json!("WhatsApp")], "no inbox created");
    let res = app.get_integration(&inst).await;
    assert_error(res, 404, "Not Found").await;
}
