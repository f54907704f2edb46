use actix_web::{web, HttpRequest, HttpResponse};
use application::{AppError, Ports, Services};
use domain::input::{parse_patch_body, parse_set_body};

use crate::auth::Caller;
use crate::body::read_json;
use crate::dto::IntegrationBody;
use crate::error::ApiError;

/// `POST .../chatwoot-integration`: Set Integration, 201.
pub async fn set<P: Ports>(
    caller: Caller,
    services: web::Data<Services<P>>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let body = read_json(req.headers(), payload).await?;
    let settings = parse_set_body(&body).map_err(AppError::Invalid)?;
    let stored = services.set_integration(&caller.instance, settings).await?;
    Ok(HttpResponse::Created().json(IntegrationBody::from(&stored)))
}

/// `GET .../chatwoot-integration`: 200, or 404 if none or deleted.
pub async fn get<P: Ports>(
    caller: Caller,
    services: web::Data<Services<P>>,
) -> Result<HttpResponse, ApiError> {
    let stored = services.get_integration(&caller.instance).await?;
    Ok(HttpResponse::Ok().json(IntegrationBody::from(&stored)))
}

/// `PUT .../chatwoot-integration`: partial update, 200.
pub async fn update<P: Ports>(
    caller: Caller,
    services: web::Data<Services<P>>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let body = read_json(req.headers(), payload).await?;
    let patch = parse_patch_body(&body).map_err(AppError::Invalid)?;
    let stored = services.update_integration(&caller.instance, patch).await?;
    Ok(HttpResponse::Ok().json(IntegrationBody::from(&stored)))
}

/// `DELETE .../chatwoot-integration`: soft delete, 200 with `deletedAt`.
pub async fn delete<P: Ports>(
    caller: Caller,
    services: web::Data<Services<P>>,
) -> Result<HttpResponse, ApiError> {
    let stored = services.delete_integration(&caller.instance).await?;
    Ok(HttpResponse::Ok().json(IntegrationBody::from(&stored)))
}
