//! One inbox, one integration: two live integrations may not share
//! `chatwootURL`, `accountId` and `inbox`, enabled or not. The second is a
//! 409 naming `inbox` (and the other instance, to the admin only), the
//! database decides it under concurrency, and a delete frees the inbox.

use futures_util::future::join_all;
use reqwest::Method;
use serde_json::json;

use crate::support::*;

async fn assert_inbox_taken(res: reqwest::Response) -> String {
    let start = "inbox 3 of Chatwoot account 12 at ";
    let parts = ["is used by the integration of another instance"];
    assert_message(res, (409, "Conflict"), start, &parts).await
}

async fn a_second_instance_on_the_same_inbox_is_refused_naming_the_first_to_the_admin_only(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let first = app.instance_with_integration("first").await;
    let second = app.create_instance("second").await;

    let message =
        assert_inbox_taken(app.set_integration(&second, &app.valid_set_body()).await).await;
    assert!(!message.contains(&first.id), "{message}");

    let path = integration_path(&second.id);
    let as_admin = app
        .write_integration(Method::POST, &second.id, ADMIN_TOKEN, &app.valid_set_body())
        .await;
    let message = assert_inbox_taken(as_admin).await;
    assert!(message.contains(&first.id), "{message}");

    // Enabled or not, and the refused set stored nothing.
    let mut disabled = app.valid_set_body();
    disabled["enabled"] = json!(false);
    assert_inbox_taken(app.set_integration(&second, &disabled).await).await;
    assert_eq!(app.get(&path, Some(&second.token)).await.status(), 404);

    // Another inbox, account or URL, or no inbox at all, is free.
    for (key, value) in [
        ("inbox", json!(4)),
        ("accountId", json!(7)),
        ("chatwootURL", json!("https://other.example.com")),
        ("inbox", json!(null)),
    ] {
        let mut body = disabled.clone();
        body[key] = value;
        let res = app.set_integration(&second, &body).await;
        assert_eq!(res.status(), 201, "{key}");
    }
    let third = app.create_instance("third").await;
    let mut no_inbox = disabled.clone();
    no_inbox["inbox"] = json!(null);
    assert_eq!(app.set_integration(&third, &no_inbox).await.status(), 201);
}

async fn put_inbox_3(app: &TestApp, inst: &TestInstance, token: &str) -> reqwest::Response {
    app.write_integration(Method::PUT, &inst.id, token, &json!({"inbox": 3}))
        .await
}

async fn put_and_revival_are_refused_and_a_delete_frees_the_inbox(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = app.instance_with_integration("first").await;
    let second = app.create_instance("second").await;
    let mut no_inbox = app.valid_set_body();
    no_inbox["inbox"] = json!(null);
    assert_eq!(app.set_integration(&second, &no_inbox).await.status(), 201);

    let message = assert_inbox_taken(put_inbox_3(&app, &second, &second.token).await).await;
    assert!(!message.contains(&first.id), "{message}");
    let message = assert_inbox_taken(put_inbox_3(&app, &second, ADMIN_TOKEN).await).await;
    assert!(message.contains(&first.id), "{message}");
    let kept = json_body(app.get_integration(&second).await).await;
    assert_eq!(kept["inboxId"], json!(null));

    // A delete frees the inbox; the deleted one cannot come back onto it.
    let res = app.delete_integration(&first).await;
    assert_eq!(res.status(), 200);
    let res = put_inbox_3(&app, &second, &second.token).await;
    assert_eq!(res.status(), 200);
    assert_eq!(json_body(res).await["inboxId"], 3);
    assert_inbox_taken(app.set_integration(&first, &app.valid_set_body()).await).await;

    // So does deleting the instance.
    let res = app
        .delete(
            &format!("/api/v2/instance/{}", second.id),
            Some(ADMIN_TOKEN),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        app.set_integration(&first, &app.valid_set_body())
            .await
            .status(),
        201
    );
}

/// The database decides: of many instances setting one inbox at once,
/// exactly one wins and the others get 409.
async fn concurrent_sets_of_one_inbox_from_many_instances_leave_one_winner(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("CHATWOOT_VERIFY", "false")]).await;
    let mut instances = Vec::new();
    for n in 0..12 {
        instances.push(app.create_instance(&format!("racer-{n}")).await);
    }
    let body = json!({
        "accountId": 12,
        "chatwootURL": "https://chat.example.com",
        "chatwootAccessToken": "token",
        "inbox": 3,
    });
    let answers = join_all(
        instances
            .iter()
            .map(|inst| app.set_integration(inst, &body)),
    )
    .await;
    let mut won = Vec::new();
    for (inst, res) in instances.iter().zip(answers) {
        match res.status().as_u16() {
            201 => won.push(inst.id.clone()),
            _ => {
                assert_inbox_taken(res).await;
            }
        }
    }
    assert_eq!(won.len(), 1, "exactly one winner: {won:?}");
    for inst in &instances {
        let res = app.get_integration(inst).await;
        let expected = if won.contains(&inst.id) { 200 } else { 404 };
        assert_eq!(res.status(), expected, "{}", inst.id);
    }
}

crate::on_every_backend!(
    a_second_instance_on_the_same_inbox_is_refused_naming_the_first_to_the_admin_only,
    put_and_revival_are_refused_and_a_delete_frees_the_inbox,
    concurrent_sets_of_one_inbox_from_many_instances_leave_one_winner,
);
