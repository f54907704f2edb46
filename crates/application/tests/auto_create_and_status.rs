//! The use cases of "keeping the integration true", on fakes of the ports:
//! the instance's expected webhook reaches the check, autoCreate's rules
//! and flow, and a status that writes nothing.

mod fakes;

use application::{AppError, CheckFailure, CheckName, CheckReport};
use domain::{InboxId, InboxName};
use fakes::*;

const EXPECTED: &str = "https://gw.example.com/chatwoot/webhook/sales";

fn messages(error: AppError) -> Vec<String> {
    match error {
        AppError::Invalid(errors) => errors.into_messages(),
        other => panic!("expected a 400, got {other:?}"),
    }
}

#[tokio::test]
async fn set_checks_with_the_instances_expected_webhook_when_a_template_is_set() {
    for (template, expected) in [(Some(TEMPLATE), Some(EXPECTED)), (None, None)] {
        let (repo, checker) = (
            MemoryRepository::default(),
            ScriptedChecker::answering(passing_report()),
        );
        let services = services(&repo, &checker, template);

        services
            .set_integration(&instance(), settings(Some(3)))
            .await
            .unwrap();

        assert_eq!(
            checker.checked(),
            [expected.map(str::to_owned)],
            "{template:?}"
        );
        assert_eq!(repo.writes(), 1);
    }
}

#[tokio::test]
async fn set_answers_the_first_failed_check_and_writes_nothing() {
    let failure = CheckFailure::NotApiInbox {
        inbox_id: 3,
        channel_type: "Channel::Whatsapp".into(),
    };
    let mut report = passing_report();
    report.fail(CheckName::Inbox, failure.clone());
    let repo = MemoryRepository::default();
    let services = services(&repo, &ScriptedChecker::answering(report), Some(TEMPLATE));

    let error = services
        .set_integration(&instance(), settings(Some(3)))
        .await
        .unwrap_err();

    assert!(matches!(error, AppError::Chatwoot(f) if f == failure));
    assert_eq!(repo.writes(), 0);
}

#[tokio::test]
async fn auto_create_refuses_what_it_cannot_go_with_naming_auto_create() {
    let cases = [
        (
            settings(Some(3)),
            Some(TEMPLATE),
            vec!["autoCreate cannot go with inbox or inboxId"],
        ),
        (
            domain::IntegrationSettings {
                enabled: false,
                ..settings(None)
            },
            Some(TEMPLATE),
            vec!["autoCreate cannot go with enabled: false"],
        ),
        (
            settings(None),
            None,
            vec!["autoCreate needs CHATWOOT_WEBHOOK_URL"],
        ),
        (
            domain::IntegrationSettings {
                enabled: false,
                ..settings(Some(3))
            },
            None,
            vec![
                "autoCreate cannot go with inbox or inboxId",
                "autoCreate cannot go with enabled: false",
                "autoCreate needs CHATWOOT_WEBHOOK_URL",
            ],
        ),
    ];
    for (settings, template, expected) in cases {
        let (repo, checker) = (
            MemoryRepository::default(),
            ScriptedChecker::answering(passing_report()),
        );
        let services = services(&repo, &checker, template);

        let violations = services.auto_create_violations(&settings);
        let error = services
            .set_integration_with_new_inbox(&instance(), settings, None)
            .await
            .unwrap_err();

        let messages = messages(error);
        assert_eq!(messages, violations);
        assert_eq!(messages.len(), expected.len(), "{messages:?}");
        for (message, start) in messages.iter().zip(expected) {
            assert!(message.starts_with(start), "{message}");
        }
        assert!(checker.provisions().is_empty());
        assert_eq!(repo.writes(), 0);
    }
}

#[tokio::test]
async fn auto_create_stores_the_inbox_chatwoot_provided_named_after_the_instance_by_default() {
    for (name, expected_name) in [(None, "sales"), (Some("WhatsApp sales"), "WhatsApp sales")] {
        let mut checker = ScriptedChecker::answering(passing_report());
        checker.provisioned = Ok(InboxId::new(41).unwrap());
        let repo = MemoryRepository::default();
        let services = services(&repo, &checker, Some(TEMPLATE));

        let stored = services
            .set_integration_with_new_inbox(
                &instance(),
                settings(None),
                name.map(|n| InboxName::parse(n).unwrap()),
            )
            .await
            .unwrap();

        assert_eq!(stored.settings.inbox_id, Some(InboxId::new(41).unwrap()));
        assert_eq!(repo.writes(), 1);
        assert_eq!(
            checker.provisions(),
            [(expected_name.to_owned(), EXPECTED.to_owned())]
        );
    }
}

#[tokio::test]
async fn a_failed_provisioning_is_a_400_with_its_message_and_writes_nothing() {
    let mut checker = ScriptedChecker::answering(passing_report());
    checker.provisioned = Err(CheckFailure::NotAdministrator {
        account_id: 12,
        role: "agent".into(),
    });
    let repo = MemoryRepository::default();
    let services = services(&repo, &checker, Some(TEMPLATE));

    let error = services
        .set_integration_with_new_inbox(&instance(), settings(None), None)
        .await
        .unwrap_err();

    assert!(matches!(
        error,
        AppError::Chatwoot(CheckFailure::NotAdministrator { .. })
    ));
    assert_eq!(repo.writes(), 0);
}

#[tokio::test]
async fn the_status_runs_the_checks_now_even_when_disabled_and_writes_nothing() {
    let mut report = passing_report();
    report.fail(
        CheckName::Webhook,
        CheckFailure::WebhookMismatch {
            inbox_id: 3,
            found: None,
            expected: EXPECTED.into(),
        },
    );
    let checker = ScriptedChecker::answering(report.clone());
    let empty = services(&MemoryRepository::default(), &checker, Some(TEMPLATE));
    let absent = empty.integration_status(&instance()).await.unwrap_err();
    assert!(matches!(absent, AppError::NotFound(_)));
    assert!(checker.checked().is_empty());

    let repo = stored(false).await;
    let services = services(&repo, &checker, Some(TEMPLATE));

    let status = services.integration_status(&instance()).await.unwrap();

    assert!(!status.enabled);
    assert_eq!(status.checked_at.millis(), NOW);
    assert_eq!(status.report, report);
    assert_eq!(status.healthy(), Some(false));
    assert_eq!(repo.writes(), 1, "only the write that stored it");
    assert_eq!(checker.checked(), [Some(EXPECTED.to_owned())]);
}

#[tokio::test]
async fn with_checking_off_the_status_knows_nothing() {
    let repo = stored(true).await;
    let checker = ScriptedChecker::answering(CheckReport::skipped());
    let services = services(&repo, &checker, Some(TEMPLATE));

    let status = services.integration_status(&instance()).await.unwrap();

    assert!(status.enabled);
    assert_eq!(status.healthy(), None);
    assert!(status
        .report
        .steps()
        .all(|(_, outcome)| outcome.ok().is_none()));
}

/// A repository holding the instance's integration.
async fn stored(enabled: bool) -> MemoryRepository {
    use application::IntegrationRepository;
    let repo = MemoryRepository::default();
    let settings = domain::IntegrationSettings {
        enabled,
        ..settings(Some(3))
    };
    repo.upsert_integration(
        instance().id,
        domain::IntegrationId::new(uuid::Uuid::from_u128(2)),
        &settings,
        domain::Timestamp::from_millis(NOW).unwrap(),
    )
    .await
    .unwrap();
    repo
}
