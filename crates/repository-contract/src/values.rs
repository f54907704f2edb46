//! Values the cases store.

use application::ports::Revision;
use application::{InstanceRepository, IntegrationRepository, RepoError};
use domain::{
    AccountId, ChatwootAccessToken, HttpUrl, InboxId, Instance, InstanceId, InstanceName,
    Integration, IntegrationId, IntegrationOptions, IntegrationSettings, SecretRecord, Timestamp,
    TokenHash,
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

/// A set of `settings` on `instance` at `when`, as a new integration would
/// be (a fresh id), with no signing secret read.
pub async fn set<R: IntegrationRepository>(
    repo: &R,
    instance: InstanceId,
    settings: &IntegrationSettings,
    when: Timestamp,
) -> Result<Integration, RepoError> {
    let id = new_integration_id();
    repo.upsert_integration(instance, id, settings, &SecretRecord::NotRead, when)
        .await
}

/// An update to `settings` based on the read at `revision`, with no signing
/// secret read.
pub async fn update<R: IntegrationRepository>(
    repo: &R,
    instance: InstanceId,
    revision: Revision,
    settings: &IntegrationSettings,
    when: Timestamp,
) -> Result<Integration, RepoError> {
    repo.update_integration(instance, revision, settings, &SecretRecord::NotRead, when)
        .await
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

/// The two instances most cases need: `sales` and `support`, both created
/// at `at(0)`.
pub async fn sales_and_support<R: InstanceRepository>(repo: &R) -> (Instance, Instance) {
    let sales = stored_instance(repo, "sales", at(0)).await;
    (sales, stored_instance(repo, "support", at(0)).await)
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
