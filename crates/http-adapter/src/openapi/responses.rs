//! Answers many routes share, declared once: every route that takes a token
//! and the database can answer 401 and 503; every route that reads a JSON
//! body can answer 413 and 415.

use utoipa::IntoResponses;

use crate::error::ErrorBody;

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
        description = "The database is unavailable; try again shortly"
    )]
    Unavailable(ErrorBody),
}

#[derive(IntoResponses)]
#[allow(dead_code)] // a schema, never built
pub enum JsonBody {
    #[response(status = 413, description = "The body is over 16 KiB")]
    TooLarge(ErrorBody),
    #[response(
        status = 415,
        description = "The Content-Type is not JSON: `application/json`, or another `*/json` or `*/*+json` type"
    )]
    NotJson(ErrorBody),
}
