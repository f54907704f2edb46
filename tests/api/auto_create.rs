//! Set with `autoCreate`: the instance's API inbox is found or created in
//! Chatwoot, wired to `CHATWOOT_WEBHOOK_URL`, and its id stored; what it
//! cannot go with is a 400 naming `autoCreate`, and PUT does not take it.

use reqwest::Method;
use serde_json::{json, Value};

use crate::support::chatwoot_double;
use crate::support::*;

const TEMPLATE: &str = "https://gw.example.com/chatwoot/webhook/{instanceName}";
const GW_WEBHOOK: &str = "https://gw.example.com/chatwoot/webhook/gw";

async fn app_with_template(backend: Backend) -> TestApp {
    TestApp::spawn_with(backend, &[("CHATWOOT_WEBHOOK_URL", TEMPLATE)]).await
}

/// A Set that asks `autoCreate` to find or create the inbox.
fn auto_create_body(app: &TestApp) -> Value {
    json!({
        "accountId": chatwoot_double::ACCOUNT,
        "chatwootURL": app.chatwoot.uri(),
        "chatwootAccessToken": chatwoot_double::TOKEN,
        "autoCreate": true,
    })
}

fn inbox_named<'a>(inboxes: &'a [Value], name: &str) -> Vec<&'a Value> {
    inboxes
        .iter()
        .filter(|inbox| inbox["name"] == name)
        .collect()
}

/// Creates in Chatwoot an API inbox named `name` whose webhook points
/// elsewhere; returns its id.
async fn existing_inbox(app: &TestApp, name: &str) -> Value {
    let channel = json!({"type": "api", "webhook_url": "https://old.example.com/hook"});
    let inbox = json!({"name": name, "channel": channel});
    app.chatwoot_admin(Method::POST, "inboxes", inbox).await;
    inbox_named(&app.chatwoot_inboxes().await, name)[0]["id"].clone()
}

async fn requests(app: &TestApp, method: &str) -> usize {
    let received = app.chatwoot.received_requests().await.unwrap_or_default();
    received
        .iter()
        .filter(|r| r.method.as_str() == method)
        .count()
}

async fn auto_create_creates_the_inbox_and_a_retry_reuses_it_by_name(backend: Backend) {
    let app = app_with_template(backend).await;
    let inst = app.create_instance("gw").await;

    let res = app.set_integration(&inst, &auto_create_body(&app)).await;
    assert_eq!(res.status(), 201);
    let created = json_body(res).await;
    let inbox_id = created["inboxId"].as_i64().expect("the new inbox's id");
    assert_ne!(inbox_id, chatwoot_double::INBOX, "a new inbox");
    for never_answered in ["autoCreate", "nameInbox"] {
        assert!(created.get(never_answered).is_none(), "{created}");
    }
    let inboxes = app.chatwoot_inboxes().await;
    let named = inbox_named(&inboxes, "gw");
    assert_eq!(named.len(), 1, "{inboxes:?}");
    assert_eq!(named[0]["id"], inbox_id);
    assert_eq!(named[0]["channel_type"], "Channel::Api");
    assert_eq!(named[0]["webhook_url"], GW_WEBHOOK);
    let stored = json_body(app.get_integration(&inst).await).await;
    assert_eq!(stored["inboxId"], inbox_id);

    // A retry (or a second set) finds the inbox by name: none is added.
    let res = app.set_integration(&inst, &auto_create_body(&app)).await;
    assert_eq!(res.status(), 201);
    assert_eq!(json_body(res).await["inboxId"], inbox_id);
    assert_eq!(app.chatwoot_inboxes().await.len(), inboxes.len());
    assert_eq!(requests(&app, "POST").await, 1, "one inbox created");

    // nameInbox names another one.
    let mut body = auto_create_body(&app);
    body["nameInbox"] = json!("WhatsApp sales");
    let res = app.set_integration(&inst, &body).await;
    assert_eq!(res.status(), 201);
    let renamed = json_body(res).await["inboxId"].clone();
    let inboxes = app.chatwoot_inboxes().await;
    assert_eq!(inbox_named(&inboxes, "WhatsApp sales")[0]["id"], renamed);
    assert_ne!(renamed, inbox_id);
}

