//! autoCreate over HTTP: find the account's API inbox by name, or create
//! it, with its webhook pointing at the gateway.

use application::{
    CheckFailure, CheckReport, InboxProvisioner, InboxRequest, ProvisionedInbox, RoleFound,
    ADMINISTRATOR,
};
use domain::{InboxId, IntegrationSettings};
use reqwest::{Method, StatusCode};
use serde_json::json;

use super::answers;
use super::exchange::Answer;
use super::http_checker::HttpChatwootChecker;
use super::session::Session;

impl InboxProvisioner for HttpChatwootChecker {
    async fn provision_inbox(
        &self,
        request: &InboxRequest<'_>,
    ) -> Result<ProvisionedInbox, CheckFailure> {
        logged(request, "inbox not provided", self.provide(request).await)
    }

    async fn point_webhook(
        &self,
        request: &InboxRequest<'_>,
        inbox: InboxId,
    ) -> Result<(), CheckFailure> {
        let pointed = self.point(request, inbox).await;
        logged(request, "webhook of an inbox not changed", pointed)
    }
}

fn logged<T>(
    request: &InboxRequest<'_>,
    what: &str,
    result: Result<T, CheckFailure>,
) -> Result<T, CheckFailure> {
    if let Err(failure) = &result {
        let url = request.settings.chatwoot_url.as_str();
        log::debug!("chatwoot {what} at {url}: {failure:?}");
    }
    result
}

impl HttpChatwootChecker {
    /// The answer must show the new webhook: a Chatwoot that ignored the
    /// change would leave replies going elsewhere.
    async fn point(&self, request: &InboxRequest<'_>, inbox: InboxId) -> Result<(), CheckFailure> {
        let session = self.administrator_session(request.settings).await?;
        let body = json!({ "channel": { "webhook_url": request.webhook_url } });
        let url = session.in_account(&["inboxes", &inbox.get().to_string()]);
        let answer = session.send(Method::PATCH, url, Some(&body)).await?;
        let updated = as_administrator(&session, answer).await?;
        updated
            .json(answers::inbox)
            .await?
            .sends_to(request.webhook_url)
    }

    async fn provide(&self, request: &InboxRequest<'_>) -> Result<ProvisionedInbox, CheckFailure> {
        let session = self.administrator_session(request.settings).await?;
        // Before any write: an inbox wired to a URL Chatwoot will not call
        // would lose every reply.
        session.webhook_target(request.webhook_url).await?;

        let name = request.name.as_str();
        let answer = session
            .send(Method::GET, session.in_account(&["inboxes"]), None)
            .await?;
        let inboxes = as_administrator(&session, answer).await?;
        let inboxes = inboxes.json(answers::inbox_list).await?;
        let same_name = || inboxes.iter().filter(|inbox| inbox.name == name);
        // Chatwoot allows two inboxes of one name; the oldest one wins, so
        // every retry picks the same.
        if let Some(api) = same_name()
            .filter(|inbox| inbox.is_api())
            .min_by_key(|inbox| inbox.id.get())
        {
            // Left as it is: another instance may hold it.
            return Ok(ProvisionedInbox {
                id: api.id,
                needs_webhook: api.webhook_url.as_deref() != Some(request.webhook_url),
                signing_secret: session.secret_seen(api.signing_secret.clone()),
            });
        }
        if let Some(other) = same_name().min_by_key(|inbox| inbox.id.get()) {
            return Err(CheckFailure::InboxNameTaken {
                name: name.to_owned(),
                inbox_id: other.id.get(),
                channel_type: other.channel_type.clone(),
            });
        }
        let body = json!({
            "name": name,
            "channel": { "type": "api", "webhook_url": request.webhook_url }
        });
        let url = session.in_account(&["inboxes"]);
        let answer = session.send(Method::POST, url, Some(&body)).await?;
        if answer.status == StatusCode::UNPROCESSABLE_ENTITY {
            // `ActiveRecord::RecordInvalid`: Chatwoot's rules for names.
            let body = answer.body().await?;
            return Err(CheckFailure::InboxRefused {
                name: name.to_owned(),
                reason: body.as_deref().and_then(answers::refusal_text),
            });
        }
        let created = as_administrator(&session, answer).await?;
        let created = created.json(answers::inbox).await?;
        Ok(ProvisionedInbox {
            id: created.id,
            needs_webhook: false,
            signing_secret: session.secret_seen(created.signing_secret),
        })
    }

    /// The same steps as the check up to the account, so the same failures
    /// (which step failed does not matter here), then the administrator's
    /// role that changing inboxes needs.
    async fn administrator_session<'a>(
        &'a self,
        settings: &'a IntegrationSettings,
    ) -> Result<Session<'a>, CheckFailure> {
        let session = self
            .open(settings, &mut CheckReport::new())
            .await
            .map_err(|(_, failure)| failure)?;
        match session.role() {
            Some(ADMINISTRATOR) => Ok(session),
            role => Err(CheckFailure::NotAdministrator {
                account_id: settings.account_id.get(),
                role: role.map_or(RoleFound::NotGiven, |role| {
                    RoleFound::Named(role.to_owned())
                }),
            }),
        }
    }
}

/// The answer to an administrator's request once Chatwoot accepted it. A
/// refusal of the request itself, where the profile said administrator,
/// means the role changed in between.
async fn as_administrator<'a>(
    session: &Session<'a>,
    answer: Answer<'a>,
) -> Result<Answer<'a>, CheckFailure> {
    let changed = CheckFailure::NotAdministrator {
        account_id: session.settings.account_id.get(),
        role: RoleFound::RefusedInboxChange,
    };
    session.accepted(answer, changed).await
}
