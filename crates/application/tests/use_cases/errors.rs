//! How failures of the ports reach a use case's caller.

use application::{
    AppError, BodyFound, CheckFailure, Named, NotChatwootAnswer, RedirectTo, RepoError, RoleFound,
    Setting, UnreachableReason,
};
use domain::{Instance, IntegrationPatch};

use crate::fakes::{Op, World};
use crate::support::{new_instance, settings};

const EVERY_OP: [Op; 12] = [
    Op::CreateInstance,
    Op::ListInstances,
    Op::FindInstance,
    Op::FindInstanceByToken,
    Op::DeleteInstance,
    Op::ReplaceToken,
    Op::Ping,
    Op::UpsertIntegration,
    Op::FindIntegration,
    Op::UpdateIntegration,
    Op::SoftDeleteIntegration,
    Op::FindInboxHolder,
];

/// The use case that reaches `op` first, on an instance with a live,
/// disabled integration.
async fn use_case_calling(world: &World, op: Op, instance: &Instance) -> Result<(), AppError> {
    let services = &world.services;
    match op {
        Op::CreateInstance => services
            .create_instance(new_instance("new"))
            .await
            .map(drop),
        Op::ListInstances => services.list_instances().await.map(drop),
        Op::FindInstance => services
            .find_instance(&instance.id.to_string())
            .await
            .map(drop),
        Op::FindInstanceByToken => services.authenticate("an instance token").await.map(drop),
        Op::DeleteInstance => services.delete_instance(instance.id).await,
        Op::ReplaceToken => services.rotate_token(instance.id).await.map(drop),
        Op::Ping => services.ready().await,
        Op::UpsertIntegration => services
            .set_integration(instance, settings(false))
            .await
            .map(drop),
        Op::FindIntegration => services.get_integration(instance).await.map(drop),
        Op::UpdateIntegration => services
            .update_integration(instance, IntegrationPatch::default())
            .await
            .map(drop),
        Op::SoftDeleteIntegration => services.delete_integration(instance).await.map(drop),
        // Looked up after a set on the inbox `instance` holds is refused.
        Op::FindInboxHolder => {
            let (other, _) = world.instance("other").await;
            world.set(&other, false).await.map(drop)
        }
    }
}

/// Each use case answers a database failure by its category (503 or 500
/// on the wire), whichever repository call meets it.
#[tokio::test]
async fn a_database_failure_answers_by_its_category_from_every_use_case() {
    let unavailable = || RepoError::Unavailable("connection refused".to_owned());
    let broken = || RepoError::Other("no such column: revision".to_owned());
    let timed_out = || RepoError::TimedOut("no answer within 5000 ms".to_owned());
    for op in EVERY_OP {
        for failure in [unavailable, broken, timed_out] {
            let world = World::new();
            let instance = world.instance_with_integration(false).await;
            world.repo.fail(op, failure);

            let result = use_case_calling(&world, op, &instance).await;

            match failure() {
                RepoError::Unavailable(_) => assert_fails!(result, AppError::Unavailable, op),
                RepoError::TimedOut(_) => assert_fails!(result, AppError::TimedOut, op),
                _ => assert_fails!(result, AppError::Internal, op),
            }
        }
    }
}

#[test]
fn each_repository_error_maps_to_one_outcome() {
    let outcome = |err| AppError::from(err);
    assert!(matches!(
        outcome(RepoError::Duplicate),
        AppError::Conflict(message) if message == "already exists"
    ));
    assert!(matches!(
        outcome(RepoError::Conflict),
        AppError::Conflict(message) if message == "modified concurrently, try again"
    ));
    assert!(matches!(
        outcome(RepoError::ReferenceMissing),
        AppError::NotFound("instance not found")
    ));
    let detail = "SELECT token_hash FROM instances";
    let unavailable = outcome(RepoError::Unavailable(detail.to_owned()));
    let broken = outcome(RepoError::Other(detail.to_owned()));
    let timed_out = outcome(RepoError::TimedOut(detail.to_owned()));
    assert!(matches!(unavailable, AppError::Unavailable));
    assert!(matches!(broken, AppError::Internal));
    assert!(matches!(timed_out, AppError::TimedOut));
    // The detail goes to the log, never to the caller.
    for shown in [
        unavailable.to_string(),
        broken.to_string(),
        timed_out.to_string(),
    ] {
        assert!(!shown.contains("SELECT"), "{shown}");
    }
}

