//! The inbox's webhook signing secret: stored by an enabled Set, served to
//! the gateway, and compared by the status's `signature` check.

use application::signature::NoSigningSecret;
use application::{
    AppError, CheckFailure, CheckName, CheckReport, SecretSeen, StepOutcome, Undetermined,
};
use domain::{Instance, SecretHidden, SecretRecord, SigningSecret};

use crate::fakes::{passed_before, World};

fn secret(raw: &str) -> SigningSecret {
    SigningSecret::parse(raw).unwrap()
}

/// An instance whose integration was set while its inbox showed `seen`.
async fn set_seeing(world: &World, seen: SecretSeen) -> Instance {
    let (instance, _) = world.instance("sales").await;
    world.checker.answer(seeing(seen));
    world.set(&instance, true).await.unwrap();
    instance
}

/// A passing run whose inbox showed `seen`.
fn seeing(seen: SecretSeen) -> CheckReport {
    let mut report = passed_before(CheckName::Webhook);
    report.see_signing_secret(seen);
    report
}

#[tokio::test]
async fn an_enabled_set_stores_the_secret_the_inbox_shows_and_serves_it() {
    let world = World::new();
    let (instance, _) = world.instance("sales").await;
    world
        .checker
        .answer(seeing(SecretSeen::Shown(secret("first-secret"))));
    let at = world.clock.advance(5);

    let stored = world.set(&instance, true).await.unwrap();

    assert_eq!(
        stored.signing_secret,
        SecretRecord::Stored {
            secret: secret("first-secret"),
            at
        }
    );
    let (served, stored_at) = world.services.signing_secret(&instance).await.unwrap();
    assert_eq!(served.expose(), "first-secret");
    assert_eq!(stored_at, at);
}

#[tokio::test]
async fn a_write_that_does_not_read_the_inbox_clears_the_secret_and_says_so() {
    let world = World::new();
    let instance = set_seeing(&world, SecretSeen::Shown(secret("first-secret"))).await;

    let disabled = world.set(&instance, false).await.unwrap();

    assert_eq!(disabled.signing_secret, SecretRecord::NotRead);
    let refused = world.services.signing_secret(&instance).await;
    let Err(AppError::NoSigningSecret(why)) = refused else {
        panic!("{refused:?}");
    };
    // Worded, with what to do, by http-adapter's `wording`.
    assert_eq!(why, NoSigningSecret(None));
}

#[tokio::test]
async fn a_hidden_secret_is_a_404_naming_why_and_what_to_do() {
    let world = World::new();
    let (instance, _) = world.instance("sales").await;
    for hidden in [
        SecretHidden::NotAdministrator {
            role: Some("agent".into()),
        },
        SecretHidden::ChatwootTooOld {
            version: "4.12.0".into(),
        },
    ] {
        world
            .checker
            .answer(seeing(SecretSeen::Hidden(hidden.clone())));
        world.set(&instance, true).await.unwrap();
        let refused = world.services.signing_secret(&instance).await;
        let Err(AppError::NoSigningSecret(why)) = refused else {
            panic!("{refused:?}");
        };
        assert_eq!(why, NoSigningSecret(Some(hidden)));
    }
}

#[tokio::test]
async fn the_signature_check_compares_the_inbox_s_secret_with_the_stored_one() {
    let world = World::new();
    let instance = set_seeing(&world, SecretSeen::Shown(secret("first-secret"))).await;

    let same = world.services.integration_status(&instance).await.unwrap();
    assert_eq!(
        same.report.outcome(CheckName::Signature),
        &StepOutcome::Passed
    );

    world
        .checker
        .answer(seeing(SecretSeen::Shown(secret("reset-secret"))));
    let changed = world.services.integration_status(&instance).await.unwrap();
    assert_eq!(
        changed.report.outcome(CheckName::Signature),
        &StepOutcome::Failed(CheckFailure::SigningSecretChanged { inbox_id: 2 })
    );
    assert_eq!(changed.healthy(), Some(false));
    let shown = format!("{:?}", changed.report.outcome(CheckName::Signature));
    assert!(!shown.contains("reset-secret") && !shown.contains("first-secret"));
}

#[tokio::test]
async fn a_secret_never_stored_fails_the_signature_and_a_hidden_one_cannot_be_judged() {
    let world = World::new();
    let (instance, _) = world.instance("sales").await;
    world
        .checker
        .answer(seeing(SecretSeen::Hidden(SecretHidden::NotAdministrator {
            role: Some("agent".into()),
        })));
    world.set(&instance, true).await.unwrap();

    let hidden = world.services.integration_status(&instance).await.unwrap();
    let outcome = hidden.report.outcome(CheckName::Signature);
    assert_eq!(outcome.ok(), None);
    assert_eq!(
        outcome,
        &StepOutcome::Undetermined(Undetermined::SecretHidden(SecretHidden::NotAdministrator {
            role: Some("agent".into())
        }))
    );
    assert_eq!(hidden.healthy(), Some(true));

    world
        .checker
        .answer(seeing(SecretSeen::Shown(secret("now-visible"))));
    let visible = world.services.integration_status(&instance).await.unwrap();
    assert_eq!(
        visible.report.outcome(CheckName::Signature),
        &StepOutcome::Failed(CheckFailure::SigningSecretNotStored { inbox_id: 2 })
    );
}

#[tokio::test]
async fn the_signature_is_not_run_after_an_earlier_failure() {
    let world = World::new();
    let instance = set_seeing(&world, SecretSeen::Shown(secret("first-secret"))).await;
    let mut report = seeing(SecretSeen::Shown(secret("other")));
    report.fail(
        CheckName::Webhook,
        CheckFailure::WebhookMismatch {
            inbox_id: 2,
            found: None,
            expected: "https://gw.example.com/hook".into(),
        },
    );
    world.checker.answer(report);

    let status = world.services.integration_status(&instance).await.unwrap();

    assert_eq!(
        status.report.outcome(CheckName::Signature),
        &StepOutcome::NotRun
    );
}

#[test]
fn why_a_secret_is_hidden_follows_from_the_version_and_the_role() {
    let hidden = |version, role| SecretSeen::of(None, version, role);
    assert_eq!(
        hidden("4.12.9", Some("administrator")),
        SecretSeen::Hidden(SecretHidden::ChatwootTooOld {
            version: "4.12.9".into()
        })
    );
    assert_eq!(
        hidden("4.16.2-ce", Some("agent")),
        SecretSeen::Hidden(SecretHidden::NotAdministrator {
            role: Some("agent".into())
        })
    );
    assert_eq!(
        hidden("4.13.0", Some("administrator")),
        SecretSeen::Hidden(SecretHidden::NotShown {
            version: "4.13.0".into()
        })
    );
    assert_eq!(
        SecretSeen::of(Some(secret("shown")), "4.1.0", None),
        SecretSeen::Shown(secret("shown"))
    );
}
