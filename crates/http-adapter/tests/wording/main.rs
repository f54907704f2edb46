//! The wording of what the application reports as data: every message as
//! the contract and the tests know it (`today`), the setting it names first
//! (`names`), the answers that carry it (`answers`), what a check found
//! (`details`), and README's Troubleshooting table against it
//! (`troubleshooting`).

mod answers;
mod details;
mod names;
mod today;
mod troubleshooting;

use application::{
    AddressKind, BodyFound, CheckFailure, InboxInUse, Named, NotChatwootAnswer, RedirectTo,
    RoleFound, Undetermined, UnreachableReason,
};
use domain::{InstanceId, SecretHidden};

/// One of each failure, the webhook one both with and without a webhook
/// found, as the two read differently.
pub fn every_failure() -> Vec<CheckFailure> {
    let failures = vec![
        CheckFailure::Unreachable {
            reason: UnreachableReason::ConnectionRefused,
        },
        CheckFailure::TimedOut { timeout_ms: 5000 },
        CheckFailure::Redirected {
            method: "GET",
            path: "/api".into(),
            location: RedirectTo::Url("https://chat.example.com/api".into()),
        },
        CheckFailure::NotChatwoot {
            path: "/api".into(),
            found: NotChatwootAnswer::Html,
        },
        CheckFailure::AddressNotAllowed {
            address: "10.0.0.5".into(),
        },
        CheckFailure::TokenRejected {
            version: "4.1.0".into(),
        },
        CheckFailure::BotToken {
            version: "4.1.0".into(),
        },
        CheckFailure::TokenHeaderDropped {
            version: "4.1.0".into(),
        },
        CheckFailure::AccountNotAccessible {
            account_id: 12,
            accessible: vec![Named { id: 1, name: None }, Named { id: 2, name: None }],
        },
        CheckFailure::InboxNotFound {
            account_id: 12,
            inbox_id: 3,
        },
        CheckFailure::InboxNotAssigned { inbox_id: 3 },
        CheckFailure::NotApiInbox {
            inbox_id: 3,
            channel_type: "Channel::WebWidget".into(),
        },
        CheckFailure::WebhookMismatch {
            inbox_id: 3,
            found: Some("https://old.example.com/hook".into()),
            expected: "https://gateway.example.com/hook/1".into(),
        },
        CheckFailure::WebhookMismatch {
            inbox_id: 3,
            found: None,
            expected: "https://gateway.example.com/hook/1".into(),
        },
        CheckFailure::PrivateWebhookTarget {
            host: "gateway".into(),
            addresses: vec!["172.18.0.5".parse().unwrap()],
            kind: AddressKind::Private,
            version: "4.16.2-ce".into(),
        },
        CheckFailure::SigningSecretChanged { inbox_id: 3 },
        CheckFailure::AccountSuspended { account_id: 12 },
        CheckFailure::AgentBotForcesPending {
            inbox_id: 3,
            bot: Named {
                id: 7,
                name: Some("Triage".into()),
            },
        },
        CheckFailure::Throttled {
            url: "https://chat.example.com".into(),
            method: "GET",
            path: "/api".into(),
        },
        CheckFailure::SigningSecretNotStored { inbox_id: 3 },
        CheckFailure::NotAdministrator {
            account_id: 12,
            role: RoleFound::Named("agent".into()),
        },
        CheckFailure::InboxNameTaken {
            name: "WhatsApp sales".into(),
            inbox_id: 4,
            channel_type: "Channel::Email".into(),
        },
        CheckFailure::InboxRefused {
            name: "WhatsApp sales".into(),
            reason: Some("Name is too long".into()),
        },
        CheckFailure::ProvisioningOff,
        CheckFailure::UnexpectedAnswer {
            method: "GET",
            path: "/api/v1/profile".into(),
            status: 502,
        },
        CheckFailure::UnexpectedBody {
            method: "GET",
            path: "/api/v1/profile".into(),
            found: BodyFound::NotJson,
        },
        CheckFailure::TokenUnsendable,
    ];
    // A failure added to the enum stops this compiling until it is listed
    // above, and so until README has its row.
    for failure in &failures {
        match failure {
            CheckFailure::Unreachable { .. } | CheckFailure::TimedOut { .. } => {}
            CheckFailure::Redirected { .. } | CheckFailure::NotChatwoot { .. } => {}
            CheckFailure::AddressNotAllowed { .. } | CheckFailure::TokenRejected { .. } => {}
            CheckFailure::BotToken { .. } | CheckFailure::TokenHeaderDropped { .. } => {}
            CheckFailure::AccountNotAccessible { .. } | CheckFailure::InboxNotFound { .. } => {}
            CheckFailure::InboxNotAssigned { .. } | CheckFailure::NotApiInbox { .. } => {}
            CheckFailure::WebhookMismatch { .. } | CheckFailure::PrivateWebhookTarget { .. } => {}
            CheckFailure::SigningSecretChanged { .. }
            | CheckFailure::SigningSecretNotStored { .. } => {}
            CheckFailure::AccountSuspended { .. } | CheckFailure::AgentBotForcesPending { .. } => {}
            CheckFailure::Throttled { .. } | CheckFailure::NotAdministrator { .. } => {}
            CheckFailure::InboxNameTaken { .. } | CheckFailure::InboxRefused { .. } => {}
            CheckFailure::ProvisioningOff | CheckFailure::UnexpectedAnswer { .. } => {}
            CheckFailure::UnexpectedBody { .. } | CheckFailure::TokenUnsendable => {}
        }
    }
    failures
}

/// One of each reason Chatwoot hides an inbox's signing secret.
pub fn every_hidden() -> Vec<SecretHidden> {
    vec![
        SecretHidden::ChatwootTooOld {
            version: "4.12.1".into(),
        },
        SecretHidden::NotAdministrator {
            role: Some("agent".into()),
        },
        SecretHidden::NotShown {
            version: "4.13.0".into(),
        },
    ]
}

/// One of each reason a check cannot be judged, the hidden secrets last.
pub fn every_undetermined() -> Vec<Undetermined> {
    let mut reasons = vec![
        Undetermined::HostUnresolved {
            host: "gateway.internal".into(),
        },
        Undetermined::LookupTimedOut {
            host: "gateway.internal".into(),
            timeout_ms: 2000,
        },
        Undetermined::VersionUnreadable {
            version: "nightly".into(),
        },
    ];
    reasons.extend(every_hidden().into_iter().map(Undetermined::SecretHidden));
    for reason in &reasons {
        // A reason added to the enum stops this compiling until it is
        // listed above, and so until its text is pinned in `today`.
        match reason {
            Undetermined::HostUnresolved { .. }
            | Undetermined::LookupTimedOut { .. }
            | Undetermined::VersionUnreadable { .. }
            | Undetermined::SecretHidden(_) => {}
        }
    }
    reasons
}

/// The instance that holds the inbox in `in_use`.
pub const HOLDER: &str = "9b2f6c1e-4d0a-4c3e-8a57-0f5e7c1d2b3a";

/// Inbox 2 of account 1 in use, found by `found_by_name` or given, its
/// holder found again or not.
pub fn in_use(found_by_name: Option<&str>, holder_found: bool) -> InboxInUse {
    InboxInUse {
        chatwoot_url: "https://chat.example.com".into(),
        account_id: 1,
        inbox_id: 2,
        holder: InstanceId::parse(HOLDER).filter(|_| holder_found),
        found_by_name: found_by_name.map(str::to_owned),
    }
}
