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

/// Declares sets of error answers, one enum each: a variant per answer,
/// written `status Name "description"` (with utoipa's `headers(...)` after
/// the description where the answer has some). Never built: schemas only.
macro_rules! error_answers {
    ($($(#[$doc:meta])* $set:ident { $($status:literal $name:ident $description:literal $($headers:expr)?;)+ })+) => {
        $(
            $(#[$doc])*
            #[derive(IntoResponses)]
            #[allow(dead_code)]
            pub enum $set {
                $(
                    #[response(status = $status, description = $description $(, $headers)?)]
                    $name(ErrorBody),
                )+
            }
        )+
    };
}

error_answers! {
    /// Every route that takes a token and the database. The document
    /// requires a token on each route that lists it (`openapi::Tokens`).
    AuthenticatedRoute {
        401 Unauthorized "No token, a malformed header, or a token that matches nothing";
        503 Unavailable "The database is unavailable or did not answer within the statement timeout; try again shortly";
        500 Internal "A fault of the service, logged with the request id";
    }

    /// A route only the admin token may call.
    AdminOnly {
        403 Forbidden "Not the admin token";
    }

    /// A route under `/api/v2/instance/{instanceId}` that the instance's own
    /// token may call: its guard refuses a token of another instance.
    OtherInstance {
        403 Forbidden "An instance token on any other instance id than its own, whether that instance exists or the id is malformed";
    }

    /// A route under `/api/v2/instance/{instanceId}`: its guard answers 404
    /// for an instance that does not exist.
    NoInstance {
        404 NotFound "The admin token, and no instance has this id (a malformed id names none)";
    }

    /// A route that needs the live integration of the instance.
    NoIntegration {
        404 NotFound "The admin token, and no instance has this id (a malformed id names none); or the instance has no live integration";
    }

    /// A route that checks settings with Chatwoot. Listed after
    /// [`AuthenticatedRoute`], whose 503 it replaces: there a 503 may also
    /// mean that Chatwoot limited requests, with `Retry-After`.
    RefusedSettings {
        400 BadRequest "The body is invalid (every violation is listed), or Chatwoot refused the settings (the message names the setting and why)";
        503 Unavailable "Chatwoot's rate limiter answered HTTP 429 to the check, so the settings could not be judged and nothing was saved (the message says how to lift the limit in Chatwoot; `Retry-After` says when to try again); or the database is unavailable or did not answer within the statement timeout (try again shortly)"
            headers(("Retry-After" = u64, description = "Seconds to wait before trying again; sent when Chatwoot limited requests"));
    }

    /// Every route that reads a JSON body.
    JsonBody {
        408 TooSlow "The body did not arrive within the body timeout (`APP_HTTP__BODY_TIMEOUT_MS`)";
        413 TooLarge "The body is over 16 KiB";
        415 NotJson "The Content-Type is not JSON (`application/json`, or another `*/json` or `*/*+json` type) or names a charset other than UTF-8, or a Content-Encoding other than `identity` is given";
    }
}
