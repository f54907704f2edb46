//! Set with `autoCreate`: its rules, and the inbox Chatwoot provides.

use application::auto_create::AutoCreate;
use application::{AppError, CheckFailure};
use domain::{InboxId, InboxName, IntegrationSettings};

use crate::fakes::{Event, Op, ProvisionAsked, World};
use crate::support::{settings, SALES_WEBHOOK, WEBHOOK_TEMPLATE};

/// Enabled settings without an inbox, as `autoCreate` wants them.
fn without_inbox() -> IntegrationSettings {
    IntegrationSettings {
        inbox_id: None,
        ..settings(true)
    }
}

/// `autoCreate: true` as judged where a webhook template is set.
fn judged(world: &World, name: Option<&str>) -> AutoCreate {
    let name = name.map(|name| InboxName::parse(name).unwrap());
    world
        .services
        .judge_auto_create(name, false, true)
        .expect("autoCreate goes")
}

#[tokio::test]
async fn auto_create_refuses_what_it_cannot_go_with_naming_auto_create() {
    let cases = [
        (
            settings(true),
            Some(WEBHOOK_TEMPLATE),
            vec!["autoCreate cannot go with inbox or inboxId"],
        ),
        (
            IntegrationSettings {
                enabled: false,
                ..without_inbox()
            },
            Some(WEBHOOK_TEMPLATE),
            vec!["autoCreate cannot go with enabled: false"],
        ),
        (
            without_inbox(),
            None,
            vec!["autoCreate needs CHATWOOT_WEBHOOK_URL"],
        ),
        (
            settings(false),
            None,
            vec![
                "autoCreate cannot go with inbox or inboxId",
                "autoCreate cannot go with enabled: false",
                "autoCreate needs CHATWOOT_WEBHOOK_URL",
            ],
        ),
    ];
    for (settings, template, expected) in cases {
        let world = World::with_webhook_template(template);
        world.instance("sales").await;
        world.journal.clear();

        let refused = world
            .services
            .judge_auto_create(None, settings.inbox_id.is_some(), settings.enabled)
            .unwrap_err();

        let messages = refused.into_messages();
        assert_eq!(messages.len(), expected.len(), "{messages:?}");
        for (message, start) in messages.iter().zip(expected) {
            assert!(message.starts_with(start), "{message}");
        }
        assert!(world.checker.provisions().is_empty());
        assert_eq!(world.journal.events(), [], "{messages:?}");
    }
}

#[tokio::test]
async fn auto_create_stores_the_inbox_chatwoot_provided_named_after_the_instance_by_default() {
    for (name, expected_name) in [(None, "sales"), (Some("WhatsApp sales"), "WhatsApp sales")] {
        let world = World::with_webhook_template(Some(WEBHOOK_TEMPLATE));
        let (instance, _) = world.instance("sales").await;
        world.checker.provision(Ok(InboxId::new(41).unwrap()));
        world.journal.clear();

        let stored = world
            .services
            .set_integration_with_new_inbox(&instance, without_inbox(), judged(&world, name))
            .await
            .unwrap();

        assert_eq!(stored.settings.inbox_id, Some(InboxId::new(41).unwrap()));
        assert_eq!(world.repo.stored_integration(instance.id), Some(stored));
        assert_eq!(
            world.journal.events(),
            [Event::Provision, Event::Repo(Op::UpsertIntegration)]
        );
        assert_eq!(
            world.checker.provisions(),
            [ProvisionAsked {
                settings: without_inbox(),
                name: InboxName::parse(expected_name).unwrap(),
                webhook_url: SALES_WEBHOOK.to_owned(),
            }]
        );
    }
}

#[tokio::test]
async fn a_failed_provisioning_is_a_400_with_its_message_and_writes_nothing() {
    let world = World::with_webhook_template(Some(WEBHOOK_TEMPLATE));
    let (instance, _) = world.instance("sales").await;
    world.checker.provision(Err(CheckFailure::NotAdministrator {
        account_id: 1,
        role: "agent".into(),
    }));

    let refused = world
        .services
        .set_integration_with_new_inbox(&instance, without_inbox(), judged(&world, None))
        .await;

    assert_fails!(
        refused,
        AppError::Chatwoot(CheckFailure::NotAdministrator { .. })
    );
    assert_eq!(world.repo.stored_integration(instance.id), None);
}

