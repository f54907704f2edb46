//! `GET .../chatwoot-integration/status`: the nine checks run now, 200 even
//! when Chatwoot is down or slow, nothing written.

use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::support::chatwoot_double;
use crate::support::*;

/// The nine checks, in the order the status lists them.
const CHECKS: &str =
    "reachable chatwoot token account inbox webhook webhookTarget signature agentBot";

fn checks() -> Vec<Value> {
    CHECKS.split(' ').map(Value::from).collect()
}

async fn read_status(app: &TestApp, inst: &TestInstance, token: &str) -> Value {
    let res = app.get(&status_path(&inst.id), Some(token)).await;
    assert_eq!(res.status(), 200);
    let body = json_body(res).await;
    let mut keys: Vec<&str> = body
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "chatwootVersion",
            "checkedAt",
            "checks",
            "enabled",
            "healthy"
        ],
        "{body}"
    );
    let names: Vec<&Value> = body["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| &c["name"])
        .collect();
    assert_eq!(names, checks().iter().collect::<Vec<_>>(), "{body}");
    body
}

/// One member of each check, in order.
fn of_checks(status: &Value, member: &str) -> Vec<Value> {
    let checks = status["checks"].as_array().expect("checks");
    checks.iter().map(|check| check[member].clone()).collect()
}

fn oks(status: &Value) -> Vec<Value> {
    of_checks(status, "ok")
}

fn messages(status: &Value) -> Vec<Value> {
    of_checks(status, "message")
}

/// `passed` checks true, then `failed` false with a message starting with
/// `message`, then the rest not run.
fn assert_failed_at(status: &Value, failed: usize, message: &str) {
    let expected: Vec<Value> = (0..checks().len())
        .map(|n| match n.cmp(&failed) {
            std::cmp::Ordering::Less => json!(true),
            std::cmp::Ordering::Equal => json!(false),
            std::cmp::Ordering::Greater => Value::Null,
        })
        .collect();
    assert_eq!(oks(status), expected, "{status}");
    assert_eq!(status["healthy"], false, "{status}");
    let found = messages(status)[failed]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(found.starts_with(message), "{message:?} in {status}");
    assert_eq!(
        messages(status).iter().filter(|m| !m.is_null()).count(),
        1,
        "{status}"
    );
}

async fn a_healthy_integration_reports_each_check_and_writes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let inst = app.create_instance("gw").await;
    let absent = app.get(&status_path(&inst.id), Some(&inst.token)).await;
    assert_eq!(
        assert_error(absent, 404, "Not Found").await,
        ["chatwoot integration not found"]
    );
    assert_eq!(
        app.set_integration(&inst, &app.valid_set_body())
            .await
            .status(),
        201
    );
    let before = json_body(app.get_integration(&inst).await).await;
    tokio::time::sleep(Duration::from_millis(5)).await;

    for token in [inst.token.as_str(), ADMIN_TOKEN] {
        let status = read_status(&app, &inst, token).await;
        assert_eq!(status["healthy"], true);
        assert_eq!(status["enabled"], true);
        assert_eq!(status["chatwootVersion"], chatwoot_double::VERSION);
        // No CHATWOOT_WEBHOOK_URL: the webhook and its target are not
        // checked; Chatwoot 4.1.0 signs nothing, so the signature cannot be.
        let expected = [true, true, true, true, true].map(Value::from);
        assert_eq!(oks(&status)[..5], expected, "{status}");
        assert_eq!(oks(&status)[5..8], vec![Value::Null; 3], "{status}");
        assert_eq!(oks(&status)[8], true, "no agent bot: {status}");
        assert!(
            messages(&status)[..7].iter().all(Value::is_null),
            "{status}"
        );
        let unsigned = messages(&status)[7].as_str().unwrap_or_default().to_owned();
        assert!(unsigned.contains("signs no webhooks"), "{status}");
        assert_eq!(messages(&status)[8], Value::Null, "{status}");
        let checked_at = status["checkedAt"].as_str().expect("checkedAt");
        assert!(
            checked_at.ends_with('Z') && checked_at.len() == 24,
            "{checked_at}"
        );
        assert!(checked_at > before["updatedAt"].as_str().expect("updatedAt"));
    }
    let after = json_body(app.get_integration(&inst).await).await;
    assert_eq!(after, before, "the status writes nothing");

    // Same order of checks as every instance route; a deleted one is gone.
    let other = app.create_instance("other").await;
    let res = app.get(&status_path(&inst.id), Some(&other.token)).await;
    assert_error(res, 403, "Forbidden").await;
    assert_error(
        app.get(&status_path(&inst.id), None).await,
        401,
        "Unauthorized",
    )
    .await;
    let res = app.delete_integration(&inst).await;
    assert_eq!(res.status(), 200);
    assert_error(
        app.get(&status_path(&inst.id), Some(&inst.token)).await,
        404,
        "Not Found",
    )
    .await;
}

