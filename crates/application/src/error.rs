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
    #[error("{0}")]
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
    #[error("{0}")]
    NoSigningSecret(NoSigningSecret),
    /// 409: another instance's integration uses the inbox.
    #[error("{}", .0.message(false))]
    InboxInUse(InboxInUse),
    /// autoCreate claimed an existing inbox for this instance (the
    /// integration is stored with it), then could not point its webhook
    /// here: answered like `failure`, saying what is saved.
    #[error("{failure}; {}", webhook_not_pointed(*.inbox_id))]
    WebhookNotPointed {
        inbox_id: i64,
        failure: CheckFailure,
    },
    #[error("the database is unavailable")]
    Unavailable,
    #[error("the database did not answer in time")]
    TimedOut,
    /// Stored Chatwoot tokens that the configured keys cannot read; the
    /// message says what the operator must do.
    #[error("{TOKEN_KEY_MESSAGE}")]
    TokenKey,
    /// Details were logged where the fault was met.
    #[error("internal error")]
    Internal,
}

/// What [`AppError::TokenKey`] says, to whoever meets it.
pub const TOKEN_KEY_MESSAGE: &str = "a stored Chatwoot access token does not decrypt with APP_SECURITY__TOKEN_ENCRYPTION_KEY nor with any key of APP_SECURITY__PREVIOUS_TOKEN_ENCRYPTION_KEYS: the operator must configure the key it was written with (as APP_SECURITY__TOKEN_ENCRYPTION_KEY, or in APP_SECURITY__PREVIOUS_TOKEN_ENCRYPTION_KEYS beside the current key) and restart, or the integration must be set again";

/// What a [`AppError::WebhookNotPointed`] adds to the Chatwoot failure.
pub fn webhook_not_pointed(inbox_id: i64) -> String {
    format!("the integration is saved with inbox {inbox_id}, which is this instance's now, but the inbox's webhook still points elsewhere: send the same Set again, or set its Webhook URL in Chatwoot (Settings, then Inboxes, then the inbox, then its Settings tab)")
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
