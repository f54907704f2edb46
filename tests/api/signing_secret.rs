//! Chatwoot 4.13 and later through the API, on every backend: the inbox's
//! signing secret stored sealed, served by `.../webhook-secret`, watched by
//! the status's `signature` check and shown nowhere else; private webhook
//! targets refused at Set, PUT and autoCreate.

use application::IntegrationRepository;
use domain::{
    AccountId, ChatwootAccessToken, HttpUrl, InboxId, Instance, InstanceId, InstanceName,
    IntegrationId, IntegrationOptions, IntegrationSettings, SecretRecord, SigningSecret, Timestamp,
    TokenHash,
};
use infrastructure::crypto::{EncryptionKey, TokenCipher};
use infrastructure::db::{self, SeaOrmRepository};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{json, Value};

use crate::support::chatwoot_double::{self, healthy_double, ChatwootDouble};
use crate::support::*;

const KEY: &str = "3f1d4c5b6a79880796a5b4c3d2e1f00112233445566778899aabbccddeeff001";
const OTHER_KEY: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const PRIVATE_TEMPLATE: &str = "http://10.0.0.5:8080/chatwoot/webhook/{instanceId}";

fn secret_path(instance_id: &str) -> String {
    format!("{}/webhook-secret", integration_path(instance_id))
}

async fn double_at(version: &str) -> ChatwootDouble {
    let double = healthy_double().await;
    double.set_version(version);
    double
}

fn set_body(double: &ChatwootDouble, token: &str) -> Value {
    json!({
        "accountId": chatwoot_double::ACCOUNT,
        "chatwootURL": double.url(),
        "chatwootAccessToken": token,
        "inbox": chatwoot_double::INBOX,
    })
}

async fn status(app: &TestApp, inst: &TestInstance) -> (String, Value) {
    let res = app.get(&status_path(&inst.id), Some(&inst.token)).await;
    assert_eq!(res.status(), 200);
    let text = res.text().await.expect("body");
    let body: Value = serde_json::from_str(&text).expect("JSON");
    let signature = body["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|check| check["name"] == "signature")
        .cloned()
        .expect("a signature check");
    (text, signature)
}

/// The stored column, as the database holds it.
async fn stored_column(app: &TestApp) -> String {
    let conn = Database::connect(&app.db.url).await.expect("connect");
    let row = conn
        .query_one_raw(statement(
            &conn,
            "SELECT webhook_secret FROM chatwoot_integrations",
        ))
        .await
        .expect("query")
        .expect("a row");
    let value: Option<String> = row.try_get_by_index(0).expect("text");
    let _ = conn.close().await;
    value.expect("a stored secret")
}

async fn the_secret_is_stored_sealed_served_and_watched_and_shown_nowhere_else(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("APP_SECURITY__TOKEN_ENCRYPTION_KEY", KEY)]).await;
    let double = double_at("4.13.0").await;
    let first = double.inbox(chatwoot_double::INBOX).expect("inbox").secret;
    let inst = app.create_instance("gw").await;

    let set = app
        .set_integration(&inst, &set_body(&double, chatwoot_double::TOKEN))
        .await;
    assert_eq!(set.status(), 201);
    let set_text = set.text().await.expect("body");
    assert!(
        !set_text.contains(&first),
        "the integration's body: {set_text}"
    );

    let served = app.get(&secret_path(&inst.id), Some(&inst.token)).await;
    assert_eq!(served.status(), 200);
    assert_eq!(
        served.headers().get("cache-control").map(|v| v.as_bytes()),
        Some(&b"no-store"[..])
    );
    let served = json_body(served).await;
    assert_eq!(served["secret"], first.as_str(), "{served}");
    let stored_at = served["storedAt"].as_str().expect("storedAt");
    assert!(
        stored_at.ends_with('Z') && stored_at.len() == 24,
        "{stored_at}"
    );
    assert_eq!(served.as_object().map(|o| o.len()), Some(2), "{served}");

    let column = stored_column(&app).await;
    assert!(column.starts_with("enc:v1:"), "sealed: {column}");
    assert!(!column.contains(&first), "{column}");

    let read = app.get_integration(&inst).await;
    assert!(!read.text().await.expect("body").contains(&first));
    let (text, signature) = status(&app, &inst).await;
    assert_eq!(signature["ok"], true, "{text}");
    assert!(!text.contains(&first), "{text}");

    let reset = double.reset_secret(chatwoot_double::INBOX).expect("reset");
    let (text, signature) = status(&app, &inst).await;
    assert_eq!(signature["ok"], false, "{text}");
    let message = signature["message"].as_str().expect("a message");
    assert!(
        message.contains("the inbox's signing secret changed in Chatwoot; PUT the integration to store the new one and give it to the gateway"),
        "{message}"
    );
    assert!(text.contains("\"healthy\":false"), "{text}");
    assert!(!text.contains(&first) && !text.contains(&reset), "{text}");

    let put = app.update_integration(&inst, &json!({})).await;
    assert_eq!(put.status(), 200);
    let served = json_body(app.get(&secret_path(&inst.id), Some(ADMIN_TOKEN)).await).await;
    assert_eq!(served["secret"], reset.as_str(), "{served}");
    assert_eq!(status(&app, &inst).await.1["ok"], true);

    // The order of checks of every instance route.
    let other = app.create_instance("other").await;
    assert_error(
        app.get(&secret_path(&inst.id), Some(&other.token)).await,
        403,
        "Forbidden",
    )
    .await;
    assert_error(
        app.get(&secret_path(&inst.id), None).await,
        401,
        "Unauthorized",
    )
    .await;
    let none = app.get(&secret_path(&other.id), Some(&other.token)).await;
    assert_eq!(
        assert_error(none, 404, "Not Found").await,
        ["chatwoot integration not found"]
    );
}

