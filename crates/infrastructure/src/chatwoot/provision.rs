//! autoCreate over HTTP: find the account's API inbox by name, or create
//! it, with its webhook pointing at the gateway.

use application::{CheckFailure, CheckReport, InboxRequest, ProvisionedInbox, ADMINISTRATOR};
use domain::{InboxId, IntegrationSettings};
use reqwest::{Method, StatusCode};
use serde_json::json;

use super::answers::{self, Inbox};
use super::exchange::{Answer, Body};
use super::http_checker::{inboxes_endpoint, unexpected_status, HttpChatwootChecker, Session};

impl HttpChatwootChecker {
    pub(super) async fn provision(
        &self,
        request: &InboxRequest<'_>,
    ) -> Result<ProvisionedInbox, CheckFailure> {
        let settings = request.settings;
        let session = self.administrator_session(settings).await?;
        // Before any write: an inbox wired to a URL Chatwoot will not call
        // would lose every reply.
        session.webhook_target(request.webhook_url).await?;

        let name = request.name.as_str();
        let inboxes = self.list_inboxes(&session, settings).await?;
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
                signing_secret: session.secret_seen(settings, api.signing_secret.clone()),
            });
        }
        if let Some(other) = same_name().min_by_key(|inbox| inbox.id.get()) {
            return Err(CheckFailure::InboxNameTaken {
                name: name.to_owned(),
                inbox_id: other.id.get(),
                channel_type: other.channel_type.clone(),
            });
        }
        let created = self.create_inbox(&session, request).await?;
        Ok(ProvisionedInbox {
            id: created.id,
            needs_webhook: false,
            signing_secret: session.secret_seen(settings, created.signing_secret),
        })
    }

    pub(super) async fn point(
        &self,
        request: &InboxRequest<'_>,
        inbox: InboxId,
    ) -> Result<(), CheckFailure> {
        let settings = request.settings;
        let session = self.administrator_session(settings).await?;
        self.set_webhook(&session, settings, inbox, request.webhook_url)
            .await
            .map(drop)
    }

    /// The same steps as the check up to the account, so the same failures
    /// (which step failed does not matter here), then the administrator's
    /// role that changing inboxes needs.
    async fn administrator_session(
        &self,
        settings: &IntegrationSettings,
    ) -> Result<Session<'_>, CheckFailure> {
        let session = self
            .open(settings, &mut CheckReport::new())
            .await
            .map_err(|(_, failure)| failure)?;
        require_administrator(&session, settings)?;
        Ok(session)
    }

    /// `GET /api/v1/accounts/{a}/inboxes`: every inbox of the account, for
    /// an administrator.
    async fn list_inboxes(
        &self,
        session: &Session<'_>,
        settings: &IntegrationSettings,
    ) -> Result<Vec<Inbox>, CheckFailure> {
        let answer = session
            .exchange
            .get(
                inboxes_endpoint(settings, None),
                Some(&settings.access_token),
            )
            .await?;
        let answer = accepted(session, settings, answer).await?;
        self.read(answer, answers::inbox_list).await
    }

    /// `PATCH /api/v1/accounts/{a}/inboxes/{i}` with the new webhook. The
    /// answer must show it: a Chatwoot that ignored the change would leave
    /// replies going elsewhere. Returns the inbox as changed.
    async fn set_webhook(
        &self,
        session: &Session<'_>,
        settings: &IntegrationSettings,
        inbox_id: InboxId,
        webhook_url: &str,
    ) -> Result<Inbox, CheckFailure> {
        let body = json!({ "channel": { "webhook_url": webhook_url } });
        let url = inboxes_endpoint(settings, Some(inbox_id.get()));
        let answer = session
            .exchange
            .send_json(Method::PATCH, url, &settings.access_token, &body)
            .await?;
        let answer = accepted(session, settings, answer).await?;
        let updated = self.read(answer, answers::inbox).await?;
        if updated.webhook_url.as_deref() == Some(webhook_url) {
            return Ok(updated);
        }
        Err(CheckFailure::WebhookMismatch {
            inbox_id: inbox_id.get(),
            found: updated.webhook_url,
            expected: webhook_url.to_owned(),
        })
    }

    /// `POST /api/v1/accounts/{a}/inboxes` for an API inbox.
    async fn create_inbox(
        &self,
        session: &Session<'_>,
        request: &InboxRequest<'_>,
    ) -> Result<Inbox, CheckFailure> {
        let settings = request.settings;
        let body = json!({
            "name": request.name.as_str(),
            "channel": { "type": "api", "webhook_url": request.webhook_url }
        });
        let answer = session
            .exchange
            .send_json(
                Method::POST,
                inboxes_endpoint(settings, None),
                &settings.access_token,
                &body,
            )
            .await?;
        if answer.status == StatusCode::UNPROCESSABLE_ENTITY {
            // `ActiveRecord::RecordInvalid`: Chatwoot's rules for names.
            let detail = match answer.body().await? {
                Body::Complete(body) => answers::refusal_text(&body),
                Body::TooLarge => None,
            };
            return Err(CheckFailure::InboxRefused {
                name: request.name.as_str().to_owned(),
                detail: detail.unwrap_or_else(|| "HTTP 422".to_owned()),
            });
        }
        let answer = accepted(session, settings, answer).await?;
        self.read(answer, answers::inbox).await
    }
}

/// The answer when it is a success; Chatwoot's refusals as failures.
async fn accepted<'a>(
    session: &Session<'_>,
    settings: &IntegrationSettings,
    answer: Answer<'a>,
) -> Result<Answer<'a>, CheckFailure> {
    match answer.status {
        status if status.is_success() => Ok(answer),
        // The profile said administrator, yet Chatwoot refuses: the role
        // changed in between.
        StatusCode::UNAUTHORIZED => Err(session
            .refused(answer, settings, || CheckFailure::NotAdministrator {
                account_id: settings.account_id.get(),
                role: "not allowed to change inboxes".to_owned(),
            })
            .await),
        _ => Err(unexpected_status(&answer)),
    }
}

fn require_administrator(
    session: &Session<'_>,
    settings: &IntegrationSettings,
) -> Result<(), CheckFailure> {
    match session.role_in(settings) {
        Some(role) if role == ADMINISTRATOR => Ok(()),
        other => Err(CheckFailure::NotAdministrator {
            account_id: settings.account_id.get(),
            role: other.unwrap_or_else(|| "(none given)".to_owned()),
        }),
    }
}
