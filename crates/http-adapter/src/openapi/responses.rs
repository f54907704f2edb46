//! Answers many routes share, each declared once; a route lists the sets
//! it can give.

use utoipa::{IntoParams, IntoResponses};

use crate::error::ErrorBody;

/// The `instanceId` of every route under `/api/v2/instance/{instanceId}`.
#[derive(IntoParams)]
#[into_params(parameter_in = Path, rename_all = "camelCase")]
#[allow(dead_code)] // a schema, never built
pub struct InstancePath {
    /// ID of the instance
    #[param(format = Uuid)]
    instance_id: String,
}

/// Every route that takes a token and the database. The document requires
/// a token on each route that lists it (`openapi::Tokens`).
#[derive(IntoResponses)]
#[allow(dead_code)] // a schema, never built
pub enum AuthenticatedRoute {
    #[response(
        status = 401,
        description = "No token, a malformed header, or a token that matches nothing"
    )]
    Unauthorized(ErrorBody),
    #[response(
        status = 503,
        description = "The database is unavailable or did not answer within the statement timeout; try again shortly"
    )]
    Unavailable(ErrorBody),
    #[response(
        status = 500,
        description = "A fault of the service, logged with the request id"
    )]
    Internal(ErrorBody),
}

/// A route only the admin token may call.
#[derive(IntoResponses)]
#[allow(dead_code)] // a schema, never built
pub enum AdminOnly {
    #[response(status = 403, description = "Not the admin token")]
    Forbidden(ErrorBody),
}

/// A route under `/api/v2/instance/{instanceId}` that the instance's own
/// token may call: its guard refuses a token of another instance.
#[derive(IntoResponses)]
#[allow(dead_code)] // a schema, never built
pub enum OtherInstance {
    #[response(
        status = 403,
        description = "An instance token on any other instance id than its own, whether that instance exists or the id is malformed"
    )]
    Forbidden(ErrorBody),
}

/// A route under `/api/v2/instance/{instanceId}`: its guard answers 404
/// for an instance that does not exist.
#[derive(IntoResponses)]
#[allow(dead_code)] // a schema, never built
pub enum NoInstance {
    #[response(
        status = 404,
        description = "The admin token, and no instance has this id (a malformed id names none)"
    )]
    NotFound(ErrorBody),
}

/// A route that needs the live integration of the instance.
#[derive(IntoResponses)]
#[allow(dead_code)] // a schema, never built
pub enum NoIntegration {
    #[response(
        status = 404,
        description = "The admin token, and no instance has this id (a malformed id names none); or the instance has no live integration"
    )]
    NotFound(ErrorBody),
}

/// A route that checks settings with Chatwoot. Listed after
/// [`AuthenticatedRoute`], whose 503 it replaces: there a 503 may also mean
/// that Chatwoot limited requests, with `Retry-After`.
#[derive(IntoResponses)]
#[allow(dead_code)] // a schema, never built
pub enum RefusedSettings {
    #[response(
        status = 400,
        description = "The body is invalid (every violation is listed), or Chatwoot refused the settings (the message names the setting and why)"
    )]
    BadRequest(ErrorBody),
    #[response(
        status = 503,
        description = "Chatwoot's rate limiter answered HTTP 429 to the check, so the settings could not be judged and nothing was saved (the message says how to lift the limit in Chatwoot; `Retry-After` says when to try again); or the database is unavailable or did not answer within the statement timeout (try again shortly)",
        headers(
            ("Retry-After" = u64, description = "Seconds to wait before trying again; sent when Chatwoot limited requests")
        )
    )]
    Unavailable(ErrorBody),
}

/// Every route that reads a JSON body.
#[derive(IntoResponses)]
#[allow(dead_code)] // a schema, never built
pub enum JsonBody {
    #[response(
        status = 408,
        description = "The body did not arrive within the body timeout (`APP_HTTP__BODY_TIMEOUT_MS`)"
    )]
    TooSlow(ErrorBody),
    #[response(status = 413, description = "The body is over 16 KiB")]
    TooLarge(ErrorBody),
    #[response(
        status = 415,
        description = "The Content-Type is not JSON (`application/json`, or another `*/json` or `*/*+json` type) or names a charset other than UTF-8, or a Content-Encoding other than `identity` is given"
    )]
    NotJson(ErrorBody),
}
