//! Set with `autoCreate`: the instance's API inbox is found or created in
//! Chatwoot, wired to `CHATWOOT_WEBHOOK_URL`, and its id stored.

use domain::{InboxName, Instance, Integration, IntegrationSettings, ValidationErrors};

use crate::chatwoot::{ChatwootChecker, InboxRequest};
use crate::error::AppError;
use crate::ports::Ports;
use crate::services::Services;

impl<P: Ports> Services<P> {
    /// Why `autoCreate` cannot go with these settings on this service, one
    /// message per reason, each naming `autoCreate`; empty when it can. The
    /// HTTP adapter may list them with the body's own violations.
    pub fn auto_create_violations(&self, settings: &IntegrationSettings) -> Vec<String> {
        let mut violations = Vec::new();
        if settings.inbox_id.is_some() {
            violations.push(
                "autoCreate cannot go with inbox or inboxId: send an inbox id, or let autoCreate find or create the inbox"
                    .to_owned(),
            );
        }
        if !settings.enabled {
            violations.push(
                "autoCreate cannot go with enabled: false: a disabled integration is saved without asking Chatwoot"
                    .to_owned(),
            );
        }
        if self.webhook.is_none() {
            violations.push(
                "autoCreate needs CHATWOOT_WEBHOOK_URL, which this service does not set: without it a new inbox would not know where to send replies"
                    .to_owned(),
            );
        }
        violations
    }

    /// Set with `autoCreate: true`: after the checks up to the account, the
    /// account's API inbox named `name` (by default the instance's name) is
    /// reused, or created, with its webhook set to the instance's expected
    /// URL; the integration is then stored with that inbox. A retry after a
    /// failure finds the inbox by name instead of creating a second one.
    pub async fn set_integration_with_new_inbox(
        &self,
        instance: &Instance,
        mut settings: IntegrationSettings,
        name: Option<InboxName>,
    ) -> Result<Integration, AppError> {
        let violations = self.auto_create_violations(&settings);
        let (true, Some(webhook_url)) = (violations.is_empty(), self.expected_webhook(instance))
        else {
            return Err(AppError::Invalid(ValidationErrors::new(violations)));
        };
        let name = name.unwrap_or_else(|| InboxName::from(&instance.name));
        let inbox = self
            .checker
            .provision_inbox(&InboxRequest {
                settings: &settings,
                name: &name,
                webhook_url: &webhook_url,
            })
            .await
            .map_err(AppError::Chatwoot)?;
        settings.inbox_id = Some(inbox);
        self.store(instance, &settings).await
    }
}
