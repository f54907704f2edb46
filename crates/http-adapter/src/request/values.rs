//! From one JSON value to one domain value, through the value type's own
//! `parse`, so every rule stays in the domain. Each error completes a
//! sentence whose subject is the member's name (`must be a string`).

use domain::{
    AccountId, ChatwootAccessToken, HttpUrl, InboxId, InstanceDescription, InstanceName,
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

pub fn account_id(value: &Value) -> Result<AccountId, String> {
    AccountId::parse_json(value).map_err(|error| error.to_string())
}

pub fn inbox_id(value: &Value) -> Result<InboxId, String> {
    InboxId::parse_json(value).map_err(|error| error.to_string())
}

pub fn url(value: &Value) -> Result<HttpUrl, String> {
    HttpUrl::parse(string(value)?).map_err(|error| error.to_string())
}

pub fn access_token(value: &Value) -> Result<ChatwootAccessToken, String> {
    ChatwootAccessToken::parse(string(value)?).map_err(|error| error.to_string())
}

/// `must be one of the following values: open, pending`
pub fn start_conversation_as(value: &Value) -> Result<StartConversationAs, String> {
    StartConversationAs::parse(string(value)?).ok_or_else(|| {
        let values: Vec<&str> = StartConversationAs::ALL
            .iter()
            .map(|value| value.as_str())
            .collect();
        format!("must be one of the following values: {}", values.join(", "))
    })
}

pub fn instance_name(value: &Value) -> Result<InstanceName, String> {
    InstanceName::parse(string(value)?).map_err(|error| error.to_string())
}

pub fn instance_description(value: &Value) -> Result<InstanceDescription, String> {
    InstanceDescription::parse(string(value)?).map_err(|error| error.to_string())
}
