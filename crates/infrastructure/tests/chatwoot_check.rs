//! The Chatwoot check against servers answering the way Chatwoot does.

#[path = "chatwoot_support/mod.rs"]
mod support;

use application::CheckFailure;
use serde_json::json;
use support::*;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn settings_chatwoot_accepts_pass_without_an_inbox_and_only_the_profile_gets_the_token() {
    let server = chatwoot_with_profile().await;

    let result = check(&checker(), &server.uri(), None).await;

    assert_eq!(result, Ok(()));
    assert_eq!(paths_received(&server).await, ["/api", "/api/v1/profile"]);
    assert_eq!(paths_that_got_the_token(&server).await, ["/api/v1/profile"]);
}

#[tokio::test]
async fn settings_with_an_inbox_assigned_to_the_user_pass_after_asking_for_that_inbox() {
    let server = chatwoot_with_profile().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/accounts/12/inboxes/3"))
        .and(header(TOKEN_HEADER, TOKEN))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": 3, "name": "WhatsApp"})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let result = check(&checker(), &server.uri(), Some(INBOX)).await;

    assert_eq!(result, Ok(()));
    assert_eq!(
        paths_that_got_the_token(&server).await,
        ["/api/v1/profile", "/api/v1/accounts/12/inboxes/3"]
    );
}

#[tokio::test]
async fn a_url_with_a_subpath_and_a_trailing_slash_gets_single_slash_paths() {
    let server = MockServer::start().await;
    mount(&server, "/chat/api", api_answer()).await;
    mount(
        &server,
        "/chat/api/v1/profile",
        profile_answer(&[(ACCOUNT, "Acme")]),
    )
    .await;
    mount(
        &server,
        "/chat/api/v1/accounts/12/inboxes/3",
        ResponseTemplate::new(200).set_body_json(json!({"id": 3})),
    )
    .await;

    let result = check(&checker(), &format!("{}/chat/", server.uri()), Some(INBOX)).await;

    assert_eq!(result, Ok(()));
    let paths = paths_received(&server).await;
    assert_eq!(
        paths,
        [
            "/chat/api",
            "/chat/api/v1/profile",
            "/chat/api/v1/accounts/12/inboxes/3"
        ]
    );
    assert!(paths.iter().all(|p| !p.contains("//")), "{paths:?}");
}

#[tokio::test]
async fn a_numeric_version_is_accepted_as_chatwoot() {
    let server = MockServer::start().await;
    mount(
        &server,
        "/api",
        ResponseTemplate::new(200).set_body_json(json!({"version": 3.1})),
    )
    .await;
    mount(
        &server,
        "/api/v1/profile",
        unauthorized(json!({"error": "Invalid Access Token"})),
    )
    .await;

    let failure = check(&checker(), &server.uri(), None).await.unwrap_err();

    assert_eq!(
        failure,
        CheckFailure::TokenRejected {
            version: "3.1".into()
        }
    );
    assert!(failure.to_string().contains("Chatwoot 3.1"), "{failure}");
}

#[tokio::test]
async fn an_invalid_access_token_is_rejected_naming_the_chatwoot_version() {
    let server = MockServer::start().await;
    mount(&server, "/api", api_answer()).await;
    mount(
        &server,
        "/api/v1/profile",
        unauthorized(json!({"error": "Invalid Access Token"})),
    )
    .await;

    let failure = check(&checker(), &server.uri(), Some(INBOX))
        .await
        .unwrap_err();

    assert_eq!(
        failure,
        CheckFailure::TokenRejected {
            version: VERSION.into()
        }
    );
    assert_eq!(failure.field(), "chatwootAccessToken");
    let message = failure.to_string();
    assert!(message.starts_with("chatwootAccessToken"), "{message}");
    assert!(message.contains("rejected by Chatwoot 4.1.0"), "{message}");
    assert!(!message.contains(TOKEN), "{message}");
    assert_eq!(
        paths_received(&server).await,
        ["/api", "/api/v1/profile"],
        "no inbox request"
    );
}

#[tokio::test]
async fn a_bot_token_is_refused_asking_for_a_users_access_token() {
    let server = MockServer::start().await;
    mount(&server, "/api", api_answer()).await;
    mount(
        &server,
        "/api/v1/profile",
        unauthorized(json!({"error": "Access to this endpoint is not authorized for bots"})),
    )
    .await;

    let failure = check(&checker(), &server.uri(), None).await.unwrap_err();

    assert_eq!(
        failure,
        CheckFailure::BotToken {
            version: VERSION.into()
        }
    );
    let message = failure.to_string();
    assert!(message.contains("agent bot or platform token"), "{message}");
    assert!(message.contains("user's access token"), "{message}");
}

