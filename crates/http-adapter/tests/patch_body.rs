//! The update body: the Set rules, every field optional, `null` clearing
//! only what may be empty.

use domain::{IntegrationPatch, IntegrationSettings, StartConversationAs};
use http_adapter::request::{RequestBody, SetIntegrationRequest, UpdateIntegrationRequest};
use serde_json::{json, Value};

fn accepted(body: Value) -> IntegrationPatch {
    match UpdateIntegrationRequest::parse(body.clone()) {
        Ok(patch) => patch,
        Err(errors) => panic!("{body} was refused: {errors:?}"),
    }
}

fn refused(body: Value) -> Vec<String> {
    match UpdateIntegrationRequest::parse(body.clone()) {
        Ok(patch) => panic!("{body} was accepted: {patch:?}"),
        Err(errors) => errors.into_messages(),
    }
}

fn current() -> IntegrationSettings {
    SetIntegrationRequest::parse(json!({
        "accountId": 12,
        "chatwootURL": "https://chat.example.com",
        "chatwootAccessToken": "old-token",
        "n8nWebhook": "https://n8n.example.com/hook",
        "inbox": 3,
        "integrationOptions": {"enabledGroup": true, "startConversationAs": "pending"},
    }))
    .unwrap()
    .settings
}

#[test]
fn an_empty_patch_is_valid_and_changes_nothing() {
    let patch = accepted(json!({}));
    assert_eq!(patch, IntegrationPatch::default());
    assert_eq!(patch.apply(current()), current());
}

#[test]
fn absent_fields_keep_their_value_and_given_fields_replace_it() {
    let patch = accepted(json!({"accountId": "13", "enabled": false}));
    assert_eq!(patch.account_id.map(|id| id.get()), Some(13));
    assert_eq!(patch.enabled, Some(false));
    assert_eq!(patch.chatwoot_url, None);
    assert_eq!(patch.inbox_id, None);
    assert_eq!(patch.n8n_webhook, None);

    let updated = patch.apply(current());
    assert_eq!(updated.account_id.get(), 13);
    assert!(!updated.enabled);
    assert_eq!(updated.chatwoot_url, current().chatwoot_url);
    assert_eq!(updated.inbox_id, current().inbox_id);
    assert_eq!(updated.n8n_webhook, current().n8n_webhook);
    assert_eq!(updated.options, current().options);
}

#[test]
fn null_clears_the_webhook_and_the_inbox_under_either_name() {
    let patch = accepted(json!({"n8nWebhook": null, "inbox": null}));
    assert_eq!(patch.n8n_webhook, Some(None));
    assert_eq!(patch.inbox_id, Some(None));
    let updated = patch.apply(current());
    assert_eq!(updated.n8n_webhook, None);
    assert_eq!(updated.inbox_id, None);

    assert_eq!(accepted(json!({"inboxId": null})).inbox_id, Some(None));
}

#[test]
fn a_new_inbox_may_be_given_under_either_name() {
    for key in ["inbox", "inboxId"] {
        let patch = accepted(json!({ key: "7" }));
        assert_eq!(
            patch.inbox_id.map(|inbox| inbox.map(|id| id.get())),
            Some(Some(7))
        );
    }
}

#[test]
fn urls_in_a_patch_are_canonicalised() {
    let patch = accepted(json!({
        "chatwootURL": "HTTPS://New.Example.com:443/chat/",
        "n8nWebhook": "http://n8n.local:80/",
    }));
    assert_eq!(
        patch
            .chatwoot_url
            .map(|url| url.as_str().to_owned())
            .as_deref(),
        Some("https://new.example.com/chat")
    );
    assert_eq!(
        patch
            .n8n_webhook
            .map(|url| url.map(|url| url.as_str().to_owned())),
        Some(Some("http://n8n.local".to_owned()))
    );
}

#[test]
fn null_for_a_field_that_cannot_be_empty_is_refused() {
    let cases = [
        ("accountId", "accountId should not be empty"),
        ("chatwootURL", "chatwootURL should not be empty"),
        (
            "chatwootAccessToken",
            "chatwootAccessToken should not be empty",
        ),
        ("enabled", "enabled must be a boolean value"),
    ];
    for (field, message) in cases {
        assert_eq!(refused(json!({ field: null })), [message], "{field}");
    }
    for (option, message) in [
        (
            "enabledGroup",
            "integrationOptions.enabledGroup must be a boolean value",
        ),
        (
            "displayAttendant",
            "integrationOptions.displayAttendant must be a boolean value",
        ),
        (
            "startConversationAs",
            "integrationOptions.startConversationAs must be a string",
        ),
    ] {
        assert_eq!(
            refused(json!({"integrationOptions": { option: null }})),
            [message],
            "{option}"
        );
    }
}

#[test]
fn each_integration_option_is_optional_on_its_own() {
    let patch = accepted(json!({"integrationOptions": {"displayAttendant": false}}));
    assert_eq!(patch.options.display_attendant, Some(false));
    assert_eq!(patch.options.enabled_group, None);
    assert_eq!(patch.options.start_conversation_as, None);

    let updated = patch.apply(current());
    assert!(updated.options.enabled_group);
    assert!(!updated.options.display_attendant);
    assert_eq!(
        updated.options.start_conversation_as,
        StartConversationAs::Pending
    );

    let patch = accepted(json!({"integrationOptions": {"startConversationAs": "open"}}));
    assert_eq!(
        patch.options.start_conversation_as,
        Some(StartConversationAs::Open)
    );
}

#[test]
fn integration_options_null_or_empty_change_no_option() {
    for options in [json!(null), json!({})] {
        assert_eq!(
            accepted(json!({ "integrationOptions": options })),
            IntegrationPatch::default()
        );
    }
}

#[test]
fn a_patch_follows_the_set_rules_and_lists_every_violation() {
    let body = json!({
        "accountId": 0,
        "enabled": "false",
        "chatwootURL": "https://chat.example.com#x",
        "chatwootAccessToken": "",
        "n8nWebhook": 5,
        "inbox": null,
        "inboxId": 4,
        "integrationOptions": [],
        "foo": 1,
    });
    assert_eq!(
        refused(body),
        [
            "accountId must be a positive integer or a string of digits",
            "enabled must be a boolean value",
            "chatwootURL must not contain a fragment",
            "chatwootAccessToken must be 1 to 512 printable characters without whitespace",
            "n8nWebhook must be a string",
            "inbox and inboxId must not both be given",
            "integrationOptions must be an object",
            "property foo should not exist",
        ]
    );
}

#[test]
fn a_patch_that_is_not_an_object_is_refused_as_a_whole() {
    for body in [json!(null), json!([]), json!("x")] {
        assert_eq!(refused(body), ["body must be a JSON object"]);
    }
}

#[test]
fn unknown_properties_in_a_patch_are_named() {
    assert_eq!(
        refused(json!({"integrationOptions": {"enabledGroups": true}, "accountID": 1})),
        [
            "property integrationOptions.enabledGroups should not exist",
            "property accountID should not exist",
        ]
    );
}

#[test]
fn auto_create_belongs_to_set_only() {
    assert_eq!(
        refused(json!({"autoCreate": true, "nameInbox": "sales"})),
        [
            "property autoCreate should not exist",
            "property nameInbox should not exist",
        ]
    );
}
