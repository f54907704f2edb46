//! What Chatwoot's answers mean: the version it announces, the accounts of a
//! token's user and their role, inboxes, and the reasons it gives for a
//! refusal.

use domain::{InboxId, SigningSecret};
use serde::Deserialize;
use serde_json::Value;

use super::exchange::truncate;

/// Longest version string kept; a real one is like `4.1.0`.
const MAX_VERSION_CHARS: usize = 40;
/// Accounts listed in a message; a user rarely has more.
const MAX_LISTED_ACCOUNTS: usize = 20;

/// The version from `GET /api`, or what came instead, worded to follow
/// "GET /api ...".
pub(crate) fn version(content_type: Option<&str>, body: &[u8]) -> Result<String, String> {
    let looks_like_html = content_type.is_some_and(|ct| ct.starts_with("text/html"))
        || body.trim_ascii_start().first() == Some(&b'<');
    let json: Value = match serde_json::from_slice(body) {
        Ok(json) => json,
        Err(_) if looks_like_html => return Err("answered an HTML page".to_owned()),
        Err(_) if body.trim_ascii().is_empty() => return Err("answered an empty body".to_owned()),
        Err(_) => return Err("answered something that is not JSON".to_owned()),
    };
    let found = match json.get("version") {
        Some(Value::String(text)) => text.trim().to_owned(),
        Some(Value::Number(number)) => number.to_string(),
        _ if json.is_object() => return Err("answered JSON without a version".to_owned()),
        _ => return Err("answered JSON that is not an object".to_owned()),
    };
    let found: String = found
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_VERSION_CHARS)
        .collect();
    Ok(if found.is_empty() {
        "(version not given)".to_owned()
    } else {
        found
    })
}

/// One account of the token's user, as the profile lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Account {
    pub(crate) id: i64,
    pub(crate) name: Option<String>,
    /// `administrator` or `agent` (or a custom role's name).
    pub(crate) role: Option<String>,
    /// `status: "suspended"` (`Account#status`; else `active`).
    pub(crate) suspended: bool,
}

/// The accounts in a `GET /api/v1/profile` answer, or why the answer is not
/// a profile.
pub(crate) fn profile_accounts(body: &[u8]) -> Result<Vec<Account>, String> {
    let json: Value =
        serde_json::from_slice(body).map_err(|_| "a body that is not JSON".to_owned())?;
    let accounts = json
        .get("accounts")
        .and_then(Value::as_array)
        .ok_or_else(|| "a profile without a list of accounts".to_owned())?;
    Ok(accounts
        .iter()
        .filter_map(|account| {
            let id = match account.get("id")? {
                Value::Number(number) => number.as_i64()?,
                Value::String(text) => text.parse().ok()?,
                _ => return None,
            };
            let text = |key: &str| {
                account
                    .get(key)
                    .and_then(Value::as_str)
                    .map(truncate)
                    .filter(|text| !text.is_empty())
            };
            Some(Account {
                id,
                name: text("name"),
                role: text("role"),
                suspended: text("status").as_deref() == Some("suspended"),
            })
        })
        .collect())
}

/// `1 (Acme), 2 (Support)`, or `none`.
pub(crate) fn describe_accounts(accounts: &[Account]) -> String {
    if accounts.is_empty() {
        return "none".to_owned();
    }
    let mut listed: Vec<String> = accounts
        .iter()
        .take(MAX_LISTED_ACCOUNTS)
        .map(|account| match &account.name {
            Some(name) => format!("{} ({name})", account.id),
            None => account.id.to_string(),
        })
        .collect();
    if accounts.len() > MAX_LISTED_ACCOUNTS {
        listed.push(format!("and {} more", accounts.len() - MAX_LISTED_ACCOUNTS));
    }
    listed.join(", ")
}

/// An inbox as `api/v1/models/_inbox.json.jbuilder` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Inbox {
    pub(crate) id: InboxId,
    pub(crate) name: String,
    /// `Channel::Api`, `Channel::Whatsapp`, ...
    pub(crate) channel_type: String,
    /// Only API inboxes have one; `None` when absent, null or empty.
    pub(crate) webhook_url: Option<String>,
    /// The webhook signing secret, which Chatwoot 4.13 and later shows
    /// administrators only; `None` when not shown (or not a secret).
    pub(crate) signing_secret: Option<SigningSecret>,
}

