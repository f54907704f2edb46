//! The Set body: every rule of the contract's field table, with the exact
//! message a client reads.

use application::auto_create::AutoCreateRefused;
use domain::ids::MAX_ID;
use domain::{InboxName, IntegrationOptions, IntegrationSettings, StartConversationAs};
use http_adapter::request::{SetIntegration, SetIntegrationRequest};
use serde_json::{json, Value};

const NO_WEBHOOK: &str = "autoCreate needs CHATWOOT_WEBHOOK_URL, which this service does not set: without it a new inbox would not know where to send replies";

fn minimal() -> Value {
    json!({
        "accountId": 12,
        "chatwootURL": "https://chat.example.com",
        "chatwootAccessToken": "s3cr3t",
    })
}

fn with(field: &str, value: Value) -> Value {
    let mut body = minimal();
    body[field] = value;
    body
}

fn without(field: &str) -> Value {
    let mut body = minimal();
    body.as_object_mut().unwrap().remove(field);
    body
}

fn accepted(body: &Value) -> IntegrationSettings {
    match SetIntegrationRequest::parse(body.clone()) {
        Ok(set) => set.settings,
        Err(errors) => panic!("{body} was refused: {errors:?}"),
    }
}

fn refused(body: &Value) -> Vec<String> {
    match SetIntegrationRequest::parse(body.clone()) {
        Ok(set) => panic!("{body} was accepted: {set:?}"),
        Err(errors) => errors.into_messages(),
    }
}

fn assert_refused_with(body: Value, message: &str) {
    assert_eq!(refused(&body), [message], "{body}");
}

#[test]
fn set_body_with_only_required_fields_takes_every_default() {
    let settings = accepted(&minimal());
    assert_eq!(settings.account_id.get(), 12);
    assert_eq!(settings.chatwoot_url.as_str(), "https://chat.example.com");
    assert_eq!(settings.access_token.expose(), "s3cr3t");
    assert!(settings.enabled);
    assert_eq!(settings.inbox_id, None);
    assert_eq!(settings.n8n_webhook, None);
    assert_eq!(settings.options, IntegrationOptions::default());
    assert_eq!(
        settings.options,
        IntegrationOptions {
            enabled_group: false,
            display_attendant: true,
            start_conversation_as: StartConversationAs::Open,
        }
    );
}

#[test]
fn set_body_with_every_field_keeps_each_value_and_canonicalises_urls() {
    let settings = accepted(&json!({
        "accountId": "12",
        "enabled": false,
        "chatwootURL": "HTTPS://Chat.Example.com:443/",
        "chatwootAccessToken": "tök€n",
        "n8nWebhook": "http://n8n.local:5678/webhook/abc/",
        "inbox": "3",
        "integrationOptions": {
            "enabledGroup": true,
            "displayAttendant": false,
            "startConversationAs": "pending",
        },
    }));
    assert_eq!(settings.account_id.get(), 12);
    assert!(!settings.enabled);
    assert_eq!(settings.chatwoot_url.as_str(), "https://chat.example.com");
    assert_eq!(settings.access_token.expose(), "tök€n");
    assert_eq!(
        settings.n8n_webhook.as_ref().map(|url| url.as_str()),
        Some("http://n8n.local:5678/webhook/abc")
    );
    assert_eq!(settings.inbox_id.map(|id| id.get()), Some(3));
    assert_eq!(
        settings.options,
        IntegrationOptions {
            enabled_group: true,
            display_attendant: false,
            start_conversation_as: StartConversationAs::Pending,
        }
    );
}

#[test]
fn set_body_that_is_not_an_object_is_refused_as_a_whole() {
    for body in [
        json!(null),
        json!([]),
        json!([minimal()]),
        json!("{}"),
        json!(1),
        json!(true),
    ] {
        assert_refused_with(body, "body must be a JSON object");
    }
}

