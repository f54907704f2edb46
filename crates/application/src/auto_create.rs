//! Set with `autoCreate`: the instance's API inbox is found or created in
//! Chatwoot, wired to `CHATWOOT_WEBHOOK_URL`, and its id stored.

use domain::{InboxName, Instance, Integration, IntegrationSettings, ValidationErrors};

use crate::chatwoot::{ChatwootChecker, InboxRequest};
use crate::error::AppError;
use crate::ports::{Clock, Ports};
use crate::services::Services;
use crate::signature;

/// Why `autoCreate` cannot go with a Set body that gives an inbox
/// (`with_inbox`) or that is not `enabled`, one message per reason, each
/// naming `autoCreate`; empty when it can. The same for every service: the
/// HTTP adapter lists them with the body's own violations.
pub fn auto_create_conflicts(with_inbox: bool, enabled: bool) -> Vec<String> {
    let mut conflicts = Vec::new();
    if with_inbox {
        conflicts.push(
            "autoCreate cannot go with inbox or inboxId: send an inbox id, or let autoCreate find or create the inbox"
                .to_owned(),
        );
    }
    if !enabled {
        conflicts.push(
            "autoCreate cannot go with enabled: false: a disabled integration is saved without asking Chatwoot"
                .to_owned(),
        );
    }
    conflicts
}

impl<P: Ports> Services<P> {
    /// Why this service cannot `autoCreate` at all, whatever the body:
    /// without `CHATWOOT_WEBHOOK_URL` a new inbox would not know where to
    /// send replies. The message names `autoCreate`.
    pub fn auto_create_unavailable(&self) -> Option<String> {
        self.webhook.is_none().then(|| {
            "autoCreate needs CHATWOOT_WEBHOOK_URL, which this service does not set: without it a new inbox would not know where to send replies"
                .to_owned()
        })
    }

    /// Why `autoCreate` cannot go with these settings on this service, one
    /// message per reason, each naming `autoCreate`; empty when it can.
    pub fn auto_create_violations(&self, settings: &IntegrationSettings) -> Vec<String> {
        let mut violations = auto_create_conflicts(settings.inbox_id.is_some(), settings.enabled);
        violations.extend(self.auto_create_unavailable());
        violations
    }

    /// Set with `autoCreate: true`: after the checks up to the account, the
    /// account's API inbox named `name` (by default the instance's name) is
    /// reused, or created with its webhook set to the instance's expected
    /// URL; the integration is then stored with that inbox. A retry after a
    /// failure finds the inbox by name instead of creating a second one.
    ///
    /// The database decides which instance holds an inbox, so a reused
    /// inbox is claimed (the integration stored) before its webhook is
    /// changed: a Set refused with 409, or one that loses a race for the
    /// inbox, changes nothing in Chatwoot, and the webhook ends up naming
    /// the instance that holds the inbox. When changing the webhook fails
    /// after the claim, the integration stays stored with the inbox and the
    /// answer says so ([`AppError::WebhookNotPointed`]); the same Set again
    /// finishes the job.
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
        settings.inbox_id = Some(inbox.id);
        let secret = signature::record(Some(&inbox.signing_secret), self.clock.now());
        let stored = self
            .store(instance, &settings, &secret)
            .await
            .map_err(|error| match error {
                AppError::InboxInUse(in_use) => AppError::InboxInUse(in_use.found_by_name(&name)),
                other => other,
            })?;
        if inbox.needs_webhook {
            let request = InboxRequest {
                settings: &settings,
                name: &name,
                webhook_url: &webhook_url,
            };
            self.checker
                .point_webhook(&request, inbox.id)
                .await
                .map_err(|failure| AppError::WebhookNotPointed {
                    inbox_id: inbox.id.get(),
                    failure,
                })?;
        }
        Ok(stored)
    }
}