/// What Chatwoot 4.13 added to an API inbox's JSON
/// (`api/v1/models/_inbox.json.jbuilder`:
/// `json.secret resource.channel.try(:secret) if Current.account_user&.administrator?`).
#[derive(Deserialize)]
struct SignedInbox {
    #[serde(default)]
    secret: Option<String>,
}

/// `channel_type` of an API inbox.
pub(crate) const CHANNEL_API: &str = "Channel::Api";

impl Inbox {
    pub(crate) fn is_api(&self) -> bool {
        self.channel_type == CHANNEL_API
    }
}

/// The inbox in a `GET`, `POST` or `PATCH` answer about one inbox.
pub(crate) fn inbox(body: &[u8]) -> Result<Inbox, String> {
    let json: Value =
        serde_json::from_slice(body).map_err(|_| "a body that is not JSON".to_owned())?;
    inbox_of(&json)
}

/// The inboxes of `GET /api/v1/accounts/{a}/inboxes`: `{"payload": [...]}`.
pub(crate) fn inbox_list(body: &[u8]) -> Result<Vec<Inbox>, String> {
    let json: Value =
        serde_json::from_slice(body).map_err(|_| "a body that is not JSON".to_owned())?;
    json.get("payload")
        .and_then(Value::as_array)
        .ok_or_else(|| "a list of inboxes without a payload".to_owned())?
        .iter()
        .map(inbox_of)
        .collect()
}

fn inbox_of(json: &Value) -> Result<Inbox, String> {
    let id = json
        .get("id")
        .and_then(Value::as_i64)
        .ok_or_else(|| "an inbox without an id".to_owned())?;
    let id = InboxId::new(id).map_err(|_| format!("an inbox id {id}, which is not positive"))?;
    let channel_type = json
        .get("channel_type")
        .and_then(Value::as_str)
        .map(truncate)
        .ok_or_else(|| "an inbox without a channel_type".to_owned())?;
    let text = |key: &str| json.get(key).and_then(Value::as_str).map(truncate);
    Ok(Inbox {
        id,
        // As sent: it is compared with the name the user asked for.
        name: json
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        channel_type,
        webhook_url: text("webhook_url").filter(|url| !url.is_empty()),
        signing_secret: SignedInbox::deserialize(json)
            .ok()
            .and_then(|signed| signed.secret)
            .and_then(|raw| SigningSecret::parse(&raw).ok()),
    })
}

/// The agent bot of an inbox, as `GET .../inboxes/{i}/agent_bot` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct AgentBot {
    pub(crate) id: i64,
    pub(crate) name: Option<String>,
}

impl AgentBot {
    /// `"Captain" (id 7)`, or `id 7` when it has no name.
    pub(crate) fn describe(&self) -> String {
        match self.name.as_deref().map(truncate).filter(|n| !n.is_empty()) {
            Some(name) => format!("\"{name}\" (id {})", self.id),
            None => format!("id {}", self.id),
        }
    }
}

/// `{"agent_bot": {...}}`: a bot when the value has an `id`; an empty
/// object, `null` or no key at all means none.
#[derive(Deserialize)]
struct AgentBotAnswer {
    #[serde(default)]
    agent_bot: Option<AgentBotBlock>,
}

#[derive(Deserialize)]
struct AgentBotBlock {
    id: Option<i64>,
    name: Option<String>,
}

/// The inbox's agent bot, `None` without one, or why the answer is not
/// Chatwoot's.
pub(crate) fn agent_bot(body: &[u8]) -> Result<Option<AgentBot>, String> {
    let answer: AgentBotAnswer = serde_json::from_slice(body)
        .map_err(|_| "a body that is not an agent_bot object".to_owned())?;
    Ok(answer.agent_bot.and_then(|block| {
        block.id.map(|id| AgentBot {
            id,
            name: block.name,
        })
    }))
}

/// What Chatwoot says when it refuses a write: `message` of a 422
/// (`ActiveRecord::RecordInvalid`) or `error` of its other refusals.
pub(crate) fn refusal_text(body: &[u8]) -> Option<String> {
    let json: Value = serde_json::from_slice(body).ok()?;
    ["message", "error"]
        .iter()
        .find_map(|key| json.get(*key).and_then(Value::as_str))
        .map(truncate)
        .filter(|text| !text.is_empty())
}

