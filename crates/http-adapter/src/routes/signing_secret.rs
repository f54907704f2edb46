//! `GET .../chatwoot-integration/webhook-secret`: the inbox's signing
//! secret, for the gateway to verify Chatwoot's webhooks.

use actix_web::{web, HttpResponse};
use application::{Ports, Services};

use crate::auth::Caller;
use crate::dto::WebhookSecretBody;
use crate::error::ApiError;
use crate::openapi::responses::{AuthenticatedRoute, InstancePath, OtherInstance};

/// `GET .../chatwoot-integration/webhook-secret`: 200, or 404 saying why.
#[utoipa::path(
    get,
    path = "/api/v2/instance/{instanceId}/chatwoot-integration/webhook-secret",
    tag = "chatwoot-integration",
    operation_id = "webhookSecret",
    summary = "Read the inbox's webhook signing secret",
    description = "Chatwoot 4.13 and later signs every webhook of an API inbox: \
        `X-Chatwoot-Signature: sha256=<hex HMAC-SHA256 of \"{X-Chatwoot-Timestamp}.{raw body}\">` \
        with this secret. It is read from the inbox (Chatwoot shows it to administrators \
        only) and stored, encrypted, by every enabled Set or PUT; the status's `signature` \
        check says when it changed in Chatwoot.",
    params(InstancePath),
    responses(
        (status = 200, description = "The stored secret and when it was stored", body = WebhookSecretBody),
        (status = 404, description = "No such instance (or a malformed id), no live integration, or no secret stored: the message says why (Chatwoot older than 4.13, a token that is not an administrator's, or a write that did not read the inbox) and what to do", body = crate::error::ErrorBody),
        AuthenticatedRoute, OtherInstance,
    )
)]
pub async fn get<P: Ports>(
    caller: Caller,
    services: web::Data<Services<P>>,
) -> Result<HttpResponse, ApiError> {
    let (secret, stored_at) = services.signing_secret_of(&caller.target).await?;
    Ok(HttpResponse::Ok()
        // A secret: no cache along the way may keep it.
        .insert_header(("Cache-Control", "no-store"))
        .json(WebhookSecretBody {
            secret: secret.expose().to_owned(),
            stored_at: stored_at.to_rfc3339(),
        }))
}
