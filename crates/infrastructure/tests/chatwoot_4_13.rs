//! Chatwoot 4.13 and later against the double: the `webhookTarget` check
//! (4.14 refuses webhooks to hosts without a public address) and the
//! inbox's signing secret (4.13 shows it to administrators only).

#[path = "chatwoot_support/mod.rs"]
mod support;

use application::{
    AddressKind, CheckFailure, CheckName, CheckReport, InboxProvisioner, InboxRequest,
    ProvisionedInbox, SecretSeen, StepOutcome,
};
use chatwoot_double::{ChatwootDouble, Inbox};
use domain::{InboxName, SecretHidden};
use http_adapter::wording::{self, check_failure};
use support::*;

const PRIVATE_HOOK: &str = "http://10.1.2.3:8080/chatwoot/webhook/9b2f";

async fn chatwoot_at(version: &str) -> ChatwootDouble {
    let double = chatwoot().await;
    double.set_version(version);
    double
}

/// The check of inbox 3 (or none) against `webhook`, as Set runs it.
async fn check_against(double: &ChatwootDouble, inbox: Option<i64>, webhook: &str) -> CheckReport {
    let settings = settings(&double.url(), ACCOUNT, inbox);
    report(&checker(), &settings, Some(webhook)).await
}

/// API inbox `WIRED` sends replies to `webhook`, so the checks before the
/// target pass.
async fn wired_to(version: &str, webhook: &str) -> ChatwootDouble {
    let double = chatwoot_at(version).await;
    double.add_inbox(Inbox::api(WIRED, ACCOUNT, "Wired", Some(webhook)));
    double
}

const WIRED: i64 = 20;

/// autoCreate of the inbox "Sales", wired to `webhook`.
async fn provision_sales(
    double: &ChatwootDouble,
    webhook: &str,
) -> Result<ProvisionedInbox, CheckFailure> {
    let settings = settings(&double.url(), ACCOUNT, None);
    let name = InboxName::parse("Sales").unwrap();
    checker()
        .provision_inbox(&InboxRequest {
            settings: &settings,
            name: &name,
            webhook_url: webhook,
        })
        .await
}

#[tokio::test]
async fn a_private_webhook_target_is_refused_by_chatwoot_4_14_naming_both_ways_out() {
    let double = wired_to("4.16.2-ce", PRIVATE_HOOK).await;

    let report = check_against(&double, Some(WIRED), PRIVATE_HOOK).await;

    let Some(failure) = report.first_failure() else {
        panic!("refused: {report:?}");
    };
    assert_eq!(
        report.outcome(CheckName::WebhookTarget),
        &StepOutcome::Failed(failure.clone())
    );
    assert_message(
        "private target",
        failure,
        "inbox",
        &[
            "10.1.2.3",
            "a private address",
            "Chatwoot 4.16.2-ce",
            "CHATWOOT_WEBHOOK_URL in this service's settings",
            "SAFE_FETCH_ALLOW_PRIVATE_NETWORK=true",
            "CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS=true",
        ],
        TOKEN,
    );
}

#[tokio::test]
async fn a_name_that_resolves_only_to_loopback_is_refused_with_the_address() {
    let hook = "http://localhost:8080/chatwoot/webhook/9b2f";
    let double = wired_to("4.14.0", hook).await;

    let report = check_against(&double, Some(WIRED), hook).await;

    let failure = report.first_failure().expect("refused");
    let CheckFailure::PrivateWebhookTarget {
        host,
        addresses,
        kind,
        ..
    } = failure
    else {
        panic!("{failure:?}");
    };
    assert_eq!(host, "localhost");
    assert!(
        addresses.iter().all(|address| address.is_loopback()),
        "{addresses:?}"
    );
    assert_eq!(*kind, AddressKind::Loopback);
    assert!(
        check_failure(failure).contains("resolves (from this service) to"),
        "{failure:?}"
    );
}

#[tokio::test]
async fn chatwoot_before_4_14_may_call_a_private_target() {
    let double = wired_to("4.13.9", PRIVATE_HOOK).await;
    let report = check_against(&double, Some(WIRED), PRIVATE_HOOK).await;
    assert_eq!(
        report.outcome(CheckName::WebhookTarget),
        &StepOutcome::Passed
    );
    assert_eq!(report.into_result(), Ok(()));
}

#[tokio::test]
async fn the_operator_s_word_that_chatwoot_allows_private_targets_passes_them() {
    let double = wired_to("4.16.0", PRIVATE_HOOK).await;
    let settings = settings(&double.url(), ACCOUNT, Some(WIRED));
    let allowing = checker_with(|config| config.allows_private_webhooks = true);
    let report = report(&allowing, &settings, Some(PRIVATE_HOOK)).await;
    assert_eq!(
        report.outcome(CheckName::WebhookTarget),
        &StepOutcome::Passed
    );
}

