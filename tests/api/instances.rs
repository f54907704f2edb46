use reqwest::Method;
use serde_json::{json, Value};

use crate::support::*;

async fn create_returns_201_with_the_token_shown_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let res = app
        .post_instance(
            ADMIN_TOKEN,
            &json!({"name": "gw-01", "description": "sales line"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let body = json_body(res).await;
    let mut keys: Vec<_> = body.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(
        keys,
        ["createdAt", "description", "instanceId", "name", "token"]
    );
    assert_eq!(body["name"], "gw-01");
    assert_eq!(body["description"], "sales line");
    let token = body["token"].as_str().unwrap();
    assert_eq!(token.len(), 64, "256 bits as hex");
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(uuid::Uuid::parse_str(body["instanceId"].as_str().unwrap()).is_ok());
    assert!(body["createdAt"].as_str().unwrap().ends_with('Z'));

    let id = body["instanceId"].as_str().unwrap();
    let read = json_body(
        app.get(&format!("/api/v2/instance/{id}"), Some(ADMIN_TOKEN))
            .await,
    )
    .await;
    assert!(
        read.get("token").is_none(),
        "a token is never shown again: {read}"
    );
    assert_eq!(read["createdAt"], body["createdAt"]);
}

async fn create_returns_409_when_the_name_is_taken(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_instance("dup").await;
    let res = app
        .post_instance(ADMIN_TOKEN, &json!({"name": "dup"}))
        .await;
    let messages = assert_error(res, 409, "Conflict").await;
    assert!(messages[0].contains("dup"), "{messages:?}");
}

async fn create_returns_400_listing_every_invalid_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let res = app
        .post_instance(
            ADMIN_TOKEN,
            &json!({"name": "bad name!", "description": "x".repeat(256), "color": "red"}),
        )
        .await;
    let messages = assert_error(res, 400, "Bad Request").await;
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert_each_named(&messages, &["name", "description"]);
    assert!(
        messages.contains(&"property color should not exist".to_owned()),
        "{messages:?}"
    );
    // `{instanceName}` must not expand to a dot segment, which URL
    // normalisation removes.
    for dots in [".", ".."] {
        let res = app
            .post_instance(ADMIN_TOKEN, &json!({ "name": dots }))
            .await;
        assert_eq!(
            assert_error(res, 400, "Bad Request").await,
            ["name must not be '.' or '..', which URLs drop as path segments"],
            "{dots:?}"
        );
    }
}

async fn list_returns_every_instance_without_tokens(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let a = app.create_instance("a").await;
    let b = app.create_instance("b").await;
    let res = app.get("/api/v2/instance", Some(ADMIN_TOKEN)).await;
    assert_eq!(res.status(), 200);
    let list = json_body(res).await;
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["instanceId"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&a.id.as_str()) && ids.contains(&b.id.as_str()));
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i.get("token").is_none()));
}

async fn an_instance_token_reads_its_own_instance_but_cannot_manage_instances(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let own = app.create_instance("own").await;
    let res = app
        .get(&format!("/api/v2/instance/{}", own.id), Some(&own.token))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(json_body(res).await["name"], "own");

    assert_error(
        app.get("/api/v2/instance", Some(&own.token)).await,
        403,
        "Forbidden",
    )
    .await;
    let create = app.post_instance(&own.token, &json!({"name": "x"})).await;
    assert_error(create, 403, "Forbidden").await;
    let delete = app
        .delete(&format!("/api/v2/instance/{}", own.id), Some(&own.token))
        .await;
    assert_error(delete, 403, "Forbidden").await;
    let rotate_path = format!("/api/v2/instance/{}/token", own.id);
    let rotate = app.request(Method::POST, &rotate_path, Some(&own.token));
    assert_error(sent(rotate).await, 403, "Forbidden").await;
}

async fn delete_removes_the_instance_and_its_integration(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let gone = app.create_instance("gone").await;
    let res = app.set_integration(&gone, &app.valid_set_body()).await;
    assert_eq!(res.status(), 201);

    let res = app
        .delete(&format!("/api/v2/instance/{}", gone.id), Some(ADMIN_TOKEN))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(json_body(res).await["instanceId"], gone.id.as_str());

    let read = app
        .get(&format!("/api/v2/instance/{}", gone.id), Some(ADMIN_TOKEN))
        .await;
    assert_error(read, 404, "Not Found").await;
    let token_use = app.get_integration(&gone).await;
    assert_error(token_use, 401, "Unauthorized").await;
    // The name is free again and the new instance starts with no integration.
    let again = app.create_instance("gone").await;
    let integration = app.get_integration(&again).await;
    assert_error(integration, 404, "Not Found").await;
    let again_delete = app
        .delete(&format!("/api/v2/instance/{}", gone.id), Some(ADMIN_TOKEN))
        .await;
    assert_error(again_delete, 404, "Not Found").await;
}

async fn rotating_a_token_stops_the_old_one_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let inst = app.create_instance("rot").await;
    let res = app
        .request(
            Method::POST,
            &format!("/api/v2/instance/{}/token", inst.id),
            Some(ADMIN_TOKEN),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = json_body(res).await;
    assert_eq!(body["instanceId"], inst.id.as_str());
    let new_token = body["token"].as_str().unwrap().to_owned();
    assert_ne!(new_token, inst.token);
    assert_eq!(body.as_object().unwrap().len(), 2);

    let old = app
        .get(&format!("/api/v2/instance/{}", inst.id), Some(&inst.token))
        .await;
    assert_error(old, 401, "Unauthorized").await;
    let new = app
        .get(&format!("/api/v2/instance/{}", inst.id), Some(&new_token))
        .await;
    assert_eq!(new.status(), 200);
}

async fn the_apikey_header_works_like_bearer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let inst = app.create_instance("key").await;
    let res = app
        .client
        .get(app.url(&format!("/api/v2/instance/{}", inst.id)))
        .header("apikey", &inst.token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let admin = app
        .client
        .get(app.url("/api/v2/instance"))
        .header("apikey", ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(admin.status(), 200);
}

crate::on_sqlite!(
    create_returns_201_with_the_token_shown_once,
    create_returns_409_when_the_name_is_taken,
    create_returns_400_listing_every_invalid_field,
    list_returns_every_instance_without_tokens,
    an_instance_token_reads_its_own_instance_but_cannot_manage_instances,
    delete_removes_the_instance_and_its_integration,
    rotating_a_token_stops_the_old_one_at_once,
    the_apikey_header_works_like_bearer,
);
