//! The middleware that counts every request.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;

use super::{labels, DbErrorKind, Metrics};
use crate::error::ApiError;

/// Counts every request of an app that has [`Metrics`] as app data: by
/// method, route template and status, its latency, and the database fault
/// behind a 503 or 500 (an [`ApiError`] made from one).
pub async fn track(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = labels::method(req.method());
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let res = next.call(req).await;
    let Some(metrics) = metrics else {
        return res;
    };
    let (route, status, error) = match &res {
        Ok(res) => (
            res.request().match_pattern(),
            res.status(),
            res.response().error(),
        ),
        // Only a middleware's own failure gets here, before any route
        // answered (actix turns a handler's error into a response).
        Err(err) => (None, err.as_response_error().status_code(), Some(err)),
    };
    metrics.observe_request(method, route, status, started.elapsed());
    if let Some(kind) = error.and_then(db_error) {
        metrics.count_db_error(kind);
    }
    res
}

fn db_error(err: &actix_web::Error) -> Option<DbErrorKind> {
    err.as_error::<ApiError>()?.db_error()
}