async fn without_a_visible_secret_the_route_says_why(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let inst = app.create_instance("gw").await;
    let double = double_at("4.13.0").await;
    let cases = [
        (
            set_body(&double, chatwoot_double::AGENT_TOKEN),
            "chatwootAccessToken has the role agent, and Chatwoot shows an inbox's signing secret to administrators only: Set or PUT the integration with an administrator's access token",
        ),
        (
            json!({"enabled": false, "accountId": 12, "chatwootURL": double.url(), "chatwootAccessToken": "t"}),
            "the last Set or PUT did not read the inbox from Chatwoot",
        ),
    ];
    for (body, says) in cases {
        assert_eq!(app.set_integration(&inst, &body).await.status(), 201);
        let res = app.get(&secret_path(&inst.id), Some(&inst.token)).await;
        let messages = assert_error(res, 404, "Not Found").await;
        assert!(messages[0].contains(says), "{messages:?}");
    }
    double.set_version("4.12.3");
    let body = set_body(&double, chatwoot_double::TOKEN);
    assert_eq!(app.set_integration(&inst, &body).await.status(), 201);
    let res = app.get(&secret_path(&inst.id), Some(&inst.token)).await;
    let messages = assert_error(res, 404, "Not Found").await;
    assert!(
        messages[0].contains("Chatwoot 4.12.3, which signs no webhooks (signing came with 4.13)"),
        "{messages:?}"
    );
}

async fn a_private_webhook_target_is_refused_at_set_put_and_autocreate(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("CHATWOOT_WEBHOOK_URL", PRIVATE_TEMPLATE)]).await;
    let double = double_at("4.14.0").await;
    let inst = app.create_instance("gw").await;
    let expected = PRIVATE_TEMPLATE.replace("{instanceId}", &inst.id);
    let mut inbox = double.inbox(chatwoot_double::INBOX).expect("inbox 3");
    inbox.id = 30;
    inbox.webhook_url = Some(expected.clone());
    double.add_inbox(inbox);
    let mut body = set_body(&double, chatwoot_double::TOKEN);
    body["inbox"] = json!(30);

    let refused = app.set_integration(&inst, &body).await;
    let messages = assert_error(refused, 400, "Bad Request").await;
    let message = &messages[0];
    for said in [
        "inbox replies would never reach the gateway",
        "the host 10.0.0.5 of CHATWOOT_WEBHOOK_URL is 10.0.0.5, a private address",
        "Chatwoot 4.14.0",
        "SAFE_FETCH_ALLOW_PRIVATE_NETWORK=true",
        "CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS=true",
    ] {
        assert!(message.starts_with("inbox"), "{message}");
        assert!(message.contains(said), "{said:?} in {message}");
    }
    let nothing = app.get_integration(&inst).await;
    assert_eq!(nothing.status(), 404, "nothing saved");

    let before = double.inboxes(chatwoot_double::ACCOUNT);
    let auto = json!({
        "accountId": chatwoot_double::ACCOUNT,
        "chatwootURL": double.url(),
        "chatwootAccessToken": chatwoot_double::TOKEN,
        "autoCreate": true,
    });
    let refused = app.set_integration(&inst, &auto).await;
    let messages = assert_error(refused, 400, "Bad Request").await;
    assert!(messages[0].contains("10.0.0.5"), "{messages:?}");
    assert_eq!(double.inboxes(chatwoot_double::ACCOUNT), before, "no write");
    let writes = double
        .server()
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.method.as_str() != "GET")
        .count();
    assert_eq!(writes, 0, "autoCreate wrote to Chatwoot");

    // Before 4.14 Chatwoot calls it; a PUT after the upgrade is refused.
    double.set_version("4.13.2");
    assert_eq!(app.set_integration(&inst, &body).await.status(), 201);
    double.set_version("4.14.1");
    let put = app
        .update_integration(&inst, &json!({"enabled": true}))
        .await;
    let messages = assert_error(put, 400, "Bad Request").await;
    assert!(messages[0].contains("Chatwoot 4.14.1"), "{messages:?}");

    let allowing = TestApp::spawn_with(
        backend,
        &[
            ("CHATWOOT_WEBHOOK_URL", PRIVATE_TEMPLATE),
            ("CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS", "true"),
        ],
    )
    .await;
    let inst = allowing.create_instance("gw").await;
    let mut inbox = double.inbox(30).expect("inbox 30");
    inbox.id = 31;
    inbox.webhook_url = Some(PRIVATE_TEMPLATE.replace("{instanceId}", &inst.id));
    double.add_inbox(inbox);
    body["inbox"] = json!(31);
    assert_eq!(allowing.set_integration(&inst, &body).await.status(), 201);
}

