//! Random JSON bodies never make Set answer anything but 201 or a 400 in
//! the error shape.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Map, Value};

use crate::support::*;

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e20f64..1e20).prop_map(|f| json!(f)),
        "[ -~]{0,12}".prop_map(Value::String),
        "[0-9]{1,20}".prop_map(Value::String),
        Just(json!("https://chat.example.com/")),
        Just(json!("open")),
    ]
}

fn any_json() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

const KEYS: [&str; 9] = [
    "accountId",
    "enabled",
    "chatwootURL",
    "chatwootAccessToken",
    "n8nWebhook",
    "inbox",
    "inboxId",
    "integrationOptions",
    "query",
];

/// Bodies that use the contract's keys, so most cases reach the field rules.
fn set_like_body() -> impl Strategy<Value = Value> {
    prop::collection::btree_map(prop::sample::select(KEYS.to_vec()), any_json(), 0..9)
        .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
}

#[actix_web::test]
async fn random_bodies_never_answer_anything_but_201_or_400_in_the_error_shape() {
    let app = TestApp::spawn_with(Backend::Sqlite, &[("CHATWOOT_VERIFY", "false")]).await;
    let inst = app.create_instance("fuzz").await;
    let mut runner = TestRunner::new(Config {
        cases: 300,
        ..Config::default()
    });
    let strategy = prop_oneof![any_json(), set_like_body()];
    let mut bodies = Vec::new();
    for _ in 0..300 {
        let tree = strategy.new_tree(&mut runner).expect("a body");
        bodies.push(tree.current());
    }
    for body in bodies {
        let res = app.set_integration(&inst, &body).await;
        let status = res.status().as_u16();
        let answer = json_body(res).await;
        match status {
            201 => assert!(answer["integrationId"].is_string(), "{body} -> {answer}"),
            400 => {
                assert_eq!(answer["statusCode"], 400, "{body} -> {answer}");
                assert_eq!(answer["error"], "Bad Request");
                let messages = answer["message"].as_array().expect("message array");
                assert!(
                    !messages.is_empty() && messages.iter().all(Value::is_string),
                    "{body} -> {answer}"
                );
            }
            other => panic!("{body} answered {other}: {answer}"),
        }
    }
}
