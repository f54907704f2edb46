//! One failure for each thing a check can find where Chatwoot's answer was
//! expected that `every_failure` does not show already.

use application::{
    BodyFound, CheckFailure, NotChatwootAnswer, RedirectTo, RoleFound, UnreachableReason,
};

/// In the order of `## details` in `today.txt`.
pub fn every_detail() -> Vec<CheckFailure> {
    use UnreachableReason as Reason;
    let cause = |text: &str| text.to_owned();
    let reasons = [
        Reason::ConnectionReset,
        Reason::ConnectionAborted,
        Reason::NetworkUnreachable,
        Reason::HostUnreachable,
        Reason::AddressNotAvailable,
        Reason::HostNotFound,
        Reason::TlsNotSpoken,
        Reason::Certificate {
            cause: cause("invalid peer certificate: UnknownIssuer"),
        },
        Reason::BrokeOff {
            cause: cause("connection closed before message completed"),
        },
        Reason::NoHttpAnswer {
            cause: cause("invalid HTTP version parsed"),
        },
        Reason::Other {
            cause: cause("tcp connect error"),
        },
    ];
    let not_chatwoot = [
        NotChatwootAnswer::Status {
            code: 404,
            reason: Some("Not Found"),
        },
        NotChatwootAnswer::Status {
            code: 599,
            reason: None,
        },
        NotChatwootAnswer::TooLarge {
            limit_bytes: 1 << 20,
        },
        NotChatwootAnswer::Empty,
        NotChatwootAnswer::NotJson,
        NotChatwootAnswer::NoVersion,
        NotChatwootAnswer::NotAnObject,
    ];
    let bodies = [
        BodyFound::TooLarge {
            limit_bytes: 1 << 20,
        },
        BodyFound::TooLarge {
            limit_bytes: 64 << 10,
        },
        BodyFound::TooLarge { limit_bytes: 1000 },
        BodyFound::ProfileWithoutAccounts,
        BodyFound::InboxNotAnObject,
        BodyFound::InboxListWithoutPayload,
        BodyFound::AgentBotWithoutId,
        BodyFound::InboxWithoutId,
        BodyFound::InboxIdNotPositive { id: 0 },
        BodyFound::InboxWithoutChannelType,
    ];
    let unreachable = reasons
        .into_iter()
        .map(|reason| CheckFailure::Unreachable { reason });
    let not_chatwoot = not_chatwoot
        .into_iter()
        .map(|found| CheckFailure::NotChatwoot {
            path: "/api".into(),
            found,
        });
    let bodies = bodies
        .into_iter()
        .map(|found| CheckFailure::UnexpectedBody {
            method: "GET",
            path: "/api/v1/profile".into(),
            found,
        });
    let refused = CheckFailure::InboxRefused {
        name: "WhatsApp sales".into(),
        reason: None,
    };
    let roles = [RoleFound::NotGiven, RoleFound::RefusedInboxChange].map(|role| {
        CheckFailure::NotAdministrator {
            account_id: 12,
            role,
        }
    });
    let redirects = [RedirectTo::NoLocation, RedirectTo::UnreadableLocation].map(|location| {
        CheckFailure::Redirected {
            method: "GET",
            path: "/api".into(),
            location,
        }
    });
    let details: Vec<_> = unreachable
        .chain(not_chatwoot)
        .chain(bodies)
        .chain([refused])
        .chain(roles)
        .chain(redirects)
        .collect();
    for failure in &details {
        listed(failure);
    }
    details
}

/// A kind added to one of these enums stops this compiling until it is
/// listed above, and so until its text is pinned in `today.txt`.
fn listed(failure: &CheckFailure) {
    use UnreachableReason as R;
    match failure {
        CheckFailure::Unreachable { reason } => match reason {
            R::ConnectionRefused | R::ConnectionReset | R::ConnectionAborted => {}
            R::NetworkUnreachable | R::HostUnreachable | R::AddressNotAvailable => {}
            R::HostNotFound | R::TlsNotSpoken | R::Certificate { .. } => {}
            R::BrokeOff { .. } | R::NoHttpAnswer { .. } | R::Other { .. } => {}
        },
        CheckFailure::NotChatwoot { found, .. } => match found {
            NotChatwootAnswer::Status { .. } | NotChatwootAnswer::TooLarge { .. } => {}
            NotChatwootAnswer::Html | NotChatwootAnswer::Empty => {}
            NotChatwootAnswer::NotJson | NotChatwootAnswer::NoVersion => {}
            NotChatwootAnswer::NotAnObject => {}
        },
        CheckFailure::UnexpectedBody { found, .. } => match found {
            BodyFound::TooLarge { .. } | BodyFound::NotJson => {}
            BodyFound::ProfileWithoutAccounts | BodyFound::InboxNotAnObject => {}
            BodyFound::InboxListWithoutPayload | BodyFound::AgentBotWithoutId => {}
            BodyFound::InboxWithoutId | BodyFound::InboxIdNotPositive { .. } => {}
            BodyFound::InboxWithoutChannelType => {}
        },
        CheckFailure::Redirected { location, .. } => match location {
            RedirectTo::Url(_) | RedirectTo::NoLocation | RedirectTo::UnreadableLocation => {}
        },
        CheckFailure::NotAdministrator { role, .. } => match role {
            RoleFound::Named(_) | RoleFound::NotGiven | RoleFound::RefusedInboxChange => {}
        },
        _ => {}
    }
}
