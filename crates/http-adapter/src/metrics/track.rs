//! Where the metrics are counted: one middleware for every request, and the
//! Set and Update handlers for the Chatwoot check.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpRequest};
use application::AppError;
use domain::Integration;

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

/// Counts the Chatwoot check behind the result of a Set or Update: an
/// enabled result passed it, a Chatwoot failure failed it, and any other
/// result ran none. (A write that failed after a passed check is not
/// counted: the result no longer says that the check ran.)
pub fn note_check(req: &HttpRequest, result: &Result<Integration, AppError>) {
    let Some(metrics) = req.app_data::<web::Data<Metrics>>() else {
        return;
    };
    let outcome = match result {
        Ok(stored) if stored.settings.enabled => labels::CHECK_OK,
        Err(AppError::Chatwoot(failure) | AppError::WebhookNotPointed { failure, .. }) => {
            labels::check_failure(failure)
        }
        _ => return,
    };
    metrics.count_check(outcome);
}
