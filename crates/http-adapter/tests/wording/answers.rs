//! The HTTP answers that carry a check failure, or an inbox another
//! instance uses: the message unchanged, with the status it calls for.

use actix_web::http::StatusCode;
use actix_web::ResponseError;
use application::{AppError, CheckFailure, UnreachableReason, THROTTLE_RETRY_AFTER};
use http_adapter::error::ApiError;
use http_adapter::wording::{check_failure, inbox_in_use};

use crate::{in_use, HOLDER};

#[test]
fn a_chatwoot_failure_reaches_the_caller_unchanged() {
    let failure = CheckFailure::InboxNotAssigned { inbox_id: 2 };

    let answer = ApiError::from(AppError::Chatwoot(failure.clone()));

    assert_eq!(answer.status_code(), StatusCode::BAD_REQUEST);
    assert_eq!(answer.messages(), [check_failure(&failure)]);
    assert_eq!(answer.retry_after_secs(), None);
}

#[test]
fn chatwoot_limiting_requests_is_answered_503_with_the_same_words() {
    let throttled = CheckFailure::Throttled {
        url: "https://chat.example.com".into(),
        method: "GET",
        path: "/api".into(),
    };

    let answer = ApiError::from(AppError::Chatwoot(throttled.clone()));

    assert_eq!(answer.status_code(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(answer.messages(), [check_failure(&throttled)]);
    assert_eq!(
        answer.retry_after_secs(),
        Some(THROTTLE_RETRY_AFTER.as_secs())
    );
}

/// autoCreate claimed the inbox, then could not point its webhook: the
/// failure's own message, then what is saved.
#[test]
fn an_unpointed_webhook_says_the_failure_then_what_is_saved() {
    let unreachable = CheckFailure::Unreachable {
        reason: UnreachableReason::ConnectionRefused,
    };

    let answer = ApiError::from(AppError::WebhookNotPointed {
        inbox_id: 41,
        failure: unreachable.clone(),
    });

    assert_eq!(answer.status_code(), StatusCode::BAD_REQUEST);
    let [message] = answer.messages() else {
        panic!("one message: {:?}", answer.messages());
    };
    assert!(
        message.starts_with(&format!("{}; ", check_failure(&unreachable))),
        "{message}"
    );
    assert!(
        message.contains("the integration is saved with inbox 41"),
        "{message}"
    );
    assert!(message.contains("send the same Set again"), "{message}");
}

/// A second live integration on the inbox: the holder is named to the admin
/// only, and the way out follows how the inbox was chosen.
#[test]
fn an_inbox_in_use_names_its_holder_to_the_admin_only() {
    let given = in_use(None, true);
    let for_admin = inbox_in_use(&given, true);
    let for_instance = inbox_in_use(&given, false);
    assert!(
        for_admin.starts_with("inbox 2 of Chatwoot account 1 at https://chat.example.com is used by the integration of another instance"),
        "{for_admin}"
    );
    assert!(for_admin.contains(HOLDER), "{for_admin}");
    assert!(!for_instance.contains(HOLDER), "{for_instance}");
    let answer = ApiError::from(AppError::InboxInUse(given));
    assert_eq!(answer.status_code(), StatusCode::CONFLICT);
    assert_eq!(answer.messages(), [for_instance]);

    let by_name = inbox_in_use(&in_use(Some("Shared"), true), false);
    assert!(
        by_name.starts_with("inbox 2 (named \"Shared\") of Chatwoot account"),
        "{by_name}"
    );
    assert!(by_name.contains("choose another nameInbox"), "{by_name}");
    assert!(!by_name.contains("autoCreate"), "{by_name}");
}
