use actix_web::{web, HttpRequest, HttpResponse};
use application::{Ports, Services};

use crate::auth::Caller;
use crate::body::Valid;
use crate::dto::IntegrationBody;
use crate::error::{ApiError, ErrorBody};
use crate::metrics::note_check;
use crate::openapi::responses::{
    AuthenticatedRoute, InstancePath, JsonBody, NoInstance, NoIntegration, OtherInstance,
    RefusedSettings,
};
use crate::request::{SetIntegrationRequest, UpdateIntegrationRequest};

/// `POST .../chatwoot-integration`: Set Integration, 201.
#[utoipa::path(
    post,
    path = "/api/v2/instance/{instanceId}/chatwoot-integration",
    tag = "chatwoot-integration",
    operation_id = "setIntegration",
    summary = "Set Integration",
    description = "An upsert, atomic under concurrency: the body is the whole desired configuration. \
        When the result is enabled, the settings are first checked with the Chatwoot server \
        (URL, token, account, inbox); a failure is a 400 naming the setting and why.",
    params(InstancePath),
    request_body(content = SetIntegrationRequest, content_type = "application/json", description = "The whole desired configuration"),
    responses(
        (status = 201, description = "Saved: created, replaced, or brought back after a delete", body = IntegrationBody),
        AuthenticatedRoute, OtherInstance, NoInstance, RefusedSettings, JsonBody,
    )
)]
pub async fn set<P: Ports>(
    caller: Caller,
    services: web::Data<Services<P>>,
    req: HttpRequest,
    Valid(settings): Valid<SetIntegrationRequest>,
) -> Result<HttpResponse, ApiError> {
    let stored = services.set_integration(&caller.instance, settings).await;
    note_check(&req, &stored);
    let stored = stored?;
    Ok(HttpResponse::Created().json(IntegrationBody::from(&stored)))
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
    let stored = services.get_integration(&caller.instance).await?;
    Ok(HttpResponse::Ok().json(IntegrationBody::from(&stored)))
}

/// `PUT .../chatwoot-integration`: partial update, 200.
#[utoipa::path(
    put,
    path = "/api/v2/instance/{instanceId}/chatwoot-integration",
    tag = "chatwoot-integration",
    operation_id = "updateIntegration",
    summary = "Update the integration partially",
    description = "Absent fields keep their value; checked with Chatwoot again when the result is enabled.",
    params(InstancePath),
    request_body(content = UpdateIntegrationRequest, content_type = "application/json", description = "The fields to change"),
    responses(
        (status = 200, description = "Updated", body = IntegrationBody),
        (status = 409, description = "Concurrent updates kept changing the integration; try again", body = ErrorBody),
        AuthenticatedRoute, OtherInstance, NoIntegration, RefusedSettings, JsonBody,
    )
)]
pub async fn update<P: Ports>(
    caller: Caller,
    services: web::Data<Services<P>>,
    req: HttpRequest,
    Valid(patch): Valid<UpdateIntegrationRequest>,
) -> Result<HttpResponse, ApiError> {
    let stored = services.update_integration(&caller.instance, patch).await;
    note_check(&req, &stored);
    let stored = stored?;
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
    let stored = services.delete_integration(&caller.instance).await?;
    Ok(HttpResponse::Ok().json(IntegrationBody::from(&stored)))
}