fn inbox(id: i64) -> InboxId {
    InboxId::new(id).unwrap()
}

#[tokio::test]
async fn a_reused_inbox_is_claimed_before_its_webhook_changes() {
    let world = World::with_webhook_template(Some(WEBHOOK_TEMPLATE));
    let (instance, _) = world.instance("sales").await;
    world.checker.provision_existing(inbox(41));
    world.journal.clear();

    let stored = world
        .services
        .set_integration_with_new_inbox(&instance, without_inbox(), judged(&world, None))
        .await
        .unwrap();

    assert_eq!(stored.settings.inbox_id, Some(inbox(41)));
    assert_eq!(
        world.journal.events(),
        [
            Event::Provision,
            Event::Repo(Op::UpsertIntegration),
            Event::PointWebhook(inbox(41)),
        ]
    );
}

#[tokio::test]
async fn an_inbox_another_instance_holds_is_a_409_that_changes_nothing_in_chatwoot() {
    let world = World::with_webhook_template(Some(WEBHOOK_TEMPLATE));
    let (holder, _) = world.instance("first").await;
    let held = IntegrationSettings {
        inbox_id: Some(inbox(41)),
        ..settings(true)
    };
    world.services.set_integration(&holder, held).await.unwrap();
    let (instance, _) = world.instance("sales").await;
    world.checker.provision_existing(inbox(41));
    world.journal.clear();

    let refused = world
        .services
        .set_integration_with_new_inbox(&instance, without_inbox(), judged(&world, Some("Shared")))
        .await;

    let Err(AppError::InboxInUse(in_use)) = refused else {
        panic!("expected a 409, got {refused:?}");
    };
    assert!(
        !world
            .journal
            .events()
            .iter()
            .any(|event| matches!(event, Event::PointWebhook(_))),
        "{:?}",
        world.journal.events()
    );
    assert_eq!(world.repo.stored_integration(instance.id), None);
    let message = in_use.message(false);
    assert!(
        message.starts_with("inbox 41 (named \"Shared\") of Chatwoot account"),
        "{message}"
    );
    assert!(message.contains("choose another nameInbox"), "{message}");
    assert!(!message.contains("autoCreate"), "{message}");
}

#[tokio::test]
async fn a_webhook_change_that_fails_after_the_claim_keeps_the_claim_and_says_so() {
    let world = World::with_webhook_template(Some(WEBHOOK_TEMPLATE));
    let (instance, _) = world.instance("sales").await;
    world.checker.provision_existing(inbox(41));
    let unreachable = CheckFailure::Unreachable {
        detail: "connection refused".into(),
    };
    world.checker.refuse_webhook_change(unreachable.clone());

    let refused = world
        .services
        .set_integration_with_new_inbox(&instance, without_inbox(), judged(&world, None))
        .await;

    let Err(error @ AppError::WebhookNotPointed { .. }) = refused else {
        panic!("expected the webhook failure, got {refused:?}");
    };
    let message = error.to_string();
    assert!(message.starts_with(&unreachable.to_string()), "{message}");
    assert!(
        message.contains("the integration is saved with inbox 41"),
        "{message}"
    );
    assert!(message.contains("send the same Set again"), "{message}");
    let stored = world.repo.stored_integration(instance.id).unwrap();
    assert_eq!(stored.settings.inbox_id, Some(inbox(41)));
}

#[tokio::test]
async fn with_checking_off_set_is_saved_unchecked_and_auto_create_refused_unasked() {
    let world = World::with_checking_off(Some(WEBHOOK_TEMPLATE));
    let (instance, _) = world.instance("sales").await;
    // Would refuse, were it asked.
    world.checker.refuse_with(CheckFailure::Unreachable {
        detail: "connection refused".to_owned(),
    });
    world.checker.provision(Ok(inbox(41)));
    world.journal.clear();

    let stored = world.set(&instance, true).await.unwrap();
    assert_eq!(stored.settings, settings(true));
    assert_eq!(world.journal.events(), [Event::Repo(Op::UpsertIntegration)]);
    world.journal.clear();

    let refused = world
        .services
        .set_integration_with_new_inbox(&instance, without_inbox(), judged(&world, None))
        .await;

    assert_fails!(refused, AppError::Chatwoot(CheckFailure::ProvisioningOff));
    assert!(world.checker.asked().is_empty());
    assert!(world.checker.provisions().is_empty());
    assert_eq!(world.journal.events(), []);
}