/// Why Chatwoot answered 401, from the texts it sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// `{"error":"Invalid Access Token"}`
    InvalidToken,
    /// `{"error":"Access to this endpoint is not authorized for bots"}`:
    /// an agent bot or platform token.
    BotToken,
    /// `{"errors":["You need to sign in or sign up before continuing."]}`:
    /// Devise found no token at all, so the header was lost on the way.
    SignIn,
    /// `{"error":"You are not authorized to access this account"}`
    AccountForbidden,
    /// `{"error":"Account is suspended"}`
    AccountSuspended,
    /// `{"error":"You are not authorized to do this action"}`
    ActionForbidden,
    Unknown,
}

pub(crate) fn refusal(body: Option<&[u8]>) -> Refusal {
    let Some(body) = body else {
        return Refusal::Unknown;
    };
    let text = String::from_utf8_lossy(body).to_lowercase();
    if text.contains("not authorized for bots") {
        Refusal::BotToken
    } else if text.contains("invalid access token") {
        Refusal::InvalidToken
    } else if text.contains("sign in") {
        Refusal::SignIn
    } else if text.contains("account is suspended") {
        Refusal::AccountSuspended
    } else if text.contains("access this account") {
        Refusal::AccountForbidden
    } else if text.contains("do this action") {
        Refusal::ActionForbidden
    } else {
        Refusal::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_may_be_a_string_or_a_number() {
        let body = br#"{"version":"4.1.0","timestamp":"2025-06-12 13:21:06","queue_services":"ok","data_services":"ok"}"#;
        assert_eq!(
            version(Some("application/json"), body),
            Ok("4.1.0".to_owned())
        );
        assert_eq!(version(None, br#"{"version":3}"#), Ok("3".to_owned()));
    }

    #[test]
    fn what_came_instead_of_a_version_is_named() {
        assert_eq!(
            version(Some("text/html"), b"<!doctype html><html></html>"),
            Err("answered an HTML page".to_owned())
        );
        assert_eq!(
            version(None, b"  <html>"),
            Err("answered an HTML page".to_owned())
        );
        assert_eq!(
            version(None, b"hello"),
            Err("answered something that is not JSON".to_owned())
        );
        assert_eq!(version(None, b""), Err("answered an empty body".to_owned()));
        assert_eq!(
            version(None, br#"{"ok":true}"#),
            Err("answered JSON without a version".to_owned())
        );
        assert_eq!(
            version(None, br#"{"version":null}"#),
            Err("answered JSON without a version".to_owned())
        );
        assert_eq!(
            version(None, b"[1]"),
            Err("answered JSON that is not an object".to_owned())
        );
    }

    #[test]
    fn profile_accounts_are_read_with_their_names() {
        let body =
            br#"{"id":1,"accounts":[{"id":1,"name":"Acme","role":"administrator"},{"id":"7"}]}"#;
        let accounts = profile_accounts(body).unwrap();
        assert_eq!(describe_accounts(&accounts), "1 (Acme), 7");
        assert_eq!(accounts[0].role.as_deref(), Some("administrator"));
        assert_eq!(accounts[1].role, None);
        assert_eq!(describe_accounts(&[]), "none");
        assert!(profile_accounts(br#"{"id":1}"#).is_err());
    }

    #[test]
    fn inboxes_are_read_with_their_type_and_webhook() {
        let api = br#"{"id":3,"name":"WhatsApp","channel_type":"Channel::Api","webhook_url":"https://gw.example.com/hook","inbox_identifier":"x"}"#;
        assert_eq!(
            inbox(api),
            Ok(Inbox {
                id: InboxId::new(3).unwrap(),
                name: "WhatsApp".into(),
                channel_type: CHANNEL_API.into(),
                webhook_url: Some("https://gw.example.com/hook".into()),
                signing_secret: None,
            })
        );
        let signed = br#"{"id":3,"name":"a","channel_type":"Channel::Api","secret":"kN3vQ8rT5wY2zA6bC9dE1fG4"}"#;
        assert_eq!(
            inbox(signed)
                .unwrap()
                .signing_secret
                .map(|s| s.expose().to_owned()),
            Some("kN3vQ8rT5wY2zA6bC9dE1fG4".to_owned())
        );
        let odd = br#"{"id":3,"name":"a","channel_type":"Channel::Api","secret":7}"#;
        assert_eq!(inbox(odd).unwrap().signing_secret, None);
        for body in [
            &br#"{"id":3,"name":"a","channel_type":"Channel::Api","webhook_url":null}"#[..],
            br#"{"id":3,"name":"a","channel_type":"Channel::Api","webhook_url":""}"#,
            br#"{"id":3,"name":"a","channel_type":"Channel::WebWidget"}"#,
        ] {
            assert_eq!(inbox(body).unwrap().webhook_url, None);
        }
        assert_eq!(
            inbox(br#"{"id":3,"name":"a"}"#),
            Err("an inbox without a channel_type".into())
        );
        assert_eq!(
            inbox(br#"{"id":0,"channel_type":"Channel::Api"}"#),
            Err("an inbox id 0, which is not positive".into())
        );
        assert_eq!(inbox(b"<html>"), Err("a body that is not JSON".into()));
        let list = br#"{"payload":[{"id":1,"name":"a","channel_type":"Channel::Api"},{"id":2,"name":"b","channel_type":"Channel::Email"}]}"#;
        assert_eq!(
            inbox_list(list).map(|l| l.iter().map(|i| i.id.get()).collect::<Vec<_>>()),
            Ok(vec![1, 2])
        );
        assert_eq!(
            inbox_list(b"[]"),
            Err("a list of inboxes without a payload".into())
        );
    }

    #[test]
    fn an_agent_bot_is_an_object_with_an_id() {
        let bot = br#"{"agent_bot":{"id":7,"name":"Captain","description":"","outgoing_url":"https://bot.example.com","account_id":12}}"#;
        let found = agent_bot(bot).unwrap().unwrap();
        assert_eq!(found.describe(), "\"Captain\" (id 7)");
        assert_eq!(
            agent_bot(br#"{"agent_bot":{"id":7}}"#).map(|b| b.map(|b| b.describe())),
            Ok(Some("id 7".to_owned()))
        );
        for none in [
            &br#"{"agent_bot":{}}"#[..],
            br#"{"agent_bot":null}"#,
            br#"{}"#,
        ] {
            assert_eq!(
                agent_bot(none),
                Ok(None),
                "{}",
                String::from_utf8_lossy(none)
            );
        }
        for wrong in [
            &b"<html>"[..],
            br#"{"agent_bot":"x"}"#,
            br#"{"agent_bot":{"id":"7"}}"#,
        ] {
            assert!(
                agent_bot(wrong).is_err(),
                "{}",
                String::from_utf8_lossy(wrong)
            );
        }
    }

    #[test]
    fn a_suspended_account_is_read_from_its_status() {
        let body =
            br#"{"accounts":[{"id":1,"status":"suspended"},{"id":2,"status":"active"},{"id":3}]}"#;
        let suspended: Vec<bool> = profile_accounts(body)
            .unwrap()
            .iter()
            .map(|account| account.suspended)
            .collect();
        assert_eq!(suspended, [true, false, false]);
    }

    #[test]
    fn refusal_texts_are_taken_from_message_or_error() {
        assert_eq!(
            refusal_text(br#"{"message":"Name can't be blank","attributes":["name"]}"#),
            Some("Name can't be blank".into())
        );
        assert_eq!(
            refusal_text(br#"{"error":"Account limit exceeded"}"#),
            Some("Account limit exceeded".into())
        );
        assert_eq!(refusal_text(b"nope"), None);
    }

    #[test]
    fn chatwoot_refusals_are_told_apart() {
        let cases: [(&[u8], Refusal); 7] = [
            (
                br#"{"error":"Account is suspended"}"#,
                Refusal::AccountSuspended,
            ),
            (
                br#"{"error":"Invalid Access Token"}"#,
                Refusal::InvalidToken,
            ),
            (
                br#"{"error":"Access to this endpoint is not authorized for bots"}"#,
                Refusal::BotToken,
            ),
            (
                br#"{"errors":["You need to sign in or sign up before continuing."]}"#,
                Refusal::SignIn,
            ),
            (
                br#"{"error":"You are not authorized to access this account"}"#,
                Refusal::AccountForbidden,
            ),
            (
                br#"{"error":"You are not authorized to do this action"}"#,
                Refusal::ActionForbidden,
            ),
            (b"nope", Refusal::Unknown),
        ];
        for (body, expected) in cases {
            assert_eq!(refusal(Some(body)), expected);
        }
        assert_eq!(refusal(None), Refusal::Unknown);
    }
}