#[tokio::test]
async fn a_duplicate_outside_instance_creation_answers_409() {
    let world = World::new();
    let (instance, _) = world.instance("gateway").await;
    world
        .repo
        .fail(Op::UpsertIntegration, || RepoError::Duplicate);

    let result = world.set(&instance, false).await;

    assert_fails!(result, AppError::Conflict(message) if message == "already exists");
}

#[tokio::test]
async fn a_chatwoot_failure_reaches_the_caller_unchanged() {
    let world = World::new();
    let (instance, _) = world.instance("gateway").await;
    let failure = CheckFailure::InboxNotAssigned { inbox_id: 2 };
    world.checker.refuse_with(failure.clone());

    let result = world.set(&instance, true).await;

    let Err(AppError::Chatwoot(got)) = result else {
        panic!("{result:?}");
    };
    // Worded unchanged for the caller: http-adapter's `tests/wording/answers.rs`.
    assert_eq!(got, failure);
}

#[test]
fn every_check_failure_names_the_setting_to_change() {
    let text = || "x".to_owned();
    let url = [
        CheckFailure::Unreachable {
            reason: UnreachableReason::Other { cause: text() },
        },
        CheckFailure::TimedOut { timeout_ms: 1 },
        CheckFailure::Redirected {
            method: "GET",
            path: text(),
            location: RedirectTo::Url(text()),
        },
        CheckFailure::NotChatwoot {
            path: text(),
            found: NotChatwootAnswer::Html,
        },
        CheckFailure::AddressNotAllowed { address: text() },
        CheckFailure::UnexpectedAnswer {
            method: "GET",
            path: text(),
            status: 500,
        },
        CheckFailure::UnexpectedBody {
            method: "POST",
            path: text(),
            found: BodyFound::NotJson,
        },
        CheckFailure::Throttled {
            url: text(),
            method: "GET",
            path: text(),
        },
    ];
    let token = [
        CheckFailure::TokenRejected { version: text() },
        CheckFailure::BotToken { version: text() },
        CheckFailure::TokenHeaderDropped { version: text() },
        CheckFailure::TokenUnsendable,
        CheckFailure::NotAdministrator {
            account_id: 1,
            role: RoleFound::Named(text()),
        },
    ];
    let account = [
        CheckFailure::AccountNotAccessible {
            account_id: 1,
            accessible: Vec::new(),
        },
        CheckFailure::AccountSuspended { account_id: 1 },
    ];
    let inbox = [
        CheckFailure::InboxNotFound {
            account_id: 1,
            inbox_id: 2,
        },
        CheckFailure::InboxNotAssigned { inbox_id: 2 },
        CheckFailure::NotApiInbox {
            inbox_id: 2,
            channel_type: text(),
        },
        CheckFailure::WebhookMismatch {
            inbox_id: 2,
            found: None,
            expected: text(),
        },
    ];
    let name_inbox = [
        CheckFailure::InboxNameTaken {
            name: text(),
            inbox_id: 2,
            channel_type: text(),
        },
        CheckFailure::InboxRefused {
            name: text(),
            reason: Some(text()),
        },
    ];
    let cases = (url
        .into_iter()
        .map(|failure| (failure, Setting::ChatwootUrl)))
    .chain(
        token
            .into_iter()
            .map(|failure| (failure, Setting::AccessToken)),
    )
    .chain(
        account
            .into_iter()
            .map(|failure| (failure, Setting::AccountId)),
    )
    .chain(inbox.into_iter().map(|failure| (failure, Setting::Inbox)))
    .chain(
        name_inbox
            .into_iter()
            .map(|failure| (failure, Setting::NameInbox)),
    )
    .chain([(CheckFailure::ProvisioningOff, Setting::AutoCreate)])
    .chain([(
        CheckFailure::AgentBotForcesPending {
            inbox_id: 2,
            bot: Named { id: 7, name: None },
        },
        Setting::StartConversationAs,
    )]);
    // Each message starts with the setting's wire name: http-adapter's
    // `tests/wording/names.rs`.
    for (failure, setting) in cases {
        assert_eq!(failure.setting(), setting, "{failure:?}");
    }
}
