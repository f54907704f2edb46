//! README's Troubleshooting table against the `CheckFailure`s: each row's
//! first cell is how one failure's message starts, `…` standing for what was
//! found. Every failure's message matches exactly one row, and every row
//! matches a failure, so the table can neither miss a failure nor keep one
//! that is gone.

use application::CheckFailure;

use crate::{table_rows, README};

/// One of each failure, the webhook one both with and without a webhook
/// found, as the two read differently.
fn every_failure() -> Vec<CheckFailure> {
    let failures = vec![
        CheckFailure::Unreachable {
            detail: "connection refused".into(),
        },
        CheckFailure::TimedOut { timeout_ms: 5000 },
        CheckFailure::Redirected {
            method: "GET",
            path: "/api".into(),
            location: "https://chat.example.com/api".into(),
        },
        CheckFailure::NotChatwoot {
            path: "/api".into(),
            detail: "answered HTML".into(),
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
            accessible: "1, 2".into(),
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
            address: "172.18.0.5".into(),
            kind: "private",
            version: "4.16.2-ce".into(),
        },
        CheckFailure::SigningSecretChanged { inbox_id: 3 },
        CheckFailure::AccountSuspended { account_id: 12 },
        CheckFailure::AgentBotForcesPending {
            inbox_id: 3,
            bot: "\"Triage\" (id 7)".into(),
        },
        CheckFailure::Throttled {
            url: "https://chat.example.com".into(),
            method: "GET",
            path: "/api".into(),
        },
        CheckFailure::SigningSecretNotStored { inbox_id: 3 },
        CheckFailure::NotAdministrator {
            account_id: 12,
            role: "agent".into(),
        },
        CheckFailure::InboxNameTaken {
            name: "WhatsApp sales".into(),
            inbox_id: 4,
            channel_type: "Channel::Email".into(),
        },
        CheckFailure::InboxRefused {
            name: "WhatsApp sales".into(),
            detail: "Name is too long".into(),
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
            detail: "a body that is not JSON".into(),
        },
        CheckFailure::TokenUnsendable,
        CheckFailure::CheckerFault {
            detail: "the TLS setup failed".into(),
        },
    ];
    // A failure added to the enum stops this compiling until it is listed
    // above, and so until README has its row.
    for failure in &failures {
        match failure {
            CheckFailure::Unreachable { .. }
            | CheckFailure::TimedOut { .. }
            | CheckFailure::Redirected { .. }
            | CheckFailure::NotChatwoot { .. }
            | CheckFailure::AddressNotAllowed { .. }
            | CheckFailure::TokenRejected { .. }
            | CheckFailure::BotToken { .. }
            | CheckFailure::TokenHeaderDropped { .. }
            | CheckFailure::AccountNotAccessible { .. }
            | CheckFailure::InboxNotFound { .. }
            | CheckFailure::InboxNotAssigned { .. }
            | CheckFailure::NotApiInbox { .. }
            | CheckFailure::WebhookMismatch { .. }
            | CheckFailure::PrivateWebhookTarget { .. }
            | CheckFailure::SigningSecretChanged { .. }
            | CheckFailure::SigningSecretNotStored { .. }
            | CheckFailure::AccountSuspended { .. }
            | CheckFailure::AgentBotForcesPending { .. }
            | CheckFailure::Throttled { .. }
            | CheckFailure::NotAdministrator { .. }
            | CheckFailure::InboxNameTaken { .. }
            | CheckFailure::InboxRefused { .. }
            | CheckFailure::ProvisioningOff
            | CheckFailure::UnexpectedAnswer { .. }
            | CheckFailure::UnexpectedBody { .. }
            | CheckFailure::TokenUnsendable
            | CheckFailure::CheckerFault { .. } => {}
        }
    }
    failures
}

/// The first cells of README's Troubleshooting table, without backticks.
fn documented_starts() -> Vec<&'static str> {
    table_rows(README, "Troubleshooting")
        .into_iter()
        .filter_map(|cells| cells.first().copied())
        .filter(|cell| cell.starts_with('`'))
        .map(|cell| cell.trim_matches('`'))
        .collect()
}

/// Whether `message` starts as `start` says: its pieces in order, the first
/// at the very start, `…` standing for at least one character.
fn starts_as(message: &str, start: &str) -> bool {
    let mut pieces = start.split('…');
    let first = pieces.next().unwrap_or_default();
    let Some(mut rest) = message.strip_prefix(first) else {
        return false;
    };
    for piece in pieces {
        let Some(found) = rest.get(1..).and_then(|after| after.find(piece)) else {
            return false;
        };
        rest = &rest[1 + found + piece.len()..];
    }
    true
}

#[test]
fn every_check_failure_has_exactly_one_row() {
    let starts = documented_starts();
    assert!(starts.len() >= 20, "read the table: {starts:?}");
    for failure in every_failure() {
        let message = failure.to_string();
        let rows: Vec<&&str> = starts
            .iter()
            .filter(|start| starts_as(&message, start))
            .collect();
        assert_eq!(
            rows.len(),
            1,
            "README's Troubleshooting rows for {message:?}: {rows:?}"
        );
    }
}

#[test]
fn every_row_is_a_check_failure() {
    let messages: Vec<String> = every_failure().iter().map(ToString::to_string).collect();
    for start in documented_starts() {
        assert!(
            messages.iter().any(|message| starts_as(message, start)),
            "README's Troubleshooting row {start:?} is no failure's message"
        );
    }
}

#[test]
fn a_start_matches_only_its_own_message() {
    assert!(starts_as(
        "inbox 3 does not exist in Chatwoot account 12",
        "inbox … does not exist in Chatwoot account"
    ));
    assert!(!starts_as(
        "inbox 3 is not assigned to the token's user",
        "inbox … does not exist in Chatwoot account"
    ));
    assert!(
        !starts_as("inbox  does not exist", "inbox … does not exist"),
        "… stands for at least one character"
    );
}
