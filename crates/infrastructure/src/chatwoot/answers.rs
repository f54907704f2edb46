//! What Chatwoot's answers mean, read with serde: the version it announces,
//! the accounts of a token's user and their role, inboxes, agent bots, and
//! the reasons it gives for a refusal. Optional texts that come as another
//! type read as absent, as a lenient reader of Chatwoot's JSON would.

use std::collections::HashMap;

use application::{BodyFound, CheckFailure, Named, NotChatwootAnswer};
use domain::{InboxId, SigningSecret};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::{Deserialize, Deserializer};

use super::exchange::truncate;

/// Longest version string kept; a real one is like `4.1.0`.
const MAX_VERSION_CHARS: usize = 40;

/// A value of type `T`, or `None` when it is absent or of another type.
#[derive(Default)]
struct Loose<T>(Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Loose<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Any<T> {
            Is(T),
            Other(IgnoredAny),
        }
        Ok(Self(match Any::deserialize(deserializer)? {
            Any::Is(value) => Some(value),
            Any::Other(_) => None,
        }))
    }
}

/// `body` as `T`; `shape` is what it was instead when it is JSON.
fn read<T: DeserializeOwned>(body: &[u8], shape: BodyFound) -> Result<T, BodyFound> {
    serde_json::from_slice(body).map_err(|error| {
        if error.is_data() {
            shape
        } else {
            BodyFound::NotJson
        }
    })
}

#[derive(Deserialize)]
#[serde(untagged)]
enum VersionText {
    Text(String),
    Number(serde_json::Number),
}

/// The version from `GET /api` (`{"version": "4.1.0", ...}`), or what came
/// instead.
pub(crate) fn version(
    content_type: Option<&str>,
    body: &[u8],
) -> Result<String, NotChatwootAnswer> {
    let looks_like_html = content_type.is_some_and(|ct| ct.starts_with("text/html"))
        || body.trim_ascii_start().first() == Some(&b'<');
    // A map reads from a JSON object only.
    let found = match serde_json::from_slice::<HashMap<String, Loose<VersionText>>>(body) {
        Ok(mut object) => object.remove("version").and_then(|version| version.0),
        Err(error) if error.is_data() => Err(NotChatwootAnswer::NotAnObject)?,
        Err(_) if looks_like_html => Err(NotChatwootAnswer::Html)?,
        Err(_) if body.trim_ascii().is_empty() => Err(NotChatwootAnswer::Empty)?,
        Err(_) => Err(NotChatwootAnswer::NotJson)?,
    };
    let found = match found {
        Some(VersionText::Text(text)) => text.trim().to_owned(),
        Some(VersionText::Number(number)) => number.to_string(),
        None => Err(NotChatwootAnswer::NoVersion)?,
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
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct Account {
    /// A number, or its digits.
    #[serde(deserialize_with = "account_id")]
    pub(crate) id: i64,
    #[serde(default, deserialize_with = "shown")]
    pub(crate) name: Option<String>,
    /// `administrator` or `agent` (or a custom role's name).
    #[serde(default, deserialize_with = "shown")]
    pub(crate) role: Option<String>,
    /// `status: "suspended"` (`Account#status`; else `active`).
    #[serde(default, rename = "status", deserialize_with = "suspended")]
    pub(crate) suspended: bool,
}

fn account_id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Number(i64),
        Text(String),
    }
    match Id::deserialize(deserializer)? {
        Id::Number(id) => Ok(id),
        Id::Text(text) => text.parse().map_err(serde::de::Error::custom),
    }
}

/// A text as a message may echo it; `None` when empty or not a text.
fn shown<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    let text = Loose::<String>::deserialize(deserializer)?.0;
    Ok(text
        .map(|text| truncate(&text))
        .filter(|text| !text.is_empty()))
}

fn suspended<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Ok(shown(deserializer)?.as_deref() == Some("suspended"))
}

/// The accounts in a `GET /api/v1/profile` answer, or why the answer is not
/// a profile. An account without a readable id is left out.
pub(crate) fn profile_accounts(body: &[u8]) -> Result<Vec<Account>, BodyFound> {
    #[derive(Deserialize)]
    struct Profile {
        accounts: Vec<Loose<Account>>,
    }
    let profile: Profile = read(body, BodyFound::ProfileWithoutAccounts)?;
    Ok(profile.accounts.into_iter().filter_map(|a| a.0).collect())
}

/// An inbox as `api/v1/models/_inbox.json.jbuilder` writes it. `secret`
/// came with Chatwoot 4.13, shown to administrators only
/// (`json.secret resource.channel.try(:secret) if Current.account_user&.administrator?`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Inbox {
    pub(crate) id: InboxId,
    pub(crate) name: String,
    /// `Channel::Api`, `Channel::Whatsapp`, ...
    pub(crate) channel_type: String,
    /// Only API inboxes have one; `None` when absent, null or empty.
    pub(crate) webhook_url: Option<String>,
    /// `None` when not shown (or not a secret).
    pub(crate) signing_secret: Option<SigningSecret>,
}

/// An [`Inbox`] as read, before its rules.
#[derive(Default, Deserialize)]
#[serde(default)]
struct InboxJson {
    id: Loose<i64>,
    name: Loose<String>,
    channel_type: Loose<String>,
    #[serde(deserialize_with = "shown")]
    webhook_url: Option<String>,
    secret: Loose<String>,
}

