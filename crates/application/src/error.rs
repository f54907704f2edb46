use domain::ValidationErrors;

use crate::check_failure::CheckFailure;
use crate::shared_inbox::InboxInUse;
use crate::signature::NoSigningSecret;

/// What a repository may fail with. Adapters MUST turn driver errors into
/// these, so no SQL or driver type leaks past them.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    /// A unique constraint refused the write.
    #[error("duplicate")]
    Duplicate,
    /// A concurrent write changed the row the caller read.
    #[error("concurrent modification")]
    Conflict,
    /// The row a write refers to (an integration's instance) is gone: it was
    /// deleted between the caller's check and the write.
    #[error("referenced row missing")]
    ReferenceMissing,
    /// Another instance's live integration has the same Chatwoot URL,
    /// account and inbox.
    #[error("inbox taken")]
    InboxTaken,
    /// The database cannot be reached now; a later call may succeed.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A statement did not answer within the configured bound (cancelled
    /// by the server, or given up by the client); a later call may succeed.
    #[error("database timed out: {0}")]
    TimedOut(String),
    /// A stored Chatwoot token that no configured key decrypts: the keys
    /// are the operator's to fix. `detail` (which row, why) is for the log.
    #[error("stored token unreadable: {detail}")]
    TokenKey { detail: String },
    /// Anything else: a bug or a broken database. The text is for the log only.
    #[error("database error: {0}")]
    Other(String),
}

/// The outcome of a use case that did not succeed, in terms a caller can act
/// on. The HTTP adapter maps each variant to one status code.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Invalid(ValidationErrors),
    /// Adapters word the failure for their callers.
    #[error("the Chatwoot check failed: {0:?}")]
    Chatwoot(CheckFailure),
    #[error("missing or invalid token")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("{0}")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    /// 404: the live integration has no signing secret, and why.
    #[error("no signing secret is stored: {0:?}")]
    NoSigningSecret(NoSigningSecret),
    /// 409: another instance's integration uses the inbox.
    #[error("another instance's integration uses the inbox: {0:?}")]
    InboxInUse(InboxInUse),
    /// autoCreate claimed an existing inbox for this instance (the
    /// integration is stored with it), then could not point its webhook
    /// here: answered like `failure`, saying what is saved.
    #[error("the Chatwoot check failed: {failure:?}; inbox {inbox_id} is saved, its webhook not pointed here")]
    WebhookNotPointed {
        inbox_id: i64,
        failure: CheckFailure,
    },
    #[error("the database is unavailable")]
    Unavailable,
    #[error("the database did not answer in time")]
    TimedOut,
    /// Stored Chatwoot tokens that the configured keys cannot read: the
    /// operator must configure the key they were written with.
    #[error("a stored Chatwoot access token does not decrypt with the configured keys")]
    TokenKey,
    /// Details were logged where the fault was met.
    #[error("internal error")]
    Internal,
}

impl From<RepoError> for AppError {
    /// Logs the fault once, here, where its detail is known; callers only see
    /// the category.
    fn from(err: RepoError) -> Self {
        match err {
            RepoError::Unavailable(detail) => {
                log::warn!("database unavailable: {detail}");
                AppError::Unavailable
            }
            RepoError::TimedOut(detail) => {
                log::warn!("database timed out: {detail}");
                AppError::TimedOut
            }
            RepoError::TokenKey { detail } => {
                log::error!("{detail}");
                AppError::TokenKey
            }
            RepoError::Other(detail) => {
                log::error!("database error: {detail}");
                AppError::Internal
            }
            RepoError::Duplicate => AppError::Conflict("already exists".to_owned()),
            RepoError::Conflict => {
                AppError::Conflict("modified concurrently, try again".to_owned())
            }
            RepoError::ReferenceMissing => AppError::NotFound("instance not found"),
            // Use cases that write an inbox say which one (`InboxInUse`).
            RepoError::InboxTaken => {
                AppError::Conflict("another instance's integration uses this inbox".to_owned())
            }
        }
    }
}