async fn auto_create_repairs_the_webhook_of_an_inbox_of_that_name(backend: Backend) {
    let app = app_with_template(backend).await;
    let inst = app.create_instance("gw").await;
    let existing = existing_inbox(&app, "gw").await;

    let res = app.set_integration(&inst, &auto_create_body(&app)).await;

    assert_eq!(res.status(), 201);
    assert_eq!(json_body(res).await["inboxId"], existing);
    let inboxes = app.chatwoot_inboxes().await;
    let named = inbox_named(&inboxes, "gw");
    assert_eq!(named.len(), 1, "reused, not duplicated: {inboxes:?}");
    assert_eq!(named[0]["webhook_url"], GW_WEBHOOK);
    assert_eq!(requests(&app, "PATCH").await, 1);
    assert_eq!(requests(&app, "POST").await, 1, "only the test's own");
}

async fn auto_create_needs_an_administrators_token(backend: Backend) {
    let app = app_with_template(backend).await;
    let inst = app.create_instance("gw").await;
    let mut body = auto_create_body(&app);
    body["chatwootAccessToken"] = json!(chatwoot_double::AGENT_TOKEN);

    let res = app.set_integration(&inst, &body).await;

    let start = "chatwootAccessToken has the role agent in account 12";
    assert_message(res, (400, "Bad Request"), start, &["administrator"]).await;
    assert_eq!(app.chatwoot_inboxes().await.len(), 1, "nothing created");
    let res = app.get_integration(&inst).await;
    assert_eq!(res.status(), 404, "nothing stored");
}

async fn auto_create_refusals_name_it_and_join_the_bodys_own(backend: Backend) {
    let app = app_with_template(backend).await;
    let inst = app.create_instance("gw").await;
    let cases = [
        (
            json!({"inbox": 3}),
            "autoCreate cannot go with inbox or inboxId",
        ),
        (
            json!({"inboxId": "3"}),
            "autoCreate cannot go with inbox or inboxId",
        ),
        (
            json!({"enabled": false}),
            "autoCreate cannot go with enabled: false",
        ),
        (
            json!({"nameInbox": ""}),
            "nameInbox must be 1 to 255 characters",
        ),
        (
            json!({"autoCreate": "yes"}),
            "autoCreate must be a boolean value",
        ),
    ];
    for (extra, expected) in cases {
        let mut body = auto_create_body(&app);
        for (key, value) in extra.as_object().expect("object") {
            body[key] = value.clone();
        }
        let messages =
            assert_error(app.set_integration(&inst, &body).await, 400, "Bad Request").await;
        assert_eq!(messages.len(), 1, "{extra}: {messages:?}");
        assert!(messages[0].starts_with(expected), "{extra}: {messages:?}");
    }

    // Without CHATWOOT_WEBHOOK_URL, listed after everything the body has.
    let app = TestApp::spawn(backend).await;
    let inst = app.create_instance("gw").await;
    let mut body = auto_create_body(&app);
    body["accountId"] = json!(0);
    body["enabled"] = json!(false);
    body["inbox"] = json!(3);
    body["extra"] = json!(1);
    let messages = assert_error(app.set_integration(&inst, &body).await, 400, "Bad Request").await;
    let starts = [
        "accountId must be",
        "autoCreate cannot go with inbox or inboxId",
        "autoCreate cannot go with enabled: false",
        "property extra should not exist",
        "autoCreate needs CHATWOOT_WEBHOOK_URL",
    ];
    assert_eq!(messages.len(), starts.len(), "{messages:?}");
    for (message, start) in messages.iter().zip(starts) {
        assert!(message.starts_with(start), "{start}: {messages:?}");
    }
    let messages = assert_error(
        app.set_integration(&inst, &auto_create_body(&app)).await,
        400,
        "Bad Request",
    )
    .await;
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].starts_with("autoCreate needs CHATWOOT_WEBHOOK_URL"));
    assert!(app.chatwoot_untouched().await);

    // autoCreate: false is a plain Set, and nameInbox alone changes nothing.
    let mut body = app.valid_set_body();
    body["autoCreate"] = json!(false);
    body["nameInbox"] = json!("unused");
    let res = app.set_integration(&inst, &body).await;
    assert_eq!(res.status(), 201);
    assert_eq!(json_body(res).await["inboxId"], chatwoot_double::INBOX);
}

