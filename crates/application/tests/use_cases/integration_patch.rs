//! The partial update (PUT): merge, check, write only over what was read.

use application::{AppError, CheckFailure, Named, RepoError};
use domain::{AccountId, Integration, IntegrationPatch, IntegrationSettings};

use crate::fakes::{Event, Interference, Op, World};
use crate::support::settings;

fn account(id: i64) -> AccountId {
    AccountId::new(id).unwrap()
}

fn patch_account(id: i64) -> IntegrationPatch {
    IntegrationPatch {
        account_id: Some(account(id)),
        ..IntegrationPatch::default()
    }
}

/// What another request writes meanwhile: the stored settings with a group
/// option turned on, which the patch under test does not touch.
fn concurrent_write(enabled: bool) -> IntegrationSettings {
    let mut written = settings(enabled);
    written.options.enabled_group = true;
    written
}

impl World {
    async fn patch(
        &self,
        instance: &domain::Instance,
        patch: IntegrationPatch,
    ) -> Result<Integration, AppError> {
        self.services.update_integration(instance, patch).await
    }

    fn update_attempts(&self) -> usize {
        let events = self.journal.events();
        let update = Event::Repo(Op::UpdateIntegration);
        events.iter().filter(|event| **event == update).count()
    }
}

#[tokio::test]
async fn a_patch_changes_only_what_it_names() {
    let world = World::new();
    let instance = world.instance_with_integration(true).await;
    let before = world.repo.stored_integration(instance.id).unwrap();
    let now = world.clock.advance(1_000);

    let updated = world.patch(&instance, patch_account(7)).await.unwrap();

    let mut expected = settings(true);
    expected.account_id = account(7);
    assert_eq!(updated.settings, expected);
    assert_eq!(updated.id, before.id);
    assert_eq!(updated.created_at, before.created_at);
    assert_eq!(updated.updated_at, now);
    assert_eq!(world.repo.stored_integration(instance.id), Some(updated));
}

#[tokio::test]
async fn an_enabled_result_is_checked_as_merged_before_it_is_written() {
    let world = World::new();
    let instance = world.instance_with_integration(true).await;

    world.patch(&instance, patch_account(7)).await.unwrap();

    let mut merged = settings(true);
    merged.account_id = account(7);
    assert_eq!(world.checker.asked(), [merged]);
    assert_eq!(
        world.journal.events(),
        [
            Event::Repo(Op::FindIntegration),
            Event::Check(None),
            Event::Repo(Op::UpdateIntegration)
        ]
    );
}

#[tokio::test]
async fn a_patch_that_enables_a_disabled_integration_is_checked() {
    let world = World::new();
    let instance = world.instance_with_integration(false).await;
    let enable = IntegrationPatch {
        enabled: Some(true),
        ..IntegrationPatch::default()
    };

    world.patch(&instance, enable).await.unwrap();

    assert_eq!(world.checker.asked(), [settings(true)]);
}

#[tokio::test]
async fn a_disabled_result_is_not_checked() {
    let disable = IntegrationPatch {
        enabled: Some(false),
        account_id: Some(account(9)),
        ..IntegrationPatch::default()
    };
    // A disabled integration patched, and an enabled one turned off.
    for (enabled_before, patch) in [(false, patch_account(9)), (true, disable)] {
        let world = World::new();
        let instance = world.instance_with_integration(enabled_before).await;
        world
            .checker
            .refuse_with(CheckFailure::TimedOut { timeout_ms: 5 });

        let updated = world.patch(&instance, patch).await.unwrap();

        assert!(!updated.settings.enabled);
        assert_eq!(updated.settings.account_id, account(9));
        assert!(world.checker.asked().is_empty());
    }
}

#[tokio::test]
async fn a_patch_refused_by_chatwoot_answers_why_and_writes_nothing() {
    let world = World::new();
    let instance = world.instance_with_integration(true).await;
    let before = world.repo.stored_integration(instance.id);
    let failure = CheckFailure::AccountNotAccessible {
        account_id: 7,
        accessible: vec![Named { id: 1, name: None }],
    };
    world.checker.refuse_with(failure.clone());

    let refused = world.patch(&instance, patch_account(7)).await;

    assert_fails!(refused, AppError::Chatwoot(got) if *got == failure);
    assert_eq!(world.repo.stored_integration(instance.id), before);
    assert_eq!(world.update_attempts(), 0);
}

#[tokio::test]
async fn a_patch_that_loses_races_reads_again_and_lands_on_the_latest_write() {
    let world = World::new();
    let instance = world.instance_with_integration(true).await;
    world
        .repo
        .interfere([settings(true), concurrent_write(true)].map(Interference::from));

    let updated = world.patch(&instance, patch_account(7)).await.unwrap();

    let mut expected = concurrent_write(true);
    expected.account_id = account(7);
    assert_eq!(updated.settings, expected);
    assert_eq!(world.repo.stored_integration(instance.id), Some(updated));
    assert_eq!(world.update_attempts(), 3);
    // Each attempt checks what it is about to write.
    assert_eq!(world.checker.asked().len(), 3);
    assert_eq!(world.checker.asked().last(), Some(&expected));
}

#[tokio::test]
async fn a_patch_that_loses_three_races_answers_409_and_writes_nothing() {
    let world = World::new();
    let instance = world.instance_with_integration(false).await;
    // A fourth attempt would succeed; there must not be one.
    let writes = [settings(false), settings(false), concurrent_write(false)];
    world.repo.interfere(writes.map(Interference::from));

    let result = world.patch(&instance, patch_account(7)).await;

    let try_again = "modified concurrently, try again";
    assert_fails!(result, AppError::Conflict(message) if message == try_again);
    assert_eq!(world.update_attempts(), 3);
    assert_eq!(
        world.repo.stored_integration(instance.id).unwrap().settings,
        concurrent_write(false)
    );
}

#[tokio::test]
async fn a_patch_whose_integration_is_deleted_meanwhile_answers_not_found() {
    let world = World::new();
    let instance = world.instance_with_integration(true).await;
    world.repo.interfere([Interference::Delete]);

    let result = world.patch(&instance, patch_account(7)).await;

    assert_fails!(result, AppError::NotFound("chatwoot integration not found"));
    let stored = world.repo.stored_integration(instance.id).unwrap();
    assert!(stored.is_deleted());
}

#[tokio::test]
async fn a_failed_write_is_not_retried() {
    let world = World::new();
    let instance = world.instance_with_integration(false).await;
    world.repo.fail(Op::UpdateIntegration, || {
        RepoError::Unavailable("connection reset".to_owned())
    });

    let result = world.patch(&instance, patch_account(7)).await;

    assert_fails!(result, AppError::Unavailable);
    assert_eq!(world.update_attempts(), 1);
}
