//! Properties over arbitrary JSON: parsing never panics, refuses with
//! distinct messages, and what it accepts is valid again when re-parsed.
//! The one random-body test: what the running service answers to random
//! bodies (201 or a 400 in the error shape) is schemathesis's part, in
//! `.ci/run`, against the same document clients read.

use std::collections::BTreeSet;

use domain::ids::MAX_ID;
use domain::{HttpUrl, IntegrationSettings};
use http_adapter::request::{
    CreateInstanceRequest, RequestBody, SetIntegrationRequest, UpdateIntegrationRequest,
};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

const KEYS: &[&str] = &[
    "accountId",
    "enabled",
    "chatwootURL",
    "chatwootAccessToken",
    "n8nWebhook",
    "inbox",
    "inboxId",
    "integrationOptions",
    "enabledGroup",
    "displayAttendant",
    "startConversationAs",
    "autoCreate",
    "nameInbox",
    "name",
    "description",
];

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(KEYS).prop_map(str::to_owned),
        1 => "[a-zA-Z_]{0,10}",
    ]
}

fn id() -> impl Strategy<Value = Value> {
    prop_oneof![
        (-2..MAX_ID + 2).prop_map(Value::from),
        (0_i64..1000).prop_map(Value::from),
        "[0-9]{0,20}".prop_map(Value::String),
        "[ +-]?[0-9]{1,4}[a .]?".prop_map(Value::String),
    ]
}

fn url() -> impl Strategy<Value = String> {
    let scheme = prop_oneof![
        4 => proptest::sample::select(&["http://", "https://", "HTTPS://"][..]),
        1 => proptest::sample::select(&["ftp://", "", "http:", "https:/"][..]),
    ];
    let host = prop_oneof![
        4 => proptest::sample::select(&["x.com", "Chat.Example.COM", "127.0.0.1", "[::1]", "bücher.example"][..]),
        1 => proptest::sample::select(&["", "user@x.com", "a b", "x.com."][..]),
    ];
    let port = proptest::option::weighted(0.3, prop_oneof![Just(80_u32), Just(443), 0_u32..70000]);
    let path = "(/[a-zA-Z0-9%.~ ]{0,6}){0,3}/{0,3}";
    let query = proptest::option::of("[a-z0-9=&%]{0,8}");
    let fragment = proptest::option::weighted(0.1, "[a-z]{0,4}");
    let space = proptest::sample::select(&["", "", "", "", "", "", "", " ", "\n", "\t"][..]);
    (scheme, host, port, path, query, fragment, space).prop_map(
        |(scheme, host, port, path, query, fragment, space)| {
            let port = port.map(|p| format!(":{p}")).unwrap_or_default();
            let query = query.map(|q| format!("?{q}")).unwrap_or_default();
            let fragment = fragment.map(|f| format!("#{f}")).unwrap_or_default();
            format!("{scheme}{host}{port}{path}{query}{fragment}{space}")
        },
    )
}

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[!-~é日]{1,40}",
        1 => "[a-z \t\n\u{0}]{0,6}",
    ]
}