async fn put_does_not_take_auto_create(backend: Backend) {
    let app = app_with_template(backend).await;
    let inst = app.create_instance("gw").await;
    let res = app.set_integration(&inst, &auto_create_body(&app)).await;
    assert_eq!(res.status(), 201);

    let res = app
        .update_integration(&inst, &json!({"autoCreate": true, "nameInbox": "gw"}))
        .await;

    assert_eq!(
        assert_error(res, 400, "Bad Request").await,
        [
            "property autoCreate should not exist",
            "property nameInbox should not exist"
        ]
    );
}

/// The webhook `CHATWOOT_WEBHOOK_URL` gives the instance named `name`.
fn webhook_of(name: &str) -> String {
    TEMPLATE.replace("{instanceName}", name)
}

async fn auto_create_named(app: &TestApp, inst: &TestInstance, name: &str) -> reqwest::Response {
    let mut body = auto_create_body(app);
    body["nameInbox"] = json!(name);
    app.set_integration(inst, &body).await
}

async fn webhook_check(app: &TestApp, inst: &TestInstance) -> Value {
    let status = json_body(app.get(&status_path(&inst.id), Some(&inst.token)).await).await;
    let checks = status["checks"].as_array().expect("checks").clone();
    checks
        .into_iter()
        .find(|check| check["name"] == "webhook")
        .expect("a webhook check")
}

async fn a_refused_auto_create_leaves_the_holders_inbox_alone(backend: Backend) {
    let app = app_with_template(backend).await;
    let first = app.create_instance("first").await;
    let second = app.create_instance("second").await;
    let res = auto_create_named(&app, &first, "Shared").await;
    assert_eq!(res.status(), 201);
    let held = json_body(res).await["inboxId"].clone();

    let res = auto_create_named(&app, &second, "Shared").await;

    let messages = assert_error(res, 409, "Conflict").await;
    assert!(
        messages[0].starts_with(&format!(
            "inbox {held} (named \"Shared\") of Chatwoot account"
        )),
        "{messages:?}"
    );
    assert!(
        messages[0].contains("choose another nameInbox"),
        "{messages:?}"
    );
    assert!(!messages[0].contains("autoCreate"), "{messages:?}");
    assert_eq!(
        requests(&app, "PATCH").await,
        0,
        "nothing changed in Chatwoot"
    );
    let inboxes = app.chatwoot_inboxes().await;
    let shared = inbox_named(&inboxes, "Shared");
    assert_eq!(shared.len(), 1, "{inboxes:?}");
    assert_eq!(shared[0]["webhook_url"], webhook_of("first").as_str());
    assert_eq!(webhook_check(&app, &first).await["ok"], true);
    let res = app.get_integration(&second).await;
    assert_eq!(res.status(), 404, "nothing stored for the loser");
}

/// Chatwoot fails the webhook change after the inbox is claimed: the Set
/// answers that failure and says the integration is saved with the inbox;
/// the status shows the webhook wrong; the same Set again finishes the job.
async fn a_failed_webhook_change_after_the_claim_keeps_it_and_a_retry_finishes(backend: Backend) {
    let app = app_with_template(backend).await;
    let inst = app.create_instance("gw").await;
    let existing = existing_inbox(&app, "gw").await;
    // Chatwoot's own answer to an unexpected fault (ActionDispatch's 500).
    wiremock::Mock::given(wiremock::matchers::method("PATCH"))
        .respond_with(wiremock::ResponseTemplate::new(500))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&app.chatwoot)
        .await;

    let res = app.set_integration(&inst, &auto_create_body(&app)).await;

    let saved = format!("the integration is saved with inbox {existing}");
    let parts = ["with an unexpected HTTP 500", &saved];
    assert_message(res, (400, "Bad Request"), "", &parts).await;
    let stored = json_body(app.get_integration(&inst).await).await;
    assert_eq!(stored["inboxId"], existing);
    assert_eq!(webhook_check(&app, &inst).await["ok"], false);

    let res = app.set_integration(&inst, &auto_create_body(&app)).await;

    assert_eq!(res.status(), 201);
    assert_eq!(json_body(res).await["inboxId"], existing);
    assert_eq!(webhook_check(&app, &inst).await["ok"], true);
}

