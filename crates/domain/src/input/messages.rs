//! The words of the contract. A message is `<field> <predicate>`, the field
//! named by its wire name and dot path; a few messages are whole sentences.

use std::borrow::Cow;
use std::fmt::Display;

use garde::i18n::{
    DefaultI18n, I18n, InvalidCreditCard, InvalidEmail, InvalidPhoneNumber, InvalidUrl, IpKind,
};
use garde::Report;

use crate::error::ValidationErrors;
use crate::integration::StartConversationAs;

pub(super) const NOT_AN_OBJECT: &str = "body must be a JSON object";
pub(super) const NOT_AN_OBJECT_FIELD: &str = "must be an object";
pub(super) const NOT_A_BOOLEAN: &str = "must be a boolean value";
pub(super) const NOT_A_STRING: &str = "must be a string";
pub(super) const EMPTY: &str = "should not be empty";

/// `must be one of the following values: open, pending`
pub(super) fn one_of() -> String {
    let values: Vec<&str> = StartConversationAs::ALL
        .iter()
        .map(|value| value.as_str())
        .collect();
    format!("must be one of the following values: {}", values.join(", "))
}

/// `property {prefix}{key} should not exist`, listed after the known
/// fields at the same level.
pub(super) fn unknown_property(prefix: &str, key: &str) -> Sentence {
    Sentence {
        position: format!("{prefix}*"),
        text: format!("property {prefix}{key} should not exist"),
    }
}

pub(super) fn empty(field: &str) -> String {
    about(field, EMPTY)
}

/// `<field> <predicate>`; a struct-level rule of the top-level struct would
/// have an empty path, and then the predicate stands alone.
pub(super) fn about(field: &str, predicate: impl Display) -> String {
    if field.is_empty() {
        predicate.to_string()
    } else {
        format!("{field} {predicate}")
    }
}

/// A message that already names its subject (an unknown property, aliases
/// given together), which no field of a raw struct can hold. `position` is
/// the place in the field order where it is listed.
#[derive(Debug)]
pub(super) struct Sentence {
    pub(super) position: String,
    pub(super) text: String,
}

/// Every message of one body, in the contract's field order: `order` lists
/// the wire paths (`*` standing for unknown properties) in that order.
/// garde reports fields sorted by their Rust names, so its order is not kept.
pub(super) fn in_order<'s>(
    report: Option<Report>,
    sentences: impl IntoIterator<Item = &'s Sentence>,
    order: &[&str],
) -> Result<(), ValidationErrors> {
    let rank = |position: &str| {
        order
            .iter()
            .position(|known| *known == position)
            .unwrap_or(order.len())
    };
    let mut ranked: Vec<(usize, String)> = report
        .iter()
        .flat_map(Report::iter)
        .map(|(path, error)| {
            let path = path.to_string();
            (rank(&path), about(&path, error))
        })
        .chain(
            sentences
                .into_iter()
                .map(|sentence| (rank(&sentence.position), sentence.text.clone())),
        )
        .collect();
    if ranked.is_empty() {
        return Ok(());
    }
    // Stable: a field's own error stays ahead of a sentence at its position.
    ranked.sort_by_key(|(rank, _)| *rank);
    Err(ValidationErrors::new(
        ranked.into_iter().map(|(_, message)| message).collect(),
    ))
}

/// garde's built-in rules in the contract's words; only `required` is used.
pub(super) struct Wording;

impl I18n for Wording {
    fn required_not_set(&self) -> Cow<'static, str> {
        Cow::Borrowed(EMPTY)
    }

    fn length_lower_than(&self, min: usize) -> Cow<'static, str> {
        DefaultI18n.length_lower_than(min)
    }
    fn length_greater_than(&self, max: usize) -> Cow<'static, str> {
        DefaultI18n.length_greater_than(max)
    }
    fn range_lower_than(&self, min: &dyn Display) -> Cow<'static, str> {
        DefaultI18n.range_lower_than(min)
    }
    fn range_greater_than(&self, max: &dyn Display) -> Cow<'static, str> {
        DefaultI18n.range_greater_than(max)
    }
    fn credit_card_invalid(&self, reason: InvalidCreditCard) -> Cow<'static, str> {
        DefaultI18n.credit_card_invalid(reason)
    }
    fn pattern_no_match(&self, pattern: &dyn Display) -> Cow<'static, str> {
        DefaultI18n.pattern_no_match(pattern)
    }
    fn contains_missing(&self, pattern: &dyn Display) -> Cow<'static, str> {
        DefaultI18n.contains_missing(pattern)
    }
    fn url_invalid(&self, reason: InvalidUrl) -> Cow<'static, str> {
        DefaultI18n.url_invalid(reason)
    }
    fn prefix_missing(&self, pattern: &dyn Display) -> Cow<'static, str> {
        DefaultI18n.prefix_missing(pattern)
    }
    fn suffix_missing(&self, pattern: &dyn Display) -> Cow<'static, str> {
        DefaultI18n.suffix_missing(pattern)
    }
    fn phone_number_invalid(&self, reason: InvalidPhoneNumber) -> Cow<'static, str> {
        DefaultI18n.phone_number_invalid(reason)
    }
    fn ip_invalid(&self, kind: IpKind) -> Cow<'static, str> {
        DefaultI18n.ip_invalid(kind)
    }
    fn matches_field_mismatch(&self, field: &dyn Display) -> Cow<'static, str> {
        DefaultI18n.matches_field_mismatch(field)
    }
    fn email_invalid(&self, reason: InvalidEmail) -> Cow<'static, str> {
        DefaultI18n.email_invalid(reason)
    }
    fn ascii_invalid(&self) -> Cow<'static, str> {
        DefaultI18n.ascii_invalid()
    }
    fn alphanumeric_invalid(&self) -> Cow<'static, str> {
        DefaultI18n.alphanumeric_invalid()
    }
}
