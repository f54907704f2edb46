//! What the double knows: accounts, users and inboxes.

/// A user's role in an account (`account_users.role`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Administrator,
    Agent,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Administrator => "administrator",
            Self::Agent => "agent",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct User {
    pub(crate) token: String,
    pub(crate) memberships: Vec<(i64, Role)>,
    /// An agent bot's token: refused by user-only endpoints.
    pub(crate) bot: bool,
}

impl User {
    pub(crate) fn role_in(&self, account_id: i64) -> Option<Role> {
        self.memberships
            .iter()
            .find(|(id, _)| *id == account_id)
            .map(|(_, role)| *role)
    }
}

/// An inbox and its channel's settings that the gateway cares about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inbox {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub channel_type: String,
    /// Only API channels have one; `None` when not set.
    pub webhook_url: Option<String>,
    /// Tokens of the agents assigned to it.
    pub members: Vec<String>,
    /// The API channel's webhook signing secret (Chatwoot 4.13 and later:
    /// `WebhookSecretable`, `has_secure_token :secret`).
    pub secret: String,
}

impl Inbox {
    /// An API inbox with no agent assigned.
    pub fn api(id: i64, account_id: i64, name: &str, webhook_url: Option<&str>) -> Self {
        Self {
            id,
            account_id,
            name: name.to_owned(),
            channel_type: crate::CHANNEL_API.to_owned(),
            webhook_url: webhook_url.map(str::to_owned),
            members: Vec::new(),
            secret: secret_of(id, 0),
        }
    }

    /// An inbox of another channel type.
    pub fn of_type(id: i64, account_id: i64, name: &str, channel_type: &str) -> Self {
        Self {
            channel_type: channel_type.to_owned(),
            ..Self::api(id, account_id, name, None)
        }
    }
}

/// A secret of 24 letters and digits, as `has_secure_token` makes, that
/// differs for each inbox and each reset.
pub(crate) fn secret_of(inbox_id: i64, resets: u32) -> String {
    format!("whsec{inbox_id:0>9}R{resets:0>9}")
}

/// Whether a version (`4.16.2-ce`) is `major.minor` or later, by its
/// leading numbers.
pub(crate) fn at_least(version: &str, major: u32, minor: u32) -> bool {
    let mut numbers = version
        .split('.')
        .map(|part| {
            part.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
        .map(|digits| digits.parse::<u32>().unwrap_or(0));
    let found = (numbers.next().unwrap_or(0), numbers.next().unwrap_or(0));
    found >= (major, minor)
}

/// An agent bot connected to an inbox (`agent_bot_inboxes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentBot {
    pub id: i64,
    pub name: String,
}

/// When rack-attack answers 429 instead of the route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Throttle {
    Off,
    /// The next this many requests.
    Next(usize),
    Always,
}

pub(crate) struct State {
    pub(crate) prefix: String,
    pub(crate) version: String,
    pub(crate) accounts: Vec<(i64, String)>,
    /// Accounts whose `status` is `suspended`.
    pub(crate) suspended: Vec<i64>,
    pub(crate) users: Vec<User>,
    pub(crate) inboxes: Vec<Inbox>,
    /// Secrets reset so far, so that each reset gives a new one.
    pub(crate) secret_resets: u32,
    /// The bot of each inbox that has one, by inbox id.
    pub(crate) agent_bots: Vec<(i64, AgentBot)>,
    pub(crate) throttle: Throttle,
}

impl State {
    pub(crate) fn new(prefix: &str, version: &str) -> Self {
        Self {
            prefix: prefix.trim_end_matches('/').to_owned(),
            version: version.to_owned(),
            accounts: Vec::new(),
            suspended: Vec::new(),
            users: Vec::new(),
            inboxes: Vec::new(),
            secret_resets: 0,
            agent_bots: Vec::new(),
            throttle: Throttle::Off,
        }
    }

    /// `active` or `suspended` (`Account#status`).
    pub(crate) fn account_status(&self, id: i64) -> &'static str {
        if self.suspended.contains(&id) {
            "suspended"
        } else {
            "active"
        }
    }

    pub(crate) fn agent_bot(&self, inbox_id: i64) -> Option<&AgentBot> {
        self.agent_bots
            .iter()
            .find(|(inbox, _)| *inbox == inbox_id)
            .map(|(_, bot)| bot)
    }

    /// Whether this request is over the limit, counting it.
    pub(crate) fn take_throttled(&mut self) -> bool {
        match self.throttle {
            Throttle::Off => false,
            Throttle::Always => true,
            Throttle::Next(count) => {
                self.throttle = match count {
                    0 | 1 => Throttle::Off,
                    more => Throttle::Next(more - 1),
                };
                count > 0
            }
        }
    }

    /// Chatwoot 4.13 and later signs API inboxes' webhooks (chatwoot #13892).
    pub(crate) fn signs(&self) -> bool {
        at_least(&self.version, 4, 13)
    }

    pub(crate) fn account_name(&self, id: i64) -> String {
        self.accounts
            .iter()
            .find(|(account, _)| *account == id)
            .map_or_else(|| format!("Account {id}"), |(_, name)| name.clone())
    }

    pub(crate) fn inbox_mut(&mut self, id: i64) -> Option<&mut Inbox> {
        self.inboxes.iter_mut().find(|inbox| inbox.id == id)
    }

    pub(crate) fn next_inbox_id(&self) -> i64 {
        self.inboxes.iter().map(|inbox| inbox.id).max().unwrap_or(0) + 1
    }
}
