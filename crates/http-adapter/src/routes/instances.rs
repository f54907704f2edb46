use actix_web::{web, HttpResponse};
use application::{AppError, Ports, Services};

use crate::auth::{Admin, Caller};
use crate::body::Body;
use crate::dto::{CreatedInstanceBody, InstanceBody, TokenBody};
use crate::error::{ApiError, ErrorBody};
use crate::openapi::responses::{
    AdminOnly, AuthenticatedRoute, InstancePath, JsonBody, NoInstance, OtherInstance,
};
use crate::request::{CreateInstanceRequest, RequestBody};

/// `POST /api/v2/instance`: 201 with the token, shown only here.
#[utoipa::path(
    post,
    path = "/api/v2/instance",
    tag = "instances",
    operation_id = "createInstance",
    summary = "Create an instance",
    request_body(content = CreateInstanceRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Created; the token is shown only now", body = CreatedInstanceBody),
        (status = 400, description = "The body is invalid; every violation is listed", body = ErrorBody),
        (status = 409, description = "The name is taken", body = ErrorBody),
        AuthenticatedRoute, AdminOnly, JsonBody,
    )
)]
pub async fn create<P: Ports>(
    _admin: Admin,
    services: web::Data<Services<P>>,
    Body(body): Body,
) -> Result<HttpResponse, ApiError> {
    let new = CreateInstanceRequest::parse(body).map_err(AppError::Invalid)?;
    let (instance, token) = services.create_instance(new).await?;
    Ok(HttpResponse::Created().json(CreatedInstanceBody::new(&instance, &token)))
}

/// `GET /api/v2/instance`
#[utoipa::path(
    get,
    path = "/api/v2/instance",
    tag = "instances",
    operation_id = "listInstances",
    summary = "List the instances",
    responses(
        (status = 200, description = "Every instance, without tokens", body = Vec<InstanceBody>),
        AuthenticatedRoute, AdminOnly,
    )
)]
pub async fn list<P: Ports>(
    _admin: Admin,
    services: web::Data<Services<P>>,
) -> Result<HttpResponse, ApiError> {
    let instances = services.list_instances().await?;
    let body: Vec<InstanceBody> = instances.iter().map(InstanceBody::from).collect();
    Ok(HttpResponse::Ok().json(body))
}

/// `GET /api/v2/instance/{instanceId}`: the admin or the instance's own token.
#[utoipa::path(
    get,
    path = "/api/v2/instance/{instanceId}",
    tag = "instances",
    operation_id = "getInstance",
    summary = "Read an instance",
    params(InstancePath),
    responses(
        (status = 200, description = "The instance, without its token", body = InstanceBody),
        AuthenticatedRoute, OtherInstance, NoInstance,
    )
)]
pub async fn get(caller: Caller) -> HttpResponse {
    HttpResponse::Ok().json(InstanceBody::from(caller.instance()))
}

/// `DELETE /api/v2/instance/{instanceId}`: its integration goes with it.
#[utoipa::path(
    delete,
    path = "/api/v2/instance/{instanceId}",
    tag = "instances",
    operation_id = "deleteInstance",
    summary = "Delete an instance and its integration",
    params(InstancePath),
    responses(
        (status = 200, description = "Deleted; the instance as it was", body = InstanceBody),
        AuthenticatedRoute, AdminOnly, NoInstance,
    )
)]
pub async fn delete<P: Ports>(
    caller: Caller,
    services: web::Data<Services<P>>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin("delete instances")?;
    services.delete_instance(caller.instance().id).await?;
    Ok(HttpResponse::Ok().json(InstanceBody::from(caller.instance())))
}

/// `POST /api/v2/instance/{instanceId}/token`: the old token stops working now.
#[utoipa::path(
    post,
    path = "/api/v2/instance/{instanceId}/token",
    tag = "instances",
    operation_id = "rotateToken",
    summary = "Issue a new token for an instance",
    params(InstancePath),
    responses(
        (status = 200, description = "The new token; the old one no longer works", body = TokenBody),
        AuthenticatedRoute, AdminOnly, NoInstance,
    )
)]
pub async fn rotate_token<P: Ports>(
    caller: Caller,
    services: web::Data<Services<P>>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin("rotate tokens")?;
    let token = services.rotate_token(caller.instance().id).await?;
    Ok(HttpResponse::Ok().json(TokenBody {
        instance_id: caller.instance().id.to_string(),
        token: token.expose().to_owned(),
    }))
}
