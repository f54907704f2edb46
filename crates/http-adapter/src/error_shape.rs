//! A safety net under the whole app: any error answer that is not already
//! JSON (actix's own 404 for unknown routes, 405 for wrong methods, and
//! anything else the framework answers by itself) is rewritten into the
//! contract's error shape.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{HeaderValue, ALLOW, CONTENT_TYPE};
use actix_web::http::StatusCode;
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{web, HttpRequest, HttpResponse, ResponseError, Route};

use crate::error::{reason, ApiError};

pub fn middleware<B: MessageBody + 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(reshape)
}

fn reshape<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_json = res
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_json {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let message = match status {
        StatusCode::NOT_FOUND => {
            format!("Cannot {} {}", res.request().method(), res.request().path())
        }
        StatusCode::METHOD_NOT_ALLOWED => not_allowed_message(res.request()),
        _ => reason(status),
    };
    let (req, _) = res.into_parts();
    let reshaped = ApiError::one(status, message).error_response();
    let res: ServiceResponse<EitherBody<B>> =
        ServiceResponse::new(req, reshaped).map_into_right_body();
    Ok(ErrorHandlerResponse::Response(res))
}

fn not_allowed_message(req: &HttpRequest) -> String {
    format!("method {} is not allowed on {}", req.method(), req.path())
}

/// The default service of a resource: actix's own 405 carries no `Allow`
/// header, which RFC 9110 requires so that a client can tell which methods
/// the resource does have. `allowed` must list the resource's routes; a
/// test compares it with the OpenAPI document.
pub fn method_not_allowed(allowed: &'static str) -> Route {
    web::to(move |req: HttpRequest| async move {
        let mut res: HttpResponse =
            ApiError::one(StatusCode::METHOD_NOT_ALLOWED, not_allowed_message(&req))
                .error_response();
        res.headers_mut()
            .insert(ALLOW, HeaderValue::from_static(allowed));
        res
    })
}
