//! A Chatwoot server on loopback that answers as a healthy Chatwoot does
//! for one user: token `cw-user-token`, accounts 12 and 7, inbox 3 in
//! account 12. Tests add their own mocks for misconfigurations.

use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const TOKEN: &str = "cw-user-token";
pub const ACCOUNT: i64 = 12;
pub const INBOX: i64 = 3;
pub const VERSION: &str = "4.1.0";

pub async fn healthy() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "version": VERSION,
            "timestamp": "2026-11-25 12:00:00",
            "queue_services": "ok",
            "data_services": "ok"
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/profile"))
        .and(header("api_access_token", TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": 1,
            "name": "Agent",
            "accounts": [{"id": ACCOUNT, "name": "Main"}, {"id": 7, "name": "Other"}]
        })))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/profile"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"error": "Invalid Access Token"})),
        )
        .with_priority(10)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v1/accounts/{ACCOUNT}/inboxes/{INBOX}")))
        .and(header("api_access_token", TOKEN))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": INBOX, "name": "WhatsApp"})),
        )
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v1/accounts/{ACCOUNT}/inboxes/404")))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"error": "Resource could not be found"})),
        )
        .with_priority(1)
        .mount(&server)
        .await;
    server
}
