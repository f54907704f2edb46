//! Serves a seeded Chatwoot on a loopback port until killed, for checks
//! that run the service as a process (the contract fuzzing of `.ci/run`):
//! account 12 with an administrator whose access token is
//! `cw-user-token`, and API inbox 3 in it with no webhook. Prints one JSON
//! line naming them and the base URL, then serves.

use chatwoot_double::{ChatwootDouble, Inbox, Role};

const VERSION: &str = "4.1.0";
const ACCOUNT: i64 = 12;
const TOKEN: &str = "cw-user-token";
const INBOX: i64 = 3;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let double = ChatwootDouble::start(VERSION).await;
    double.add_account(ACCOUNT, "Main");
    double.add_user(TOKEN, &[(ACCOUNT, Role::Administrator)]);
    double.add_inbox(Inbox::api(INBOX, ACCOUNT, "WhatsApp", None));
    let seeded = serde_json::json!({
        "url": double.url(),
        "accountId": ACCOUNT,
        "token": TOKEN,
        "inboxId": INBOX,
    });
    println!("{seeded}");
    std::future::pending::<()>().await;
}
