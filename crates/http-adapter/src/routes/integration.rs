use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use application::{AppError, Ports, Services};

use crate::auth::Caller;
use crate::body::Body;
use crate::dto::{IntegrationBody, IntegrationStatusBody};
use crate::error::{ApiError, ErrorBody};
use crate::openapi::responses::{
    AuthenticatedRoute, InstancePath, JsonBody, NoInstance, NoIntegration, OtherInstance,
    RefusedSettings,
};
use crate::request::{RequestBody, SetIntegrationRequest, UpdateIntegrationRequest};
use crate::wording;

/// `POST .../chatwoot-integration`: Set Integration, 201.
#[utoipa::path(
    post,
    path = "/api/v2/instance/{instanceId}/chatwoot-integration",
    tag = "chatwoot-integration",
    operation_id = "setIntegration",
    summary = "Set Integration",
    description = "An upsert, atomic under concurrency: the body is the whole desired configuration. \
        When the result is enabled, the settings are first checked with the Chatwoot server \
        (URL, token, account, inbox, its type and webhook); a failure is a 400 naming the \
        setting and why. When Chatwoot's rate limiter answers 429, nothing is saved and the \
        answer is a 503 with `Retry-After`. With `autoCreate: true` the account's API inbox named `nameInbox` is \
        found or created (its webhook set to `CHATWOOT_WEBHOOK_URL`) and its id stored; \
        an existing inbox's webhook is changed only once the integration holding it is \
        stored, so a 409 changes nothing in Chatwoot. \
        One Chatwoot inbox serves one live integration: another instance's on the same \
        inbox is a 409.",
    params(InstancePath),
    request_body(content = SetIntegrationRequest, content_type = "application/json", description = "The whole desired configuration"),
    responses(
        (status = 201, description = "Saved: created, replaced, or brought back after a delete", body = IntegrationBody),
        (status = 409, description = "Another instance's live integration uses the inbox (same chatwootURL, accountId and inbox); only the admin is told which instance", body = ErrorBody),
        AuthenticatedRoute, OtherInstance, NoInstance, RefusedSettings, JsonBody,
    )
)]
pub async fn set<P: Ports>(
    caller: Caller,
    services: web::Data<Services<P>>,
    Body(body): Body,
) -> Result<HttpResponse, ApiError> {
    let set = SetIntegrationRequest::parse_on(body, |name, with_inbox, enabled| {
        services.judge_auto_create(name, with_inbox, enabled)
    })
    .map_err(AppError::Invalid)?;
    let stored = match set.auto_create {
        Some(auto_create) => {
            services
                .set_integration_with_new_inbox(caller.instance(), set.settings, auto_create)
                .await
        }
        None => {
            services
                .set_integration(caller.instance(), set.settings)
                .await
        }
    };
    let stored = stored.map_err(|error| refusal(&caller, error))?;
    Ok(HttpResponse::Created().json(IntegrationBody::from(&stored)))
}

/// The error answer of a write: an inbox another instance uses is named
/// with that instance to the admin only, who may see every instance.
fn refusal(caller: &Caller, error: AppError) -> ApiError {
    match error {
        AppError::InboxInUse(in_use) if caller.principal.is_admin() => {
            ApiError::one(StatusCode::CONFLICT, wording::inbox_in_use(&in_use, true))
        }
        other => other.into(),
    }
}

/// `GET .../chatwoot-integration`: 200, or 404 if none or deleted.
#[utoipa::path(
    get,
    path = "/api/v2/instance/{instanceId}/chatwoot-integration",
    tag = "chatwoot-integration",
    operation_id = "getIntegration",
    summary = "Read the integration",
    params(InstancePath),
    responses(
        (status = 200, description = "The live integration", body = IntegrationBody),
        AuthenticatedRoute, OtherInstance, NoIntegration,
    )
)]
pub async fn get<P: Ports>(
    caller: Caller,
    services: web::Data<Services<P>>,
) -> Result<HttpResponse, ApiError> {
    let stored = services.integration_of(&caller.target).await?;
    Ok(HttpResponse::Ok().json(IntegrationBody::from(&stored)))
}

