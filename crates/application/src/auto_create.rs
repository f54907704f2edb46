//! Set with `autoCreate`: the instance's API inbox is found or created in
//! Chatwoot, wired to `CHATWOOT_WEBHOOK_URL`, and its id stored.

use domain::{InboxName, Instance, Integration, IntegrationSettings, WebhookUrlTemplate};

use crate::chatwoot::{InboxProvisioner, InboxRequest};
use crate::error::AppError;
use crate::ports::{Clock, Ports};
use crate::services::Services;
use crate::signature;

/// `autoCreate: true`, judged: only [`Services::judge_auto_create`] makes
/// one, so the Set that carries it is not judged again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoCreate {
    /// `nameInbox`, when given.
    pub name: Option<InboxName>,
    webhook: WebhookUrlTemplate,
}

/// Why `autoCreate` cannot go with a Set: what the body asks besides it,
/// and why this service cannot do it at all (listed after every other
/// violation of the body).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct AutoCreateRefused {
    /// The body gives an inbox too (under either name).
    pub with_inbox: bool,
    /// The body has `enabled: false`.
    pub disabled: bool,
    /// This service has no `CHATWOOT_WEBHOOK_URL`.
    pub no_webhook: bool,
}

impl AutoCreateRefused {
    /// The rules of `autoCreate`, the one place they are written: not with
    /// an inbox given, not with `enabled: false`, and only where
    /// `CHATWOOT_WEBHOOK_URL` is set.
    pub fn of(with_inbox: bool, enabled: bool, webhook_set: bool) -> Option<Self> {
        let refused = Self {
            with_inbox,
            disabled: !enabled,
            no_webhook: !webhook_set,
        };
        (refused != Self::default()).then_some(refused)
    }

    /// The refusal without what the body asks: only the service's own.
    pub fn by_service(self) -> Self {
        Self {
            no_webhook: self.no_webhook,
            ..Self::default()
        }
    }

    /// The refusal without the service's own reason.
    pub fn with_body(self) -> Self {
        Self {
            no_webhook: false,
            ..self
        }
    }
}

impl<P: Ports> Services<P> {
    /// Judges a Set's `autoCreate: true` on this service.
    pub fn judge_auto_create(
        &self,
        name: Option<InboxName>,
        with_inbox: bool,
        enabled: bool,
    ) -> Result<AutoCreate, AutoCreateRefused> {
        let refused = AutoCreateRefused::of(with_inbox, enabled, self.webhook.is_some());
        match (refused, &self.webhook) {
            (None, Some(webhook)) => Ok(AutoCreate {
                name,
                webhook: webhook.clone(),
            }),
            (refused, _) => Err(refused.unwrap_or_default()),
        }
    }

    /// Set with `autoCreate: true`: after the checks up to the account, the
    /// account's API inbox named `auto_create.name` (by default the instance's
    /// name) is
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
        auto_create: AutoCreate,
    ) -> Result<Integration, AppError> {
        let webhook_url = auto_create.webhook.expand(instance.id, &instance.name);
        let name = auto_create
            .name
            .unwrap_or_else(|| InboxName::from(&instance.name));
        let provisioner = self.provisioner().map_err(AppError::Chatwoot)?;
        let inbox = provisioner
            .provision_inbox(&InboxRequest {
                settings: &settings,
                name: &name,
                webhook_url: &webhook_url,
            })
            .await
            .map_err(AppError::Chatwoot)?;
        settings.inbox_id = Some(inbox.id);
        let secret = signature::record(Some(&inbox.signing_secret), self.clock.now());
        let stored =
            self.store(instance, &settings, &secret)
                .await
                .map_err(|error| match error {
                    AppError::InboxInUse(in_use) => {
                        AppError::InboxInUse(in_use.found_by_name(&name))
                    }
                    other => other,
                })?;
        if inbox.needs_webhook {
            let request = InboxRequest {
                settings: &settings,
                name: &name,
                webhook_url: &webhook_url,
            };
            provisioner
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
