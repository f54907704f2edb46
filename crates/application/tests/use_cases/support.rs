//! Values and arrangements the use case tests share.

use application::{AppError, CheckFailure, Principal};
use domain::{
    AccountId, ChatwootAccessToken, HttpUrl, InboxId, Instance, InstanceName, InstanceToken,
    Integration, IntegrationOptions, IntegrationSettings, NewInstance,
};

use crate::fakes::World;

/// `CHATWOOT_WEBHOOK_URL` of the tests that set one.
pub const WEBHOOK_TEMPLATE: &str = "https://gw.example.com/chatwoot/webhook/{instanceName}";
/// [`WEBHOOK_TEMPLATE`] expanded for the instance named `sales`.
pub const SALES_WEBHOOK: &str = "https://gw.example.com/chatwoot/webhook/sales";

/// The inbox of `settings` has no webhook, where the instance named
/// `sales` expects [`SALES_WEBHOOK`].
pub fn sales_webhook_missing() -> CheckFailure {
    CheckFailure::WebhookMismatch {
        inbox_id: 2,
        found: None,
        expected: SALES_WEBHOOK.into(),
    }
}

pub fn new_instance(name: &str) -> NewInstance {
    NewInstance {
        name: InstanceName::parse(name).unwrap(),
        description: None,
    }
}

/// Valid settings; `enabled` decides whether Set asks Chatwoot.
pub fn settings(enabled: bool) -> IntegrationSettings {
    IntegrationSettings {
        enabled,
        account_id: AccountId::new(1).unwrap(),
        inbox_id: Some(InboxId::new(2).unwrap()),
        chatwoot_url: HttpUrl::parse("https://chat.example.com").unwrap(),
        access_token: ChatwootAccessToken::parse("user-access-token").unwrap(),
        n8n_webhook: None,
        options: IntegrationOptions::default(),
    }
}

impl World {
    pub async fn instance(&self, name: &str) -> (Instance, InstanceToken) {
        self.services
            .create_instance(new_instance(name))
            .await
            .unwrap()
    }

    /// An instance with a live integration made of `settings(enabled)`; the
    /// journal and the checker start empty after it.
    pub async fn instance_with_integration(&self, enabled: bool) -> Instance {
        let (instance, _) = self.instance("gateway").await;
        self.set(&instance, enabled).await.unwrap();
        self.journal.clear();
        self.checker.forget();
        instance
    }

    /// Sets `settings(enabled)` as the instance's integration.
    pub async fn set(&self, instance: &Instance, enabled: bool) -> Result<Integration, AppError> {
        self.services
            .set_integration(instance, settings(enabled))
            .await
    }

    pub async fn principal(&self, token: &str) -> Principal {
        self.services.authenticate(token).await.unwrap()
    }
}
