//! Every message, to the byte, as the contract, README and the API tests
//! know it (`today.txt`): a change of wording must be a change of that
//! file, made on purpose.

use application::signature::NoSigningSecret;
use application::{AddressKind, AppError, CheckFailure, StepOutcome};
use http_adapter::error::ApiError;
use http_adapter::wording;

use domain::SecretHidden;

use crate::details::every_detail;
use crate::{every_failure, every_hidden, every_undetermined, in_use};

/// The texts, one a line, under a `## section` heading each.
const TODAY: &str = include_str!("today.txt");

/// The lines of one section of `TODAY`.
fn today(section: &str) -> Vec<&'static str> {
    let heading = format!("## {section}\n");
    let start = TODAY
        .find(&heading)
        .unwrap_or_else(|| panic!("today.txt has {heading:?}"));
    TODAY[start + heading.len()..]
        .lines()
        .take_while(|line| !line.starts_with("## "))
        .filter(|line| !line.is_empty())
        .collect()
}

/// Each value as `word` words it, against the section's lines in order.
fn reads_as_before<T: std::fmt::Debug>(values: &[T], section: &str, word: impl Fn(&T) -> String) {
    let texts = today(section);
    assert_eq!(values.len(), texts.len(), "{section}");
    for (value, today) in values.iter().zip(texts) {
        assert_eq!(word(value), today, "{value:?}");
    }
}

/// What the status shows for a check that ended so.
fn shown(outcome: &StepOutcome) -> String {
    wording::outcome(outcome).expect("a message")
}

#[test]
fn every_check_failure_reads_as_before() {
    reads_as_before(&every_failure(), "failures", wording::check_failure);
    // A webhook host that is an address literal is not said to resolve.
    let literal = CheckFailure::PrivateWebhookTarget {
        host: "[fd00::5]".into(),
        addresses: vec!["fd00::5".parse().unwrap()],
        kind: AddressKind::Private,
        version: "4.14.0".into(),
    };
    reads_as_before(&[literal], "literal host", wording::check_failure);
}

/// What a check found where Chatwoot's answer was expected, each kind
/// once, reads as `today.txt` pins it.
#[test]
fn everything_a_check_found_reads_as_before() {
    reads_as_before(&every_detail(), "details", wording::check_failure);
    let no_role = SecretHidden::NotAdministrator { role: None };
    reads_as_before(&[no_role], "no role", wording::secret_hidden);
}

#[test]
fn every_undetermined_check_reads_as_before() {
    let reasons = every_undetermined();
    reads_as_before(&reasons, "undetermined", wording::undetermined);
    let outcomes: Vec<_> = reasons.into_iter().map(StepOutcome::Undetermined).collect();
    reads_as_before(&outcomes, "undetermined", shown);
}

#[test]
fn a_failed_check_shows_what_set_would_answer_and_others_show_nothing() {
    let outcomes: Vec<_> = every_failure()
        .into_iter()
        .map(StepOutcome::Failed)
        .collect();
    reads_as_before(&outcomes, "failures", shown);
    assert_eq!(wording::outcome(&StepOutcome::Passed), None);
    assert_eq!(wording::outcome(&StepOutcome::NotRun), None);
}

#[test]
fn every_missing_signing_secret_reads_as_before() {
    // Each hidden secret, then a write that did not read the inbox.
    let whys: Vec<_> = every_hidden()
        .into_iter()
        .map(Some)
        .chain([None])
        .map(NoSigningSecret)
        .collect();
    reads_as_before(&whys, "no signing secret", wording::no_signing_secret);
    reads_as_before(&whys, "no signing secret", |why| {
        ApiError::from(AppError::NoSigningSecret(why.clone()))
            .messages()
            .join("\n")
    });
}

#[test]
fn an_unpointed_webhook_and_an_unreadable_token_read_as_before() {
    let unpointed = AppError::WebhookNotPointed {
        inbox_id: 3,
        failure: CheckFailure::InboxNotAssigned { inbox_id: 3 },
    };
    assert_eq!(
        ApiError::from(unpointed).messages(),
        today("webhook not pointed")
    );
    assert_eq!(wording::TOKEN_KEY, today("token key")[0]);
    assert_eq!(
        ApiError::from(AppError::TokenKey).messages(),
        today("token key")
    );
}

/// No name or found by name, the holder found again or gone, each for the
/// admin and then for the instance.
#[test]
fn an_inbox_in_use_reads_as_before() {
    let cases = [
        (None, true),
        (None, false),
        (Some("Shared"), true),
        (Some("Shared"), false),
    ];
    let worded: Vec<String> = cases
        .into_iter()
        .flat_map(|(name, holder_found)| {
            let refused = in_use(name, holder_found);
            [true, false].map(|admin| wording::inbox_in_use(&refused, admin))
        })
        .collect();
    assert_eq!(worded, today("inbox in use"));
}
