//! The error shape on each kind of failure the framework, not a handler,
//! could answer.

use reqwest::Method;

use crate::support::*;

#[actix_web::test]
async fn unknown_routes_answer_404_in_the_error_shape() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let messages = assert_error(app.get("/nope", None).await, 404, "Not Found").await;
    assert_eq!(messages, ["Cannot GET /nope"]);
    assert_error(
        app.get("/api/v2/instances", Some(ADMIN_TOKEN)).await,
        404,
        "Not Found",
    )
    .await;
}

#[actix_web::test]
async fn wrong_methods_answer_405_in_the_error_shape() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let res = app
        .request(Method::PATCH, "/api/v2/instance", Some(ADMIN_TOKEN))
        .send()
        .await
        .unwrap();
    assert_error(res, 405, "Method Not Allowed").await;
    let res = app
        .request(Method::POST, "/health/live", None)
        .send()
        .await
        .unwrap();
    assert_error(res, 405, "Method Not Allowed").await;
    let inst = app.create_instance("m").await;
    let patch = app.request(
        Method::PATCH,
        &integration_path(&inst.id),
        Some(&inst.token),
    );
    assert_error(sent(patch).await, 405, "Method Not Allowed").await;
}

/// How actix and serde judge JSON is theirs; that a refusal of theirs
/// answers in the error shape, saying the body is not JSON, is ours.
#[actix_web::test]
async fn malformed_json_answers_400_naming_the_problem() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let inst = app.create_instance("j").await;
    let res = app
        .request(Method::POST, &integration_path(&inst.id), Some(&inst.token))
        .header("Content-Type", "application/json")
        .body("{\"accountId\": 1,")
        .send()
        .await
        .unwrap();
    assert_message(res, (400, "Bad Request"), "body is not valid JSON: ", &[]).await;
}

/// A key given twice is refused, named by its dot path, beside every
/// other violation: a proxy in front that reads the first value, and the
/// service the last, would judge two different requests.
#[actix_web::test]
async fn a_key_given_more_than_once_answers_400_naming_it() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let inst = app.create_instance("dup").await;
    let path = integration_path(&inst.id);
    let url = app.chatwoot.uri();
    let raw = |method: Method, path: &str, token: &str, body: String| {
        app.request(method, path, Some(token))
            .header("Content-Type", "application/json")
            .body(body)
            .send()
    };
    let set = format!(
        r#"{{"accountId":"x","accountId":1,"chatwootURL":"{url}","chatwootAccessToken":"t",
            "integrationOptions":{{"enabledGroup":true,"enabledGroup":1}},"inbox":0}}"#
    );
    let res = raw(Method::POST, &path, &inst.token, set).await.unwrap();
    let messages = assert_error(res, 400, "Bad Request").await;
    assert_eq!(
        messages,
        [
            "accountId is given more than once",
            "integrationOptions.enabledGroup is given more than once",
            "inbox must be a positive integer or a string of digits",
            "integrationOptions.enabledGroup must be a boolean value",
        ]
    );
    // Alone, and with the same value twice, it is still refused; in an
    // update and in a new instance too.
    let mut valid = app.valid_set_body().to_string();
    valid.insert_str(1, r#""enabled":false,"#);
    valid.insert_str(1, r#""enabled":false,"#);
    let update = r#"{"integrationOptions":{"displayAttendant":true},"integrationOptions":{}}"#;
    let create = r#"{"name":"one","name":"two"}"#;
    let token = inst.token.as_str();
    for (method, path, token, body, key) in [
        (
            Method::POST,
            path.as_str(),
            token,
            valid.as_str(),
            "enabled",
        ),
        (Method::PUT, &path, token, update, "integrationOptions"),
        (
            Method::POST,
            "/api/v2/instance",
            ADMIN_TOKEN,
            create,
            "name",
        ),
    ] {
        let res = raw(method, path, token, body.to_owned()).await.unwrap();
        let messages = assert_error(res, 400, "Bad Request").await;
        assert_eq!(messages, [format!("{key} is given more than once")]);
    }
}

#[actix_web::test]
async fn json_that_is_not_an_object_answers_400() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let inst = app.create_instance("j").await;
    for body in [
        serde_json::json!([1]),
        serde_json::json!("x"),
        serde_json::json!(null),
        serde_json::json!(3),
    ] {
        let res = app.set_integration(&inst, &body).await;
        let messages = assert_error(res, 400, "Bad Request").await;
        assert_eq!(messages, ["body must be a JSON object"], "{body}");
    }
}

/// Which media types count as JSON is actix's; the refusal's shape and
/// words are ours. A body is read as UTF-8, so a JSON body declared in
/// another charset answers 415 naming it, instead of being misread.
#[actix_web::test]
async fn a_content_type_not_json_or_not_utf_8_answers_415_naming_it() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let inst = app.create_instance("cs").await;
    let send = |content_type: &'static str| {
        app.request(Method::POST, &integration_path(&inst.id), Some(&inst.token))
            .header("Content-Type", content_type)
            .body(app.valid_set_body().to_string())
            .send()
    };
    let charset = |named: &str| {
        format!(
            "Content-Type charset {named} is not supported: send the body as UTF-8 (charset=utf-8, or no charset)"
        )
    };
    for (content_type, message) in [
        (
            "text/plain",
            "Content-Type must be application/json".to_owned(),
        ),
        ("application/json; charset=latin1", charset("latin1")),
        ("application/json;charset=ISO-8859-1", charset("ISO-8859-1")),
        ("application/json; charset=\"utf-16\"", charset("utf-16")),
    ] {
        let res = send(content_type).await.unwrap();
        let messages = assert_error(res, 415, "Unsupported Media Type").await;
        assert_eq!(messages, [message], "{content_type}");
    }
    for utf8 in [
        "application/json; charset=UTF-8",
        "application/json; charset=\"utf-8\"",
    ] {
        let res = send(utf8).await.unwrap();
        assert_eq!(res.status(), 201, "{utf8}");
    }
}