#[test]
fn set_body_without_a_required_field_says_it_should_not_be_empty() {
    for field in ["accountId", "chatwootURL", "chatwootAccessToken"] {
        assert_refused_with(without(field), &format!("{field} should not be empty"));
        assert_refused_with(
            with(field, json!(null)),
            &format!("{field} should not be empty"),
        );
    }
}

#[test]
fn empty_set_body_lists_every_required_field() {
    assert_eq!(
        refused(&json!({})),
        [
            "accountId should not be empty",
            "chatwootURL should not be empty",
            "chatwootAccessToken should not be empty",
        ]
    );
}

#[test]
fn account_ids_are_positive_integers_or_strings_of_digits() {
    for (value, expected) in [
        (json!(1), 1),
        (json!(MAX_ID), MAX_ID),
        // JSON has one number type: a whole float is the same integer.
        (json!(12.0), 12),
        (json!(1e3), 1000),
        (json!("1"), 1),
        (json!("012"), 12),
        (json!(MAX_ID.to_string()), MAX_ID),
    ] {
        assert_eq!(
            accepted(&with("accountId", value)).account_id.get(),
            expected
        );
    }
}

#[test]
fn account_ids_out_of_range_or_of_another_shape_are_refused() {
    let huge = "9".repeat(100);
    for value in [
        json!(0),
        json!(-1),
        json!(MAX_ID + 1),
        json!(1.5),
        json!(0.0),
        json!(1e300),
        json!("0"),
        json!("12a"),
        json!(" 12"),
        json!(""),
        json!("+1"),
        json!("-1"),
        json!((MAX_ID + 1).to_string()),
        json!(huge),
        json!(true),
        json!([12]),
        json!({"id": 12}),
    ] {
        assert_refused_with(
            with("accountId", value),
            "accountId must be a positive integer or a string of digits",
        );
    }
}

#[test]
fn enabled_must_be_a_json_boolean() {
    assert!(accepted(&with("enabled", json!(true))).enabled);
    assert!(!accepted(&with("enabled", json!(false))).enabled);
    for value in [
        json!("true"),
        json!(1),
        json!(0),
        json!(null),
        json!([]),
        json!({}),
    ] {
        assert_refused_with(with("enabled", value), "enabled must be a boolean value");
    }
}

#[test]
fn url_fields_of_another_json_type_must_be_strings() {
    for field in ["chatwootURL", "n8nWebhook"] {
        for value in [json!(1), json!(true), json!([]), json!({})] {
            assert_refused_with(with(field, value), &format!("{field} must be a string"));
        }
    }
}

#[test]
fn url_fields_name_the_rule_that_a_url_breaks() {
    let too_long = format!("https://x.com/{}", "a".repeat(2048));
    let cases = [
        ("", "must be an absolute http or https URL"),
        ("chat.example.com", "must be an absolute http or https URL"),
        (
            "ftp://chat.example.com",
            "must be an absolute http or https URL",
        ),
        ("https://", "must have a host"),
        (
            "https://user:pw@chat.example.com",
            "must not contain user information",
        ),
        ("https://chat.example.com/#", "must not contain a fragment"),
        ("https://chat.example.com#x", "must not contain a fragment"),
        (
            " https://chat.example.com",
            "must not have leading or trailing whitespace",
        ),
        (
            "https://chat.example.com\n",
            "must not have leading or trailing whitespace",
        ),
        ("https://chat.exa mple.com", "must be a valid URL"),
        (
            too_long.as_str(),
            "must be shorter than or equal to 2048 characters",
        ),
    ];
    for field in ["chatwootURL", "n8nWebhook"] {
        for (url, predicate) in cases {
            assert_refused_with(with(field, json!(url)), &format!("{field} {predicate}"));
        }
    }
}

#[test]
fn n8n_webhook_may_be_null_or_absent() {
    assert_eq!(accepted(&with("n8nWebhook", json!(null))).n8n_webhook, None);
    assert_eq!(accepted(&without("n8nWebhook")).n8n_webhook, None);
}

