//! Who holds a token, and which instance it may act on.

use application::{AppError, Principal, RepoError};

use crate::fakes::{Event, Op, World, ADMIN_TOKEN};

const UNKNOWN_ID: &str = "ffffffff-ffff-ffff-ffff-ffffffffffff";

#[tokio::test]
async fn the_admin_token_makes_the_admin_without_a_lookup() {
    let world = World::new();

    let principal = world.principal(ADMIN_TOKEN).await;

    assert!(principal.is_admin());
    assert!(world.journal.events().is_empty());
}

#[tokio::test]
async fn an_instance_token_makes_that_instance() {
    let world = World::new();
    let (instance, token) = world.instance("gateway").await;

    let principal = world.principal(token.expose()).await;

    assert!(!principal.is_admin());
    assert!(matches!(principal, Principal::Instance(own) if own == instance));
}

#[tokio::test]
async fn any_other_token_is_unauthenticated() {
    let world = World::new();
    let (_, token) = world.instance("gateway").await;
    let longer = format!("{}0", token.expose());
    let admin_prefix = &ADMIN_TOKEN[..ADMIN_TOKEN.len() - 1];

    for presented in ["", "nonsense", admin_prefix, &longer] {
        let result = world.services.authenticate(presented).await;
        assert_fails!(result, AppError::Unauthenticated, presented);
    }
}

#[tokio::test]
async fn an_instance_token_acts_on_its_own_instance_without_a_lookup() {
    let world = World::new();
    let (instance, token) = world.instance("gateway").await;
    let principal = world.principal(token.expose()).await;
    world.journal.clear();

    for raw in [
        instance.id.to_string(),
        instance.id.to_string().to_uppercase(),
    ] {
        let own = world
            .services
            .authorize_instance(&principal, &raw)
            .await
            .unwrap();
        assert_eq!(own, instance);
    }
    assert!(world.journal.events().is_empty());
}

/// 403 before 404: an instance token learns nothing about other ids.
#[tokio::test]
async fn an_instance_token_is_forbidden_every_other_id_known_or_not() {
    let world = World::new();
    let (_, token) = world.instance("gateway").await;
    let (other, _) = world.instance("other").await;
    let principal = world.principal(token.expose()).await;

    for raw in [other.id.to_string().as_str(), UNKNOWN_ID, "not-a-uuid", ""] {
        let result = world.services.authorize_instance(&principal, raw).await;
        let forbidden = "this token may act only on its own instance";
        assert_fails!(result, AppError::Forbidden(message) if *message == forbidden, raw);
    }
}

#[tokio::test]
async fn the_admin_acts_on_every_instance_that_exists() {
    let world = World::new();
    let (first, _) = world.instance("first").await;
    let (second, _) = world.instance("second").await;

    for instance in [first, second] {
        let found = world
            .services
            .authorize_instance(&Principal::Admin, &instance.id.to_string())
            .await
            .unwrap();
        assert_eq!(found, instance);
    }
}

#[tokio::test]
async fn the_admin_finds_no_instance_under_an_unknown_id_or_text_that_is_no_id() {
    let world = World::new();
    world.instance("gateway").await;

    for raw in [UNKNOWN_ID, "gateway", ""] {
        let result = world
            .services
            .authorize_instance(&Principal::Admin, raw)
            .await;
        assert_fails!(result, AppError::NotFound("instance not found"), raw);
    }
}

#[tokio::test]
async fn a_token_cannot_be_told_apart_while_the_database_is_down() {
    let world = World::new();
    world.repo.fail(Op::FindInstanceByToken, || {
        RepoError::Unavailable("connection refused".to_owned())
    });

    let result = world.services.authenticate("some instance token").await;

    assert_fails!(result, AppError::Unavailable);
    // The admin does not depend on the database.
    assert!(world.principal(ADMIN_TOKEN).await.is_admin());
}

#[tokio::test]
async fn readiness_is_the_database_answering() {
    let world = World::new();
    world.services.ready().await.unwrap();
    assert_eq!(world.journal.events(), [Event::Repo(Op::Ping)]);

    world
        .repo
        .fail(Op::Ping, || RepoError::Unavailable("timed out".to_owned()));
    let result = world.services.ready().await;
    assert_fails!(result, AppError::Unavailable);
}