/// Values a client might plausibly send for some field of the table.
fn plausible() -> impl Strategy<Value = Value> {
    let options = proptest::collection::btree_map(
        proptest::sample::select(&["enabledGroup", "displayAttendant", "startConversationAs"][..])
            .prop_map(str::to_owned),
        prop_oneof![
            any::<bool>().prop_map(Value::Bool),
            proptest::sample::select(&["open", "pending"][..]).prop_map(Value::from),
        ],
        0..3,
    )
    .prop_map(|members| Value::Object(members.into_iter().collect()));
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (1..MAX_ID).prop_map(Value::from),
        url().prop_map(Value::String),
        options,
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        id(),
        url().prop_map(Value::String),
        token().prop_map(Value::String),
        proptest::sample::select(&["open", "pending", "Open", "true"][..]).prop_map(Value::from),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(key(), inner, 0..8)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

/// Mostly valid bodies with a few members overwritten, so that both answers
/// are common.
fn body() -> impl Strategy<Value = Value> {
    let account = prop_oneof![
        2 => (1..MAX_ID).prop_map(Value::from),
        2 => "0{0,2}[1-9][0-9]{0,8}".prop_map(Value::String),
        1 => id(),
    ];
    let base = (account, url(), token()).prop_map(|(account, url, token)| {
        json!({"accountId": account, "chatwootURL": url, "chatwootAccessToken": token})
    });
    let changes = proptest::collection::vec(
        (key(), prop_oneof![3 => plausible(), 1 => json_value()]),
        0..3,
    );
    prop_oneof![
        3 => (base, changes).prop_map(|(mut body, changes)| {
            if let Some(object) = body.as_object_mut() {
                object.extend(changes);
            }
            body
        }),
        1 => json_value(),
    ]
}

/// The settings as a client would send them back.
fn wire(settings: &IntegrationSettings) -> Value {
    json!({
        "accountId": settings.account_id.get(),
        "enabled": settings.enabled,
        "chatwootURL": settings.chatwoot_url.as_str(),
        "chatwootAccessToken": settings.access_token.expose(),
        "n8nWebhook": settings.n8n_webhook.as_ref().map(HttpUrl::as_str),
        "inboxId": settings.inbox_id.map(|id| id.get()),
        "integrationOptions": {
            "enabledGroup": settings.options.enabled_group,
            "displayAttendant": settings.options.display_attendant,
            "startConversationAs": settings.options.start_conversation_as.as_str(),
        },
    })
}

fn assert_canonical(url: &HttpUrl) {
    let again = HttpUrl::parse(url.as_str());
    assert_eq!(again.as_ref().map(HttpUrl::as_str), Ok(url.as_str()));
    assert!(!url.as_str().ends_with('/'), "{}", url.as_str());
    // The join adds exactly one `/` per segment, whatever the base path.
    let base =
        url::Url::parse(url.as_str()).map(|base| base.path().trim_end_matches('/').to_owned());
    let endpoint = url.endpoint(&["api", "v1"]);
    assert_eq!(
        base.map(|base| format!("{base}/api/v1")).as_deref(),
        Ok(endpoint.path())
    );
    assert_eq!(
        endpoint.query(),
        url::Url::parse(url.as_str())
            .ok()
            .as_ref()
            .and_then(url::Url::query)
    );
}

fn assert_distinct(messages: &[String]) {
    assert!(!messages.is_empty());
    let distinct: BTreeSet<&String> = messages.iter().collect();
    assert_eq!(distinct.len(), messages.len(), "{messages:?}");
}

fn current() -> IntegrationSettings {
    SetIntegrationRequest::parse(json!({
        "accountId": 1,
        "chatwootURL": "https://x.com",
        "chatwootAccessToken": "t",
    }))
    .unwrap()
    .settings
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn set_bodies_never_panic_and_what_they_accept_is_valid_again(body in body()) {
        match SetIntegrationRequest::parse(body.clone()) {
            Ok(set) => {
                let settings = set.settings;
                assert_canonical(&settings.chatwoot_url);
                settings.n8n_webhook.iter().for_each(assert_canonical);
                prop_assert!(domain::AccountId::new(settings.account_id.get()).is_ok());
                let again = SetIntegrationRequest::parse(wire(&settings)).map(|set| set.settings);
                prop_assert_eq!(again, Ok(settings));
            }
            Err(errors) => assert_distinct(errors.messages()),
        }
    }

    #[test]
    fn patch_bodies_never_panic_and_what_they_accept_applies(body in body()) {
        match UpdateIntegrationRequest::parse(body.clone()) {
            Ok(patch) => {
                let settings = patch.apply(current());
                assert_canonical(&settings.chatwoot_url);
                settings.n8n_webhook.iter().for_each(assert_canonical);
                let again = SetIntegrationRequest::parse(wire(&settings)).map(|set| set.settings);
                prop_assert_eq!(again, Ok(settings));
            }
            Err(errors) => assert_distinct(errors.messages()),
        }
    }

    #[test]
    fn instance_bodies_never_panic(body in json_value(), name in ".{0,70}") {
        let _ = CreateInstanceRequest::parse(body.clone());
        let mut object = Map::new();
        object.insert("name".to_owned(), Value::String(name));
        if let Err(errors) = CreateInstanceRequest::parse(Value::Object(object)) {
            assert_distinct(errors.messages());
        }
    }

    #[test]
    fn urls_never_panic_and_accepted_ones_are_canonical(raw in url()) {
        if let Ok(url) = HttpUrl::parse(&raw) {
            assert_canonical(&url);
        }
    }
}