#[test]
fn access_tokens_are_1_to_512_printable_characters_without_whitespace() {
    let longest = "t".repeat(512);
    assert_eq!(
        accepted(&with("chatwootAccessToken", json!(longest)))
            .access_token
            .expose(),
        longest
    );

    let message = "chatwootAccessToken must be 1 to 512 printable characters without whitespace";
    for token in [
        "",
        &"t".repeat(513),
        "ab cd",
        "ab\tcd",
        "ab\ncd",
        "abcd\n",
        "ab\u{7}cd",
        " ",
    ] {
        assert_refused_with(with("chatwootAccessToken", json!(token)), message);
    }
    for value in [json!(12), json!(true), json!(["t"])] {
        assert_refused_with(
            with("chatwootAccessToken", value),
            "chatwootAccessToken must be a string",
        );
    }
}

#[test]
fn inbox_may_be_given_as_inbox_or_inbox_id() {
    for key in ["inbox", "inboxId"] {
        assert_eq!(
            accepted(&with(key, json!(3))).inbox_id.map(|id| id.get()),
            Some(3)
        );
        assert_eq!(
            accepted(&with(key, json!("3"))).inbox_id.map(|id| id.get()),
            Some(3)
        );
        assert_eq!(accepted(&with(key, json!(null))).inbox_id, None);
    }
}

#[test]
fn an_invalid_inbox_is_named_by_the_key_the_client_used() {
    for key in ["inbox", "inboxId"] {
        for value in [json!(0), json!("x"), json!(true), json!(1.5)] {
            assert_refused_with(
                with(key, value),
                &format!("{key} must be a positive integer or a string of digits"),
            );
        }
    }
}

#[test]
fn inbox_and_inbox_id_together_are_refused_even_when_one_is_null() {
    for (inbox, inbox_id) in [
        (json!(3), json!(3)),
        (json!(3), json!(4)),
        (json!(null), json!(3)),
        (json!(3), json!(null)),
        (json!(null), json!(null)),
    ] {
        let mut body = with("inbox", inbox);
        body["inboxId"] = inbox_id;
        assert_refused_with(body, "inbox and inboxId must not both be given");
    }
}

#[test]
fn integration_options_absent_or_null_take_the_defaults() {
    for body in [
        without("integrationOptions"),
        with("integrationOptions", json!(null)),
        with("integrationOptions", json!({})),
    ] {
        assert_eq!(
            accepted(&body).options,
            IntegrationOptions::default(),
            "{body}"
        );
    }
}

#[test]
fn each_integration_option_alone_keeps_the_others_default() {
    let options = |value: Value| accepted(&with("integrationOptions", value)).options;
    assert_eq!(
        options(json!({"enabledGroup": true})),
        IntegrationOptions {
            enabled_group: true,
            ..IntegrationOptions::default()
        }
    );
    assert_eq!(
        options(json!({"displayAttendant": false})),
        IntegrationOptions {
            display_attendant: false,
            ..IntegrationOptions::default()
        }
    );
    assert_eq!(
        options(json!({"startConversationAs": "pending"})),
        IntegrationOptions {
            start_conversation_as: StartConversationAs::Pending,
            ..IntegrationOptions::default()
        }
    );
    assert_eq!(
        options(json!({"startConversationAs": "open"})),
        IntegrationOptions::default()
    );
}

#[test]
fn integration_options_of_another_type_must_be_an_object() {
    for value in [json!([]), json!("open"), json!(true), json!(1)] {
        assert_refused_with(
            with("integrationOptions", value),
            "integrationOptions must be an object",
        );
    }
}

#[test]
fn integration_option_flags_must_be_json_booleans() {
    for field in ["enabledGroup", "displayAttendant"] {
        for value in [json!("true"), json!(1), json!(null), json!({})] {
            assert_refused_with(
                with("integrationOptions", json!({ field: value })),
                &format!("integrationOptions.{field} must be a boolean value"),
            );
        }
    }
}