/// Bodies are never decompressed: a compressed or otherwise coded body
/// answers 415 naming its coding, instead of being misread; `identity` is
/// no coding at all. Still only after the token check.
#[actix_web::test]
async fn a_content_encoding_other_than_identity_answers_415_naming_it() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let inst = app.create_instance("ce").await;
    let path = integration_path(&inst.id);
    let send = |token: Option<&str>, coding: &str| {
        app.request(Method::POST, &path, token)
            .header("Content-Type", "application/json")
            .header("Content-Encoding", coding)
            .body(app.valid_set_body().to_string())
            .send()
    };
    for (coding, named) in [
        ("gzip", "gzip"),
        ("foo", "foo"),
        ("identity, br", "br"),
        ("DEFLATE", "DEFLATE"),
    ] {
        let res = send(Some(&inst.token), coding).await.unwrap();
        let messages = assert_error(res, 415, "Unsupported Media Type").await;
        assert_eq!(
            messages,
            [format!(
                "Content-Encoding {named} is not supported: send the body uncompressed"
            )]
        );
    }
    let res = send(None, "gzip").await.unwrap();
    assert_error(res, 401, "Unauthorized").await;
    for coding in ["identity", "Identity"] {
        let res = send(Some(&inst.token), coding).await.unwrap();
        assert_eq!(res.status(), 201, "{coding}");
    }
    let gzip = app
        .request(Method::POST, "/api/v2/instance", Some(ADMIN_TOKEN))
        .header("Content-Type", "application/json")
        .header("Content-Encoding", "gzip")
        .body(r#"{"name":"gz"}"#);
    assert_error(sent(gzip).await, 415, "Unsupported Media Type").await;
}

#[actix_web::test]
async fn bodies_over_16_kib_answer_413_and_16_kib_is_still_read() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let inst = app.create_instance("big").await;
    let padding = |n: usize| format!("{{\"pad\":\"{}\"}}", "x".repeat(n - 10));
    let over = app
        .request(Method::POST, &integration_path(&inst.id), Some(&inst.token))
        .header("Content-Type", "application/json")
        .body(padding(16 * 1024 + 1))
        .send()
        .await
        .unwrap();
    assert_error(over, 413, "Payload Too Large").await;
    let at_limit = app
        .request(Method::POST, &integration_path(&inst.id), Some(&inst.token))
        .header("Content-Type", "application/json")
        .body(padding(16 * 1024))
        .send()
        .await
        .unwrap();
    // Read and judged on its content: `pad` is not a property.
    let messages = assert_error(at_limit, 400, "Bad Request").await;
    assert!(
        messages.contains(&"property pad should not exist".to_owned()),
        "{messages:?}"
    );
}

#[actix_web::test]
async fn every_answer_carries_a_request_id_and_echoes_a_sane_one() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let res = app.get("/health/live", None).await;
    let generated = res.headers()["x-request-id"].to_str().unwrap().to_owned();
    let parsed = uuid::Uuid::parse_str(&generated).expect("a UUID");
    assert_eq!(parsed.get_version(), Some(uuid::Version::Random));
    assert_eq!(parsed.get_variant(), uuid::Variant::RFC4122);
    let next = app.get("/health/live", None).await;
    assert_ne!(next.headers()["x-request-id"], generated.as_str());
    let with_id = |path: &str, id: &'static str| {
        sent(app.client.get(app.url(path)).header("X-Request-Id", id))
    };
    let sane = with_id("/nope", "abc-123").await;
    assert_eq!(sane.headers()["x-request-id"], "abc-123");
    let insane = with_id("/api/v2/instance", "bad id\t").await;
    assert_ne!(insane.headers()["x-request-id"], "bad id\t");
}

#[actix_web::test]
async fn an_internal_fault_answers_500_without_internals() {
    use sea_orm::ConnectionTrait;

    let app = TestApp::spawn(Backend::Sqlite).await;
    let inst = app.instance_with_integration("broken").await;
    // A row no version of the service would write: reading it is a fault.
    let db = sea_orm::Database::connect(app.db.url.as_str())
        .await
        .expect("connect");
    db.execute_raw(statement(
        &db,
        "UPDATE chatwoot_integrations SET start_conversation_as = 'sideways'",
    ))
    .await
    .expect("corrupt the row");
    let _ = db.close().await;

    let res = app.get_integration(&inst).await;
    assert_eq!(res.status(), 500);
    let text = res.text().await.expect("body");
    let body: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(
        body,
        serde_json::json!({"message": ["internal server error"], "error": "Internal Server Error", "statusCode": 500})
    );
    for internal in [
        "sideways",
        "chatwoot_integrations",
        "start_conversation_as",
        "column",
    ] {
        assert!(!text.contains(internal), "leaks {internal}: {text}");
    }
}
