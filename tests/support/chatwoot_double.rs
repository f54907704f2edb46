//! A Chatwoot server on loopback that answers as a healthy Chatwoot does
//! (the `chatwoot-double` crate) for one administrator: token
//! `cw-user-token`, accounts 12 and 7, API inbox 3 in account 12 with no
//! webhook yet. An agent of account 12 (`AGENT_TOKEN`) is assigned to inbox
//! 3. Tests add their own mocks for misconfigurations, or inboxes and users
//! through [`healthy_double`].

pub use ::chatwoot_double::{AgentBot, ChatwootDouble, DoubleHandle, Inbox, Role};
use wiremock::MockServer;

pub const TOKEN: &str = "cw-user-token";
pub const AGENT_TOKEN: &str = "cw-agent-token";
pub const ACCOUNT: i64 = 12;
pub const INBOX: i64 = 3;
pub const VERSION: &str = "4.1.0";

pub async fn healthy() -> MockServer {
    healthy_double().await.into_server()
}

/// The same Chatwoot, with the handle that adds users and inboxes to it.
pub async fn healthy_double() -> ChatwootDouble {
    let double = ChatwootDouble::start(VERSION).await;
    let accounts = [(ACCOUNT, "Main"), (7, "Other")];
    for (id, name) in accounts {
        double.add_account(id, name);
    }
    // The user of TOKEN administers every account.
    double.add_user(TOKEN, &accounts.map(|(id, _)| (id, Role::Administrator)));
    double.add_user(AGENT_TOKEN, &[(ACCOUNT, Role::Agent)]);
    double.add_inbox(Inbox::api(INBOX, ACCOUNT, "WhatsApp", None));
    double.assign(INBOX, AGENT_TOKEN);
    double
}