/// Pairs of instances race for one existing inbox each: one wins, the other
/// gets 409, and the inbox's webhook names the winner. Only the winner
/// changes the webhook.
async fn concurrent_auto_creates_leave_the_webhook_to_the_holder(backend: Backend) {
    const ROUNDS: usize = 4;
    let app = app_with_template(backend).await;
    for round in 0..ROUNDS {
        let name = format!("Shared {round}");
        existing_inbox(&app, &name).await;
        let names = [format!("left{round}"), format!("right{round}")];
        let left = app.create_instance(&names[0]).await;
        let right = app.create_instance(&names[1]).await;

        let (a, b) = tokio::join!(
            auto_create_named(&app, &left, &name),
            auto_create_named(&app, &right, &name)
        );

        let mut statuses = [a.status().as_u16(), b.status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [201, 409], "round {round}");
        let (winner, winner_name) = if a.status() == 201 {
            (&left, &names[0])
        } else {
            (&right, &names[1])
        };
        let inboxes = app.chatwoot_inboxes().await;
        let named = inbox_named(&inboxes, &name);
        assert_eq!(named.len(), 1, "{inboxes:?}");
        assert_eq!(
            named[0]["webhook_url"],
            webhook_of(winner_name).as_str(),
            "round {round}"
        );
        assert_eq!(webhook_check(&app, winner).await["ok"], true);
        assert_eq!(
            requests(&app, "PATCH").await,
            round + 1,
            "only the winner of round {round} changes the webhook"
        );
    }
}

/// With no inbox of that name yet, racing autoCreates may each create one;
/// whatever happens, every inbox held sends replies to its holder.
async fn concurrent_auto_creates_of_a_new_name_wire_each_inbox_to_its_holder(backend: Backend) {
    let app = app_with_template(backend).await;
    let left = app.create_instance("left").await;
    let right = app.create_instance("right").await;

    let (a, b) = tokio::join!(
        auto_create_named(&app, &left, "Fresh"),
        auto_create_named(&app, &right, "Fresh")
    );

    assert!(a.status() == 201 || b.status() == 201, "one at least wins");
    for (res, name) in [(a, "left"), (b, "right")] {
        if res.status() != 201 {
            assert_eq!(res.status(), 409);
            continue;
        }
        let inbox_id = json_body(res).await["inboxId"].clone();
        let inboxes = app.chatwoot_inboxes().await;
        let inbox = inboxes
            .iter()
            .find(|inbox| inbox["id"] == inbox_id)
            .expect("the inbox held");
        assert_eq!(inbox["webhook_url"], webhook_of(name).as_str());
    }
}

crate::on_sqlite!(
    auto_create_creates_the_inbox_and_a_retry_reuses_it_by_name,
    auto_create_repairs_the_webhook_of_an_inbox_of_that_name,
    auto_create_needs_an_administrators_token,
    auto_create_refusals_name_it_and_join_the_bodys_own,
    put_does_not_take_auto_create,
    a_failed_webhook_change_after_the_claim_keeps_it_and_a_retry_finishes,
);

/// The one-inbox rule and races for it: the database decides them.
mod races {
    use super::*;

    crate::on_every_backend!(
        a_refused_auto_create_leaves_the_holders_inbox_alone,
        concurrent_auto_creates_leave_the_webhook_to_the_holder,
        concurrent_auto_creates_of_a_new_name_wire_each_inbox_to_its_holder,
    );
}
