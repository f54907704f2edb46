//! Set, get and delete of an instance's integration.

use application::{AppError, CheckFailure, CheckName, Named, UnreachableReason};
use domain::{Instance, IntegrationPatch};

use crate::fakes::{passed_before, Event, Op, World};
use crate::support::{sales_webhook_missing, settings, SALES_WEBHOOK, WEBHOOK_TEMPLATE};

fn unreachable() -> CheckFailure {
    CheckFailure::Unreachable {
        reason: UnreachableReason::ConnectionRefused,
    }
}

#[tokio::test]
async fn set_asks_chatwoot_about_enabled_settings_before_writing_them() {
    let world = World::new();
    let (instance, _) = world.instance("gateway").await;
    world.journal.clear();

    let stored = world.set(&instance, true).await.unwrap();

    assert_eq!(world.checker.asked(), [settings(true)]);
    assert_eq!(
        world.journal.events(),
        [Event::Check(None), Event::Repo(Op::UpsertIntegration)]
    );
    assert_eq!(stored.settings, settings(true));
    assert_eq!(world.repo.stored_integration(instance.id), Some(stored));
}

#[tokio::test]
async fn set_of_disabled_settings_never_asks_chatwoot() {
    let world = World::new();
    let (instance, _) = world.instance("gateway").await;
    // Would refuse, were it asked.
    world.checker.refuse_with(unreachable());

    let stored = world.set(&instance, false).await.unwrap();

    assert!(world.checker.asked().is_empty());
    assert!(!stored.settings.enabled);
    assert_eq!(world.repo.stored_integration(instance.id), Some(stored));
}

#[tokio::test]
async fn set_refused_by_chatwoot_answers_why_and_writes_nothing() {
    let world = World::new();
    let (instance, _) = world.instance("gateway").await;
    world.checker.refuse_with(unreachable());

    let refused = world.set(&instance, true).await;

    assert_fails!(refused, AppError::Chatwoot(failure) if *failure == unreachable());
    assert_eq!(world.repo.stored_integration(instance.id), None);
}

#[tokio::test]
async fn set_refused_by_chatwoot_leaves_the_stored_integration_as_it_was() {
    let world = World::new();
    let instance = world.instance_with_integration(false).await;
    let before = world.repo.stored_integration(instance.id);
    world.checker.refuse_with(unreachable());
    world.clock.advance(1_000);

    let refused = world.set(&instance, true).await;

    assert_fails!(refused, AppError::Chatwoot(_));
    assert_eq!(world.repo.stored_integration(instance.id), before);
    assert_eq!(world.journal.events(), [Event::Check(None)]);
}

#[tokio::test]
async fn a_first_set_creates_a_live_integration_stamped_now() {
    let world = World::new();
    let (instance, _) = world.instance("gateway").await;
    let now = world.clock.advance(5);

    let stored = world.set(&instance, true).await.unwrap();

    assert_eq!(stored.instance_id, instance.id);
    assert_eq!(stored.created_at, now);
    assert_eq!(stored.updated_at, now);
    assert_eq!(stored.deleted_at, None);
    assert_eq!(stored.query, None);
}

#[tokio::test]
async fn a_second_set_replaces_the_settings_and_keeps_id_creation_time_and_query() {
    let world = World::new();
    let instance = world.instance_with_integration(true).await;
    let first = world.repo.stored_integration(instance.id).unwrap();
    world.repo.set_query(instance.id, "gateway's own");
    let later = world.clock.advance(60_000);

    let replaced = world.set(&instance, false).await.unwrap();

    assert_eq!(replaced.id, first.id);
    assert_eq!(replaced.created_at, first.created_at);
    assert_eq!(replaced.updated_at, later);
    assert_eq!(replaced.query.as_deref(), Some("gateway's own"));
    assert_eq!(replaced.settings, settings(false));
}

#[tokio::test]
async fn set_after_delete_revives_the_same_integration() {
    let world = World::new();
    let instance = world.instance_with_integration(true).await;
    let first = world.repo.stored_integration(instance.id).unwrap();
    world.clock.advance(1_000);
    world.services.delete_integration(&instance).await.unwrap();
    let later = world.clock.advance(1_000);

    let revived = world.set(&instance, true).await.unwrap();

    assert_eq!(revived.id, first.id);
    assert_eq!(revived.created_at, first.created_at);
    assert_eq!(revived.updated_at, later);
    assert_eq!(revived.deleted_at, None);
    assert_eq!(
        world.services.get_integration(&instance).await.unwrap(),
        revived
    );
}

#[tokio::test]
async fn set_for_an_instance_deleted_meanwhile_answers_instance_not_found() {
    let world = World::new();
    let (instance, _) = world.instance("gateway").await;
    world.services.delete_instance(instance.id).await.unwrap();

    let result = world.set(&instance, false).await;

    assert_fails!(result, AppError::NotFound("instance not found"));
}