/// The new columns on the backend, through the repository: a secret
/// sealed with one key is re-sealed by `reencrypt-tokens`, so that the
/// next key alone reads it.
async fn reencrypt_covers_the_signing_secret(backend: Backend) {
    let test_db = crate::support::databases::TestDatabase::create(backend).await;
    let pool = crate::repository::pool_settings(2);
    let key = |raw| EncryptionKey::parse(raw).expect("key");
    let old = TokenCipher::new(&key(KEY), &[]);
    let conn = db::connect(&test_db.url, &pool).await.expect("connect");
    db::migrate(&conn).await.expect("migrate");
    let repo = SeaOrmRepository::with_cipher(conn, pool.statement_timeout, Some(old));
    let at = Timestamp::from_millis(1_764_000_000_000).expect("at");
    let instance = Instance {
        id: InstanceId::new(uuid::Uuid::new_v4()),
        name: InstanceName::parse("sealed").expect("name"),
        description: None,
        created_at: at,
        updated_at: at,
    };
    application::InstanceRepository::create_instance(&repo, &instance, &TokenHash::of("t"))
        .await
        .expect("instance");
    let settings = IntegrationSettings {
        enabled: true,
        account_id: AccountId::new(12).expect("account"),
        inbox_id: Some(InboxId::new(3).expect("inbox")),
        chatwoot_url: HttpUrl::parse("https://chat.example.com").expect("url"),
        access_token: ChatwootAccessToken::parse("token").expect("token"),
        n8n_webhook: None,
        options: IntegrationOptions::default(),
    };
    let record = SecretRecord::Stored {
        secret: SigningSecret::parse("whsecSEALEDwithKEYa0001").expect("secret"),
        at,
    };
    let id = IntegrationId::new(uuid::Uuid::now_v7());
    let stored = repo
        .upsert_integration(instance.id, id, &settings, &record, at)
        .await
        .expect("stored");
    assert_eq!(stored.signing_secret, record);
    let _ = repo.close().await;

    let rotating = TokenCipher::new(&key(OTHER_KEY), &[key(KEY)]);
    let conn = db::connect(&test_db.url, &pool).await.expect("connect");
    let repo = SeaOrmRepository::with_cipher(conn, pool.statement_timeout, Some(rotating));
    assert_eq!(repo.reencrypt_tokens().await.expect("re-sealed"), 1);
    let _ = repo.close().await;

    let only_new = TokenCipher::new(&key(OTHER_KEY), &[]);
    let conn = db::connect(&test_db.url, &pool).await.expect("connect");
    let repo = SeaOrmRepository::with_cipher(conn, pool.statement_timeout, Some(only_new));
    let (read, _) = repo
        .find_integration(instance.id)
        .await
        .expect("read with the new key alone")
        .expect("found");
    assert_eq!(read.signing_secret, record);
    let _ = repo.close().await;
}

crate::on_every_backend!(
    the_secret_is_stored_sealed_served_and_watched_and_shown_nowhere_else,
    without_a_visible_secret_the_route_says_why,
    a_private_webhook_target_is_refused_at_set_put_and_autocreate,
    reencrypt_covers_the_signing_secret,
);