impl TryFrom<InboxJson> for Inbox {
    type Error = BodyFound;

    fn try_from(json: InboxJson) -> Result<Self, BodyFound> {
        let id = json.id.0.ok_or(BodyFound::InboxWithoutId)?;
        let id = InboxId::new(id).map_err(|_| BodyFound::InboxIdNotPositive { id })?;
        let channel_type = json
            .channel_type
            .0
            .ok_or(BodyFound::InboxWithoutChannelType)?;
        Ok(Self {
            id,
            // As sent: it is compared with the name the user asked for.
            name: json.name.0.unwrap_or_default(),
            channel_type: truncate(&channel_type),
            webhook_url: json.webhook_url,
            signing_secret: json
                .secret
                .0
                .and_then(|raw| SigningSecret::parse(&raw).ok()),
        })
    }
}

/// `channel_type` of an API inbox.
pub(crate) const CHANNEL_API: &str = "Channel::Api";

impl Inbox {
    pub(crate) fn is_api(&self) -> bool {
        self.channel_type == CHANNEL_API
    }

    /// The inbox sends replies to `expected`, exactly.
    pub(crate) fn sends_to(&self, expected: &str) -> Result<(), CheckFailure> {
        if self.webhook_url.as_deref() == Some(expected) {
            return Ok(());
        }
        Err(CheckFailure::WebhookMismatch {
            inbox_id: self.id.get(),
            found: self.webhook_url.clone(),
            expected: expected.to_owned(),
        })
    }
}

/// The inbox in a `GET`, `POST` or `PATCH` answer about one inbox.
pub(crate) fn inbox(body: &[u8]) -> Result<Inbox, BodyFound> {
    read::<InboxJson>(body, BodyFound::InboxNotAnObject)?.try_into()
}

/// The inboxes of `GET /api/v1/accounts/{a}/inboxes`: `{"payload": [...]}`.
pub(crate) fn inbox_list(body: &[u8]) -> Result<Vec<Inbox>, BodyFound> {
    #[derive(Deserialize)]
    struct InboxList {
        payload: Vec<InboxJson>,
    }
    let list: InboxList = read(body, BodyFound::InboxListWithoutPayload)?;
    list.payload.into_iter().map(Inbox::try_from).collect()
}

/// The agent bot of an inbox, as `GET .../inboxes/{i}/agent_bot` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct AgentBot {
    /// Always there in a bot [`agent_bot`] returns.
    id: Option<i64>,
    name: Option<String>,
}

impl AgentBot {
    /// The bot as a message names it, its name as it may be echoed.
    pub(crate) fn named(self) -> Named {
        Named {
            id: self.id.unwrap_or_default(),
            name: self
                .name
                .map(|name| truncate(&name))
                .filter(|n| !n.is_empty()),
        }
    }
}

/// The inbox's agent bot from `{"agent_bot": {...}}`: a bot when it has an
/// `id`; an empty object, `null` or no key at all means none.
pub(crate) fn agent_bot(body: &[u8]) -> Result<Option<AgentBot>, BodyFound> {
    #[derive(Deserialize)]
    struct Answer {
        #[serde(default)]
        agent_bot: Option<AgentBot>,
    }
    let answer: Answer = read(body, BodyFound::AgentBotWithoutId)?;
    Ok(answer.agent_bot.filter(|bot| bot.id.is_some()))
}

/// What Chatwoot says when it refuses a write: `message` of a 422
/// (`ActiveRecord::RecordInvalid`) or `error` of its other refusals.
pub(crate) fn refusal_text(body: &[u8]) -> Option<String> {
    #[derive(Default, Deserialize)]
    #[serde(default)]
    struct Refused {
        message: Loose<String>,
        error: Loose<String>,
    }
    let refused: Refused = serde_json::from_slice(body).ok()?;
    let text = refused.message.0.or(refused.error.0)?;
    Some(truncate(&text)).filter(|text| !text.is_empty())
}

/// Why Chatwoot answered 401, from the texts it sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// `{"error":"Access to this endpoint is not authorized for bots"}`:
    /// an agent bot or platform token.
    BotToken,
    /// `{"error":"Invalid Access Token"}`
    InvalidToken,
    /// `{"errors":["You need to sign in or sign up before continuing."]}`:
    /// Devise found no token at all, so the header was lost on the way.
    SignIn,
    /// `{"error":"Account is suspended"}`
    AccountSuspended,
    /// `{"error":"You are not authorized to access this account"}`
    AccountForbidden,
    /// `{"error":"You are not authorized to do this action"}`, or a text
    /// not known (also one too long to read).
    Other,
}

/// The words that tell each refusal apart, tried in this order.
const REFUSALS: [(&str, Refusal); 5] = [
    ("not authorized for bots", Refusal::BotToken),
    ("invalid access token", Refusal::InvalidToken),
    ("sign in", Refusal::SignIn),
    ("account is suspended", Refusal::AccountSuspended),
    ("access this account", Refusal::AccountForbidden),
];

/// The refusal in a 401's body, `None` when it was too long to read.
pub(crate) fn refusal(body: Option<&[u8]>) -> Refusal {
    let text = body.map_or_else(String::new, |body| {
        String::from_utf8_lossy(body).to_lowercase()
    });
    let known = REFUSALS.into_iter().find(|(words, _)| text.contains(words));
    known.map_or(Refusal::Other, |(_, refusal)| refusal)
}