#[tokio::test]
async fn a_401_asking_to_sign_in_points_at_a_proxy_dropping_underscored_headers() {
    let server = MockServer::start().await;
    mount(&server, "/api", api_answer()).await;
    mount(
        &server,
        "/api/v1/profile",
        unauthorized(json!({"errors": ["You need to sign in or sign up before continuing."]})),
    )
    .await;

    let failure = check(&checker(), &server.uri(), None).await.unwrap_err();

    assert_eq!(
        failure,
        CheckFailure::TokenHeaderDropped {
            version: VERSION.into()
        }
    );
    let message = failure.to_string();
    assert!(message.contains("underscores_in_headers on"), "{message}");
    assert!(message.contains("api_access_token"), "{message}");
}

#[tokio::test]
async fn a_401_with_an_unknown_body_from_the_profile_is_a_rejected_token() {
    let server = MockServer::start().await;
    mount(&server, "/api", api_answer()).await;
    mount(
        &server,
        "/api/v1/profile",
        ResponseTemplate::new(401).set_body_string("nope"),
    )
    .await;

    let failure = check(&checker(), &server.uri(), None).await.unwrap_err();

    assert_eq!(
        failure,
        CheckFailure::TokenRejected {
            version: VERSION.into()
        }
    );
}

#[tokio::test]
async fn an_account_the_user_does_not_have_is_refused_listing_the_users_accounts() {
    let server = MockServer::start().await;
    mount(&server, "/api", api_answer()).await;
    mount(
        &server,
        "/api/v1/profile",
        profile_answer(&[(1, "Acme"), (7, "Support")]),
    )
    .await;

    let failure = check(&checker(), &server.uri(), Some(INBOX))
        .await
        .unwrap_err();

    assert_eq!(
        failure,
        CheckFailure::AccountNotAccessible {
            account_id: ACCOUNT,
            accessible: "1 (Acme), 7 (Support)".into()
        }
    );
    assert_eq!(failure.field(), "accountId");
    let message = failure.to_string();
    assert!(
        message.starts_with("accountId 12 is not an account"),
        "{message}"
    );
    assert!(message.contains("1 (Acme), 7 (Support)"), "{message}");
    assert_eq!(
        paths_received(&server).await,
        ["/api", "/api/v1/profile"],
        "no inbox request"
    );
}

#[tokio::test]
async fn a_user_without_accounts_is_told_they_have_none() {
    let server = MockServer::start().await;
    mount(&server, "/api", api_answer()).await;
    mount(&server, "/api/v1/profile", profile_answer(&[])).await;

    let failure = check(&checker(), &server.uri(), None).await.unwrap_err();

    assert!(
        matches!(&failure, CheckFailure::AccountNotAccessible { accessible, .. } if accessible == "none")
    );
    assert!(
        failure.to_string().contains("the user's accounts: none"),
        "{failure}"
    );
}

#[tokio::test]
async fn an_inbox_missing_from_the_account_is_not_found() {
    let server = chatwoot_with_profile().await;
    mount(
        &server,
        "/api/v1/accounts/12/inboxes/3",
        ResponseTemplate::new(404).set_body_json(json!({"error": "Resource could not be found"})),
    )
    .await;

    let failure = check(&checker(), &server.uri(), Some(INBOX))
        .await
        .unwrap_err();

    assert_eq!(
        failure,
        CheckFailure::InboxNotFound {
            account_id: ACCOUNT,
            inbox_id: INBOX
        }
    );
    assert_eq!(failure.field(), "inbox");
    assert!(
        failure
            .to_string()
            .contains("inbox 3 does not exist in Chatwoot account 12"),
        "{failure}"
    );
}

#[tokio::test]
async fn an_inbox_the_user_is_not_an_agent_of_is_not_assigned() {
    let server = chatwoot_with_profile().await;
    mount(
        &server,
        "/api/v1/accounts/12/inboxes/3",
        unauthorized(json!({"error": "You are not authorized to do this action"})),
    )
    .await;

    let failure = check(&checker(), &server.uri(), Some(INBOX))
        .await
        .unwrap_err();

    assert_eq!(failure, CheckFailure::InboxNotAssigned { inbox_id: INBOX });
    assert_eq!(failure.field(), "inbox");
    assert!(
        failure
            .to_string()
            .contains("add the user as an agent of that inbox"),
        "{failure}"
    );
}

#[tokio::test]
async fn an_inbox_request_refused_for_the_account_means_the_account_is_not_accessible() {
    let server = chatwoot_with_profile().await;
    mount(
        &server,
        "/api/v1/accounts/12/inboxes/3",
        unauthorized(json!({"error": "You are not authorized to access this account"})),
    )
    .await;

    let failure = check(&checker(), &server.uri(), Some(INBOX))
        .await
        .unwrap_err();

    assert_eq!(
        failure,
        CheckFailure::AccountNotAccessible {
            account_id: ACCOUNT,
            accessible: "12 (Acme), 40 (Support)".into()
        }
    );
    assert_eq!(failure.field(), "accountId");
}

