//! Shared by the `chatwoot_*` tests (included with `#[path]`): settings, a
//! checker, and servers answering the way Chatwoot does: the stateful
//! double, or wiremock answers written out for one path.
#![allow(dead_code)]

use std::time::Duration;

use application::{ChatwootChecker, CheckFailure, CheckReport, CheckTarget, Named};
use chatwoot_double::{ChatwootDouble, Inbox, Role, CHANNEL_WHATSAPP};
use domain::{
    AccountId, ChatwootAccessToken, HttpUrl, InboxId, IntegrationOptions, IntegrationSettings,
};
use http_adapter::wording::{check_failure, setting};
use infrastructure::chatwoot::{ChatwootCheckConfig, HttpChatwootChecker};
use infrastructure::settings::Settings;
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const TOKEN: &str = "sEcReT-t0ken-9f8e7d";
pub const TOKEN_HEADER: &str = "api_access_token";
pub const VERSION: &str = "4.1.0";
pub const ACCOUNT: i64 = 12;
pub const INBOX: i64 = 3;
/// An agent of account 12, assigned to inbox 3 only.
pub const AGENT_TOKEN: &str = "agent-t0ken-1a2b3c";
pub const BOT_TOKEN: &str = "bot-t0ken-4d5e6f";
/// What the inbox's webhook must be in the tests that set a template.
pub const WEBHOOK: &str = "https://gw.example.com/chatwoot/webhook/9b2f";

pub fn settings(url: &str, account: i64, inbox: Option<i64>) -> IntegrationSettings {
    settings_with_token(url, TOKEN, account, inbox)
}

pub fn settings_with_token(
    url: &str,
    token: &str,
    account: i64,
    inbox: Option<i64>,
) -> IntegrationSettings {
    IntegrationSettings {
        enabled: true,
        account_id: AccountId::new(account).unwrap(),
        inbox_id: inbox.map(|id| InboxId::new(id).unwrap()),
        chatwoot_url: HttpUrl::parse(url).unwrap(),
        access_token: ChatwootAccessToken::parse(token).unwrap(),
        n8n_webhook: None,
        options: IntegrationOptions::default(),
    }
}

/// The check's bounds as `config/default.toml` sets them, the only place
/// defaults are written.
pub fn default_config() -> ChatwootCheckConfig {
    let no_files = std::path::Path::new("/nonexistent-config-folder");
    Settings::load_from(no_files, &std::collections::HashMap::new())
        .expect("the built-in defaults load")
        .chatwoot
        .check
}

pub fn checker() -> HttpChatwootChecker {
    HttpChatwootChecker::new(default_config()).unwrap()
}

pub fn checker_with(change: impl FnOnce(&mut ChatwootCheckConfig)) -> HttpChatwootChecker {
    let mut config = default_config();
    change(&mut config);
    HttpChatwootChecker::new(config).unwrap()
}

/// The first failure of a check without a webhook template, as Set sees it.
pub async fn check(
    checker: &impl ChatwootChecker,
    url: &str,
    inbox: Option<i64>,
) -> Result<(), CheckFailure> {
    report(checker, &settings(url, ACCOUNT, inbox), None)
        .await
        .into_result()
}

pub async fn report(
    checker: &impl ChatwootChecker,
    settings: &IntegrationSettings,
    expected_webhook: Option<&str>,
) -> CheckReport {
    checker
        .check(
            &CheckTarget {
                settings,
                expected_webhook,
            },
            None,
        )
        .await
}

/// A Chatwoot as the double serves it: the user of `TOKEN` administers
/// accounts 12 (Acme) and 40 (Support); `AGENT_TOKEN` is an agent of 12
/// assigned to inbox 3; `BOT_TOKEN` is an agent bot's. Account 12 has API
/// inbox 3 "WhatsApp" sending replies to `WEBHOOK`, WhatsApp Cloud inbox 4
/// "Cloud", API inbox 5 "Support" with no webhook, and API inbox 6 "Old"
/// sending replies elsewhere.
pub async fn chatwoot() -> ChatwootDouble {
    chatwoot_under("").await
}

