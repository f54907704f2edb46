//! Shared by the `chatwoot_*` tests (included with `#[path]`): settings, a
//! checker, and a wiremock server answering the way Chatwoot does.
#![allow(dead_code)]

use std::time::Duration;

use application::{ChatwootChecker, CheckFailure};
use domain::{
    AccountId, ChatwootAccessToken, HttpUrl, InboxId, IntegrationOptions, IntegrationSettings,
};
use infrastructure::chatwoot::{ChatwootCheckConfig, HttpChatwootChecker};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const TOKEN: &str = "sEcReT-t0ken-9f8e7d";
pub const TOKEN_HEADER: &str = "api_access_token";
pub const VERSION: &str = "4.1.0";
pub const ACCOUNT: i64 = 12;
pub const INBOX: i64 = 3;

pub fn settings(url: &str, account: i64, inbox: Option<i64>) -> IntegrationSettings {
    IntegrationSettings {
        enabled: true,
        account_id: AccountId::new(account).unwrap(),
        inbox_id: inbox.map(|id| InboxId::new(id).unwrap()),
        chatwoot_url: HttpUrl::parse(url).unwrap(),
        access_token: ChatwootAccessToken::parse(TOKEN).unwrap(),
        n8n_webhook: None,
        options: IntegrationOptions::default(),
    }
}

pub fn checker() -> HttpChatwootChecker {
    HttpChatwootChecker::new(ChatwootCheckConfig::default()).unwrap()
}

pub fn checker_with(change: impl FnOnce(&mut ChatwootCheckConfig)) -> HttpChatwootChecker {
    let mut config = ChatwootCheckConfig::default();
    change(&mut config);
    HttpChatwootChecker::new(config).unwrap()
}

pub async fn check(
    checker: &impl ChatwootChecker,
    url: &str,
    inbox: Option<i64>,
) -> Result<(), CheckFailure> {
    checker.check(&settings(url, ACCOUNT, inbox)).await
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