async fn each_failed_check_carries_the_message_set_would_give(backend: Backend) {
    let not_chatwoot = ResponseTemplate::new(200).set_body_raw("<html>nginx</html>", "text/html");
    let invalid_token =
        ResponseTemplate::new(401).set_body_json(json!({"error": "Invalid Access Token"}));
    let other_account = ResponseTemplate::new(200).set_body_json(json!({
        "id": 1, "accounts": [{"id": 7, "name": "Other", "role": "administrator"}]
    }));
    let no_inbox =
        ResponseTemplate::new(404).set_body_json(json!({"error": "Resource could not be found"}));
    let cases = [
        (
            "/api",
            not_chatwoot,
            1,
            "chatwootURL is not a Chatwoot server",
        ),
        (
            "/api/v1/profile",
            invalid_token,
            2,
            "chatwootAccessToken was rejected by Chatwoot 4.1.0",
        ),
        (
            "/api/v1/profile",
            other_account,
            3,
            "accountId 12 is not an account of the token's user",
        ),
        (
            "/api/v1/accounts/12/inboxes/3",
            no_inbox,
            4,
            "inbox 3 does not exist in Chatwoot account 12",
        ),
    ];
    for (route, answer, failed, message) in cases {
        let app = TestApp::spawn(backend).await;
        let inst = app.instance_with_integration("gw").await;
        Mock::given(method("GET"))
            .and(path(route))
            .respond_with(answer)
            .mount(&app.chatwoot)
            .await;

        let status = read_status(&app, &inst, &inst.token).await;

        assert_failed_at(&status, failed, message);
        let version = if failed > 1 {
            json!("4.1.0")
        } else {
            Value::Null
        };
        assert_eq!(status["chatwootVersion"], version, "{status}");
    }
}

async fn a_webhook_moved_since_the_set_is_reported(backend: Backend) {
    let template = "https://gw.example.com/chatwoot/webhook/{instanceId}";
    let app = TestApp::spawn_with(backend, &[("CHATWOOT_WEBHOOK_URL", template)]).await;
    let inst = app.create_instance("gw").await;
    let expected = format!("https://gw.example.com/chatwoot/webhook/{}", inst.id);
    let wire = |url: &str| json!({"channel": {"webhook_url": url}});
    app.chatwoot_admin(Method::PATCH, "inboxes/3", wire(&expected))
        .await;
    assert_eq!(
        app.set_integration(&inst, &app.valid_set_body())
            .await
            .status(),
        201
    );
    assert_eq!(read_status(&app, &inst, &inst.token).await["healthy"], true);

    app.chatwoot_admin(
        Method::PATCH,
        "inboxes/3",
        wire("https://old.example.com/hook"),
    )
    .await;
    let status = read_status(&app, &inst, &inst.token).await;

    assert_failed_at(
        &status,
        5,
        &format!("inbox 3 sends replies to https://old.example.com/hook, not to {expected}"),
    );
}

async fn chatwoot_down_or_slow_is_an_unhealthy_200(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("APP_CHATWOOT__TIMEOUT_MS", "1000")]).await;
    let inst = app.create_instance("gw").await;
    let mut down = app.valid_set_body();
    down["enabled"] = json!(false);
    down["chatwootURL"] = json!("http://127.0.0.1:1");
    assert_eq!(app.set_integration(&inst, &down).await.status(), 201);

    let status = read_status(&app, &inst, &inst.token).await;
    assert_failed_at(&status, 0, "chatwootURL is unreachable");
    assert_eq!(status["enabled"], false);
    assert_eq!(status["chatwootVersion"], Value::Null);

    // Each request answers within the timeout, but not the run as a whole:
    // the check under way when it is up fails as timed out.
    assert_eq!(
        app.set_integration(&inst, &app.valid_set_body())
            .await
            .status(),
        201
    );
    for route in ["/api/v1/profile", "/api/v1/accounts/12/inboxes/3"] {
        let slow = chatwoot_double_answer(&app, route).await;
        Mock::given(method("GET"))
            .and(path(route))
            .respond_with(slow.set_delay(Duration::from_millis(700)))
            .mount(&app.chatwoot)
            .await;
    }
    let status = read_status(&app, &inst, &inst.token).await;
    assert_failed_at(&status, 4, "chatwootURL did not answer within 1000 ms");

    // A Chatwoot that never answers.
    Mock::given(method("GET"))
        .and(path("/api"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(600)))
        .mount(&app.chatwoot)
        .await;
    let status = read_status(&app, &inst, &inst.token).await;
    assert_failed_at(&status, 0, "chatwootURL did not answer within 1000 ms");
}

/// What the healthy double answers on `route`, to answer it later.
async fn chatwoot_double_answer(app: &TestApp, route: &str) -> ResponseTemplate {
    let res = app
        .client
        .get(format!("{}{route}", app.chatwoot.uri()))
        .header("api_access_token", chatwoot_double::TOKEN)
        .send()
        .await
        .expect("chatwoot answers");
    let body: Value = res.json().await.expect("JSON");
    ResponseTemplate::new(200).set_body_json(body)
}

async fn with_checking_off_nothing_is_known(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("CHATWOOT_VERIFY", "false")]).await;
    let inst = app.instance_with_integration("gw").await;

    let status = read_status(&app, &inst, ADMIN_TOKEN).await;

    assert_eq!(status["healthy"], Value::Null);
    assert_eq!(status["enabled"], true);
    assert_eq!(status["chatwootVersion"], Value::Null);
    assert_eq!(oks(&status), vec![Value::Null; checks().len()]);
    assert_eq!(messages(&status), vec![Value::Null; checks().len()]);
    assert!(app.chatwoot_untouched().await);
}

crate::on_sqlite!(
    a_healthy_integration_reports_each_check_and_writes_nothing,
    each_failed_check_carries_the_message_set_would_give,
    a_webhook_moved_since_the_set_is_reported,
    chatwoot_down_or_slow_is_an_unhealthy_200,
    with_checking_off_nothing_is_known,
);
