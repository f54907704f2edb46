//! What every route answers, added to each operation of the document so no
//! route can leave it out: the request id header on every answer, 405 for
//! another method, and a `default` in the one error shape. The middleware
//! behind them wraps every route too (`request_id::assign`,
//! `error_shape::method_not_allowed`, `error_shape::middleware`).

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{Content, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, ToSchema};

use crate::error::ErrorBody;

const REQUEST_ID: &str = "X-Request-Id";
const ALLOW: &str = "Allow";

pub struct EveryRoute;

impl Modify for EveryRoute {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for operation in super::operations(openapi) {
            let responses = &mut operation.responses.responses;
            responses
                .entry("405".to_owned())
                .or_insert_with(|| method_not_allowed().into());
            responses
                .entry("default".to_owned())
                .or_insert_with(|| error("Any other error").into());
            for response in responses.values_mut() {
                if let RefOr::T(response) = response {
                    response.headers.insert(REQUEST_ID.to_owned(), request_id());
                }
            }
        }
    }
}

fn error(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            Content::new(Some(Ref::from_schema_name(ErrorBody::name()))),
        )
        .build()
}

fn method_not_allowed() -> Response {
    let mut response = error("Another method than the ones this path documents");
    response.headers.insert(
        ALLOW.to_owned(),
        HeaderBuilder::new()
            .schema(ObjectBuilder::new().schema_type(Type::String))
            .description(Some("The methods this path documents, as `GET, POST`"))
            .build(),
    );
    response
}

/// The caller's `X-Request-Id` when it is 1-128 of these characters, else
/// a fresh UUID (`request_id::assign`).
fn request_id() -> utoipa::openapi::header::Header {
    HeaderBuilder::new()
        .schema(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some("^[A-Za-z0-9._:-]{1,128}$")),
        )
        .description(Some(
            "The request's id, as in the access log: the caller's own `X-Request-Id` when it \
             is 1-128 letters, digits and `-_.:`, else a new UUID",
        ))
        .build()
}