#[test]
fn start_conversation_as_is_open_or_pending_exactly() {
    for value in ["Open", "PENDING", "closed", "", " open"] {
        assert_refused_with(
            with("integrationOptions", json!({ "startConversationAs": value })),
            "integrationOptions.startConversationAs must be one of the following values: open, pending",
        );
    }
    for value in [json!(1), json!(null), json!(["open"])] {
        assert_refused_with(
            with(
                "integrationOptions",
                json!({ "startConversationAs": value }),
            ),
            "integrationOptions.startConversationAs must be a string",
        );
    }
}

#[test]
fn unknown_properties_are_named_at_the_top_level_and_inside_the_options() {
    assert_refused_with(with("foo", json!(1)), "property foo should not exist");
    assert_refused_with(
        with("inbox_id", json!(1)),
        "property inbox_id should not exist",
    );
    assert_refused_with(
        with("chatwootUrl", json!("https://x.com")),
        "property chatwootUrl should not exist",
    );
    assert_refused_with(
        with("integrationOptions", json!({"foo": true})),
        "property integrationOptions.foo should not exist",
    );
    // The response's flat option names are not accepted at the top level.
    assert_refused_with(
        with("enabledGroup", json!(true)),
        "property enabledGroup should not exist",
    );
}

#[test]
fn set_body_lists_every_invalid_field_at_once() {
    let body = json!({
        "zzz": 1,
        "accountId": "12a",
        "enabled": "true",
        "chatwootURL": "ftp://chat.example.com",
        "chatwootAccessToken": "has space",
        "n8nWebhook": "https://user@n8n.example.com",
        "inbox": 0,
        "inboxId": "x",
        "integrationOptions": {
            "enabledGroup": "no",
            "displayAttendant": 1,
            "startConversationAs": "closed",
            "bar": null,
        },
        "aaa": 2,
    });
    assert_eq!(
        refused(&body),
        [
            "accountId must be a positive integer or a string of digits",
            "enabled must be a boolean value",
            "chatwootURL must be an absolute http or https URL",
            "chatwootAccessToken must be 1 to 512 printable characters without whitespace",
            "n8nWebhook must not contain user information",
            "inbox must be a positive integer or a string of digits",
            "inboxId must be a positive integer or a string of digits",
            "inbox and inboxId must not both be given",
            "integrationOptions.enabledGroup must be a boolean value",
            "integrationOptions.displayAttendant must be a boolean value",
            "integrationOptions.startConversationAs must be one of the following values: open, pending",
            "property integrationOptions.bar should not exist",
            "property aaa should not exist",
            "property zzz should not exist",
        ]
    );
}

#[test]
fn set_body_with_missing_and_wrongly_typed_fields_names_each_once() {
    let body = json!({
        "chatwootURL": 42,
        "chatwootAccessToken": null,
        "integrationOptions": "pending",
    });
    assert_eq!(
        refused(&body),
        [
            "accountId should not be empty",
            "chatwootURL must be a string",
            "chatwootAccessToken should not be empty",
            "integrationOptions must be an object",
        ]
    );
}

fn auto_create_of(body: &Value) -> Option<Option<InboxName>> {
    match SetIntegrationRequest::parse(body.clone()) {
        Ok(set) => set.auto_create,
        Err(errors) => panic!("{body} was refused: {errors:?}"),
    }
}

