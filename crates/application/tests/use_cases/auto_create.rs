//! Set with `autoCreate`: its rules, and the inbox Chatwoot provides.

use application::auto_create::AutoCreateRefused;
use application::{AppError, CheckFailure, RoleFound, UnreachableReason};
use domain::{InboxId, InboxName, Instance, Integration, IntegrationSettings};

use crate::fakes::{Event, Op, ProvisionAsked, World};
use crate::support::{settings, SALES_WEBHOOK, WEBHOOK_TEMPLATE};

/// Enabled settings without an inbox, as `autoCreate` wants them.
fn without_inbox() -> IntegrationSettings {
    IntegrationSettings {
        inbox_id: None,
        ..settings(true)
    }
}

/// A Set of [`without_inbox`] with `autoCreate: true` as judged where a
/// webhook template is set, the inbox named `name` (by default the
/// instance's).
async fn auto_create(
    world: &World,
    instance: &Instance,
    name: Option<&str>,
) -> Result<Integration, AppError> {
    let name = name.map(|name| InboxName::parse(name).unwrap());
    let judged = world.services.judge_auto_create(name, false, true);
    let auto_create = judged.expect("autoCreate goes");
    world
        .services
        .set_integration_with_new_inbox(instance, without_inbox(), auto_create)
        .await
}

/// `AutoCreateRefused` with these reasons; the adapter words them.
fn refused(with_inbox: bool, disabled: bool, no_webhook: bool) -> AutoCreateRefused {
    AutoCreateRefused {
        with_inbox,
        disabled,
        no_webhook,
    }
}

#[tokio::test]
async fn auto_create_refuses_what_it_cannot_go_with() {
    let cases = [
        (
            settings(true),
            Some(WEBHOOK_TEMPLATE),
            refused(true, false, false),
        ),
        (
            IntegrationSettings {
                enabled: false,
                ..without_inbox()
            },
            Some(WEBHOOK_TEMPLATE),
            refused(false, true, false),
        ),
        (without_inbox(), None, refused(false, false, true)),
        (settings(false), None, refused(true, true, true)),
    ];
    for (settings, template, expected) in cases {
        let world = World::with_webhook_template(template);
        world.instance("sales").await;
        world.journal.clear();

        let refusal = world
            .services
            .judge_auto_create(None, settings.inbox_id.is_some(), settings.enabled)
            .unwrap_err();

        assert_eq!(refusal, expected);
        assert_eq!(
            refusal.by_service(),
            refused(false, false, expected.no_webhook)
        );
        assert_eq!(
            refusal.with_body(),
            refused(expected.with_inbox, expected.disabled, false)
        );
        assert!(world.checker.provisions().is_empty());
        assert_eq!(world.journal.events(), [], "{refusal:?}");
    }
}

#[tokio::test]
async fn auto_create_stores_the_inbox_chatwoot_provided_named_after_the_instance_by_default() {
    for (name, expected_name) in [(None, "sales"), (Some("WhatsApp sales"), "WhatsApp sales")] {
        let world = World::with_webhook_template(Some(WEBHOOK_TEMPLATE));
        let (instance, _) = world.instance("sales").await;
        world.checker.provision(Ok(InboxId::new(41).unwrap()));
        world.journal.clear();

        let stored = auto_create(&world, &instance, name).await.unwrap();

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
        role: RoleFound::Named("agent".into()),
    }));

    let refused = auto_create(&world, &instance, None).await;

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

    let stored = auto_create(&world, &instance, None).await.unwrap();

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

    let refused = auto_create(&world, &instance, Some("Shared")).await;

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
    // Worded with the name and its way out by http-adapter's `wording`
    // (`tests/wording/answers.rs`).
    assert_eq!(in_use.inbox_id, 41);
    assert_eq!(in_use.found_by_name.as_deref(), Some("Shared"));
}

#[tokio::test]
async fn a_webhook_change_that_fails_after_the_claim_keeps_the_claim_and_says_so() {
    let world = World::with_webhook_template(Some(WEBHOOK_TEMPLATE));
    let (instance, _) = world.instance("sales").await;
    world.checker.provision_existing(inbox(41));
    let unreachable = CheckFailure::Unreachable {
        reason: UnreachableReason::ConnectionRefused,
    };
    world.checker.refuse_webhook_change(unreachable.clone());

    let refused = auto_create(&world, &instance, None).await;

    // Worded as the failure, then what is saved: http-adapter's
    // `tests/wording/answers.rs`.
    let Err(AppError::WebhookNotPointed { inbox_id, failure }) = refused else {
        panic!("expected the webhook failure, got {refused:?}");
    };
    assert_eq!(failure, unreachable);
    assert_eq!(inbox_id, 41);
    let stored = world.repo.stored_integration(instance.id).unwrap();
    assert_eq!(stored.settings.inbox_id, Some(inbox(41)));
}

#[tokio::test]
async fn with_checking_off_set_is_saved_unchecked_and_auto_create_refused_unasked() {
    let world = World::with_checking_off(Some(WEBHOOK_TEMPLATE));
    let (instance, _) = world.instance("sales").await;
    // Would refuse, were it asked.
    world.checker.refuse_with(CheckFailure::Unreachable {
        reason: UnreachableReason::ConnectionRefused,
    });
    world.checker.provision(Ok(inbox(41)));
    world.journal.clear();

    let stored = world.set(&instance, true).await.unwrap();
    assert_eq!(stored.settings, settings(true));
    assert_eq!(world.journal.events(), [Event::Repo(Op::UpsertIntegration)]);
    world.journal.clear();

    let refused = auto_create(&world, &instance, None).await;

    assert_fails!(refused, AppError::Chatwoot(CheckFailure::ProvisioningOff));
    assert!(world.checker.asked().is_empty());
    assert!(world.checker.provisions().is_empty());
    assert_eq!(world.journal.events(), []);
}
