//! README's Troubleshooting table against the worded `CheckFailure`s: each
//! row's first cell is how one failure's message starts, `…` standing for
//! what was found. Every failure's message matches exactly one row, and
//! every row matches a failure, so the table can neither miss a failure nor
//! keep one that is gone.

use http_adapter::wording::check_failure;

use crate::every_failure;

const README: &str = include_str!("../../../../README.md");

/// The first cells of README's Troubleshooting table, without backticks.
fn documented_starts() -> Vec<&'static str> {
    let section = README
        .split("\n## Troubleshooting\n")
        .nth(1)
        .expect("README has a Troubleshooting section");
    let section = section.split("\n## ").next().unwrap_or(section);
    section
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|row| row.split_once("` |").map(|(start, _)| start))
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
        let message = check_failure(&failure);
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
    let messages: Vec<String> = every_failure().iter().map(check_failure).collect();
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
