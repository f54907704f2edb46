//! Values the cases store.

use application::{InstanceRepository, RepoError};
use domain::{
    AccountId, ChatwootAccessToken, HttpUrl, InboxId, Instance, InstanceId, InstanceName,
    IntegrationId, IntegrationOptions, IntegrationSettings, Timestamp, TokenHash,
};

/// A moment `offset` milliseconds after a fixed one that has milliseconds
/// of its own, so a store that rounds to seconds shows it.
pub fn at(offset: i64) -> Timestamp {
    Timestamp::from_millis(1_750_000_000_123 + offset).expect("a timestamp")
}

pub fn new_integration_id() -> IntegrationId {
    IntegrationId::new(uuid::Uuid::new_v4())
}

pub fn token(name: &str) -> TokenHash {
    TokenHash::of(&format!("token-of-{name}"))
}

/// Settings of account `account`, inbox `inbox` on one Chatwoot server.
pub fn settings(account: i64, inbox: Option<i64>, enabled: bool) -> IntegrationSettings {
    IntegrationSettings {
        enabled,
        account_id: AccountId::new(account).expect("account id"),
        inbox_id: inbox.map(|id| InboxId::new(id).expect("inbox id")),
        chatwoot_url: HttpUrl::parse("https://chat.example.com").expect("url"),
        access_token: ChatwootAccessToken::parse(&format!("token-{account}")).expect("token"),
        n8n_webhook: None,
        options: IntegrationOptions::default(),
    }
}

/// A new instance named `name`, created at `created`, stored with
/// [`token`] of its name.
pub async fn stored_instance<R: InstanceRepository>(
    repo: &R,
    name: &str,
    created: Timestamp,
) -> Instance {
    let instance = Instance {
        id: InstanceId::new(uuid::Uuid::new_v4()),
        name: InstanceName::parse(name).expect("name"),
        description: None,
        created_at: created,
        updated_at: created,
    };
    repo.create_instance(&instance, &token(name))
        .await
        .expect("instance stored");
    instance
}

/// Fails the test with the outcome unless it is the error `expected`.
pub fn assert_error<T: std::fmt::Debug>(
    outcome: Result<T, RepoError>,
    expected: fn(&RepoError) -> bool,
    what: &str,
) {
    match &outcome {
        Err(error) if expected(error) => {}
        _ => panic!("{what}: {outcome:?}"),
    }
}
