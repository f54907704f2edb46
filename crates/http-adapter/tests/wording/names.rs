//! What every message names: first the setting to change, as the request
//! bodies spell it, and, for a webhook, what was found and what is expected.

use application::{AddressKind, CheckFailure, Named, Setting};
use http_adapter::wording::{check_failure, setting, undetermined};

use crate::{every_failure, every_undetermined};

#[test]
fn settings_are_named_as_the_request_bodies_spell_them() {
    let settings = [
        Setting::ChatwootUrl,
        Setting::AccessToken,
        Setting::AccountId,
        Setting::Inbox,
        Setting::NameInbox,
        Setting::StartConversationAs,
        Setting::AutoCreate,
    ];
    let names: Vec<&str> = settings.into_iter().map(setting).collect();
    assert_eq!(
        names,
        [
            "chatwootURL",
            "chatwootAccessToken",
            "accountId",
            "inbox",
            "nameInbox",
            "integrationOptions.startConversationAs",
            "autoCreate"
        ]
    );
}

#[test]
fn every_message_names_the_setting_to_change_first() {
    let failures = every_failure()
        .into_iter()
        .map(|failure| (setting(failure.setting()), check_failure(&failure)));
    let reasons = every_undetermined()
        .into_iter()
        .map(|reason| (setting(reason.setting()), undetermined(&reason)));
    for (name, message) in failures.chain(reasons) {
        let after = message.strip_prefix(name).map(|rest| &rest[..1]);
        assert!(matches!(after, Some(" " | ":")), "{name}: {message}");
    }
}

/// The webhook refusal says what the inbox holds and what it must hold,
/// both when it holds another URL and when it holds none.
#[test]
fn a_webhook_mismatch_names_what_was_found_and_what_is_expected() {
    let expected = "https://gw.example.com/chatwoot/webhook/sales";
    let elsewhere = check_failure(&CheckFailure::WebhookMismatch {
        inbox_id: 3,
        found: Some("https://old.example.com/hook".into()),
        expected: expected.into(),
    });
    assert!(
        elsewhere.starts_with(
            "inbox 3 sends replies to https://old.example.com/hook, \
             not to https://gw.example.com/chatwoot/webhook/sales; in Chatwoot, set its Webhook URL"
        ),
        "{elsewhere}"
    );
    let unset = check_failure(&CheckFailure::WebhookMismatch {
        inbox_id: 3,
        found: None,
        expected: expected.into(),
    });
    assert!(
        unset.starts_with(
            "inbox 3 has no webhook URL set, \
             where https://gw.example.com/chatwoot/webhook/sales is expected; in Chatwoot"
        ),
        "{unset}"
    );
}

#[test]
fn long_lists_name_the_first_few_and_count_the_rest() {
    let accounts = (1..=22).map(|id| Named { id, name: None }).collect();
    let refused = check_failure(&CheckFailure::AccountNotAccessible {
        account_id: 99,
        accessible: accounts,
    });
    let first: Vec<String> = (1..=20).map(|id| id.to_string()).collect();
    let listed = format!("(the user's accounts: {}, and 2 more)", first.join(", "));
    assert!(refused.ends_with(&listed), "{refused}");

    let private = check_failure(&CheckFailure::PrivateWebhookTarget {
        host: "gateway".into(),
        addresses: (1..=5)
            .map(|last| format!("10.0.0.{last}").parse().unwrap())
            .collect(),
        kind: AddressKind::Private,
        version: "4.14.0".into(),
    });
    let listed = "resolves (from this service) to 10.0.0.1, 10.0.0.2, 10.0.0.3, and 2 more, a private address";
    assert!(private.contains(listed), "{private}");
}
