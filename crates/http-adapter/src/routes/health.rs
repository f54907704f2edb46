use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use application::{AppError, Ports, Services};

use crate::dto::StatusBody;
use crate::error::{ApiError, ErrorBody};
use crate::wording;

fn ok() -> HttpResponse {
    HttpResponse::Ok().json(StatusBody {
        status: "ok".to_owned(),
    })
}

/// 200 while the process runs.
#[utoipa::path(
    get,
    path = "/health/live",
    tag = "operations",
    operation_id = "live",
    summary = "Liveness: 200 while the process runs",
    responses((status = 200, description = "The process runs", body = StatusBody))
)]
pub async fn live() -> HttpResponse {
    ok()
}

/// 200 when the database answers, else 503.
#[utoipa::path(
    get,
    path = "/health/ready",
    tag = "operations",
    operation_id = "ready",
    summary = "Readiness: 200 when the database answers, else 503",
    responses(
        (status = 200, description = "The database answers", body = StatusBody),
        (status = 503, description = "The database is unavailable or did not answer within the statement timeout, or a stored Chatwoot token met since the start does not decrypt with the configured keys", body = ErrorBody),
        (status = 500, description = "The database answered with a fault, logged with the request id", body = ErrorBody),
    )
)]
pub async fn ready<P: Ports>(services: web::Data<Services<P>>) -> Result<HttpResponse, ApiError> {
    // Not ready while stored tokens cannot be read: only the operator can
    // change that.
    services.ready().await.map_err(|error| match error {
        AppError::TokenKey => ApiError::one(StatusCode::SERVICE_UNAVAILABLE, wording::TOKEN_KEY),
        other => other.into(),
    })?;
    Ok(ok())
}
