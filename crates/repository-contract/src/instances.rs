//! The contract of `InstanceRepository`, and what deleting an instance does
//! to its integration.

use application::{InstanceRepository, IntegrationRepository, RepoError};
use domain::{InstanceId, TokenHash};

use crate::values::{assert_error, at, sales_and_support, set, settings, stored_instance, token};
use crate::Harness;

/// Oldest first; instances created in the same millisecond by name.
pub async fn instances_are_listed_oldest_first<H: Harness>(harness: &H) {
    let repo = harness.repository();
    let newest = stored_instance(repo, "newest", at(2)).await;
    let oldest = stored_instance(repo, "oldest", at(0)).await;
    let second_b = stored_instance(repo, "second-b", at(1)).await;
    let second_a = stored_instance(repo, "second-a", at(1)).await;

    let listed = repo.list_instances().await.expect("listed");
    assert_eq!(listed, [oldest, second_a, second_b, newest]);
}

pub async fn a_taken_name_is_a_duplicate<H: Harness>(harness: &H) {
    let repo = harness.repository();
    let first = stored_instance(repo, "sales", at(0)).await;
    let mut second = first.clone();
    second.id = InstanceId::new(uuid::Uuid::new_v4());

    let outcome = repo.create_instance(&second, &token("other")).await;
    assert_error(outcome, |e| matches!(e, RepoError::Duplicate), "same name");
    assert_eq!(repo.list_instances().await.expect("listed"), [first]);
}

/// The hash finds its instance; a replaced one finds nothing from then on,
/// and the instance says when its token changed.
pub async fn a_token_finds_its_instance_until_it_is_replaced<H: Harness>(harness: &H) {
    let repo = harness.repository();
    let (sales, support) = sales_and_support(repo).await;

    let found = repo
        .find_instance_by_token(&token("sales"))
        .await
        .map(|r| r.map(|r| r.instance));
    assert_eq!(found.expect("read"), Some(sales.clone()));
    let unknown = repo
        .find_instance_by_token(&TokenHash::of("nobody's"))
        .await
        .map(|r| r.map(|r| r.instance));
    assert_eq!(unknown.expect("read"), None);

    let rotated = TokenHash::of("rotated");
    let replaced = repo.replace_token(sales.id, &rotated, at(5)).await;
    assert!(replaced.expect("replaced"), "the instance exists");

    let old = repo
        .find_instance_by_token(&token("sales"))
        .await
        .map(|r| r.map(|r| r.instance));
    assert_eq!(old.expect("read"), None, "the old token is dead");
    let mut expected = sales.clone();
    expected.updated_at = at(5);
    let new = repo
        .find_instance_by_token(&rotated)
        .await
        .map(|r| r.map(|r| r.instance));
    assert_eq!(new.expect("read"), Some(expected.clone()));
    assert_eq!(
        repo.find_instance(sales.id)
            .await
            .map(|r| r.map(|r| r.instance))
            .expect("read"),
        Some(expected)
    );
    let other = repo
        .find_instance_by_token(&token("support"))
        .await
        .map(|r| r.map(|r| r.instance));
    assert_eq!(
        other.expect("read"),
        Some(support),
        "only one token changed"
    );

    let missing = InstanceId::new(uuid::Uuid::new_v4());
    let replaced = repo.replace_token(missing, &rotated, at(6)).await;
    assert!(!replaced.expect("answered"), "no such instance");
}

/// The instance and its integration go together, and its inbox is free.
pub async fn deleting_an_instance_removes_its_integration<H: Harness>(harness: &H) {
    let repo = harness.repository();
    let (sales, support) = sales_and_support(repo).await;
    let inbox = settings(1, Some(7), true);
    set(repo, sales.id, &inbox, at(1)).await.expect("set");

    assert!(repo.delete_instance(sales.id).await.expect("deleted"));

    assert_eq!(
        repo.find_instance(sales.id)
            .await
            .map(|r| r.map(|r| r.instance))
            .expect("read"),
        None
    );
    assert_eq!(repo.find_integration(sales.id).await.expect("read"), None);
    let by_token = repo
        .find_instance_by_token(&token("sales"))
        .await
        .map(|r| r.map(|r| r.instance));
    assert_eq!(by_token.expect("read"), None);
    let listed = repo.list_instances().await.expect("listed");
    assert_eq!(
        listed.iter().map(|i| i.id).collect::<Vec<_>>(),
        [support.id]
    );
    let holder = repo.find_inbox_holder(support.id, &inbox).await;
    assert_eq!(holder.expect("read"), None, "the inbox is free");
    set(repo, support.id, &inbox, at(2))
        .await
        .expect("another instance takes the inbox");
    assert!(
        !repo.delete_instance(sales.id).await.expect("answered"),
        "already gone"
    );
}

/// Names are compared as written: a database collation that ignores case
/// must not make `Sales` and `sales` one instance.
pub async fn names_differing_only_in_case_are_different_instances<H: Harness>(harness: &H) {
    let repo = harness.repository();
    let upper = stored_instance(repo, "Sales", at(0)).await;
    let lower = stored_instance(repo, "sales", at(1)).await;
    assert_eq!(repo.list_instances().await.expect("listed"), [upper, lower]);
}

/// A reachable store answers the readiness probe's query.
pub async fn a_reachable_store_answers_ping<H: Harness>(harness: &H) {
    let pinged = harness.repository().ping().await;
    assert!(pinged.is_ok(), "{pinged:?}");
}
