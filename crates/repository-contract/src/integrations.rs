//! The contract of `IntegrationRepository`.

use application::ports::Revision;
use application::{InstanceRepository, IntegrationRepository, RepoError};
use domain::{InstanceId, Integration, SecretHidden, SecretRecord};

use crate::values::{
    assert_error, at, new_integration_id, sales_and_support, set, settings, stored_instance, update,
};
use crate::Harness;

async fn revision<R: IntegrationRepository>(repo: &R, instance: InstanceId) -> Revision {
    let found = repo.find_integration(instance).await.expect("read");
    found.expect("an integration").1
}

/// The integration as stored, which must be what the last write returned.
async fn stored<R: IntegrationRepository>(repo: &R, instance: InstanceId) -> Integration {
    let found = repo.find_integration(instance).await.expect("read");
    found.expect("an integration").0
}

/// An instance deleted between the caller's check and its write.
pub async fn a_set_on_a_missing_instance_reports_a_missing_reference<H: Harness>(harness: &H) {
    let repo = harness.repository();
    let missing = InstanceId::new(uuid::Uuid::new_v4());
    let outcome = set(repo, missing, &settings(1, None, true), at(0)).await;
    assert_error(
        outcome,
        |e| matches!(e, RepoError::ReferenceMissing),
        "instance gone",
    );
    assert_eq!(repo.find_integration(missing).await.expect("read"), None);
}

/// A second set replaces the settings but keeps what the first one made:
/// the id, the creation time and the gateway's `query`.
pub async fn a_set_keeps_the_id_creation_time_and_query<H: Harness>(harness: &H) {
    let repo = harness.repository();
    let sales = stored_instance(repo, "sales", at(0)).await;
    let first_id = new_integration_id();
    let created = repo
        .upsert_integration(
            sales.id,
            first_id,
            &settings(1, Some(7), true),
            &SecretRecord::NotRead,
            at(1),
        )
        .await
        .expect("created");
    let expected = Integration {
        id: first_id,
        instance_id: sales.id,
        settings: settings(1, Some(7), true),
        signing_secret: SecretRecord::NotRead,
        query: None,
        created_at: at(1),
        updated_at: at(1),
        deleted_at: None,
    };
    assert_eq!(created, expected);
    assert_eq!(stored(repo, sales.id).await, expected);
    let first_revision = revision(repo, sales.id).await;
    harness.write_query(sales.id, "gateway=1").await;

    let replaced = set(repo, sales.id, &settings(2, None, false), at(2))
        .await
        .expect("replaced");
    let expected = Integration {
        settings: settings(2, None, false),
        query: Some("gateway=1".into()),
        updated_at: at(2),
        ..expected
    };
    assert_eq!(replaced, expected);
    assert_eq!(stored(repo, sales.id).await, expected);
    assert_ne!(revision(repo, sales.id).await, first_revision, "moved");
}

/// One live integration per inbox (Chatwoot URL, account, inbox), enabled
/// or not, on every write; the holder is found; settings without an inbox
/// and other inboxes are never in the way.
pub async fn another_instance_s_live_inbox_is_taken<H: Harness>(harness: &H) {
    let repo = harness.repository();
    let (sales, support) = sales_and_support(repo).await;
    let disabled = settings(1, Some(7), false);
    set(repo, sales.id, &disabled, at(1))
        .await
        .expect("sales holds inbox 7");

    let holder = repo
        .find_inbox_holder(support.id, &settings(1, Some(7), true))
        .await;
    assert_eq!(holder.expect("read"), Some(sales.id));
    let own = repo.find_inbox_holder(sales.id, &disabled).await;
    assert_eq!(own.expect("read"), None, "its own inbox is not taken");
    let no_inbox = repo
        .find_inbox_holder(support.id, &settings(1, None, true))
        .await;
    assert_eq!(no_inbox.expect("read"), None);

    let taken = set(repo, support.id, &settings(1, Some(7), true), at(2)).await;
    assert_error(taken, |e| matches!(e, RepoError::InboxTaken), "set");
    assert_eq!(repo.find_integration(support.id).await.expect("read"), None);

    for (account, inbox) in [(1, None), (1, Some(8)), (2, Some(7))] {
        set(repo, support.id, &settings(account, inbox, true), at(3))
            .await
            .unwrap_or_else(|e| panic!("account {account}, inbox {inbox:?}: {e:?}"));
    }
    let before = stored(repo, support.id).await;
    let current = revision(repo, support.id).await;
    let taken = update(
        repo,
        support.id,
        current,
        &settings(1, Some(7), true),
        at(4),
    )
    .await;
    assert_error(taken, |e| matches!(e, RepoError::InboxTaken), "update");
    assert_eq!(stored(repo, support.id).await, before, "unchanged");
    assert_eq!(revision(repo, support.id).await, current, "unchanged");
}