#[tokio::test]
async fn a_public_target_passes_and_the_check_needs_no_inbox() {
    let double = chatwoot_at("4.16.0").await;
    let report = check_against(&double, None, "https://8.8.8.8/chatwoot/webhook/9b2f").await;
    assert_eq!(report.outcome(CheckName::Inbox), &StepOutcome::NotRun);
    assert_eq!(
        report.outcome(CheckName::WebhookTarget),
        &StepOutcome::Passed
    );
    let refused = check_against(&double, None, PRIVATE_HOOK).await;
    assert!(
        matches!(
            refused.first_failure(),
            Some(CheckFailure::PrivateWebhookTarget { .. })
        ),
        "{refused:?}"
    );
}

#[tokio::test]
async fn a_host_that_does_not_resolve_is_not_refused_and_cannot_be_judged() {
    let hook = "https://gateway.invalid/chatwoot/webhook/9b2f";
    let double = chatwoot_at("4.16.0").await;

    let report = check_against(&double, None, hook).await;

    let outcome = report.outcome(CheckName::WebhookTarget);
    assert_eq!(outcome.ok(), None, "{outcome:?}");
    let message = wording::outcome(outcome).expect("a reason");
    assert!(message.contains("gateway.invalid"), "{message}");
    assert!(message.contains("cannot be judged"), "{message}");
    assert!(
        message.contains("CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS"),
        "{message}"
    );
    assert_eq!(report.healthy(), Some(true));
    assert_eq!(report.into_result(), Ok(()));
}

#[tokio::test]
async fn autocreate_refuses_a_private_target_before_it_writes_to_chatwoot() {
    let double = chatwoot_at("4.14.0").await;

    let refused = provision_sales(&double, PRIVATE_HOOK).await;

    assert!(
        matches!(refused, Err(CheckFailure::PrivateWebhookTarget { .. })),
        "{refused:?}"
    );
    let received = requests_received(double.server()).await;
    assert_eq!(
        received,
        ["GET /api", "GET /api/v1/profile"],
        "no write, no list"
    );
    assert!(double
        .inboxes(ACCOUNT)
        .iter()
        .all(|inbox| inbox.name != "Sales"));
}

#[tokio::test]
async fn an_administrator_sees_the_secret_from_4_13_and_the_reason_when_not() {
    let double = chatwoot_at("4.13.0").await;
    let secret = double.inbox(INBOX).expect("inbox 3").secret;
    let shown = check_against(&double, Some(INBOX), WEBHOOK).await;
    let Some(SecretSeen::Shown(seen)) = shown.signing_secret() else {
        panic!("{:?}", shown.signing_secret());
    };
    assert_eq!(seen.expose(), secret);

    let agent = settings_with_token(&double.url(), AGENT_TOKEN, ACCOUNT, Some(INBOX));
    let hidden = report(&checker(), &agent, Some(WEBHOOK)).await;
    assert_eq!(
        hidden.signing_secret(),
        Some(&SecretSeen::Hidden(SecretHidden::NotAdministrator {
            role: Some("agent".into())
        }))
    );

    double.set_version("4.12.1");
    let old = check_against(&double, Some(INBOX), WEBHOOK).await;
    assert_eq!(
        old.signing_secret(),
        Some(&SecretSeen::Hidden(SecretHidden::ChatwootTooOld {
            version: "4.12.1".into()
        }))
    );
}

#[tokio::test]
async fn a_reset_secret_is_what_the_inbox_shows_next() {
    let double = chatwoot_at("4.14.0").await;
    let before = double.inbox(INBOX).expect("inbox 3").secret;
    let after = double.reset_secret(INBOX).expect("reset");
    assert_ne!(before, after);
    let report = check_against(&double, Some(INBOX), WEBHOOK).await;
    let Some(SecretSeen::Shown(seen)) = report.signing_secret() else {
        panic!("{:?}", report.signing_secret());
    };
    assert_eq!(seen.expose(), after);
}

#[tokio::test]
async fn autocreate_answers_the_secret_of_the_inbox_it_created() {
    let double = chatwoot_at("4.16.0").await;

    let created = provision_sales(&double, WEBHOOK).await.expect("created");

    let secret = double
        .inbox(created.id.get())
        .expect("the new inbox")
        .secret;
    let SecretSeen::Shown(seen) = created.signing_secret else {
        panic!("{:?}", created.signing_secret);
    };
    assert_eq!(seen.expose(), secret);
}
