//! From one JSON value to one domain value. The garde rules and the builders
//! both call these, so a value is accepted by the check exactly when it can
//! be built.

use garde::Error;
use serde_json::{Map, Value};

use super::messages;
use crate::error::ValidationErrors;
use crate::ids::{AccountId, InboxId};
use crate::instance::{InstanceDescription, InstanceName};
use crate::integration::StartConversationAs;
use crate::token::ChatwootAccessToken;
use crate::url::HttpUrl;

/// The error is the end of a sentence whose subject is the field's name.
pub(super) type Converted<T> = Result<T, Error>;

pub(super) fn boolean(value: &Value) -> Converted<bool> {
    value
        .as_bool()
        .ok_or_else(|| Error::new(messages::NOT_A_BOOLEAN))
}

pub(super) fn string(value: &Value) -> Converted<&str> {
    value
        .as_str()
        .ok_or_else(|| Error::new(messages::NOT_A_STRING))
}

pub(super) fn object(value: &Value) -> Converted<&Map<String, Value>> {
    value
        .as_object()
        .ok_or_else(|| Error::new(messages::NOT_AN_OBJECT_FIELD))
}

pub(super) fn account_id(value: &Value) -> Converted<AccountId> {
    AccountId::parse_json(value).map_err(Error::new)
}

pub(super) fn inbox_id(value: &Value) -> Converted<InboxId> {
    InboxId::parse_json(value).map_err(Error::new)
}

pub(super) fn url(value: &Value) -> Converted<HttpUrl> {
    HttpUrl::parse(string(value)?).map_err(Error::new)
}

pub(super) fn access_token(value: &Value) -> Converted<ChatwootAccessToken> {
    ChatwootAccessToken::parse(string(value)?).map_err(Error::new)
}

pub(super) fn start_conversation_as(value: &Value) -> Converted<StartConversationAs> {
    StartConversationAs::parse(string(value)?).ok_or_else(|| Error::new(messages::one_of()))
}

pub(super) fn instance_name(value: &Value) -> Converted<InstanceName> {
    InstanceName::parse(string(value)?).map_err(Error::new)
}

pub(super) fn instance_description(value: &Value) -> Converted<InstanceDescription> {
    InstanceDescription::parse(string(value)?).map_err(Error::new)
}

/// Builds a value the checks have already passed. A failure here would be a
/// bug in the checks; it is still answered as a validation error, never a
/// panic.
pub(super) fn checked<'a, T>(
    field: &str,
    value: &'a Value,
    convert: impl FnOnce(&'a Value) -> Converted<T>,
) -> Result<T, ValidationErrors> {
    convert(value).map_err(|error| ValidationErrors::single(messages::about(field, &error)))
}

/// An optional member: `None` stays `None`.
pub(super) fn optional<'a, T>(
    field: &str,
    value: Option<&'a Value>,
    convert: impl FnOnce(&'a Value) -> Converted<T>,
) -> Result<Option<T>, ValidationErrors> {
    value
        .map(|value| checked(field, value, convert))
        .transpose()
}

/// A member that must be there and not `null`.
pub(super) fn required<'a, T>(
    field: &str,
    value: Option<&'a Value>,
    convert: impl FnOnce(&'a Value) -> Converted<T>,
) -> Result<T, ValidationErrors> {
    let value = value.ok_or_else(|| ValidationErrors::single(messages::empty(field)))?;
    checked(field, value, convert)
}
