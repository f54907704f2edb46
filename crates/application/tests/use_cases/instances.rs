//! Creating, listing, deleting instances and rotating their tokens.

use application::{AppError, Principal};
use domain::{InstanceDescription, InstanceId, TokenHash};

use crate::fakes::World;
use crate::support::new_instance;

fn unknown_id() -> InstanceId {
    InstanceId::new(uuid::Uuid::max())
}

#[tokio::test]
async fn create_stores_the_instance_and_the_hash_of_the_token_it_shows_once() {
    let world = World::new();
    let now = world.clock.advance(10);
    let mut new = new_instance("gateway");
    new.description = Some(InstanceDescription::parse("the shop's phone").unwrap());

    let (instance, token) = world.services.create_instance(new.clone()).await.unwrap();

    assert_eq!(instance.name, new.name);
    assert_eq!(instance.description, new.description);
    assert_eq!(instance.created_at, now);
    assert_eq!(instance.updated_at, now);
    let (stored, hash) = world.repo.stored_instance(instance.id).unwrap();
    assert_eq!(stored, instance);
    assert!(hash.matches(&TokenHash::of(token.expose())));
    let principal = world.principal(token.expose()).await;
    assert!(matches!(principal, Principal::Instance(own) if own == instance));
}

#[tokio::test]
async fn instances_get_distinct_ids_and_tokens() {
    let world = World::new();
    let (first, first_token) = world.instance("first").await;
    let (second, second_token) = world.instance("second").await;

    assert_ne!(first.id, second.id);
    assert_ne!(first_token.expose(), second_token.expose());
}

#[tokio::test]
async fn a_taken_name_answers_409_naming_it_and_stores_nothing() {
    let world = World::new();
    world.instance("gateway").await;

    let result = world
        .services
        .create_instance(new_instance("gateway"))
        .await;

    let taken = "an instance named gateway already exists";
    assert_fails!(result, AppError::Conflict(message) if message == taken);
    assert_eq!(world.services.list_instances().await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_list_holds_every_instance_oldest_first() {
    let world = World::new();
    assert!(world.services.list_instances().await.unwrap().is_empty());
    let (b, _) = world.instance("b").await;
    world.clock.advance(1);
    let (a, _) = world.instance("a").await;

    assert_eq!(world.services.list_instances().await.unwrap(), [b, a]);
}

#[tokio::test]
async fn delete_removes_the_instance_its_integration_and_its_token() {
    let world = World::new();
    let (instance, token) = world.instance("gateway").await;
    world.set(&instance, false).await.unwrap();
    let (other, _) = world.instance("other").await;

    world.services.delete_instance(instance.id).await.unwrap();

    assert_eq!(world.services.list_instances().await.unwrap(), [other]);
    assert_eq!(world.repo.stored_integration(instance.id), None);
    let result = world.services.authenticate(token.expose()).await;
    assert_fails!(result, AppError::Unauthenticated);
}

#[tokio::test]
async fn rotation_issues_a_new_token_and_the_old_one_stops_working_at_once() {
    let world = World::new();
    let (instance, old) = world.instance("gateway").await;
    let now = world.clock.advance(3_000);

    let new = world.services.rotate_token(instance.id).await.unwrap();

    assert_ne!(new.expose(), old.expose());
    let result = world.services.authenticate(old.expose()).await;
    assert_fails!(result, AppError::Unauthenticated);
    let principal = world.principal(new.expose()).await;
    assert!(matches!(principal, Principal::Instance(own) if own.id == instance.id));
    let (stored, _) = world.repo.stored_instance(instance.id).unwrap();
    assert_eq!(stored.updated_at, now);
    assert_eq!(stored.created_at, instance.created_at);
}

#[tokio::test]
async fn delete_and_rotation_find_no_unknown_or_deleted_instance() {
    let world = World::new();
    let (deleted, _) = world.instance("gateway").await;
    world.services.delete_instance(deleted.id).await.unwrap();

    for id in [deleted.id, unknown_id()] {
        let removed = world.services.delete_instance(id).await;
        assert_fails!(removed, AppError::NotFound("instance not found"), id);
        let rotated = world.services.rotate_token(id).await;
        assert_fails!(rotated, AppError::NotFound("instance not found"), id);
    }
}

#[tokio::test]
async fn find_takes_the_id_as_typed_in_either_case() {
    let world = World::new();
    let (instance, _) = world.instance("gateway").await;
    let typed = instance.id.to_string();

    for raw in [typed.clone(), typed.to_uppercase()] {
        assert_eq!(world.services.find_instance(&raw).await.unwrap(), instance);
    }
}

#[tokio::test]
async fn find_answers_not_found_for_unknown_ids_and_for_text_that_is_no_id() {
    let world = World::new();
    world.instance("gateway").await;

    for raw in [&unknown_id().to_string(), "gateway", "", "../etc"] {
        let result = world.services.find_instance(raw).await;
        assert_fails!(result, AppError::NotFound("instance not found"), raw);
    }
}