#[tokio::test]
async fn get_returns_the_live_integration() {
    let world = World::new();
    let instance = world.instance_with_integration(true).await;

    let found = world.services.get_integration(&instance).await.unwrap();

    assert_eq!(Some(found), world.repo.stored_integration(instance.id));
}

#[tokio::test]
async fn delete_marks_the_integration_deleted_now_and_keeps_the_row() {
    let world = World::new();
    let instance = world.instance_with_integration(true).await;
    let now = world.clock.advance(2_000);

    let deleted = world.services.delete_integration(&instance).await.unwrap();

    assert_eq!(deleted.deleted_at, Some(now));
    assert_eq!(deleted.updated_at, now);
    assert_eq!(world.repo.stored_integration(instance.id), Some(deleted));
    assert!(world.checker.asked().is_empty());
}

/// Get, update and delete see only a live integration: one never set and
/// one deleted are alike to them.
#[tokio::test]
async fn neither_a_missing_nor_a_deleted_integration_is_found() {
    let world = World::new();
    let (instance, _) = world.instance("gateway").await;
    assert_no_use_case_finds_it(&world, &instance).await;

    world.set(&instance, true).await.unwrap();
    world.services.delete_integration(&instance).await.unwrap();
    world.checker.forget();
    assert_no_use_case_finds_it(&world, &instance).await;
    assert!(world.checker.asked().is_empty());
}

async fn assert_no_use_case_finds_it(world: &World, instance: &Instance) {
    let enable = IntegrationPatch {
        enabled: Some(true),
        ..IntegrationPatch::default()
    };
    let outcomes = [
        ("get", world.services.get_integration(instance).await),
        (
            "update",
            world.services.update_integration(instance, enable).await,
        ),
        ("delete", world.services.delete_integration(instance).await),
    ];
    for (use_case, outcome) in outcomes {
        assert_fails!(
            outcome,
            AppError::NotFound("chatwoot integration not found"),
            use_case
        );
    }
}

#[tokio::test]
async fn set_checks_with_the_instances_expected_webhook_when_a_template_is_set() {
    for (template, expected) in [(Some(WEBHOOK_TEMPLATE), Some(SALES_WEBHOOK)), (None, None)] {
        let world = World::with_webhook_template(template);
        let (instance, _) = world.instance("sales").await;
        world.journal.clear();

        world.set(&instance, true).await.unwrap();

        assert_eq!(
            world.checker.expected_webhooks(),
            [expected.map(str::to_owned)],
            "{template:?}"
        );
        assert_eq!(
            world.journal.events(),
            [Event::Check(None), Event::Repo(Op::UpsertIntegration)],
            "{template:?}"
        );
    }
}

#[tokio::test]
async fn set_answers_the_first_failed_check_and_writes_nothing() {
    let world = World::with_webhook_template(Some(WEBHOOK_TEMPLATE));
    let (instance, _) = world.instance("sales").await;
    let failure = CheckFailure::NotApiInbox {
        inbox_id: 2,
        channel_type: "Channel::Whatsapp".into(),
    };
    let mut report = passed_before(CheckName::Inbox);
    report.fail(CheckName::Inbox, failure.clone());
    report.fail(CheckName::Webhook, sales_webhook_missing());
    world.checker.answer(report);

    let refused = world.set(&instance, true).await;

    assert_fails!(refused, AppError::Chatwoot(first) if *first == failure);
    assert_eq!(world.repo.stored_integration(instance.id), None);
}

#[tokio::test]
async fn set_saves_settings_whose_inbox_has_an_agent_bot() {
    let world = World::new();
    let (instance, _) = world.instance("sales").await;
    let mut report = passed_before(CheckName::AgentBot);
    report.fail(
        CheckName::AgentBot,
        CheckFailure::AgentBotForcesPending {
            inbox_id: 2,
            bot: Named {
                id: 7,
                name: Some("Captain".into()),
            },
        },
    );
    world.checker.answer(report);

    let stored = world.set(&instance, true).await.unwrap();

    assert_eq!(world.repo.stored_integration(instance.id), Some(stored));
}

#[tokio::test]
async fn set_refused_because_chatwoot_limits_requests_writes_nothing() {
    let world = World::new();
    let (instance, _) = world.instance("sales").await;
    let throttled = CheckFailure::Throttled {
        url: "https://chat.example.com".into(),
        method: "GET",
        path: "/api/v1/accounts/12/inboxes/2/agent_bot".into(),
    };
    // Met by the advisory check: still nothing is known of the settings.
    let mut report = passed_before(CheckName::AgentBot);
    report.fail(CheckName::AgentBot, throttled.clone());
    world.checker.answer(report);

    let refused = world.set(&instance, true).await;

    assert_fails!(refused, AppError::Chatwoot(failure) if *failure == throttled);
    assert_eq!(world.repo.stored_integration(instance.id), None);
}
