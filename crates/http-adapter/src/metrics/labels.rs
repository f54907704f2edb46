//! The label values of the metrics: each from a closed set, so no request
//! can grow the number of series.

use actix_web::http::Method;
use application::{AppError, CheckFailure};

/// The `route` of a request that matched no route (nor a resource's 405).
pub const UNMATCHED_ROUTE: &str = "unmatched";

/// The methods of the contract and the common ones by name; any other
/// (actix accepts extension methods) is `other`.
pub fn method(method: &Method) -> &'static str {
    const KNOWN: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];
    let name = method.as_str();
    KNOWN
        .into_iter()
        .find(|known| *known == name)
        .unwrap_or("other")
}

/// The `outcome` of a Chatwoot check that failed. Exhaustive on purpose: a
/// new [`CheckFailure`] does not compile until it has its label here.
pub fn check_failure(failure: &CheckFailure) -> &'static str {
    match failure {
        CheckFailure::Unreachable { .. } => "unreachable",
        CheckFailure::TimedOut { .. } => "timed_out",
        CheckFailure::Redirected { .. } => "redirected",
        CheckFailure::NotChatwoot { .. } => "not_chatwoot",
        CheckFailure::AddressNotAllowed { .. } => "address_not_allowed",
        CheckFailure::TokenRejected { .. } => "token_rejected",
        CheckFailure::BotToken { .. } => "bot_token",
        CheckFailure::TokenHeaderDropped { .. } => "proxy_dropped_header",
        CheckFailure::AccountNotAccessible { .. } => "account_not_accessible",
        CheckFailure::AccountSuspended { .. } => "account_suspended",
        CheckFailure::InboxNotFound { .. } => "inbox_not_found",
        CheckFailure::InboxNotAssigned { .. } => "inbox_not_assigned",
        CheckFailure::NotApiInbox { .. } => "not_api_inbox",
        CheckFailure::WebhookMismatch { .. } => "webhook_mismatch",
        CheckFailure::PrivateWebhookTarget { .. } => "private_webhook_target",
        CheckFailure::SigningSecretChanged { .. } => "signing_secret_changed",
        CheckFailure::SigningSecretNotStored { .. } => "signing_secret_not_stored",
        CheckFailure::AgentBotForcesPending { .. } => "agent_bot_forces_pending",
        CheckFailure::Throttled { .. } => "throttled",
        CheckFailure::NotAdministrator { .. } => "not_administrator",
        CheckFailure::InboxNameTaken { .. } => "inbox_name_taken",
        CheckFailure::InboxRefused { .. } => "inbox_refused",
        CheckFailure::ProvisioningOff => "provisioning_off",
        CheckFailure::UnexpectedAnswer { .. } => "unexpected_answer",
        CheckFailure::UnexpectedBody { .. } => "unexpected_body",
        CheckFailure::TokenUnsendable => "token_unsendable",
    }
}

/// The `outcome` of a passed check.
pub const CHECK_OK: &str = "ok";

/// Why a request that needed the database got a 503 or a 500 from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DbErrorKind {
    /// Not reachable now (down, refused, no connection within the acquire
    /// timeout, SQLite busy): a 503.
    Unavailable,
    /// A statement that did not answer within the statement timeout: a 503.
    Timeout,
    /// Anything else the database failed with: a 500.
    Other,
}

impl DbErrorKind {
    /// Every kind, exported at 0 before the first error.
    pub const ALL: [Self; 3] = [Self::Unavailable, Self::Timeout, Self::Other];

    /// The kind of database fault behind an application error, if it is
    /// one. Exhaustive on purpose: a new [`AppError`] variant does not
    /// compile until it is placed here.
    pub fn of(err: &AppError) -> Option<Self> {
        match err {
            AppError::Unavailable => Some(Self::Unavailable),
            AppError::TimedOut => Some(Self::Timeout),
            // Only a database fault becomes `Internal` (see
            // `From<RepoError> for AppError`).
            AppError::Internal => Some(Self::Other),
            AppError::Invalid(_)
            | AppError::Chatwoot(_)
            | AppError::WebhookNotPointed { .. }
            | AppError::TokenKey
            | AppError::Unauthenticated
            | AppError::Forbidden(_)
            | AppError::NotFound(_)
            | AppError::Conflict(_)
            | AppError::NoSigningSecret(_)
            | AppError::InboxInUse(_) => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Unavailable => "unavailable",
            Self::Timeout => "timeout",
            Self::Other => "other",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_methods_share_one_label() {
        assert_eq!(method(&Method::GET), "GET");
        assert_eq!(method(&Method::DELETE), "DELETE");
        let odd = Method::from_bytes(b"BREW").expect("extension method");
        assert_eq!(method(&odd), "other");
    }

    #[test]
    fn check_failures_have_snake_case_labels() {
        let dropped = CheckFailure::TokenHeaderDropped {
            version: "4.1.0".to_owned(),
        };
        assert_eq!(check_failure(&dropped), "proxy_dropped_header");
        let inbox = CheckFailure::InboxNotFound {
            account_id: 1,
            inbox_id: 2,
        };
        assert_eq!(check_failure(&inbox), "inbox_not_found");
    }

    #[test]
    fn only_database_faults_have_a_kind() {
        assert_eq!(
            DbErrorKind::of(&AppError::Unavailable),
            Some(DbErrorKind::Unavailable)
        );
        assert_eq!(
            DbErrorKind::of(&AppError::TimedOut),
            Some(DbErrorKind::Timeout)
        );
        assert_eq!(
            DbErrorKind::of(&AppError::Internal),
            Some(DbErrorKind::Other)
        );
        assert_eq!(DbErrorKind::of(&AppError::NotFound("x")), None);
        assert_eq!(DbErrorKind::of(&AppError::Unauthenticated), None);
    }
}
