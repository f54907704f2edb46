//! One inbox, one integration: a second live integration on the inbox is
//! refused, naming the holder for the admin's eyes only, and a delete
//! frees the inbox.

use application::{AppError, InboxInUse};
use domain::{InboxId, IntegrationPatch, IntegrationSettings};

use crate::fakes::{Event, Op, World};
use crate::support::settings;

fn in_use(result: Result<domain::Integration, AppError>) -> InboxInUse {
    match result {
        Err(AppError::InboxInUse(in_use)) => in_use,
        other => panic!("expected a 409 for the inbox, got {other:?}"),
    }
}

#[tokio::test]
async fn a_set_on_an_inbox_another_instance_uses_is_refused_naming_that_instance() {
    let world = World::new();
    let holder = world.instance_with_integration(false).await;
    let (instance, _) = world.instance("second").await;
    world.journal.clear();

    let refused = in_use(world.set(&instance, true).await);

    assert_eq!(
        refused,
        InboxInUse {
            chatwoot_url: "https://chat.example.com".into(),
            account_id: 1,
            inbox_id: 2,
            holder: Some(holder.id),
            found_by_name: None,
        }
    );
    assert_eq!(world.repo.stored_integration(instance.id), None);
    assert_eq!(
        world.journal.events(),
        [
            Event::Check(None),
            Event::Repo(Op::UpsertIntegration),
            Event::Repo(Op::FindInboxHolder)
        ]
    );
    // Worded, naming the holder to the admin only, by http-adapter's
    // `wording` (`tests/wording/answers.rs`).
}

#[tokio::test]
async fn an_update_onto_the_inbox_of_another_instance_is_refused() {
    let world = World::new();
    let holder = world.instance_with_integration(false).await;
    let (instance, _) = world.instance("second").await;
    let elsewhere = IntegrationSettings {
        inbox_id: Some(InboxId::new(5).unwrap()),
        ..settings(false)
    };
    world
        .services
        .set_integration(&instance, elsewhere.clone())
        .await
        .unwrap();

    let patch = IntegrationPatch {
        inbox_id: Some(Some(InboxId::new(2).unwrap())),
        ..IntegrationPatch::default()
    };
    let refused = in_use(world.services.update_integration(&instance, patch).await);

    assert_eq!(refused.holder, Some(holder.id));
    let kept = world.repo.stored_integration(instance.id).unwrap();
    assert_eq!(kept.settings, elsewhere);
}

#[tokio::test]
async fn a_deleted_integration_frees_its_inbox_and_one_without_inbox_holds_none() {
    let world = World::new();
    let holder = world.instance_with_integration(false).await;
    let (instance, _) = world.instance("second").await;

    world.services.delete_integration(&holder).await.unwrap();
    world.set(&instance, false).await.unwrap();

    let refused = in_use(world.set(&holder, false).await);
    assert_eq!(refused.holder, Some(instance.id));

    let without_inbox = IntegrationSettings {
        inbox_id: None,
        ..settings(false)
    };
    for owner in [&holder, &instance] {
        world
            .services
            .set_integration(owner, without_inbox.clone())
            .await
            .unwrap();
    }
}
