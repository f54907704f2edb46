//! A Chatwoot server on loopback for tests, answering as Chatwoot's own code
//! does (`app/controllers/api/v1/accounts/inboxes_controller.rb`,
//! `app/policies/inbox_policy.rb`, `app/views/api/v1/models/_inbox.json.jbuilder`,
//! the profile view `app/views/api/v1/models/_user.json.jbuilder`,
//! `app/controllers/concerns/ensure_current_account_helper.rb`,
//! `app/views/api/v1/accounts/inboxes/agent_bot.json.jbuilder`,
//! `config/initializers/rack_attack.rb`): users with a role per account,
//! suspended accounts, inboxes with their channel type, webhook and agent
//! bot, rack-attack's throttling, and the refusals Chatwoot sends.
//!
//! The double is one low-priority wiremock responder, so a test can mount
//! its own answer for one path on [`ChatwootDouble::server`] and keep the
//! rest of a working Chatwoot.

mod answers;
mod routes;
mod state;

use std::sync::{Arc, Mutex, MutexGuard};

use wiremock::matchers::any;
use wiremock::{Mock, MockServer};

pub use state::{AgentBot, Inbox, Role};

/// `channel_type` of an API inbox, the only kind the gateway can use.
pub const CHANNEL_API: &str = "Channel::Api";
/// `channel_type` of a website live-chat inbox.
pub const CHANNEL_WEB_WIDGET: &str = "Channel::WebWidget";
/// `channel_type` of Chatwoot's own WhatsApp Cloud inbox.
pub const CHANNEL_WHATSAPP: &str = "Channel::Whatsapp";

/// Lower than wiremock's default (5), so a test's own mocks answer first.
const PRIORITY: u8 = 100;

pub struct ChatwootDouble {
    server: MockServer,
    state: Arc<Mutex<state::State>>,
}

impl ChatwootDouble {
    /// An empty Chatwoot of `version`, served at the root of its address.
    pub async fn start(version: &str) -> Self {
        Self::start_under("", version).await
    }

    /// The same, served under a path prefix such as `/chat`, as behind a
    /// reverse proxy.
    pub async fn start_under(prefix: &str, version: &str) -> Self {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(state::State::new(prefix, version)));
        Mock::given(any())
            .respond_with(routes::Chatwoot(Arc::clone(&state)))
            .with_priority(PRIORITY)
            .mount(&server)
            .await;
        Self { server, state }
    }

    /// The base URL, prefix included: what a user sets as `chatwootURL`.
    pub fn url(&self) -> String {
        format!("{}{}", self.server.uri(), self.state().prefix)
    }

    pub fn server(&self) -> &MockServer {
        &self.server
    }

    /// The server alone; it keeps answering as the double set it up.
    pub fn into_server(self) -> MockServer {
        self.server
    }

    /// What `GET /api` announces from now on (`ApiController#index`):
    /// from 4.13 API inboxes show administrators their signing secret.
    pub fn set_version(&self, version: &str) {
        self.state().version = version.to_owned();
    }

    /// Resets the inbox's signing secret, as `reset_secret!`
    /// (`app/models/concerns/webhook_secretable.rb`) does, and returns the
    /// new one.
    pub fn reset_secret(&self, inbox_id: i64) -> Option<String> {
        let mut state = self.state();
        state.secret_resets += 1;
        let secret = state::secret_of(inbox_id, state.secret_resets);
        state.inbox_mut(inbox_id)?.secret = secret.clone();
        Some(secret)
    }

    /// What changes in a Chatwoot after the gateway was set up: limits,
    /// suspensions, bots. The handle outlives [`Self::into_server`].
    pub fn handle(&self) -> DoubleHandle {
        DoubleHandle(Arc::clone(&self.state))
    }

    pub fn add_account(&self, id: i64, name: &str) {
        self.state().accounts.push((id, name.to_owned()));
    }

    /// A user with an access token and a role in each of `accounts`.
    pub fn add_user(&self, token: &str, accounts: &[(i64, Role)]) {
        self.state().users.push(state::User {
            token: token.to_owned(),
            memberships: accounts.to_vec(),
            bot: false,
        });
    }

    /// An agent bot's token, which the profile refuses.
    pub fn add_bot_token(&self, token: &str) {
        self.state().users.push(state::User {
            token: token.to_owned(),
            memberships: Vec::new(),
            bot: true,
        });
    }

    /// An inbox with a chosen id (Chatwoot's ids are unique across accounts).
    pub fn add_inbox(&self, inbox: Inbox) {
        self.state().inboxes.push(inbox);
    }

    /// Makes the user of `token` an agent of the inbox, so an agent can see it.
    pub fn assign(&self, inbox_id: i64, token: &str) {
        if let Some(inbox) = self.state().inbox_mut(inbox_id) {
            inbox.members.push(token.to_owned());
        }
    }

    pub fn inbox(&self, id: i64) -> Option<Inbox> {
        self.state().inboxes.iter().find(|i| i.id == id).cloned()
    }

    /// The inboxes of an account, by id.
    pub fn inboxes(&self, account_id: i64) -> Vec<Inbox> {
        let mut inboxes: Vec<Inbox> = self
            .state()
            .inboxes
            .iter()
            .filter(|i| i.account_id == account_id)
            .cloned()
            .collect();
        inboxes.sort_by_key(|i| i.id);
        inboxes
    }

    fn state(&self) -> MutexGuard<'_, state::State> {
        lock(&self.state)
    }
}

/// Changes to a running double, shared with the server that answers.
#[derive(Clone)]
pub struct DoubleHandle(Arc<Mutex<state::State>>);

impl DoubleHandle {
    /// Suspends the account (`Account#status` `suspended`): the profile
    /// lists it so, and its routes answer 401 `Account is suspended`.
    pub fn suspend_account(&self, id: i64) {
        lock(&self.0).suspended.push(id);
    }

    /// Connects an agent bot to the inbox (Settings, then Inboxes, then the
    /// inbox, then Bot Configuration), replacing any other.
    pub fn set_agent_bot(&self, inbox_id: i64, bot: AgentBot) {
        let mut state = lock(&self.0);
        state.agent_bots.retain(|(inbox, _)| *inbox != inbox_id);
        state.agent_bots.push((inbox_id, bot));
    }

    /// Every request answers rack-attack's 429 from now on (`true`), as
    /// when this service's IP is over `RACK_ATTACK_LIMIT`, or none (`false`).
    pub fn set_throttled(&self, on: bool) {
        lock(&self.0).throttle = if on {
            state::Throttle::Always
        } else {
            state::Throttle::Off
        };
    }

    /// The next `count` requests answer rack-attack's 429, the later ones
    /// as usual: a limit that a minute later has passed.
    pub fn throttle_next(&self, count: usize) {
        lock(&self.0).throttle = state::Throttle::Next(count);
    }
}

/// A test that panicked while holding the lock leaves the data as it was;
/// the other tests may still read it.
fn lock(state: &Mutex<state::State>) -> MutexGuard<'_, state::State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
