//! Reading a JSON request body by hand, after authentication: the contract
//! forbids parsing a body before the caller is known, and wants 415, 413
//! and 400 in its own shape.

use actix_web::http::header::{self, HeaderMap};
use actix_web::http::StatusCode;
use actix_web::web;
use futures_util::StreamExt;
use serde_json::Value;

use crate::error::ApiError;

/// Bodies over this many bytes answer 413.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

pub async fn read_json(headers: &HeaderMap, mut payload: web::Payload) -> Result<Value, ApiError> {
    require_json_content_type(headers)?;
    if let Some(length) = declared_length(headers) {
        if length > MAX_BODY_BYTES {
            return Err(too_large());
        }
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::bad_request(format!("cannot read the body: {e}")))?;
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("body is not valid JSON: {e}")))
}

fn require_json_content_type(headers: &HeaderMap) -> Result<(), ApiError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<mime::Mime>().ok())
        .is_some_and(|m| m.type_() == mime::APPLICATION && m.subtype() == mime::JSON);
    if is_json {
        Ok(())
    } else {
        Err(ApiError::one(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type must be application/json",
        ))
    }
}

fn declared_length(headers: &HeaderMap) -> Option<usize> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

fn too_large() -> ApiError {
    ApiError::one(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("body must not exceed {MAX_BODY_BYTES} bytes"),
    )
}