/// `PUT .../chatwoot-integration`: partial update, 200.
#[utoipa::path(
    put,
    path = "/api/v2/instance/{instanceId}/chatwoot-integration",
    tag = "chatwoot-integration",
    operation_id = "updateIntegration",
    summary = "Update the integration partially",
    description = "Absent fields keep their value; checked with Chatwoot again when the result is enabled \
        (a 429 from Chatwoot is a 503 with `Retry-After`, and nothing is changed).",
    params(InstancePath),
    request_body(content = UpdateIntegrationRequest, content_type = "application/json", description = "The fields to change"),
    responses(
        (status = 200, description = "Updated", body = IntegrationBody),
        (status = 409, description = "Another instance's live integration uses the inbox (only the admin is told which instance), or concurrent updates kept changing the integration (try again)", body = ErrorBody),
        AuthenticatedRoute, OtherInstance, NoIntegration, RefusedSettings, JsonBody,
    )
)]
pub async fn update<P: Ports>(
    caller: Caller,
    services: web::Data<Services<P>>,
    Body(body): Body,
) -> Result<HttpResponse, ApiError> {
    let patch = UpdateIntegrationRequest::parse(body).map_err(AppError::Invalid)?;
    let stored = services.update_integration_of(&caller.target, patch).await;
    let stored = stored.map_err(|error| refusal(&caller, error))?;
    Ok(HttpResponse::Ok().json(IntegrationBody::from(&stored)))
}

/// `DELETE .../chatwoot-integration`: soft delete, 200 with `deletedAt`.
#[utoipa::path(
    delete,
    path = "/api/v2/instance/{instanceId}/chatwoot-integration",
    tag = "chatwoot-integration",
    operation_id = "deleteIntegration",
    summary = "Delete the integration (soft)",
    description = "The row stays with `deletedAt` set; a later Set brings it back.",
    params(InstancePath),
    responses(
        (status = 200, description = "Deleted: the integration with `deletedAt` set", body = IntegrationBody),
        AuthenticatedRoute, OtherInstance, NoIntegration,
    )
)]
pub async fn delete<P: Ports>(
    caller: Caller,
    services: web::Data<Services<P>>,
) -> Result<HttpResponse, ApiError> {
    let stored = services.delete_integration(caller.instance()).await?;
    Ok(HttpResponse::Ok().json(IntegrationBody::from(&stored)))
}

/// `GET .../chatwoot-integration/status`: the checks, run now.
#[utoipa::path(
    get,
    path = "/api/v2/instance/{instanceId}/chatwoot-integration/status",
    tag = "chatwoot-integration",
    operation_id = "integrationStatus",
    summary = "Check the integration now",
    description = "Runs the checks of the live integration now, enabled or not, and writes \
        nothing. Answers 200 even when Chatwoot is down or slow: the run is bounded by the \
        Chatwoot timeout, and a check that failed carries the message Set would give. `ok` is \
        `null` for a check not run (an earlier one failed, no inbox, no `CHATWOOT_WEBHOOK_URL`) \
        or whose answer cannot be known, with a `message` saying why for the latter; with \
        `CHATWOOT_VERIFY=false` every `ok` and `healthy` are `null`. `webhookTarget`: Chatwoot \
        4.14 and later refuses webhooks to hosts without a public address, unless it runs with \
        `SAFE_FETCH_ALLOW_PRIVATE_NETWORK=true` (`CHATWOOT_ALLOWS_PRIVATE_WEBHOOKS` says it \
        does). `signature`: the inbox's signing secret (Chatwoot 4.13 and later) is the one \
        stored. `agentBot`: `false` when an agent bot makes Chatwoot open conversations as \
        `pending` while `startConversationAs` is `open`. `signature` and `agentBot` never refuse \
        a Set. A check that met Chatwoot's rate limiter (HTTP 429) is `false` with a message \
        saying so. The answer never shows a secret.",
    params(InstancePath),
    responses(
        (status = 200, description = "What the checks found", body = IntegrationStatusBody),
        AuthenticatedRoute, OtherInstance, NoIntegration,
    )
)]
pub async fn status<P: Ports>(
    caller: Caller,
    services: web::Data<Services<P>>,
) -> Result<HttpResponse, ApiError> {
    let status = services.integration_status_of(&caller.target).await?;
    Ok(HttpResponse::Ok().json(IntegrationStatusBody::from(&status)))
}
