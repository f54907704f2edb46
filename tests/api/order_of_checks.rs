//! 401, then 403, then 404, then 400, on every route of the instance scope.

use reqwest::Method;
use serde_json::json;

use crate::support::*;

const MISSING: &str = "00000000-0000-4000-8000-000000000000";

/// Every route under `/api/v2/instance/{id}`, with a method.
fn scoped_routes(id: &str) -> Vec<(Method, String)> {
    vec![
        (Method::GET, format!("/api/v2/instance/{id}")),
        (Method::DELETE, format!("/api/v2/instance/{id}")),
        (Method::POST, format!("/api/v2/instance/{id}/token")),
        (Method::POST, integration_path(id)),
        (Method::GET, integration_path(id)),
        (Method::PUT, integration_path(id)),
        (Method::DELETE, integration_path(id)),
        (Method::GET, status_path(id)),
    ]
}

async fn no_header_a_malformed_header_or_an_unknown_token_answer_401(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let inst = app.create_instance("a").await;
    for id in [inst.id.as_str(), MISSING, "not-a-uuid"] {
        for (method, path) in scoped_routes(id) {
            let none = app
                .client
                .request(method.clone(), app.url(&path))
                .send()
                .await
                .unwrap();
            assert_error(none, 401, "Unauthorized").await;
            let malformed = app
                .client
                .request(method.clone(), app.url(&path))
                .header("Authorization", format!("Basic {}", inst.token))
                .send()
                .await
                .unwrap();
            assert_error(malformed, 401, "Unauthorized").await;
            let unknown = app
                .request(method.clone(), &path, Some("no-such-token"))
                .send()
                .await
                .unwrap();
            assert_error(unknown, 401, "Unauthorized").await;
        }
    }
}

async fn an_instance_token_on_another_instance_answers_403_whether_it_exists_or_not(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let a = app.create_instance("a").await;
    let b = app.create_instance("b").await;
    for id in [b.id.as_str(), MISSING, "not-a-uuid"] {
        for (method, path) in scoped_routes(id) {
            let res = sent(app.request(method, &path, Some(&a.token))).await;
            assert_error(res, 403, "Forbidden").await;
        }
    }
}

async fn the_admin_on_a_missing_or_malformed_instance_gets_404(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for id in [MISSING, "not-a-uuid"] {
        for (method, path) in scoped_routes(id) {
            let res = app
                .request(method, &path, Some(ADMIN_TOKEN))
                .send()
                .await
                .unwrap();
            let messages = assert_error(res, 404, "Not Found").await;
            assert_eq!(messages, ["instance not found"]);
        }
    }
}

async fn an_invalid_body_is_judged_only_after_the_caller_and_instance(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let a = app.create_instance("a").await;
    let bad = json!({"accountId": "x"});
    let path = integration_path(&a.id);
    assert_error(
        app.send_json(Method::POST, &path, None, &bad).await,
        401,
        "Unauthorized",
    )
    .await;
    let other = integration_path(MISSING);
    assert_error(
        app.send_json(Method::POST, &other, Some(&a.token), &bad)
            .await,
        403,
        "Forbidden",
    )
    .await;
    assert_error(
        app.send_json(Method::POST, &other, Some(ADMIN_TOKEN), &bad)
            .await,
        404,
        "Not Found",
    )
    .await;
    assert_error(app.set_integration(&a, &bad).await, 400, "Bad Request").await;
    // Not even a malformed body or a huge one is read before authentication.
    let huge = app
        .request(Method::POST, &path, None)
        .header("Content-Type", "application/json")
        .body(vec![b'{'; 64 * 1024]);
    assert_error(sent(huge).await, 401, "Unauthorized").await;
}

/// Creating an instance reads its body only for the admin token: a body
/// that is invalid, not JSON or too large is judged after 401 and 403.
async fn creating_an_instance_judges_the_body_only_after_the_admin_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let a = app.create_instance("a").await;
    let path = "/api/v2/instance";
    let bad = json!({"name": ""});
    for (token, status, reason) in [
        (None, 401, "Unauthorized"),
        (Some(a.token.as_str()), 403, "Forbidden"),
    ] {
        assert_error(
            app.send_json(Method::POST, path, token, &bad).await,
            status,
            reason,
        )
        .await;
        let not_json = app
            .request(Method::POST, path, token)
            .header("Content-Type", "text/plain")
            .body("name=x")
            .send()
            .await
            .unwrap();
        assert_error(not_json, status, reason).await;
        let huge = app
            .request(Method::POST, path, token)
            .header("Content-Type", "application/json")
            .body(vec![b'{'; 64 * 1024])
            .send()
            .await
            .unwrap();
        assert_error(huge, status, reason).await;
    }
    assert_error(
        app.send_json(Method::POST, path, Some(ADMIN_TOKEN), &bad)
            .await,
        400,
        "Bad Request",
    )
    .await;
}

crate::on_sqlite!(
    no_header_a_malformed_header_or_an_unknown_token_answer_401,
    an_instance_token_on_another_instance_answers_403_whether_it_exists_or_not,
    the_admin_on_a_missing_or_malformed_instance_gets_404,
    an_invalid_body_is_judged_only_after_the_caller_and_instance,
    creating_an_instance_judges_the_body_only_after_the_admin_token,
);
