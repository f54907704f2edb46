//! The one error shape of every non-2xx answer:
//! `{"message": [...], "error": "<reason phrase>", "statusCode": N}`.

use actix_web::http::header::RETRY_AFTER;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use application::{AppError, THROTTLE_RETRY_AFTER};
use serde::Serialize;

use crate::metrics::DbErrorKind;
use crate::wording;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    status: StatusCode,
    messages: Vec<String>,
    /// The database fault behind this answer, for the metrics.
    db_error: Option<DbErrorKind>,
    /// `Retry-After`, in seconds, when waiting is the way out.
    retry_after_secs: Option<u64>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// One human-readable string per problem.
    pub message: Vec<String>,
    /// The reason phrase of `statusCode`.
    #[schema(example = "Bad Request")]
    pub error: String,
    #[schema(example = 400)]
    pub status_code: u16,
}

impl ApiError {
    pub fn new(status: StatusCode, messages: Vec<String>) -> Self {
        Self {
            status,
            messages,
            db_error: None,
            retry_after_secs: None,
        }
    }

    pub fn one(status: StatusCode, message: impl Into<String>) -> Self {
        Self::new(status, vec![message.into()])
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::one(StatusCode::BAD_REQUEST, message)
    }

    pub fn unauthorized() -> Self {
        Self::one(
            StatusCode::UNAUTHORIZED,
            "missing or invalid token: send `Authorization: Bearer <token>` or `apikey: <token>`",
        )
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::one(StatusCode::FORBIDDEN, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::one(StatusCode::NOT_FOUND, message)
    }

    pub fn internal() -> Self {
        Self::one(StatusCode::INTERNAL_SERVER_ERROR, "internal server error")
    }

    pub fn messages(&self) -> &[String] {
        &self.messages
    }

    pub fn db_error(&self) -> Option<DbErrorKind> {
        self.db_error
    }

    pub fn retry_after_secs(&self) -> Option<u64> {
        self.retry_after_secs
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            message: self.messages.clone(),
            error: reason(self.status),
            status_code: self.status.as_u16(),
        }
    }
}

pub fn reason(status: StatusCode) -> String {
    status.canonical_reason().unwrap_or("Error").to_owned()
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status.as_u16(), self.messages.join("; "))
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        if let Some(secs) = self.retry_after_secs {
            response.insert_header((RETRY_AFTER, secs));
        }
        response.json(self.body())
    }
}

impl From<AppError> for ApiError {
    /// Faults were logged where they were met; this only picks the status.
    fn from(err: AppError) -> Self {
        let db_error = DbErrorKind::of(&err);
        let mut api = match err {
            AppError::Invalid(errors) => Self::new(StatusCode::BAD_REQUEST, errors.into_messages()),
            // Chatwoot limiting this service is no fault of the settings.
            AppError::Chatwoot(failure) if failure.is_throttled() => Self {
                retry_after_secs: Some(THROTTLE_RETRY_AFTER.as_secs()),
                ..Self::one(
                    StatusCode::SERVICE_UNAVAILABLE,
                    wording::check_failure(&failure),
                )
            },
            AppError::Chatwoot(failure) => Self::bad_request(wording::check_failure(&failure)),
            // Answered as the failure itself, saying what is saved.
            AppError::WebhookNotPointed { inbox_id, failure } => {
                let mut api = Self::from(AppError::Chatwoot(failure));
                for message in &mut api.messages {
                    message.push_str("; ");
                    message.push_str(&wording::webhook_not_pointed(inbox_id));
                }
                api
            }
            AppError::Unauthenticated => Self::unauthorized(),
            AppError::Forbidden(message) => Self::forbidden(message),
            AppError::NotFound(message) => Self::not_found(message),
            AppError::NoSigningSecret(why) => Self::not_found(wording::no_signing_secret(&why)),
            AppError::Conflict(message) => Self::one(StatusCode::CONFLICT, message),
            // Names no other instance: see `routes::integration::refusal`.
            AppError::InboxInUse(in_use) => {
                Self::one(StatusCode::CONFLICT, wording::inbox_in_use(&in_use, false))
            }
            AppError::Unavailable => Self::one(
                StatusCode::SERVICE_UNAVAILABLE,
                "the database is unavailable; try again shortly",
            ),
            AppError::TimedOut => Self::one(
                StatusCode::SERVICE_UNAVAILABLE,
                "the database did not answer in time; try again shortly",
            ),
            // The server's fault, which only its operator can fix.
            AppError::TokenKey => Self::one(StatusCode::INTERNAL_SERVER_ERROR, wording::TOKEN_KEY),
            AppError::Internal => Self::internal(),
        };
        api.db_error = db_error;
        api
    }
}
