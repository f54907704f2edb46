//! Reading a request body, after the route's middleware authenticated the
//! caller. actix's `Json` extractor, set up by [`config`], decodes it into
//! a `serde_json::Value` noting each repeated key ([`crate::repeated_keys`]):
//! 415 unless the Content-Type is JSON, 413 past 16 KiB, 400 for malformed
//! JSON, each in the error shape. Its request type then reads it into the
//! domain value it asks for, listing every violation at once.
//!
//! Also refused, with 415, rather than misread: a charset other than UTF-8,
//! and a `Content-Encoding` other than `identity` (actix-web's compression
//! features are off, so nothing decompresses it). A body must arrive within
//! [`BodyTimeout`], else 408: actix bounds only the wait for the headers.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use actix_web::dev::Payload;
use actix_web::error::JsonPayloadError;
use actix_web::http::header::{CONTENT_ENCODING, CONTENT_TYPE};
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpRequest};

use crate::error::ApiError;
use crate::repeated_keys::Decoded;

/// Bodies over this many bytes answer 413.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// How long reading a body may take, from the start of reading it (after
/// the token check); app data of the server. An app without it reads
/// without a bound.
#[derive(Debug, Clone, Copy)]
pub struct BodyTimeout(pub Duration);

/// The `Json` extractor's limit and its refusals in the error shape.
pub fn config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(MAX_BODY_BYTES)
        .error_handler(|error, _| refusal(error).into())
}

fn refusal(error: JsonPayloadError) -> ApiError {
    match error {
        JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
            ApiError::one(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("body must not exceed {MAX_BODY_BYTES} bytes"),
            )
        }
        JsonPayloadError::ContentType => ApiError::one(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type must be application/json",
        ),
        JsonPayloadError::Deserialize(error) => {
            ApiError::bad_request(format!("body is not valid JSON: {error}"))
        }
        JsonPayloadError::Payload(error) => {
            ApiError::bad_request(format!("cannot read the body: {error}"))
        }
        other => {
            log::error!("reading a JSON body: {other}");
            ApiError::internal()
        }
    }
}

/// A body decoded, for its request type to read
/// ([`crate::request::RequestBody`]).
pub struct Body(pub Decoded);

impl FromRequest for Body {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        if let Some(refusal) = content_coding(req).or_else(|| foreign_charset(req)) {
            let refusal = ApiError::one(StatusCode::UNSUPPORTED_MEDIA_TYPE, refusal);
            return Box::pin(async move { Err(refusal.into()) });
        }
        let timeout = req.app_data::<BodyTimeout>().copied();
        let decoded = web::Json::<Decoded>::from_request(req, payload);
        Box::pin(async move {
            let body = match timeout {
                Some(BodyTimeout(limit)) => actix_web::rt::time::timeout(limit, decoded)
                    .await
                    .map_err(|_| too_slow(limit))??,
                None => decoded.await?,
            };
            Ok(Self(body.into_inner()))
        })
    }
}

fn too_slow(limit: Duration) -> ApiError {
    ApiError::one(
        StatusCode::REQUEST_TIMEOUT,
        format!("the body did not arrive within {} ms", limit.as_millis()),
    )
}

/// The refusal of a Content-Type that declares a charset other than UTF-8.
fn foreign_charset(req: &HttpRequest) -> Option<String> {
    let content_type = req.headers().get(CONTENT_TYPE)?;
    let content_type = String::from_utf8_lossy(content_type.as_bytes());
    let (essence, params) = content_type.split_once(';')?;
    // Any other type is refused as not JSON, whatever its charset.
    if !essence.trim().to_ascii_lowercase().ends_with("json") {
        return None;
    }
    params
        .split(';')
        .filter_map(|param| param.split_once('='))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("charset"))
        .map(|(_, value)| value.trim().trim_matches('"'))
        .filter(|charset| !charset.eq_ignore_ascii_case("utf-8"))
        .map(|charset| format!("Content-Type charset {charset} is not supported: send the body as UTF-8 (charset=utf-8, or no charset)"))
}

/// The refusal of the first content coding the request declares other
/// than `identity`.
fn content_coding(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get_all(CONTENT_ENCODING)
        .flat_map(|value| {
            let codings = String::from_utf8_lossy(value.as_bytes());
            codings
                .split(',')
                .map(|coding| coding.trim().to_owned())
                .collect::<Vec<_>>()
        })
        .find(|coding| !coding.is_empty() && !coding.eq_ignore_ascii_case("identity"))
        .map(|coding| {
            format!("Content-Encoding {coding} is not supported: send the body uncompressed")
        })
}