/// A write based on an old read fails instead of overwriting what came
/// after it, whatever else is wrong with it.
pub async fn a_stale_revision_conflicts<H: Harness>(harness: &H) {
    let repo = harness.repository();
    let (sales, support) = sales_and_support(repo).await;
    let conflict = |e: &RepoError| matches!(e, RepoError::Conflict);

    let never_set = update(repo, sales.id, Revision(1), &settings(1, None, true), at(1)).await;
    assert_error(never_set, conflict, "no integration");

    set(repo, sales.id, &settings(1, None, true), at(1))
        .await
        .expect("set");
    let read = revision(repo, sales.id).await;
    let updated = update(repo, sales.id, read, &settings(2, None, true), at(2))
        .await
        .expect("updated at the revision read");
    assert_eq!(updated.settings, settings(2, None, true));
    assert_eq!(updated.updated_at, at(2));
    assert_eq!(stored(repo, sales.id).await, updated);

    let stale = update(repo, sales.id, read, &settings(3, None, true), at(3)).await;
    assert_error(stale, conflict, "stale");
    set(repo, support.id, &settings(9, Some(9), true), at(3))
        .await
        .expect("support holds inbox 9");
    let stale_and_taken = update(repo, sales.id, read, &settings(9, Some(9), true), at(3)).await;
    assert_error(stale_and_taken, conflict, "stale, inbox taken");
    assert_eq!(stored(repo, sales.id).await, updated, "unchanged");
}

/// Deleting keeps the row, marked; the inbox is free meanwhile; a later set
/// brings the same integration back to life.
pub async fn soft_delete_and_revive<H: Harness>(harness: &H) {
    let repo = harness.repository();
    let (sales, support) = sales_and_support(repo).await;
    let inbox = settings(1, Some(7), true);
    let live = set(repo, sales.id, &inbox, at(1)).await.expect("set");
    let before = revision(repo, sales.id).await;

    let deleted = repo.soft_delete_integration(sales.id, at(2)).await;
    let expected = Integration {
        updated_at: at(2),
        deleted_at: Some(at(2)),
        ..live.clone()
    };
    assert_eq!(deleted.expect("deleted"), Some(expected.clone()));
    assert_eq!(stored(repo, sales.id).await, expected);
    let deleted_at = revision(repo, sales.id).await;
    assert_ne!(deleted_at, before, "moved");
    let again = repo.soft_delete_integration(sales.id, at(3)).await;
    assert_eq!(again.expect("answered"), None, "already deleted");
    let none = repo.soft_delete_integration(support.id, at(3)).await;
    assert_eq!(none.expect("answered"), None, "never set");

    let outcome = update(repo, sales.id, deleted_at, &inbox, at(3)).await;
    assert_error(outcome, |e| matches!(e, RepoError::Conflict), "deleted");
    let holder = repo.find_inbox_holder(support.id, &inbox).await;
    assert_eq!(
        holder.expect("read"),
        None,
        "a deleted integration holds no inbox"
    );

    let revived = set(repo, sales.id, &settings(2, Some(7), false), at(4))
        .await
        .expect("revived");
    let expected = Integration {
        settings: settings(2, Some(7), false),
        updated_at: at(4),
        ..live
    };
    assert_eq!(revived, expected, "same id and creation time, live again");
    assert_eq!(stored(repo, sales.id).await, expected);
}

/// Every timestamp comes back to the millisecond it was written with.
pub async fn timestamps_keep_their_milliseconds<H: Harness>(harness: &H) {
    let repo = harness.repository();
    let sales = stored_instance(repo, "sales", at(0)).await;
    let found = repo
        .find_instance(sales.id)
        .await
        .map(|r| r.map(|r| r.instance))
        .expect("read");
    assert_eq!(
        found.expect("stored").created_at.millis(),
        1_750_000_000_123
    );

    set(repo, sales.id, &settings(1, None, true), at(1))
        .await
        .expect("set");
    repo.soft_delete_integration(sales.id, at(2))
        .await
        .expect("deleted");
    let integration = stored(repo, sales.id).await;
    let written = [
        integration.created_at,
        integration.updated_at,
        integration.deleted_at.expect("deleted"),
    ];
    assert_eq!(
        written.map(|t| t.millis()),
        [1_750_000_000_124, 1_750_000_000_125, 1_750_000_000_125]
    );
}

/// Why Chatwoot hid the signing secret comes back as it was written, a role
/// Chatwoot did not name included.
pub async fn a_hidden_secret_keeps_its_reason<H: Harness>(harness: &H) {
    let repo = harness.repository();
    let sales = stored_instance(repo, "sales", at(0)).await;
    let reasons = [
        SecretHidden::ChatwootTooOld {
            version: "4.12.1".into(),
        },
        SecretHidden::NotAdministrator {
            role: Some("agent".into()),
        },
        SecretHidden::NotAdministrator { role: None },
        SecretHidden::NotShown {
            version: "4.13.0".into(),
        },
    ];
    for (offset, reason) in (1..).zip(reasons) {
        let record = SecretRecord::Hidden {
            reason,
            at: at(offset),
        };
        let id = new_integration_id();
        let settings = settings(1, Some(7), true);
        let written = repo
            .upsert_integration(sales.id, id, &settings, &record, at(offset))
            .await
            .expect("set");
        assert_eq!(written.signing_secret, record);
        assert_eq!(stored(repo, sales.id).await.signing_secret, record);
    }
}
