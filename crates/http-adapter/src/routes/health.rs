use actix_web::{web, HttpResponse};
use application::{Ports, Services};

use crate::dto::StatusBody;
use crate::error::ApiError;

fn ok() -> HttpResponse {
    HttpResponse::Ok().json(StatusBody {
        status: "ok".to_owned(),
    })
}

/// 200 while the process runs.
pub async fn live() -> HttpResponse {
    ok()
}

/// 200 when the database answers, else 503.
pub async fn ready<P: Ports>(services: web::Data<Services<P>>) -> Result<HttpResponse, ApiError> {
    services.ready().await?;
    Ok(ok())
}