pub async fn chatwoot_under(prefix: &str) -> ChatwootDouble {
    let double = ChatwootDouble::start_under(prefix, VERSION).await;
    double.add_account(ACCOUNT, "Acme");
    double.add_account(40, "Support");
    double.add_user(
        TOKEN,
        &[(ACCOUNT, Role::Administrator), (40, Role::Administrator)],
    );
    double.add_user(AGENT_TOKEN, &[(ACCOUNT, Role::Agent)]);
    double.add_bot_token(BOT_TOKEN);
    double.add_inbox(Inbox::api(INBOX, ACCOUNT, "WhatsApp", Some(WEBHOOK)));
    double.add_inbox(Inbox::of_type(4, ACCOUNT, "Cloud", CHANNEL_WHATSAPP));
    double.add_inbox(Inbox::api(5, ACCOUNT, "Support", None));
    double.add_inbox(Inbox::api(
        6,
        ACCOUNT,
        "Old",
        Some("https://old.example.com/hook"),
    ));
    double.assign(INBOX, AGENT_TOKEN);
    double
}

/// Chatwoot answer `(method, path, answer)` on `server`, over the double's.
pub async fn mount_answers(
    server: &MockServer,
    answers: &[(&'static str, &'static str, ResponseTemplate)],
) {
    for (verb, at, answer) in answers {
        Mock::given(method(*verb))
            .and(path(*at))
            .respond_with(answer.clone())
            .mount(server)
            .await;
    }
}

/// The message of `failure` names its setting first, starts with `starts`,
/// says each of `says`, and never shows `token`.
pub fn assert_message(
    case: &str,
    failure: &CheckFailure,
    starts: &str,
    says: &[&str],
    token: &str,
) {
    let message = check_failure(failure);
    assert!(
        message.starts_with(setting(failure.setting())),
        "{case}: {message}"
    );
    assert!(message.starts_with(starts), "{case}: {message}");
    for said in says {
        assert!(message.contains(said), "{case}: {said:?} in {message}");
    }
    assert!(!message.contains(token), "{case}: token in {message}");
}

/// Each request as `METHOD /path`, in the order received.
pub async fn requests_received(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|request| format!("{} {}", request.method, request.url.path()))
        .collect()
}

/// What Chatwoot answers at `GET /api`.
pub fn api_answer() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "version": VERSION,
        "timestamp": "2025-06-12 13:21:06",
        "queue_services": "ok",
        "data_services": "ok"
    }))
}

/// What Chatwoot answers at `GET /api/v1/profile` for a user of `accounts`.
pub fn profile_answer(accounts: &[(i64, &str)]) -> ResponseTemplate {
    let accounts: Vec<_> = accounts
        .iter()
        .map(|(id, name)| json!({"id": id, "name": name, "role": "administrator", "active_at": null}))
        .collect();
    ResponseTemplate::new(200).set_body_json(json!({
        "id": 1,
        "name": "Jane Agent",
        "email": "jane@example.com",
        "account_id": accounts.first().map(|a| a["id"].clone()),
        "accounts": accounts,
        "role": "administrator",
        "confirmed": true
    }))
}

pub fn unauthorized(body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(401).set_body_json(body)
}

pub async fn mount(server: &MockServer, at: &str, answer: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(at))
        .respond_with(answer)
        .mount(server)
        .await;
}

/// A server that is Chatwoot and knows the token, whose user has account 12.
pub async fn chatwoot_with_profile() -> MockServer {
    let server = MockServer::start().await;
    mount(&server, "/api", api_answer()).await;
    Mock::given(method("GET"))
        .and(path("/api/v1/profile"))
        .and(header(TOKEN_HEADER, TOKEN))
        .respond_with(profile_answer(&[(ACCOUNT, "Acme"), (40, "Support")]))
        .mount(&server)
        .await;
    server
}

pub async fn paths_received(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|request| request.url.path().to_owned())
        .collect()
}

/// The requests that carried the token header, by path.
pub async fn paths_that_got_the_token(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|request| request.headers.contains_key(TOKEN_HEADER))
        .map(|request| request.url.path().to_owned())
        .collect()
}

/// Generous: the bounds are checked, not the speed of the machine.
pub const MARGIN: Duration = Duration::from_secs(3);

/// What Chatwoot showed of a thing: its id and name.
#[allow(dead_code)]
pub fn named(id: i64, name: Option<&str>) -> Named {
    Named {
        id,
        name: name.map(str::to_owned),
    }
}

/// The accounts of the double's user, as a failure lists them.
#[allow(dead_code)]
pub fn acme_and_support() -> Vec<Named> {
    vec![named(12, Some("Acme")), named(40, Some("Support"))]
}
