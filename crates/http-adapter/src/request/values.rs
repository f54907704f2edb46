//! From one JSON value to one domain value, through the value type's own
//! `parse`, so every rule stays in the domain. Each error completes a
//! sentence whose subject is the member's name (`must be a string`).

use domain::ids::{IdError, IdInput};
use domain::{
    AccountId, ChatwootAccessToken, HttpUrl, InboxId, InboxName, InstanceDescription, InstanceName,
    StartConversationAs,
};
use serde_json::Value;

fn string(value: &Value) -> Result<&str, String> {
    value.as_str().ok_or_else(|| "must be a string".to_owned())
}

pub fn boolean(value: &Value) -> Result<bool, String> {
    value
        .as_bool()
        .ok_or_else(|| "must be a boolean value".to_owned())
}

/// A JSON integer or string of digits as the domain's id input; any other
/// JSON value is no id.
fn id_input(value: &Value) -> Result<IdInput<'_>, IdError> {
    match value {
        Value::Number(number) => match number.as_i64() {
            Some(integer) => Ok(IdInput::Integer(integer)),
            None => number.as_f64().map(IdInput::Number).ok_or(IdError),
        },
        Value::String(digits) => Ok(IdInput::Digits(digits)),
        _ => Err(IdError),
    }
}

/// An id member read by its domain type's own `parse`.
macro_rules! id {
    ($($name:ident: $type:ty),*) => {$(
        pub fn $name(value: &Value) -> Result<$type, String> {
            id_input(value).and_then(<$type>::parse).map_err(|error| error.to_string())
        }
    )*};
}

id!(account_id: AccountId, inbox_id: InboxId);

/// A string member read by its domain type's own `parse`.
macro_rules! text {
    ($($name:ident: $type:ty),*) => {$(
        pub fn $name(value: &Value) -> Result<$type, String> {
            <$type>::parse(string(value)?).map_err(|error| error.to_string())
        }
    )*};
}

text!(
    url: HttpUrl,
    access_token: ChatwootAccessToken,
    inbox_name: InboxName,
    instance_name: InstanceName,
    instance_description: InstanceDescription,
    start_conversation_as: StartConversationAs
);