#[test]
fn auto_create_asks_for_the_inbox_named_name_inbox_or_after_the_instance() {
    let name = |raw| Some(InboxName::parse(raw).unwrap());
    assert_eq!(auto_create_of(&minimal()), None);
    assert_eq!(auto_create_of(&with("autoCreate", json!(false))), None);
    assert_eq!(auto_create_of(&with("autoCreate", json!(true))), Some(None));
    let mut named = with("autoCreate", json!(true));
    named["nameInbox"] = json!("WhatsApp sales");
    assert_eq!(auto_create_of(&named), Some(name("WhatsApp sales")));
    // Alone, nameInbox is checked and changes nothing.
    assert_eq!(auto_create_of(&with("nameInbox", json!("unused"))), None);
    // A null inbox is no inbox.
    let mut null_inbox = with("autoCreate", json!(true));
    null_inbox["inbox"] = Value::Null;
    assert_eq!(auto_create_of(&null_inbox), Some(None));
    // Never part of the settings.
    assert_eq!(accepted(&named), accepted(&minimal()));
}

#[test]
fn auto_create_and_name_inbox_are_checked_and_named() {
    assert_refused_with(
        with("autoCreate", json!("true")),
        "autoCreate must be a boolean value",
    );
    assert_refused_with(
        with("autoCreate", Value::Null),
        "autoCreate must be a boolean value",
    );
    for name in [json!(""), json!("x".repeat(256))] {
        assert_refused_with(
            with("nameInbox", name),
            "nameInbox must be 1 to 255 characters",
        );
    }
    assert_refused_with(with("nameInbox", json!(3)), "nameInbox must be a string");
}

#[test]
fn auto_create_comes_after_the_contracts_fields_and_before_unknown_members() {
    let mut body = with("accountId", json!(0));
    body["autoCreate"] = json!("yes");
    body["aaa"] = json!(1);
    assert_eq!(
        refused(&body),
        [
            "accountId must be a positive integer or a string of digits",
            "autoCreate must be a boolean value",
            "property aaa should not exist",
        ]
    );
}

#[test]
fn auto_create_conflicts_come_after_the_fields_and_before_unknown_members() {
    let body = json!({
        "accountId": 0,
        "enabled": false,
        "chatwootURL": "https://chat.example.com",
        "chatwootAccessToken": "s3cr3t",
        "inboxId": 3,
        "autoCreate": true,
        "nameInbox": "",
        "zzz": 1,
    });
    assert_eq!(
        refused(&body),
        [
            "accountId must be a positive integer or a string of digits",
            "nameInbox must be 1 to 255 characters",
            "autoCreate cannot go with inbox or inboxId: send an inbox id, or let autoCreate find or create the inbox",
            "autoCreate cannot go with enabled: false: a disabled integration is saved without asking Chatwoot",
            "property zzz should not exist",
        ]
    );
}

#[test]
fn the_services_own_refusal_of_auto_create_is_listed_last_when_asked() {
    fn unavailable(_: Option<InboxName>, _: bool, _: bool) -> Result<(), AutoCreateRefused> {
        Err(AutoCreateRefused {
            no_webhook: true,
            ..AutoCreateRefused::default()
        })
    }
    let asked = with("autoCreate", json!(true));
    let refusal = SetIntegrationRequest::parse_on(asked.clone(), unavailable);
    assert_eq!(
        refusal.map_err(|errors| errors.into_messages()),
        Err(vec![NO_WEBHOOK.to_owned()])
    );
    let mut invalid = asked.clone();
    invalid["accountId"] = json!("x");
    let refusal = SetIntegrationRequest::parse_on(invalid, unavailable);
    assert_eq!(
        refusal.map_err(|errors| errors.into_messages()),
        Err(vec![
            "accountId must be a positive integer or a string of digits".to_owned(),
            NO_WEBHOOK.to_owned(),
        ])
    );
    // Not asked, or available: the body alone decides.
    let plain = SetIntegrationRequest::parse_on(minimal(), unavailable);
    assert_eq!(plain.map(|set| set.settings), Ok(accepted(&minimal())));
    let available = SetIntegrationRequest::parse_on(asked, |name, _, _| Ok(name));
    assert!(matches!(
        available,
        Ok(SetIntegration {
            auto_create: Some(None),
            ..
        })
    ));
}