#[tokio::test]
async fn an_html_page_at_api_is_not_chatwoot_and_gets_no_token() {
    let server = MockServer::start().await;
    mount(
        &server,
        "/api",
        ResponseTemplate::new(200).set_body_raw(
            "<!DOCTYPE html><html><body>Welcome to nginx!</body></html>",
            "text/html",
        ),
    )
    .await;

    let failure = check(&checker(), &server.uri(), None).await.unwrap_err();

    assert_eq!(
        failure,
        CheckFailure::NotChatwoot {
            path: "/api".into(),
            detail: "answered an HTML page".into()
        }
    );
    assert_eq!(failure.field(), "chatwootURL");
    let message = failure.to_string();
    assert!(message.contains("not a Chatwoot server"), "{message}");
    assert!(
        message.contains("GET /api answered an HTML page"),
        "{message}"
    );
    assert_eq!(paths_received(&server).await, ["/api"]);
    assert!(paths_that_got_the_token(&server).await.is_empty());
}

#[tokio::test]
async fn json_without_a_version_at_api_is_not_chatwoot_and_gets_no_token() {
    let server = MockServer::start().await;
    mount(
        &server,
        "/api",
        ResponseTemplate::new(200).set_body_json(json!({"status": "ok"})),
    )
    .await;

    let failure = check(&checker(), &server.uri(), None).await.unwrap_err();

    assert_eq!(
        failure,
        CheckFailure::NotChatwoot {
            path: "/api".into(),
            detail: "answered JSON without a version".into()
        }
    );
    assert_eq!(paths_received(&server).await, ["/api"]);
}

#[tokio::test]
async fn plain_text_at_api_is_not_chatwoot() {
    let server = MockServer::start().await;
    mount(
        &server,
        "/api",
        ResponseTemplate::new(200).set_body_string("hello"),
    )
    .await;

    let failure = check(&checker(), &server.uri(), None).await.unwrap_err();

    assert!(
        failure
            .to_string()
            .contains("GET /api answered something that is not JSON"),
        "{failure}"
    );
    assert_eq!(paths_received(&server).await, ["/api"]);
}

#[tokio::test]
async fn a_404_at_api_is_not_chatwoot_and_names_the_status() {
    let server = MockServer::start().await;

    let failure = check(&checker(), &format!("{}/chat", server.uri()), None)
        .await
        .unwrap_err();

    assert_eq!(
        failure,
        CheckFailure::NotChatwoot {
            path: "/chat/api".into(),
            detail: "answered HTTP 404 Not Found".into()
        }
    );
    assert!(
        failure
            .to_string()
            .contains("GET /chat/api answered HTTP 404"),
        "{failure}"
    );
    assert_eq!(paths_received(&server).await, ["/chat/api"]);
}

#[tokio::test]
async fn an_unexpected_status_from_the_profile_names_path_and_status() {
    let server = MockServer::start().await;
    mount(&server, "/api", api_answer()).await;
    mount(&server, "/api/v1/profile", ResponseTemplate::new(502)).await;

    let failure = check(&checker(), &server.uri(), None).await.unwrap_err();

    assert_eq!(
        failure,
        CheckFailure::UnexpectedAnswer {
            path: "/api/v1/profile".into(),
            status: 502
        }
    );
    assert!(
        failure
            .to_string()
            .contains("GET /api/v1/profile with an unexpected HTTP 502"),
        "{failure}"
    );
}

#[tokio::test]
async fn an_unexpected_status_from_the_inbox_names_path_and_status() {
    let server = chatwoot_with_profile().await;
    mount(
        &server,
        "/api/v1/accounts/12/inboxes/3",
        ResponseTemplate::new(500),
    )
    .await;

    let failure = check(&checker(), &server.uri(), Some(INBOX))
        .await
        .unwrap_err();

    assert_eq!(
        failure,
        CheckFailure::UnexpectedAnswer {
            path: "/api/v1/accounts/12/inboxes/3".into(),
            status: 500
        }
    );
}

#[tokio::test]
async fn a_profile_that_is_not_json_is_an_unexpected_body() {
    let server = MockServer::start().await;
    mount(&server, "/api", api_answer()).await;
    mount(
        &server,
        "/api/v1/profile",
        ResponseTemplate::new(200).set_body_string("<html>"),
    )
    .await;

    let failure = check(&checker(), &server.uri(), None).await.unwrap_err();

    assert!(
        matches!(&failure, CheckFailure::UnexpectedBody { path, .. } if path == "/api/v1/profile")
    );
    assert!(
        failure.to_string().contains("a body that is not JSON"),
        "{failure}"
    );
}
